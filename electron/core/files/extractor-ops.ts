// File operations the extractor emits, and the emitting half of its state (the open file, the
// content not yet put into a chunk op). The line machine (extractor-lines.ts) builds on this.

import { isBase64Block } from './extractor-binary.js';
import type { JsonFileTarget } from './extractor-json.js';
import { normalizeWorkspacePath } from './paths.js';

export type FileOp =
  /** `encoding: 'base64'`: the chunks are base64 text of a binary file; decode before writing. */
  | { kind: 'open'; path: string; encoding?: 'base64' }
  | { kind: 'chunk'; path: string; text: string }
  | { kind: 'close'; path: string; truncated: boolean }
  | { kind: 'refused'; path: string; code: string; reason: string };

/** A folded file; `bytes` is set for base64 files (the decoded content; absent if the text is not base64). */
export type ExtractedFile = { path: string; content: string; truncated: boolean; encoding?: 'base64'; bytes?: Uint8Array };

/** A refused path is reported with at most this many characters. */
const MAX_SHOWN_PATH = 300;

/** Marker for "no ops yet in this call"; never returned or mutated. */
const NO_OPS: FileOp[] = [];

export abstract class OpsEmitter implements JsonFileTarget {
  /** Normalised path of the open file; null while skipping (no file, or refused). */
  protected path: string | null = null;
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

  /** Inside a markdown file: the content is watched line by line (see LineMachine.trackMarkdown). */
  protected abstract watchingMarkdown(): boolean;
  protected abstract trackMarkdown(text: string): void;

  protected content(text: string): void {
    if (this.path === null) return;
    if (this.watchingMarkdown()) this.trackMarkdown(text);
    this.out += text;
  }

  protected flush(): void {
    if (this.out !== '') {
      if (this.path !== null) this.emit({ kind: 'chunk', path: this.path, text: this.out });
      this.out = '';
    }
  }

  /** Open a file (or refuse its path). `info`: the fence's info string, when the file is a fenced block. */
  protected open(raw: string, info: string | null = null): void {
    this.flush();
    const r = normalizeWorkspacePath(raw, { modelOutput: true });
    if (r.ok) {
      this.path = r.path;
      this.emit(info !== null && isBase64Block(info, r.path) ? { kind: 'open', path: r.path, encoding: 'base64' } : { kind: 'open', path: r.path });
    } else {
      this.path = null;
      // Shortened: a hostile 5 MB "path" must not be copied into events, the task log and the DB.
      const shown = raw.length > MAX_SHOWN_PATH ? `${raw.slice(0, MAX_SHOWN_PATH)}…` : raw;
      this.emit({ kind: 'refused', path: shown, code: r.code, reason: r.reason });
    }
  }

  protected close(truncated: boolean): void {
    if (this.path === null) return;
    this.flush();
    this.emit({ kind: 'close', path: this.path, truncated });
    this.path = null;
  }

  // JsonFileTarget: tool calls printed as text open files through the same path rules.
  openFile(rawPath: string): boolean {
    this.open(rawPath);
    return this.path !== null;
  }

  fileContent(text: string): void {
    this.content(text);
  }

  closeFile(truncated: boolean): void {
    this.close(truncated);
  }
}
