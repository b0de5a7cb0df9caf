// The capped tail of a session's output, for terminal.replay after a renderer reload.

const ESC = 0x1b;
/** How far past the cut we look for a line break to start the tail on. */
const LINE_SEARCH = 4096;
/** Longest escape sequence we try to keep whole (OSC titles and hyperlinks can be long). */
const ESCAPE_SEARCH = 256;

/**
 * Where to cut `text` so that the kept part `text.slice(cut)` starts cleanly. xterm would
 * print the rest of a half sequence as garbage ("31m…"), and half a surrogate pair as "�",
 * so the cut moves to the next line start when there is one nearby (a line feed is never
 * inside a sequence in practice), else back to an ESC that would otherwise be split, else
 * off a low surrogate.
 */
export function safeCutIndex(text: string, cut: number): number {
  if (cut <= 0) return 0;
  if (cut >= text.length) return text.length;
  const nl = text.indexOf('\n', cut);
  if (nl !== -1 && nl - cut <= LINE_SEARCH) return nl + 1;
  const from = Math.max(0, cut - ESCAPE_SEARCH);
  for (let i = cut - 1; i >= from; i--) {
    const c = text.charCodeAt(i);
    if (c === ESC) return i;
    // A BEL or ST ends an OSC, a final byte ends a CSI: anything before is complete.
    if (c === 0x07 || c === 0x0a) break;
  }
  const c = text.charCodeAt(cut);
  return c >= 0xdc00 && c <= 0xdfff ? cut + 1 : cut;
}

/**
 * A ring of output chunks capped at `capacity` UTF-16 code units (= bytes for ASCII, the
 * bulk of terminal output; counting code units avoids re-encoding every chunk). Chunks are
 * kept as they came and joined only on read, so appending is O(chunk).
 */
export class Scrollback {
  private chunks: string[] = [];
  private head = 0;
  private size = 0;

  constructor(private readonly capacity: number) {}

  get length(): number {
    return this.size;
  }

  append(data: string): void {
    if (data.length === 0) return;
    this.chunks.push(data);
    this.size += data.length;
    if (this.size > this.capacity) this.trim();
  }

  /** The kept tail, starting at a safe boundary. */
  read(): string {
    return this.chunks.slice(this.head).join('');
  }

  private trim(): void {
    // Drop whole chunks while the rest still fills the capacity...
    while (this.head < this.chunks.length - 1 && this.size - this.chunks[this.head].length >= this.capacity) {
      this.size -= this.chunks[this.head].length;
      this.head++;
    }
    // ...then cut into the first one at a safe place.
    const first = this.chunks[this.head];
    const excess = this.size - this.capacity;
    if (excess > 0) {
      const cut = safeCutIndex(first, excess);
      this.chunks[this.head] = first.slice(cut);
      this.size -= cut;
    }
    // Compact the array now and then rather than shifting on every trim.
    if (this.head > 1024 || this.head > this.chunks.length / 2) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }
}
