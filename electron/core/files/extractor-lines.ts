// The line machine of the incremental extractor: state, and what one complete line does in each
// state. Streaming (partial lines, chunk scanning) is in extractor.ts; ops in extractor-ops.ts.

import type { JsonToolScanner } from './extractor-json.js';
import { OpsEmitter } from './extractor-ops.js';
import {
  BACKTICK,
  SPACE,
  isClosingFence,
  isMarkdownBlock,
  parseFence,
  type Fence,
  type Label,
} from './extractor-syntax.js';
import { parseTagOpen, tagCloseAt, type TagOpen } from './extractor-tags.js';

export type { ExtractedFile, FileOp } from './extractor-ops.js';

// States of the line machine.
export const OUT = 0; // prose between files
export const AWAIT_FIRST = 1; // inside a fence that is not open as a file yet: its first line decides
export const BLOCK = 2; // inside a fenced block (a file, a refused file, or a non-file block that is skipped)
export const TAG_START = 3; // after an opening file tag, before the first non-blank line
export const TAG_BODY = 4; // raw content of a file tag, up to its closing tag
export const TAG_AFTER = 5; // after a fence unwrapped inside a file tag, waiting for the closing tag
export const AWAIT_NAME = 6; // the fence's first line was a file name: a name-only block if the fence closes now
export const JSON_VALUE = 7; // inside a JSON value printed as text (a tool call?), see extractor-json.ts
export const JSON_FENCE = 8; // inside an unnamed fence holding JSON values, between values
export type Mode = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

export { SPACE, TAB } from './extractor-syntax.js';
export const CR = 13;
export const LT = 60;

export abstract class LineMachine extends OpsEmitter {
  protected mode: Mode = OUT;
  /** A path label seen in prose, applying to the next fence if only blank lines come between. */
  protected label: Label | null = null;
  protected fenceChar = BACKTICK;
  protected fenceLen = 3;
  protected fenceIndent = 0;
  /** Markdown-aware block: ``` + info opens an inner block, so a bare ``` closes that one first. */
  protected nest = false;
  protected depth = 0;
  /** Lines held since a bare fence in a markdown file that may open an example block (the fence first), or null. */
  protected example: string[] | null = null;
  protected fenceInfo = '';
  /** The current block is a fence unwrapped inside a file tag. */
  protected inTag = false;
  /** The open tag's closing tag name, and whether it may end a content line. */
  protected tagClose = 'file';
  protected tagLoose = false;
  /** A write call is open (Cline's <write_to_file>, qwen3-coder's <function=write_file>): its content's closing tag, and the path seen so far. */
  protected cline: string | null = null;
  protected clinePath: string | null = null;
  /** Held leading blank lines of a tag body (dropped if the body is a fence). */
  protected tagHeld = '';
  protected json: JsonToolScanner | null = null;
  protected jsonReturn: Mode = OUT;
  /** The current, incomplete line (not yet classified). */
  protected partial = '';
  /** The current line is known to be content and has been (partly) emitted already. */
  protected streaming = false;
  /** A streamed piece ended in CR: emit it only if the next char is not LF. */
  protected heldCR = false;
  /** Progress of a held partial line towards a possible closing line (see *HoldDecides); -1 = hold to EOL. */
  protected hold = 0;
  /** The rest of the current line is irrelevant. */
  protected ignoring = false;

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
    this.cline = null;
    this.clinePath = null;
    this.json = null;
    this.example = null;
  }

  protected stripIndent(line: string): string {
    const n = this.fenceIndent;
    if (n === 0) return line;
    let i = 0;
    while (i < n && line.charCodeAt(i) === SPACE) i++;
    return i === 0 ? line : line.slice(i);
  }

  protected watchingMarkdown(): boolean {
    return this.nest && this.depth === 0;
  }

  // ---- line machine ------------------------------------------------------------------------

  /** One complete line, without its newline (trailing CR removed); `eol` is what ended it. */
  protected handleLine(line: string, eol: string): void {
    switch (this.mode) {
      case OUT:
        this.outLine(line, eol);
        return;
      case AWAIT_FIRST:
        this.firstLine(line, eol);
        return;
      case AWAIT_NAME:
        this.nameBlockLine(line, eol);
        return;
      case BLOCK:
        if (this.example !== null) {
          this.exampleLine(line, eol);
          return;
        }
        if (isClosingFence(line, this.fenceChar, this.fenceLen)) {
          if (this.nest && this.depth > 0) {
            this.depth--;
          } else if (this.nest && this.introducesExample() && this.path !== null) {
            // "## Usage" / "Run:" then a bare fence: probably an example block inside the markdown
            // file, but it may also be the file's end. Its lines are held until that is known.
            this.example = [line];
            return;
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
        if (this.tagEnds(line, eol)) {
          this.tagHeld = '';
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
        if (this.tagEnds(line, eol)) return;
        if (this.tagLoose && line.trimStart().startsWith('<')) {
          // Models forget closing tags: the next file's opening tag ends this file.
          const next = parseTagOpen(line);
          if (next !== null && next.loose) {
            this.close(false);
            this.openTag(next, eol);
            return;
          }
        }
        this.content(line + eol);
        return;
      case TAG_AFTER:
        if (line.trim() === '') return;
        this.mode = OUT;
        if (tagCloseAt(line, this.tagClose, false) < 0) this.outLine(line, eol); // the tag was never closed
        return;
      case JSON_FENCE: {
        if (isClosingFence(line, this.fenceChar, this.fenceLen)) {
          this.mode = OUT;
          return;
        }
        const t = line.trim();
        if (t === '' || t === ',') return;
        if (t[0] === '{' || t[0] === '[') this.startJson(line + eol, line.indexOf(t[0]), JSON_FENCE);
        else this.mode = BLOCK; // not JSON after all: the rest of the block is skipped
        return;
      }
    }
  }

  /** A line in a tag body: if it closes the tag, emit what precedes the closing tag and close. */
  private tagEnds(line: string, eol: string): boolean {
    const at = tagCloseAt(line, this.tagClose, this.tagLoose);
    if (at < 0) return false;
    if (this.mode === TAG_START) this.content(this.tagHeld);
    if (at > 0) this.content(line.slice(0, at) + (eol === '' ? '' : '\n'));
    this.close(false);
    this.mode = OUT;
    return true;
  }

  // Implemented by the layers above: blocks and markdown (extractor-blocks.ts), prose (extractor-prose.ts).
  protected abstract firstLine(line: string, eol: string): void;
  protected abstract nameBlockLine(line: string, eol: string): void;
  protected abstract exampleLine(line: string, eol: string): void;
  protected abstract introducesExample(): boolean;
  /** Feed text again through the whole machine, as if it came now (FileExtractor.feed). */
  protected abstract replay(text: string): void;
  /** A complete line of prose (OUT): labels, fences, tags, tool calls (extractor-prose.ts). */
  protected abstract outLine(line: string, eol: string): void;
  /** Open a file tag's body (extractor-prose.ts). */
  protected abstract openTag(tag: TagOpen, eol: string): void;
  /** Scan a JSON value starting at `from` in `text` (extractor-prose.ts). */
  protected abstract startJson(text: string, from: number, back: Mode): void;

  protected enterFence(f: Fence): void {
    this.fenceChar = f.char;
    this.fenceLen = f.len;
    this.fenceIndent = f.indent;
    this.fenceInfo = f.info;
    this.depth = 0;
  }

  protected endJson(): void {
    this.json?.end();
    this.json = null;
  }
}
