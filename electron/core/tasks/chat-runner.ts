import type { Task, TaskEventDraft } from '../../../shared/index.js';
import { MacsError, toErrorPayload, type ErrorPayload } from '../../../shared/index.js';
import { FileExtractor, type FileOp } from '../files/index.js';
import { buildChatMessages, isAbortError, type ModelProvider } from '../llm/index.js';
import { Workspace } from '../workspace/index.js';
import type { TaskStore } from './task-store.js';

export interface ChatRunContext {
  task: Task;
  store: TaskStore;
  provider: ModelProvider;
  signal: AbortSignal;
  /** Queue an event for the task's next frame. */
  emit: (draft: TaskEventDraft) => void;
}

/** How the attempt ended; the queue worker turns it into a transition (or a retry). */
export type RunOutcome = { status: 'succeeded' } | { status: 'cancelled' } | { status: 'failed'; error: ErrorPayload };

/**
 * One chat task: stream the answer, turn it into files as it arrives, write each
 * file when it closes. Whatever ends the stream (done, Stop, a dropped connection)
 * the files that arrived are kept; a file cut off mid-way is written and marked truncated.
 */
export async function runChatTask(ctx: ChatRunContext): Promise<RunOutcome> {
  const { task, store, provider, signal, emit } = ctx;
  const workspace = await Workspace.open(task.workspacePath);
  const extractor = new FileExtractor();
  const openFiles = new Map<string, string[]>();

  async function apply(ops: FileOp[]): Promise<void> {
    for (const op of ops) {
      switch (op.kind) {
        case 'open':
          openFiles.set(op.path, []);
          store.upsertFile(task.id, { path: op.path, state: 'streaming', size: 0, sha256: null });
          emit({ type: 'file.open', data: { path: op.path } });
          break;
        case 'chunk':
          openFiles.get(op.path)?.push(op.text);
          emit({ type: 'file.chunk', data: { path: op.path, text: op.text } });
          break;
        case 'close':
          await closeFile(op.path, op.truncated);
          break;
        case 'refused':
          emit({ type: 'file.refused', data: { path: op.path, code: op.code, reason: op.reason } });
          break;
      }
    }
  }

  async function closeFile(path: string, truncated: boolean): Promise<void> {
    const content = (openFiles.get(path) ?? []).join('');
    openFiles.delete(path);
    try {
      const written = await workspace.writeFile(path, content);
      store.upsertFile(task.id, { path, state: truncated ? 'truncated' : 'written', size: written.size, sha256: written.sha256 });
      emit({ type: 'file.close', data: { path, size: written.size, sha256: written.sha256, truncated } });
    } catch (err) {
      // A symlink planted in the workspace can make a clean-looking path leave it: refuse visibly, go on.
      if (err instanceof MacsError && err.code === 'PATH_OUTSIDE_WORKSPACE') {
        store.upsertFile(task.id, { path, state: 'truncated', size: 0, sha256: null });
        emit({ type: 'file.refused', data: { path, code: err.code, reason: err.message } });
        return;
      }
      throw err;
    }
  }

  try {
    const stream = provider.chatStream({ model: task.model, messages: buildChatMessages(task.prompt), numCtx: task.numCtx, signal });
    for await (const chunk of stream) {
      if (chunk.type === 'token') {
        emit({ type: 'delta', data: { text: chunk.text } });
        await apply(extractor.push(chunk.text));
      } else {
        store.addEvalTokens(task.id, chunk.evalTokens);
        const { promptTokens, evalTokens, evalDurationMs, totalDurationMs, doneReason } = chunk;
        emit({ type: 'usage', data: { promptTokens, evalTokens, evalDurationMs, totalDurationMs, doneReason } });
        if (chunk.doneReason === 'length') {
          emit({ type: 'log', data: { level: 'warn', message: `The answer hit the context limit (num_ctx ${task.numCtx}) and was cut off.` } });
        }
      }
    }
    await apply(extractor.end());
    return { status: 'succeeded' };
  } catch (err) {
    const cancelled = signal.aborted || isAbortError(err);
    try {
      await apply(extractor.end());
    } catch (flushErr) {
      emit({ type: 'log', data: { level: 'error', message: `Could not save the last file: ${toErrorPayload(flushErr).message}` } });
    }
    return cancelled ? { status: 'cancelled' } : { status: 'failed', error: toErrorPayload(err) };
  }
}
