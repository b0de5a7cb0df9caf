import type { ErrorPayload, Task, TaskEventDraft } from '../../../shared/index.js';
import { MacsError } from '../../../shared/index.js';
import { applyEdits, hasEditBlocks, parseEditBlocks, type EditBlock, type EditFailure } from '../edits/index.js';
import { decodeBase64Body, type FileOp } from '../files/index.js';
import type { Workspace } from '../project-folder/index.js';
import type { TaskStore } from './task-store.js';
import { CaseCollisions, caseCollisionMessage } from './case-collisions.js';
import { cutToBytes, DEFAULT_OUTPUT_LIMITS, formatBytes, LIVE_FILE_BYTES, OutputCounter, type OutputLimits } from './output-limits.js';

export interface WrittenFile {
  path: string;
  size: number;
  sha256: string;
  truncated: boolean;
}

/**
 * Applies the extractor's file operations to a task: events for the live view, the
 * task_files rows, and a guarded write into the workspace when a file closes. Shared by
 * the chat runner and the build pipeline's implement/docs/fix steps.
 */
export class FileSink {
  private readonly open = new Map<string, string[]>();
  /** Files closed through this sink, in order (a path written twice appears once, last write wins). */
  readonly written = new Map<string, WrittenFile>();
  readonly refused: Array<{ path: string; code: string; reason: string }> = [];
  /** SEARCH/REPLACE blocks that did not apply (folder workspaces): the caller may retry once. */
  readonly editFailures: EditFailure[] = [];
  /** Paths changed through SEARCH/REPLACE blocks (not rewritten whole). */
  readonly edited = new Set<string>();
  /** Open paths whose streamed text is base64 of a binary file (decoded to bytes when it closes). */
  private readonly base64 = new Set<string>();
  /** Content bytes kept per open file, bytes of it sent live, and files cut at the per-file cap. */
  private readonly keptBytes = new Map<string, number>();
  private readonly liveBytes = new Map<string, number>();
  private readonly cut = new Set<string>();
  /** Every path cut at the per-file cap during this run (cut is per open file, this is for the summary). */
  private readonly cutPaths = new Set<string>();
  /** Bytes of file content the task kept (the per-task cap counts these; shared across a build's sinks). */
  private readonly taskOutput: OutputCounter;
  /** Set once the per-task cap is reached: nothing more is written, the run ends with it. */
  private stopped: MacsError | null = null;
  private readonly limits: OutputLimits;
  private readonly caseCollisions = new CaseCollisions();

  constructor(
    private readonly task: Task,
    private readonly store: TaskStore,
    private readonly workspace: Workspace,
    private readonly emit: (draft: TaskEventDraft) => void,
    private readonly hooks: {
      /** Called before the first write of each path (the undo snapshot of a folder workspace). */
      beforeWrite?: (path: string) => Promise<void>;
      /** Existing files may be edited with SEARCH/REPLACE blocks instead of being rewritten whole. */
      editBlocks?: boolean;
      /** Caps on model output (Settings); defaults: 20 MB a file, 200 MB a task. */
      limits?: OutputLimits;
      /** The task's running total, when the task writes through more than one sink (a build). */
      taskOutput?: OutputCounter;
    } = {},
  ) {
    this.limits = hooks.limits ?? DEFAULT_OUTPUT_LIMITS;
    this.taskOutput = hooks.taskOutput ?? new OutputCounter();
  }

  /**
   * The file open now, if its live events have reached LIVE_FILE_BYTES: its text goes to
   * disk only. The caller's answer deltas may then skip that text too (see chat-runner).
   */
  streamingToDiskOnly(): string | null {
    for (const [path, live] of this.liveBytes) if (this.open.has(path) && live >= LIVE_FILE_BYTES) return path;
    return null;
  }

  /**
   * Blocks the model wrote outside a file's fence (a bare "File:" line, then the markers):
   * applied after the answer, skipping paths already edited inside fences.
   */
  async applyLooseEdits(answer: string): Promise<void> {
    if (!this.hooks.editBlocks || !hasEditBlocks(answer)) return;
    const blocks = parseEditBlocks(answer).blocks.filter((b) => !this.edited.has(b.path) && !this.written.has(b.path));
    if (blocks.length) await this.applyBlocks(blocks);
  }

