// Prose lines of the line machine: what a complete line between files does (a fence opens a block,
// a label names the next fence, a tag opens a file, a tool call printed as JSON writes one), and the
// JSON scanning that continues over later chunks. Split from extractor-lines.ts to keep both readable.

import { JSON_DONE, JSON_RUNNING, JsonToolScanner } from './extractor-json.js';
import { BlockMachine } from './extractor-blocks.js';
import { BLOCK, JSON_FENCE, JSON_VALUE, OUT, TAG_START, type Mode } from './extractor-lines.js';
import { parseBareLabel, parseProseLabel } from './extractor-loose.js';
import { BACKTICK, parseFence, parseLabel } from './extractor-syntax.js';
import { isWriteCallClose, parseTagOpen, parseWriteCallContent, parseWriteCallOpen, parseWriteCallPath, type TagOpen } from './extractor-tags.js';

export abstract class ProseMachine extends BlockMachine {
  protected outLine(line: string, eol: string): void {
    const f = parseFence(line);
    if (f !== null) {
      this.startBlock(f);
      return;
    }
    const t = line.trim();
    if (t === '') {
      if (this.label?.adjacent) this.label = null; // a bare path line must touch its fence
      return; // blank lines keep a pending label
    }
    if (t[0] === '<' && this.tagLine(line, eol)) return;
    if (this.cline !== null && this.clineLine(line, eol)) return;
    const json = jsonStart(line);
    if (json >= 0) {
      this.label = null;
      this.startJson(line + eol, json, OUT);
      return;
    }
    this.label = parseLabel(line) ?? parseBareLabel(line) ?? parseProseLabel(line);
  }

  private tagLine(line: string, eol: string): boolean {
    const tag = parseTagOpen(line);
    if (tag !== null) {
      this.openTag(tag, eol);
      return true;
    }
    const close = parseWriteCallOpen(line);
    if (close !== null) {
      this.label = null;
      this.cline = close;
      this.clinePath = null;
      return true;
    }
    return false;
  }

  /** Inside a write call (Cline, qwen3-coder XML): its path, then its content tag opens the body. */
  private clineLine(line: string, eol: string): boolean {
    const p = parseWriteCallPath(line);
    if (p !== null) {
      this.clinePath = p; // '' until the next line gives it
      return true;
    }
    const rest = parseWriteCallContent(line);
    if (rest !== null && this.clinePath) {
      const close = this.cline as string;
      this.cline = null;
      this.openTag({ path: this.clinePath, close, loose: true, rest }, eol);
      return true;
    }
    if (isWriteCallClose(line)) {
      this.cline = null;
      return true;
    }
    if (this.clinePath === '' && line.trim() !== '' && !/^\s*</.test(line)) {
      this.clinePath = line.trim();
      return true;
    }
    return /^\s*<\/(?:parameter|path)>\s*$/i.test(line);
  }

  protected openTag(tag: TagOpen, eol: string): void {
    this.label = null;
    if (tag.path !== null) this.open(tag.path);
    else this.path = null; // a tag whose body is not a file: skipped to its closing tag
    this.tagClose = tag.close;
    this.tagLoose = tag.loose;
    this.fenceIndent = 0;
    this.tagHeld = '';
    this.nest = false;
    this.mode = TAG_START;
    if (tag.rest.trim() !== '') this.handleLine(tag.rest, eol);
  }

  /** Scan a JSON value starting at `from` in `text` (a whole line and its end); continues over later chunks if unfinished. */
  protected startJson(text: string, from: number, back: Mode): void {
    const scanner = new JsonToolScanner(this);
    scanner.feed(text, from);
    if (scanner.state === JSON_RUNNING) {
      this.json = scanner;
      this.jsonReturn = back;
      this.mode = JSON_VALUE;
    } else {
      this.mode = back === JSON_FENCE && scanner.state !== JSON_DONE ? BLOCK : back;
    }
  }

  /** JSON_VALUE: feed the scanner; returns where the line machine takes over again. */
  protected scanJson(chunk: string, pos: number): number {
    const scanner = this.json!;
    const end = scanner.feed(chunk, pos);
    if (scanner.state === JSON_RUNNING) return end;
    this.json = null;
    const back = this.jsonReturn;
    if (scanner.state === JSON_DONE) {
      this.mode = back;
      if (end < chunk.length && chunk.charCodeAt(end) === 10) return end + 1;
      this.ignoring = true; // the rest of the line after the value
      return end;
    }
    // Not JSON (a fence, prose, a raw newline in a string): the line machine takes the text from here.
    if (scanner.atLineStart) {
      this.mode = back;
      return end;
    }
    this.mode = back === JSON_FENCE ? BLOCK : back;
    if (chunk.charCodeAt(end) === 10) return end + 1;
    this.ignoring = true;
    return end;
  }
}

/** Where a JSON value printed as text starts in a prose line, or -1: `{` first, `[{`, or `{"` outside backticks. */
function jsonStart(line: string): number {
  const t = line.trimStart();
  const lead = line.length - t.length;
  if (t[0] === '{') return lead;
  if (t[0] === '[' && t.slice(1).trimStart()[0] === '{') return lead;
  let ticks = 0;
  let k = 0;
  for (let i = line.indexOf('{"'); i >= 0; i = line.indexOf('{"', i + 1)) {
    for (; k < i; k++) if (line.charCodeAt(k) === BACKTICK) ticks++;
    if (ticks % 2 === 0) return i; // not inside inline code
  }
  return -1;
}
