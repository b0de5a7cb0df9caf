/** How much of a continuation is held back to find where it overlaps the text before it. */
const LOOKAHEAD_CHARS = 400;
const MAX_OVERLAP = 400;
/** Shorter repeats ("  }\n}\n") are too often legitimate code to be treated as overlap. */
const MIN_OVERLAP = 16;
const MIN_OVERLAP_VISIBLE = 10;
/** An opening fence with an info string (```js): a bare ``` may be the model closing the open file. */
const REOPENED_FENCE_LINE = /^\s*(```+|~~~+)[^\s`~][^\n]*\n/;

function insideFence(text: string): boolean {
  let open = false;
  for (const line of text.split('\n')) if (/^\s*(```|~~~)/.test(line)) open = !open;
  return open;
}

/**
 * The part of `continuation` that really continues `before`. Models asked to continue a
 * cut-off answer often re-open the code fence, or repeat the last line or words before
 * going on; both would corrupt the file if appended as-is.
 */
export function continuationRemainder(before: string, continuation: string): string {
  let rest = continuation;
  // A fresh fence (```js) while the file's fence is still open would close nothing and end up in the file.
  if (insideFence(before)) rest = rest.replace(REOPENED_FENCE_LINE, '');
  // Longest suffix of `before` that `rest` starts with (ignoring a leading newline the model added).
  const tail = before.slice(-MAX_OVERLAP);
  for (const candidate of [rest, rest.replace(/^\n/, '')]) {
    for (let k = Math.min(tail.length, candidate.length); k >= MIN_OVERLAP; k--) {
      const overlap = candidate.slice(0, k);
      if (tail.endsWith(overlap) && overlap.replace(/\s/g, '').length >= MIN_OVERLAP_VISIBLE) return candidate.slice(k);
    }
  }
  // The cut fell mid-line and the model restarted that line: drop the repeated start.
  const lastLine = before.slice(before.lastIndexOf('\n') + 1);
  if (lastLine.trim().length >= 6 && rest.startsWith(lastLine)) return rest.slice(lastLine.length);
  return rest;
}

/**
 * Streams a continuation through continuationRemainder: holds back its first few hundred
 * characters (enough to see an overlap), then passes text through unchanged.
 */
export class ContinuationJoiner {
  private held = '';
  private decided = false;

  /** Enough to see an overlap, and the whole cut line if the model restarts it. */
  private readonly lookahead: number;

  constructor(private readonly before: string) {
    this.lookahead = Math.max(LOOKAHEAD_CHARS, before.length - before.lastIndexOf('\n') + 16);
  }

  push(text: string): string {
    if (this.decided) return text;
    this.held += text;
    if (this.held.length < this.lookahead) return '';
    return this.release();
  }

  end(): string {
    return this.decided ? '' : this.release();
  }

  private release(): string {
    this.decided = true;
    const out = continuationRemainder(this.before, this.held);
    this.held = '';
    return out;
  }
}
