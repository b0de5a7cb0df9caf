// Incremental extractor: turns a streaming markdown answer into file operations as the text
// arrives. Linear in the answer: only the current partial line is kept between pushes; complete
// lines are classified once with line-level checks; content lines inside a block are streamed out
// as soon as they cannot be a closing fence (runs of content are sliced, not built char by char).
// Formats and decisions are described in DESIGN.md ("Files from model output").

import { normalizeWorkspacePath } from './paths.js';
import {
  BACKTICK,
  isClosingFence,
  isFileTagClose,
  isMarkdownBlock,
  parseCommentPath,
  parseFence,
  parseFileTag,
  parseInfoPath,
  parseLabel,
  weakLabelMismatch,
  type Fence,
  type Label,
} from './extractor-syntax.js';

export type FileOp =
  | { kind: 'open'; path: string }
  | { kind: 'chunk'; path: string; text: string }
  | { kind: 'close'; path: string; truncated: boolean }
  | { kind: 'refused'; path: string; code: string; reason: string };

export type ExtractedFile = { path: string; content: string; truncated: boolean };

// States of the line machine.
const OUT = 0; // prose between files
const AWAIT_FIRST = 1; // inside an unnamed fence: its first line may be a path comment
const BLOCK = 2; // inside a fenced block (a file, a refused file, or a non-file block that is skipped)
const TAG_START = 3; // after <file path="..">, before the first non-blank line
const TAG_BODY = 4; // raw content of a <file> tag, up to </file>
const TAG_AFTER = 5; // after a fence unwrapped inside a <file> tag, waiting for </file>
type Mode = 0 | 1 | 2 | 3 | 4 | 5;

const SPACE = 32;
const TAB = 9;
const CR = 13;
const LT = 60;

export class FileExtractor {
  private mode: Mode = OUT;
  /** A path label seen in prose, applying to the next fence if only blank lines come between. */
  private label: Label | null = null;
  private fenceChar = BACKTICK;
  private fenceLen = 3;
  private fenceIndent = 0;
  /** Markdown-aware block: ``` + info opens an inner block, so a bare ``` closes that one first. */
  private nest = false;
  private depth = 0;
  private fenceInfo = '';
  /** The current block is a fence unwrapped inside a <file> tag. */
  private inTag = false;
  /** Held leading blank lines of a <file> tag body (dropped if the body is a fence). */
  private tagHeld = '';
  /** Normalised path of the open file; null while skipping (no file, or refused). */
  private path: string | null = null;
  /** The current, incomplete line (not yet classified). */
  private partial = '';
  /** The current line is known to be content and has been (partly) emitted already. */
  private streaming = false;
  /** A streamed piece ended in CR: emit it only if the next char is not LF. */
  private heldCR = false;
  /** Content for `path` not yet put into a chunk op. */
  private out = '';
  private ops: FileOp[] = [];

  push(chunk: string): FileOp[] {
    const ops: FileOp[] = [];
    this.ops = ops;
    const n = chunk.length;
    let pos = 0;
    if (n === 0) return ops;
    if (this.streaming || this.partial !== '') {
      const nl = chunk.indexOf('\n');
      if (nl < 0) {
        this.extendPartial(chunk);
        this.flush();
        return ops;
      }
      this.finishPartial(chunk.slice(0, nl));
      pos = nl + 1;
    }
    while (pos < n) {
      if (this.mode === BLOCK || this.mode === TAG_BODY) {
        pos = this.scanContent(chunk, pos);
        continue;
      }
      const nl = chunk.indexOf('\n', pos);
      if (nl < 0) {
        this.extendPartial(chunk.slice(pos));
        break;
      }
      const end = nl > pos && chunk.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
      this.handleLine(chunk.slice(pos, end), '\n');
      pos = nl + 1;
    }
    this.flush();
    return ops;
  }

  end(): FileOp[] {
    const ops: FileOp[] = [];
    this.ops = ops;
    if (this.streaming) {
      this.streaming = false;
      if (this.heldCR) this.content('\r'); // a final line without newline is kept as is
      this.heldCR = false;
    } else if (this.partial !== '') {
      let line = this.partial;
      this.partial = '';
      let eol = '';
      if (line.charCodeAt(line.length - 1) === CR) {
        line = line.slice(0, -1);
        eol = '\r';
      }
      this.handleLine(line, eol);
    }
    if (this.mode === TAG_START) this.content(this.tagHeld);
    if (this.mode !== OUT && this.mode !== TAG_AFTER) this.close(true);
    this.flush();
    this.reset();
    return ops;
  }

  private reset(): void {
    this.mode = OUT;
    this.label = null;
    this.path = null;
    this.partial = '';
    this.streaming = false;
    this.heldCR = false;
    this.out = '';
    this.inTag = false;
    this.tagHeld = '';
    this.nest = false;
    this.depth = 0;
  }

  // ---- content streaming -------------------------------------------------------------------