  private async applyBlocks(blocks: EditBlock[]): Promise<void> {
    const current = new Map<string, string | null>();
    for (const path of new Set(blocks.map((b) => b.path))) {
      const read = await this.workspace.readFile(path).catch(() => null);
      current.set(path, read && !read.binary ? read.content : null);
    }
    const result = applyEdits((p) => current.get(p), blocks);
    this.editFailures.push(...result.failures);
    for (const [path, content] of result.changed) {
      this.edited.add(path);
      await this.writeWhole(path, content, false);
    }
    for (const f of result.failures) {
      this.emit({ type: 'log', data: { level: 'warn', message: `${f.path}: an edit block did not apply (${f.kind === 'no-match' ? 'its SEARCH text is not in the file' : f.kind === 'ambiguous' ? `its SEARCH text occurs ${f.lines.length} times` : 'the file does not exist'}).` } });
    }
  }

  /**
   * The attempt failed (not a Stop): apply what the extractor flushed, but a file the failure
   * cut off is not a result. An empty one is not written at all; in the user's own folder
   * (beforeWrite) a half file would replace theirs, so it is not written either and their file
   * stays as it was. Elsewhere the half file is kept, marked truncated. Each skip is a refusal
   * event, so the user sees why the file is missing.
   */
  async applyAfterFailure(ops: readonly FileOp[], cause: string): Promise<void> {
    const pending: FileOp[] = [];
    for (const op of ops) {
      if (op.kind === 'close' && op.truncated && this.open.has(op.path)) {
        await this.apply(pending.splice(0));
        const content = (this.open.get(op.path) ?? []).join('');
        if (content.length === 0 || this.hooks.beforeWrite) {
          this.abandon(op.path, cause);
          continue;
        }
      }
      pending.push(op);
    }
    await this.apply(pending);
  }

  private abandon(path: string, cause: string): void {
    this.open.delete(path);
    this.store.removeFile(this.task.id, path);
    const kept = this.hooks.beforeWrite ? ' Your file is unchanged.' : '';
    const reason = `The answer broke off (${cause}) before this file was complete, so it was not written.${kept}`;
    this.refused.push({ path, code: 'CUT_OFF_BY_FAILURE', reason });
    this.emit({ type: 'file.refused', data: { path, code: 'CUT_OFF_BY_FAILURE', reason } });
  }

  async apply(ops: readonly FileOp[]): Promise<void> {
    // Past the per-task cap nothing more is written (the runner ends the task with the error).
    if (this.stopped) return;
    for (const op of ops) {
      switch (op.kind) {
        case 'open':
          this.open.set(op.path, []);
          if (op.encoding === 'base64') this.base64.add(op.path);
          else this.base64.delete(op.path);
          this.keptBytes.set(op.path, 0);
          this.liveBytes.set(op.path, 0);
          this.cut.delete(op.path);
          this.store.upsertFile(this.task.id, { path: op.path, state: 'streaming', size: 0, sha256: null });
          this.emit({ type: 'file.open', data: { path: op.path } });
          this.warnCaseCollision(op.path);
          break;
        case 'chunk': {
          const kept = this.keep(op.path, op.text);
          if (kept.text) {
            this.open.get(op.path)?.push(kept.text);
            this.emitLive(op.path, kept.text, kept.bytes);
          }
          if (this.stopped) {
            await this.close(op.path, true); // what fitted is kept, marked truncated
            throw this.stopped;
          }
          break;
        }
        case 'close':
          await this.close(op.path, op.truncated || this.cut.has(op.path));
          break;
        case 'refused':
          this.refused.push({ path: op.path, code: op.code, reason: op.reason });
          this.emit({ type: 'file.refused', data: { path: op.path, code: op.code, reason: op.reason } });
          break;
      }
    }
  }

