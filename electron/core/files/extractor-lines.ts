// The line machine of the incremental extractor: state, what one complete line does in each
// state, and op emission. Streaming (partial lines, chunk scanning) is in extractor.ts.

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
export const OUT = 0; // prose between files
export const AWAIT_FIRST = 1; // inside an unnamed fence: its first line may be a path comment
export const BLOCK = 2; // inside a fenced block (a file, a refused file, or a non-file block that is skipped)
export const TAG_START = 3; // after <file path="..">, before the first non-blank line
export const TAG_BODY = 4; // raw content of a <file> tag, up to </file>
export const TAG_AFTER = 5; // after a fence unwrapped inside a <file> tag, waiting for </file>
export type Mode = 0 | 1 | 2 | 3 | 4 | 5;

export const SPACE = 32;
export const TAB = 9;
export const CR = 13;
export const LT = 60;
/** Marker for "no ops yet in this call"; never returned or mutated. */
const NO_OPS: FileOp[] = [];

export abstract class LineMachine {
  protected mode: Mode = OUT;
  /** A path label seen in prose, applying to the next fence if only blank lines come between. */
  protected label: Label | null = null;
  protected fenceChar = BACKTICK;
  protected fenceLen = 3;
  protected fenceIndent = 0;
  /** Markdown-aware block: ``` + info opens an inner block, so a bare ``` closes that one first. */
  protected nest = false;
  protected depth = 0;
  protected fenceInfo = '';
  /** The current block is a fence unwrapped inside a <file> tag. */
  protected inTag = false;
  /** Held leading blank lines of a <file> tag body (dropped if the body is a fence). */
  protected tagHeld = '';
  /** Normalised path of the open file; null while skipping (no file, or refused). */
  protected path: string | null = null;
  /** The current, incomplete line (not yet classified). */
  protected partial = '';
  /** The current line is known to be content and has been (partly) emitted already. */
  protected streaming = false;
  /** A streamed piece ended in CR: emit it only if the next char is not LF. */
  protected heldCR = false;
  /** Progress of a held partial line towards a possible closing line (see *HoldDecides); -1 = hold to EOL. */
  protected hold = 0;
  /** The rest of the current line is irrelevant (prose, or a line of a skipped block's first line). */
  protected ignoring = false;
  /** Content for `path` not yet put into a chunk op. */
  protected out = '';
  protected ops: FileOp[] = NO_OPS;

  /** This call's ops (a fresh array each call). */
  protected take(): FileOp[] {
    const o = this.ops;
    if (o === NO_OPS) return [];
    this.ops = NO_OPS;
    return o;
  }

  protected emit(op: FileOp): void {
    // Allocated on the first op, as a one-element literal: most pushes emit exactly one op.
    if (this.ops === NO_OPS) this.ops = [op];
    else this.ops.push(op);
  }

  protected reset(): void {
    this.mode = OUT;
    this.label = null;
    this.path = null;
    this.partial = '';
    this.streaming = false;
    this.ignoring = false;
    this.heldCR = false;
    this.out = '';
    this.inTag = false;
    this.tagHeld = '';
    this.nest = false;
    this.depth = 0;
  }

  protected stripIndent(line: string): string {
    const n = this.fenceIndent;
    if (n === 0) return line;
    let i = 0;
    while (i < n && line.charCodeAt(i) === SPACE) i++;
    return i === 0 ? line : line.slice(i);
  }

  // ---- line machine ------------------------------------------------------------------------

  /** One complete line, without its newline (trailing CR removed); `eol` is what ended it. */
  protected handleLine(line: string, eol: string): void {
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

  protected outLine(line: string): void {
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

  protected enterFence(f: Fence): void {
    this.fenceChar = f.char;
    this.fenceLen = f.len;
    this.fenceIndent = f.indent;
    this.fenceInfo = f.info;
    this.depth = 0;
  }

  protected startBlock(f: Fence): void {
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

  protected content(text: string): void {
    if (this.path !== null) this.out += text;
  }

  protected flush(): void {
    if (this.out !== '') {
      if (this.path !== null) this.emit({ kind: 'chunk', path: this.path, text: this.out });
      this.out = '';
    }
  }

  protected open(raw: string): void {
    this.flush();
    const r = normalizeWorkspacePath(raw);
    if (r.ok) {
      this.path = r.path;
      this.emit({ kind: 'open', path: r.path });
    } else {
      this.path = null;
      this.emit({ kind: 'refused', path: raw, code: r.code, reason: r.reason });
    }
  }

  protected close(truncated: boolean): void {
    if (this.path === null) return;
    this.flush();
    this.emit({ kind: 'close', path: this.path, truncated });
    this.path = null;
  }
}
