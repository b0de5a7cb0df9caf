import type { Task, TaskEventDraft } from '../../../shared/index.js';
import { MacsError } from '../../../shared/index.js';
import type { FileOp } from '../files/index.js';
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

  constructor(
    private readonly task: Task,
    private readonly store: TaskStore,
    private readonly workspace: Workspace,
    private readonly emit: (draft: TaskEventDraft) => void,
  ) {}

  async apply(ops: readonly FileOp[]): Promise<void> {
    for (const op of ops) {
      switch (op.kind) {
        case 'open':
          this.open.set(op.path, []);
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
    try {
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