  private warnCaseCollision(path: string): void {
    const collision = this.caseCollisions.check(path);
    if (collision) this.emit({ type: 'log', data: { level: 'warn', message: caseCollisionMessage(collision) } });
  }

  /**
   * Every file of the answer was refused and none written: not a plain success. The error
   * lists the refusals (the UI and REST show the task's error); null otherwise.
   */
  allRefusedError(): MacsError | null {
    if (this.refused.length === 0 || this.written.size > 0 || this.edited.size > 0) return null;
    const n = this.refused.length;
    return new MacsError(
      'FILES_REFUSED',
      `All ${n} file${n === 1 ? '' : 's'} the model wrote ${n === 1 ? 'was' : 'were'} refused, so nothing was written: ${this.refused.map((r) => `${r.path} (${r.reason})`).join('; ')}`.slice(0, 2000),
      { refused: this.refused.slice(0, 100) },
    );
  }

  /** Files cut at the per-file cap: a warning for the task (it succeeds, but not whole). */
  cutFilesWarning(): ErrorPayload | null {
    const paths = [...this.written.values()].filter((f) => this.cutPaths.has(f.path)).map((f) => f.path);
    if (paths.length === 0) return null;
    const max = formatBytes(this.limits.maxFileBytes);
    return {
      code: 'FILE_TOO_LARGE',
      message: `${paths.length === 1 ? `${paths[0]} was` : `${paths.length} files were`} cut at ${max}, the per-file limit (Settings → Max file size); the rest was not saved.`,
      details: { paths, maxFileBytes: this.limits.maxFileBytes },
    };
  }

  /** The part of `text` the caps let through for `path` (all of it, usually), and its size in bytes. */
  private keep(path: string, text: string): { text: string; bytes: number } {
    if (this.cut.has(path)) return { text: '', bytes: 0 };
    const bytes = Buffer.byteLength(text);
    const fileRoom = this.limits.maxFileBytes - (this.keptBytes.get(path) ?? 0);
    const taskRoom = this.limits.maxTaskOutputBytes - this.taskOutput.bytes;
    let kept = text;
    if (bytes > Math.min(fileRoom, taskRoom)) {
      kept = cutToBytes(text, Math.min(fileRoom, taskRoom));
      if (taskRoom <= fileRoom) {
        const max = this.limits.maxTaskOutputBytes;
        this.emit({ type: 'log', data: { level: 'error', message: `The model's files passed the per-task output limit of ${formatBytes(max)} (Settings → Max output per task): ${path} was cut there and nothing after it was written.` } });
        this.stopped = new MacsError('OUTPUT_TOO_LARGE', `The model wrote more than the per-task output limit of ${formatBytes(max)}; the files up to there are kept, ${path} is cut.`, {
          maxTaskOutputBytes: max,
          path,
        });
      } else {
        this.cut.add(path);
        this.cutPaths.add(path);
        this.emit({ type: 'log', data: { level: 'warn', message: `${path} was cut at ${formatBytes(this.limits.maxFileBytes)}, the per-file limit (Settings → Max file size); the rest of it was not saved.` } });
      }
    }
    const keptBytes = kept === text ? bytes : Buffer.byteLength(kept);
    this.keptBytes.set(path, (this.keptBytes.get(path) ?? 0) + keptBytes);
    this.taskOutput.bytes += keptBytes;
    return { text: kept, bytes: keptBytes };
  }

  /** file.chunk events carry a file's first LIVE_FILE_BYTES, then say once that the rest goes to disk only. */
  private emitLive(path: string, text: string, bytes: number): void {
    const live = this.liveBytes.get(path) ?? 0;
    if (live >= LIVE_FILE_BYTES) return;
    if (live + bytes <= LIVE_FILE_BYTES) {
      this.emit({ type: 'file.chunk', data: { path, text } });
      this.liveBytes.set(path, live + bytes);
      return;
    }
    const head = cutToBytes(text, LIVE_FILE_BYTES - live);
    if (head) this.emit({ type: 'file.chunk', data: { path, text: head } });
    this.emit({ type: 'file.chunk', data: { path, text: `\n[… ${path} continues on disk; the whole file is shown once it is written …]\n` } });
    this.liveBytes.set(path, LIVE_FILE_BYTES);
  }

