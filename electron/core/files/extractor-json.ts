// Tool calls printed as text instead of called: a streaming JSON scanner that finds objects with a
// path and a content string, in the shapes local models print:
//   {"name": "write" | "Write" | "write_file", "arguments" | "parameters": {"filePath" | "filename" | "path": …, "content": …}}
//   {"file_path": …, "content": …}, {"filename": …, "contents": …}, several in a row or in an array,
//   and "arguments" given as a JSON-encoded string.
// Each char is looked at once; the content string is decoded and streamed as it arrives when the
// path came first, else kept until the object closes. Anything that is not JSON (a letter outside a
// string, a raw newline inside one) stops the scan right there, so prose that merely starts with `{`
// costs one char and is handed back to the line machine.

const PATH_KEY = /^(?:path|file_?path|file_?name|file|target_?file|absolute_?path)$/i;
const CONTENT_KEY = /^(?:content|contents|file_?text|new_?content)$/i;
const ENCODED_ARGS_KEY = /^(?:arguments|parameters|args|input)$/i;
const LITERAL_CHARS = /[0-9a-z.+-]/; // numbers, true, false, null (checked loosely: only their characters)
const MAX_DEPTH = 256; // a tool call is a few levels deep; "[[[[…" from a hostile answer is not kept

/** Where a scanned tool call's file goes: the extractor's own open/content/close (path rules included). */
export interface JsonFileTarget {
  openFile(rawPath: string): boolean; // false when the path is refused
  fileContent(text: string): void;
  closeFile(truncated: boolean): void;
}

type Frame = {
  obj: boolean;
  expectKey: boolean;
  key: string | null;
  path: string | null;
  /** Decoded content seen before the path (emitted when the object closes). */
  content: string | null;
  /** A file of this object was opened (its content is being or has been streamed). */
  opened: boolean;
};

/** What the string being read is. */
const KEY = 0;
const PATH = 1;
const CONTENT_STREAM = 2;
const CONTENT_HELD = 3;
const ENCODED_ARGS = 4;
const OTHER = 5;

export const JSON_RUNNING = 0;
export const JSON_DONE = 1;
export const JSON_ABORTED = 2;

export class JsonToolScanner {
  state = JSON_RUNNING;
  /** Only whitespace since the last newline (so an abort on a fence line can hand the line back). */
  atLineStart = true;
  private stack: Frame[] = [];
  private inString = false;
  private kind = OTHER;
  private str = '';
  private escape = 0; // 0 none, 1 after '\', 2..5 reading \uXXXX digits
  private hex = '';
  private highSurrogate = '';
  private out = '';

  constructor(private readonly target: JsonFileTarget) {}

  /** Scan `s` from `from`; returns the index after the last char used (the whole value, or up to the abort). */
  feed(s: string, from: number): number {
    let i = from;
    const n = s.length;
    while (i < n && this.state === JSON_RUNNING) {
      if (this.inString) {
        i = this.stringChars(s, i, n);
        continue;
      }
      const c = s[i];
      if (c === '\n') this.atLineStart = true;
      else if (c !== ' ' && c !== '\t' && c !== '\r') this.atLineStart = false;
      if (!this.structural(c)) {
        this.abort();
        return i;
      }
      i++;
    }
    this.flush();
    return i;
  }

  /** The answer ended inside the value. */
  end(): void {
    if (this.state !== JSON_RUNNING) return;
    this.flush();
    if (this.inString && this.kind === CONTENT_STREAM) this.target.closeFile(true);
    this.state = JSON_ABORTED;
  }

  private abort(): void {
    this.flush();
    if (this.inString && this.kind === CONTENT_STREAM) this.target.closeFile(true);
    this.state = JSON_ABORTED;
  }

  private flush(): void {
    if (this.out !== '') {
      this.target.fileContent(this.out);
      this.out = '';
    }
  }