  /**
   * Fast path inside a block: extend a run over whole content lines (one slice per run) until a
   * line that may close the block, the chunk's end, or a mode change. Returns the new position.
   */
  private scanContent(chunk: string, pos: number): number {
    let runStart = pos;
    const indent = this.fenceIndent;
    for (;;) {
      const nl = chunk.indexOf('\n', pos);
      if (nl < 0) {
        if (pos > runStart) this.emitRun(chunk.slice(runStart, pos));
        this.extendPartial(chunk.slice(pos));
        return chunk.length;
      }
      if (this.mayClose(chunk, pos)) {
        if (pos > runStart) this.emitRun(chunk.slice(runStart, pos));
        const end = nl > pos && chunk.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
        this.handleLine(chunk.slice(pos, end), '\n');
        pos = nl + 1;
        if (this.mode !== BLOCK && this.mode !== TAG_BODY) return pos;
        runStart = pos;
      } else if (indent > 0) {
        const end = nl > pos && chunk.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
        this.content(this.stripIndent(chunk.slice(pos, end)) + '\n');
        pos = nl + 1;
        runStart = pos;
      } else {
        pos = nl + 1;
      }
    }
  }

  private emitRun(run: string): void {
    if (this.path === null) return;
    this.out += run.indexOf('\r') < 0 ? run : run.replace(/\r\n/g, '\n');
  }

  /** Could the (complete or partial) line starting at `i` close the current block? */
  private mayClose(s: string, i: number): boolean {
    let c = s.charCodeAt(i);
    if (this.mode === BLOCK) {
      let k = 0;
      while (c === SPACE && k < 3) {
        c = s.charCodeAt(++i);
        k++;
      }
      return c === this.fenceChar;
    }
    while (c === SPACE || c === TAB) c = s.charCodeAt(++i);
    return c === LT;
  }

  /** A partial line (no newline yet) grew by `text`. Stream it if it is content that cannot close. */
  private extendPartial(text: string): void {
    if (this.streaming) {
      this.streamPiece(text);
      return;
    }
    this.partial += text;
    if (this.mode !== BLOCK && this.mode !== TAG_BODY) return;
    const p = this.partial;
    // Undecided while it is only leading blanks or could still become a fence / </file>.
    let i = 0;
    if (this.mode === BLOCK) {
      while (i < 3 && p.charCodeAt(i) === SPACE) i++;
    } else {
      while (p.charCodeAt(i) === SPACE || p.charCodeAt(i) === TAB) i++;
    }
    if (i >= p.length || this.mayClose(p, 0)) return;
    this.partial = '';
    this.streaming = true;
    this.streamPiece(this.stripIndent(p));
  }

  private streamPiece(text: string): void {
    if (text.length === 0) return;
    if (this.heldCR) {
      this.heldCR = false;
      text = '\r' + text;
    }
    if (text.charCodeAt(text.length - 1) === CR) {
      this.heldCR = true;
      text = text.slice(0, -1);
    }
    this.content(text);
  }

  /** The current partial line ends with `rest` followed by a newline. */
  private finishPartial(rest: string): void {
    if (this.streaming) {
      this.streaming = false;
      let t = rest;
      if (t.length > 0) {
        if (this.heldCR) t = '\r' + t;
        if (t.charCodeAt(t.length - 1) === CR) t = t.slice(0, -1);
      }
      this.heldCR = false; // with an empty rest, the held CR was the CR of CRLF
      this.content(t + '\n');
      return;
    }
    let line = this.partial + rest;
    this.partial = '';
    if (line.charCodeAt(line.length - 1) === CR) line = line.slice(0, -1);
    this.handleLine(line, '\n');
  }

  private stripIndent(line: string): string {
    const n = this.fenceIndent;
    if (n === 0) return line;
    let i = 0;
    while (i < n && line.charCodeAt(i) === SPACE) i++;
    return i === 0 ? line : line.slice(i);
  }

  // ---- line machine ------------------------------------------------------------------------