  private async close(path: string, truncated: boolean): Promise<void> {
    const content = (this.open.get(path) ?? []).join('');
    this.open.delete(path);
    this.liveBytes.delete(path);
    this.keptBytes.delete(path);
    if (this.base64.delete(path)) {
      const bytes = decodeBase64Body(content);
      if (bytes) await this.writeWhole(path, bytes, truncated);
      else {
        const reason = `The block for ${path} was meant to hold base64-encoded bytes but is not valid base64; nothing was written.`;
        this.store.upsertFile(this.task.id, { path, state: 'truncated', size: 0, sha256: null });
        this.refused.push({ path, code: 'INVALID_BASE64', reason });
        this.emit({ type: 'file.refused', data: { path, code: 'INVALID_BASE64', reason } });
      }
      return;
    }
    if (this.hooks.editBlocks && !truncated && hasEditBlocks(content)) {
      const parsed = parseEditBlocks(`File: ${path}\n${content}`);
      if (parsed.blocks.length) {
        // The streamed text was edit blocks, not the file: the file on disk is the result of applying them.
        await this.applyBlocks(parsed.blocks.map((b) => ({ ...b, path })));
        if (!this.written.has(path)) {
          // Nothing applied: the file stays as it was, and the live view is told why.
          const before = await this.workspace.readFile(path).catch(() => null);
          this.store.upsertFile(this.task.id, { path, state: 'written', size: before?.size ?? 0, sha256: null });
          this.emit({ type: 'file.refused', data: { path, code: 'EDIT_NOT_APPLIED', reason: 'The edit blocks for this file did not match its content; it was left unchanged.' } });
        }
        return;
      }
    }
    await this.writeWhole(path, content, truncated);
  }

  private async writeWhole(path: string, content: string | Uint8Array, truncated: boolean): Promise<void> {
    try {
      await this.hooks.beforeWrite?.(path);
      const written = await this.workspace.writeFile(path, content);
      this.store.upsertFile(this.task.id, { path, state: truncated ? 'truncated' : 'written', size: written.size, sha256: written.sha256 });
      this.written.delete(path);
      this.written.set(path, { path, size: written.size, sha256: written.sha256, truncated });
      this.emit({ type: 'file.close', data: { path, size: written.size, sha256: written.sha256, truncated } });
    } catch (err) {
      // A symlink planted in the workspace can make a clean-looking path leave it: refuse visibly, go on.
      if (err instanceof MacsError && err.code === 'PATH_OUTSIDE_WORKSPACE') {
        this.store.upsertFile(this.task.id, { path, state: 'truncated', size: 0, sha256: null });
        this.refused.push({ path, code: err.code, reason: err.message });
        this.emit({ type: 'file.refused', data: { path, code: err.code, reason: err.message } });
        return;
      }
      // The path clashes with what is on disk (a file where a folder is needed, a folder where the
      // file goes) or is too long for it: this file is refused visibly, the others are still written.
      const clash = pathClash(err, path);
      if (clash) {
        this.store.upsertFile(this.task.id, { path, state: 'truncated', size: 0, sha256: null });
        this.refused.push({ path, ...clash });
        this.emit({ type: 'file.refused', data: { path, ...clash } });
        return;
      }
      throw err;
    }
  }
}

function pathClash(err: unknown, path: string): { code: string; reason: string } | null {
  const errno = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';
  if (errno === 'EEXIST' || errno === 'ENOTDIR') return { code: 'PATH_CONFLICT', reason: `A folder in "${path}" is already a file, so this file was not written.` };
  if (errno === 'EISDIR') return { code: 'PATH_CONFLICT', reason: `"${path}" is already a folder, so this file was not written.` };
  if (errno === 'ENAMETOOLONG') return { code: 'TOO_LONG', reason: `"${path}" is too long for the file system here, so this file was not written.` };
  return null;
}