  private structural(c: string): boolean {
    const top = this.stack[this.stack.length - 1];
    switch (c) {
      case ' ': case '\t': case '\r': case '\n':
        return true;
      case '{': case '[':
        if ((top?.obj && top.expectKey) || this.stack.length >= MAX_DEPTH) return false;
        this.stack.push({ obj: c === '{', expectKey: c === '{', key: null, path: null, content: null, opened: false });
        return true;
      case '}': case ']': {
        if (!top || top.obj !== (c === '}')) return false;
        this.stack.pop();
        if (top.obj && !top.opened && top.path !== null && top.content !== null) {
          if (this.target.openFile(top.path)) {
            if (top.content !== '') this.target.fileContent(top.content);
            this.target.closeFile(false);
          }
        }
        if (this.stack.length === 0) this.state = JSON_DONE;
        return true;
      }
      case ':':
        return top?.obj === true && !top.expectKey && top.key !== null;
      case ',':
        if (!top) return false;
        if (top.obj) {
          top.expectKey = true;
          top.key = null;
        }
        return true;
      case '"':
        if (!top) return false;
        this.startString(top);
        return true;
      default:
        return top !== undefined && !(top.obj && top.expectKey) && LITERAL_CHARS.test(c);
    }
  }

  private startString(top: Frame): void {
    this.inString = true;
    this.str = '';
    if (top.obj && top.expectKey) {
      this.kind = KEY;
      return;
    }
    const key = top.obj ? top.key : null;
    if (key !== null && PATH_KEY.test(key)) this.kind = PATH;
    else if (key !== null && CONTENT_KEY.test(key) && !top.opened) {
      if (top.path !== null) {
        top.opened = true;
        this.kind = this.target.openFile(top.path) ? CONTENT_STREAM : OTHER;
      } else this.kind = CONTENT_HELD;
    } else if (key !== null && ENCODED_ARGS_KEY.test(key)) this.kind = ENCODED_ARGS;
    else this.kind = OTHER;
  }

  /** Read string chars from `i`; returns where it stopped. */
  private stringChars(s: string, i: number, n: number): number {
    const start = i;
    if (this.escape === 0) {
      // Fast path: a run without quotes, backslashes or newlines is taken whole.
      while (i < n) {
        const c = s.charCodeAt(i);
        if (c === 34 || c === 92 || c === 10) break;
        i++;
      }
      if (i > start) this.take(s.slice(start, i));
      if (i === n) return i;
    }
    const c = s[i];
    if (this.escape === 0) {
      if (c === '\n') {
        this.abort(); // raw newline: not JSON
        return i;
      }
      if (c === '"') {
        this.endString();
        return i + 1;
      }
      this.escape = 1; // backslash
      return i + 1;
    }
    if (this.escape === 1) {
      if (c === 'u') {
        this.escape = 2;
        this.hex = '';
        return i + 1;
      }
      const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\', '/': '/' };
      this.escape = 0;
      this.take(map[c] ?? c);
      return i + 1;
    }
    this.hex += c;
    if (this.hex.length < 4) return i + 1;
    this.escape = 0;
    const code = parseInt(this.hex, 16);
    if (Number.isNaN(code)) return i + 1;
    const ch = String.fromCharCode(code);
    if (code >= 0xd800 && code <= 0xdbff) this.highSurrogate = ch;
    else {
      this.take(this.highSurrogate + ch);
      this.highSurrogate = '';
    }
    return i + 1;
  }

  private take(text: string): void {
    if (this.kind === CONTENT_STREAM) this.out += text;
    else if (this.kind !== OTHER) this.str += text;
  }

  private endString(): void {
    this.inString = false;
    const top = this.stack[this.stack.length - 1];
    switch (this.kind) {
      case KEY:
        top.key = this.str;
        top.expectKey = false;
        break;
      case PATH:
        if (top.path === null) top.path = this.str; // held content, if any, is emitted when the object closes
        break;
      case CONTENT_STREAM:
        this.flush();
        this.target.closeFile(false);
        break;
      case CONTENT_HELD:
        top.content = this.str;
        break;
      case ENCODED_ARGS: {
        const inner = this.str.trimStart();
        if (inner.startsWith('{')) {
          const nested = new JsonToolScanner(this.target);
          nested.feed(inner, 0);
          nested.end();
        }
        break;
      }
    }
    this.str = '';
  }
}