  /** One complete line, without its newline (trailing CR removed); `eol` is what ended it. */
  private handleLine(line: string, eol: string): void {
    switch (this.mode) {
      case OUT:
        this.outLine(line);
        return;
      case AWAIT_FIRST: {
        if (isClosingFence(line, this.fenceChar, this.fenceLen)) {
          this.mode = OUT;
          return;
        }
        const p = parseCommentPath(line);
        if (p !== null) {
          this.open(p);
          if (this.path !== null && !this.nest) this.nest = isMarkdownBlock(this.fenceInfo, this.path);
        }
        this.mode = BLOCK; // no path comment: a non-file block, skipped to its closing fence
        return;
      }
      case BLOCK:
        if (isClosingFence(line, this.fenceChar, this.fenceLen)) {
          if (this.nest && this.depth > 0) {
            this.depth--;
          } else {
            this.close(false);
            this.mode = this.inTag ? TAG_AFTER : OUT;
            this.inTag = false;
            return;
          }
        } else if (this.nest) {
          const f = parseFence(line);
          if (f !== null && f.char === this.fenceChar && f.len >= this.fenceLen && f.info !== '') this.depth++;
        }
        this.content(this.stripIndent(line) + eol);
        return;
      case TAG_START: {
        if (line.trim() === '') {
          this.tagHeld += line + eol;
          return;
        }
        if (isFileTagClose(line)) {
          this.content(this.tagHeld);
          this.tagHeld = '';
          this.close(false);
          this.mode = OUT;
          return;
        }
        const f = parseFence(line);
        if (f === null) this.content(this.tagHeld); // leading blank lines of a raw body are content
        this.tagHeld = '';
        if (f !== null) {
          this.enterFence(f);
          this.inTag = true;
          this.nest = isMarkdownBlock(f.info, this.path);
          this.mode = BLOCK;
          return;
        }
        this.mode = TAG_BODY;
        this.content(line + eol);
        return;
      }
      case TAG_BODY:
        if (isFileTagClose(line)) {
          this.close(false);
          this.mode = OUT;
          return;
        }
        this.content(line + eol);
        return;
      case TAG_AFTER:
        if (line.trim() === '') return;
        this.mode = OUT;
        if (!isFileTagClose(line)) this.outLine(line); // no </file>: the tag was never closed
        return;
    }
  }

  private outLine(line: string): void {
    let i = 0;
    while (i < 3 && line.charCodeAt(i) === SPACE) i++;
    const c = line.charCodeAt(i);
    if (c === BACKTICK || c === 126) {
      const f = parseFence(line);
      if (f !== null) {
        this.startBlock(f);
        return;
      }
    } else if (c === LT) {
      const tag = parseFileTag(line);
      if (tag !== null) {
        this.label = null;
        this.open(tag);
        this.fenceIndent = 0;
        this.tagHeld = '';
        this.mode = TAG_START;
        return;
      }
    }
    if (line.trim() === '') return; // blank lines keep a pending label
    this.label = parseLabel(line);
  }

  private enterFence(f: Fence): void {
    this.fenceChar = f.char;
    this.fenceLen = f.len;
    this.fenceIndent = f.indent;
    this.fenceInfo = f.info;
    this.depth = 0;
  }

  private startBlock(f: Fence): void {
    this.enterFence(f);
    const label = this.label;
    this.label = null;
    let raw: string | null = null;
    if (label !== null && !(label.weak && weakLabelMismatch(label.path, f.info))) raw = label.path;
    if (raw === null) raw = parseInfoPath(f.info);
    this.nest = isMarkdownBlock(f.info, null);
    this.inTag = false;
    if (raw === null) {
      this.path = null;
      this.mode = AWAIT_FIRST;
      return;
    }
    this.open(raw);
    if (this.path !== null && !this.nest) this.nest = isMarkdownBlock(f.info, this.path);
    this.mode = BLOCK;
  }

  // ---- op emission -------------------------------------------------------------------------

  private content(text: string): void {
    if (this.path !== null) this.out += text;
  }

  private flush(): void {
    if (this.out !== '') {
      if (this.path !== null) this.ops.push({ kind: 'chunk', path: this.path, text: this.out });
      this.out = '';
    }
  }

  private open(raw: string): void {
    this.flush();
    const r = normalizeWorkspacePath(raw);
    if (r.ok) {
      this.path = r.path;
      this.ops.push({ kind: 'open', path: r.path });
    } else {
      this.path = null;
      this.ops.push({ kind: 'refused', path: raw, code: r.code, reason: r.reason });
    }
  }

  private close(truncated: boolean): void {
    if (this.path === null) return;
    this.flush();
    this.ops.push({ kind: 'close', path: this.path, truncated });
    this.path = null;
  }
}

/** Fold a sequence of ops into files (in close order; a path written twice appears twice) and refusals. */
export function foldFileOps(ops: FileOp[]): { files: ExtractedFile[]; refused: { path: string; code: string }[] } {
  const files: ExtractedFile[] = [];
  const refused: { path: string; code: string }[] = [];
  let current: string | null = null;
  let parts: string[] = [];
  for (const op of ops) {
    switch (op.kind) {
      case 'open':
        current = op.path;
        parts = [];
        break;
      case 'chunk':
        if (op.path === current) parts.push(op.text);
        break;
      case 'close':
        if (op.path === current) files.push({ path: op.path, content: parts.join(''), truncated: op.truncated });
        current = null;
        parts = [];
        break;
      case 'refused':
        refused.push({ path: op.path, code: op.code });
        break;
    }
  }
  return { files, refused };
}

/** One-shot convenience: extract the files of a complete answer. */
export function extractFiles(text: string): ExtractedFile[] {
  const x = new FileExtractor();
  const ops = x.push(text);
  for (const op of x.end()) ops.push(op);
  return foldFileOps(ops).files;
}
