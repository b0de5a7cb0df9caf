// Blocks of the line machine whose meaning is decided by what follows: a fence whose first line
// decides whether (and which) file it is (a weak label's content check, a name-only block), and a
// bare fence in a markdown file that may open an example block or end the file.

import { AWAIT_FIRST, AWAIT_NAME, BLOCK, CR, JSON_FENCE, LineMachine, OUT, SPACE, TAB, TAG_AFTER } from './extractor-lines.js';
import { parseBareLabel, parseNameLine, startsDiffOrShell } from './extractor-loose.js';
import {
  isClosingFence,
  isMarkdownBlock,
  parseCommentPath,
  parseFence,
  parseInfoPath,
  parseLabel,
  weakLabelMismatch,
  type Fence,
} from './extractor-syntax.js';

export abstract class BlockMachine extends LineMachine {
  /** In a markdown file: the last non-blank line was a section heading or ended with ':' (a bare fence then opens an example). */
  private mdIntro = false;
  /** Current markdown line: first two non-blank chars and the last one (0 = none yet). */
  private mdFirst = 0;
  private mdSecond = 0;
  private mdLast = 0;
  /** A weak label waiting for the block's first line (AWAIT_FIRST/AWAIT_NAME) before the file opens. */
  private pendingPath: string | null = null;
  /** AWAIT_NAME: the first line, a file name. */
  private nameLine = '';

  protected override reset(): void {
    super.reset();
    this.pendingPath = null;
  }

  protected introducesExample(): boolean {
    return this.mdIntro;
  }

  /**
   * Follow markdown content line by line: remember whether the last non-blank line introduces an
   * example ("## Usage", "Run it with:"). A title ("# App") does not: a README may end right after it.
   */
  protected trackMarkdown(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) {
        if (this.mdFirst !== 0) this.mdIntro = (this.mdFirst === 35 && this.mdSecond === 35) /* ## */ || this.mdLast === 58; /* : */
        this.mdFirst = 0;
        this.mdSecond = 0;
      } else if (c !== SPACE && c !== TAB && c !== CR) {
        if (this.mdFirst === 0) this.mdFirst = c;
        else if (this.mdSecond === 0) this.mdSecond = c;
        this.mdLast = c;
      }
    }
  }

  /** AWAIT_NAME: the line after a first line that was only a file name. */
  protected nameBlockLine(line: string, eol: string): void {
    if (isClosingFence(line, this.fenceChar, this.fenceLen)) {
      // A block holding only a file name names the next fence.
      this.label = { path: this.nameLine.trim(), weak: true };
      this.pendingPath = null;
      this.mode = OUT;
      return;
    }
    if (this.pendingPath === null) {
      this.mode = BLOCK; // a non-file block, skipped
      return;
    }
    this.openPending();
    this.content(this.stripIndent(this.nameLine) + '\n');
    this.handleLine(line, eol);
  }

  /**
   * A line while a bare fence in a markdown file is taken for an example block (`example` holds
   * the lines so far). A bare fence closes the example: it was one, its lines are content. A fence
   * with an info string cannot be inside it (it opens the answer's next block): the bare fence had
   * closed the markdown file, and the held lines are read again as the answer's own lines.
   */
  protected exampleLine(line: string, eol: string): void {
    const held = this.example!;
    if (isClosingFence(line, this.fenceChar, this.fenceLen)) {
      const last = held[held.length - 1];
      if (held.length > 1 && (parseBareLabel(last) !== null || parseLabel(last)?.weak === false)) {
        // "File: app.py" or a bare path right before it: this fence opens the answer's next file.
        this.endExample();
        this.handleLine(line, eol);
        return;
      }
      this.example = null;
      this.content(held.map((l) => this.stripIndent(l) + '\n').join('') + this.stripIndent(line) + eol);
      return;
    }
    const f = parseFence(line);
    if (f !== null && f.info !== '') {
      this.endExample();
      this.handleLine(line, eol);
      return;
    }
    held.push(line);
  }

  /** The held example was not one: its bare fence closed the markdown file; re-read what followed. */
  protected endExample(): void {
    const held = this.example;
    if (held === null) return;
    this.example = null;
    this.close(false);
    this.mode = this.inTag ? TAG_AFTER : OUT;
    this.inTag = false;
    if (held.length > 1) this.replay(held.slice(1).join('\n') + '\n');
  }

  /** The first line of a fence whose file is not open yet (a weak label waits for it, or no label). */
  protected firstLine(line: string, eol: string): void {
    const pending = this.pendingPath;
    if (isClosingFence(line, this.fenceChar, this.fenceLen)) {
      if (pending !== null) {
        this.openPending();
        this.close(false); // an empty file
      }
      this.pendingPath = null;
      this.mode = OUT;
      return;
    }
    if (parseNameLine(line) !== null) {
      this.nameLine = line;
      this.mode = AWAIT_NAME;
      return;
    }
    if (pending !== null) {
      if (startsDiffOrShell(line)) {
        this.pendingPath = null; // a diff or a shell session shown under the file's name, not the file
        this.path = null;
        this.mode = BLOCK;
        return;
      }
      this.openPending();
      this.handleLine(line, eol);
      return;
    }
    const t = line.trimStart();
    if (t[0] === '{' || t[0] === '[') {
      this.startJson(line + eol, line.length - t.length, JSON_FENCE);
      return;
    }
    const p = parseCommentPath(line);
    if (p !== null) {
      this.open(p, this.fenceInfo);
      if (this.path !== null && !this.nest) this.nest = isMarkdownBlock(this.fenceInfo, this.path);
    }
    this.mode = BLOCK; // no path comment: a non-file block, skipped to its closing fence
  }

  private openPending(): void {
    const p = this.pendingPath!;
    this.pendingPath = null;
    this.open(p, this.fenceInfo);
    if (this.path !== null && !this.nest) this.nest = isMarkdownBlock(this.fenceInfo, this.path);
    this.mode = BLOCK;
  }

  protected override enterFence(f: Fence): void {
    super.enterFence(f);
    this.mdIntro = false;
    this.mdFirst = 0;
    this.mdSecond = 0;
  }

  protected startBlock(f: Fence): void {
    this.enterFence(f);
    const label = this.label;
    this.label = null;
    let raw: string | null = null;
    let weak = false;
    if (label !== null && !(label.weak && weakLabelMismatch(label.path, f.info))) {
      raw = label.path;
      weak = label.weak;
    }
    if (raw === null) raw = parseInfoPath(f.info);
    this.nest = isMarkdownBlock(f.info, null);
    this.inTag = false;
    this.path = null;
    if (raw === null || weak) {
      // No path yet, or a weak one: the first line decides (a path comment, a name-only block, a diff).
      this.pendingPath = raw;
      this.mode = AWAIT_FIRST;
      return;
    }
    this.open(raw, f.info);
    if (this.path !== null && !this.nest) this.nest = isMarkdownBlock(f.info, this.path);
    this.mode = BLOCK;
  }

  /** end(): the answer stopped before the pending file's first line was decided. */
  protected endPending(): void {
    if (this.pendingPath === null) return;
    const nameLine = this.mode === AWAIT_NAME ? this.nameLine : null;
    this.openPending();
    if (nameLine !== null) this.content(this.stripIndent(nameLine) + '\n');
  }

}
