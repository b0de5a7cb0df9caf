import type { Task, TaskEventDraft } from '../../../shared/index.js';
import { MacsError } from '../../../shared/index.js';
import { applyEdits, hasEditBlocks, parseEditBlocks, type EditBlock, type EditFailure } from '../edits/index.js';
import { decodeBase64Body, type FileOp } from '../files/index.js';
import type { Workspace } from '../workspace/index.js';
import type { TaskStore } from './task-store.js';

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
    } = {},
  ) {}

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

  async apply(ops: readonly FileOp[]): Promise<void> {
    for (const op of ops) {
      switch (op.kind) {
        case 'open':
          this.open.set(op.path, []);
          if (op.encoding === 'base64') this.base64.add(op.path);
          else this.base64.delete(op.path);
          this.store.upsertFile(this.task.id, { path: op.path, state: 'streaming', size: 0, sha256: null });
          this.emit({ type: 'file.open', data: { path: op.path } });
          break;
        case 'chunk':
          this.open.get(op.path)?.push(op.text);
          this.emit({ type: 'file.chunk', data: { path: op.path, text: op.text } });
          break;
        case 'close':
          await this.close(op.path, op.truncated);
          break;
        case 'refused':
          this.refused.push({ path: op.path, code: op.code, reason: op.reason });
          this.emit({ type: 'file.refused', data: { path: op.path, code: op.code, reason: op.reason } });
          break;
      }
    }
  }

  private async close(path: string, truncated: boolean): Promise<void> {
    const content = (this.open.get(path) ?? []).join('');
    this.open.delete(path);
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
      throw err;
    }
  }
}
