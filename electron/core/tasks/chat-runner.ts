import type { Task, TaskEventDraft } from '../../../shared/index.js';
import { toErrorPayload, type ErrorPayload } from '../../../shared/index.js';
import { FileExtractor, describeNamedBlocks, nameCodeBlocks, namedBlockOps, type FileOp } from '../files/index.js';
import { formatEditFailuresForRetry } from '../edits/index.js';
import { buildChatMessages, buildFolderChatMessages, contextOverflow, continueCutOffAnswer, describeContextOverflow, describeRemoteTruncation, isAbortError, remoteTruncation, type ChatProvider, type ContextOverflowKind, type ThinkValue } from '../llm/index.js';
import { Workspace } from '../project-folder/index.js';
import { TURN_SYSTEM_PROMPT, buildTurnMessages, type TurnContext } from '../projects/context/index.js';
import { FileSink } from './file-sink.js';
import { AnswerDeltas } from './answer-deltas.js';
import { DEFAULT_OUTPUT_LIMITS, type OutputLimits } from './output-limits.js';
import type { TaskStore } from './task-store.js';

export interface ChatRunContext {
  task: Task;
  /** Caps on model output (Settings: maxFileBytes, maxTaskOutputBytes). */
  limits?: OutputLimits;
  store: TaskStore;
  /**
   * The turn's provider: the one the task's model reference names, with the chat route's targets
   * as fallbacks (providers/fallback-chat.ts), which sends each request to its own model.
   */
  provider: ChatProvider;
  signal: AbortSignal;
  /** Queue an event for the task's next frame. */
  emit: (draft: TaskEventDraft) => void;
  /** Ollama's `think` for this model (only when its capabilities have "thinking"). */
  think?: ThinkValue;
  /** Ollama's keep_alive (Settings → keepAliveMinutes): the model stays loaded for the next turn. */
  keepAlive?: string | number;
  /** A folder the user opened: the model sees the chosen files and edits in place; every write is snapshotted first. */
  folder?: {
    contextFiles: ReadonlyArray<{ path: string; content: string }>;
    beforeWrite: (path: string) => Promise<void>;
    /** A later turn of a project (prepareTurnContext): the earlier turns and the map of the files not shown. */
    turn?: Pick<TurnContext, 'turns' | 'map'>;
  };
}

/** How the attempt ended; the queue worker turns it into a transition (or a retry). */
/** cancelled may say why (the whole-task time budget ran out); a plain Stop has no error. */
/** succeeded may carry a warning (CONTEXT_OVERFLOW: the answer outgrew num_ctx), stored as the task's error and shown. */
export type RunOutcome = { status: 'succeeded'; warning?: ErrorPayload } | { status: 'cancelled'; error?: ErrorPayload } | { status: 'failed'; error: ErrorPayload };

/**
 * One chat task: stream the answer, turn it into files as it arrives, write each
 * file when it closes. Whatever ends the stream (done, Stop, a dropped connection)
 * the files that arrived are kept; a file cut off mid-way is written and marked truncated.
 */
export async function runChatTask(ctx: ChatRunContext): Promise<RunOutcome> {
  const { task, store, provider, signal, emit } = ctx;
  const workspace = await Workspace.open(task.workspacePath);
  const folder = ctx.folder;
  const limits = ctx.limits ?? DEFAULT_OUTPUT_LIMITS;
  const sink = new FileSink(task, store, workspace, emit, { ...(folder ? { beforeWrite: folder.beforeWrite, editBlocks: true } : {}), limits });
  let extractor = new FileExtractor();
  const apply = (ops: FileOp[]) => sink.apply(ops);
  const messages = folder?.turn
    ? // What stays the same first (system, files, the conversation so far), the new prompt last.
      buildTurnMessages(TURN_SYSTEM_PROMPT, { files: folder.contextFiles, map: folder.turn.map, turns: folder.turn.turns }, task.prompt)
    : folder
      ? buildFolderChatMessages(task.prompt, folder.contextFiles)
      : buildChatMessages(task.prompt);
  /** The answer outgrew the window (cut off, or Ollama shifted the context): not a clean success. */
  let overflow: { kind: ContextOverflowKind; message: string; promptTokens: number; evalTokens: number } | null = null;

  /** One answer, streamed into files; returns its text. */
  async function stream(msgs: typeof messages): Promise<string> {
    let answer = '';
    const deltas = new AnswerDeltas(sink, emit, limits.maxTaskOutputBytes);
    // An answer cut off at num_ctx is continued within the window (llm/continue-stream.ts).
    const onContinue = ({ continuation, of }: { continuation: number; of: number }) =>
      emit({ type: 'log', data: { level: 'info', message: `The answer reached the context limit (num_ctx ${task.numCtx}); asking the model to continue where it stopped (${continuation} of ${of}).` } });
    const chunks = continueCutOffAnswer(provider, { model: task.model, messages: msgs, numCtx: task.numCtx, signal, think: ctx.think, keepAlive: ctx.keepAlive }, { onContinue });
    for await (const chunk of chunks) {
      if (chunk.type === 'thinking') {
        // Reasoning is shown and stored, never given to the extractor: a draft is not a file.
        emit({ type: 'thinking', data: { text: chunk.text } });
      } else if (chunk.type === 'token') {
        answer += chunk.text;
        const ops = extractor.push(chunk.text);
        deltas.push(chunk.text, ops); // the delta (minus big files' text, which goes to disk only)
        await apply(ops);
      } else {
        const { promptTokens, evalTokens, evalDurationMs, totalDurationMs, doneReason } = chunk;
        emit({ type: 'usage', data: { promptTokens, evalTokens, evalDurationMs, totalDurationMs, doneReason, provider: provider.id, leftMachine: provider.leavesMachine } });
        // Only Ollama takes num_ctx from us; other servers fixed their window at load, so only their own "length" says the answer was cut.
        const kind = chunk.continued ? null : provider.kind === 'ollama' ? contextOverflow(chunk, task.numCtx) : chunk.doneReason === 'length' ? 'cut-off' : null;
        // Another server cuts an over-long prompt silently: what it says it read, against what was sent (≈ 3.5 characters a token).
        const cut = provider.kind === 'ollama' ? null : remoteTruncation(Math.round(msgs.reduce((n, m) => n + m.content.length, 0) / 3.5), promptTokens);
        if (cut) emit({ type: 'log', data: { level: 'warn', message: describeRemoteTruncation(provider.id, promptTokens, cut.sent) } });
        if (kind) {
          overflow = { kind, message: describeContextOverflow(kind, task.numCtx, chunk), promptTokens, evalTokens };
          emit({ type: 'log', data: { level: 'warn', message: overflow.message } });
        }
      }
    }
    await apply(extractor.end());
    await sink.applyLooseEdits(answer);
    return answer;
  }

  try {
    const answer = await stream(messages);
    // Code with no path is not left in the chat: a new project gets it under names chosen from the
    // code itself (a folder the user opened is not written to on a guess).
    if (!folder && sink.written.size === 0 && sink.refused.length === 0) {
      // Names of files already in the project (an earlier turn's, the user's) are not reused.
      const named = nameCodeBlocks(answer, new Set((await workspace.listFiles()).map((f) => f.path)));
      if (named.length) {
        emit({ type: 'log', data: { level: 'info', message: describeNamedBlocks(named) } });
        await apply(namedBlockOps(named));
      }
    }
    // Edit blocks that did not match get one retry, with the closest lines shown to the model.
    if (sink.editFailures.length) {
      const failures = sink.editFailures.splice(0);
      emit({ type: 'log', data: { level: 'info', message: `Asking the model once more for ${failures.length} edit block${failures.length === 1 ? '' : 's'} that did not apply.` } });
      extractor = new FileExtractor();
      await stream([...messages, { role: 'assistant', content: answer }, { role: 'user', content: formatEditFailuresForRetry(failures) }]);
      if (sink.editFailures.length) {
        emit({ type: 'log', data: { level: 'error', message: `${sink.editFailures.length} edit block${sink.editFailures.length === 1 ? '' : 's'} still did not apply; those files were left unchanged.` } });
      }
    }
    // Every file refused, none written: the user got nothing they asked for (see FileSink.allRefusedError).
    const allRefused = sink.allRefusedError();
    if (allRefused) return { status: 'failed', error: allRefused.toPayload() };
    if (overflow) {
      const { kind, message, promptTokens, evalTokens } = overflow;
      return { status: 'succeeded', warning: { code: 'CONTEXT_OVERFLOW', message, details: { kind, numCtx: task.numCtx, promptTokens, evalTokens, model: task.model } } };
    }
    const cut = sink.cutFilesWarning();
    return cut ? { status: 'succeeded', warning: cut } : { status: 'succeeded' };
  } catch (err) {
    const cancelled = signal.aborted || isAbortError(err);
    try {
      const rest = extractor.end();
      if (cancelled) await apply(rest); // a Stop keeps what arrived; a file whose fence closed is complete
      else await sink.applyAfterFailure(rest, describeFailure(toErrorPayload(err)));
    } catch (flushErr) {
      emit({ type: 'log', data: { level: 'error', message: `Could not save the last file: ${toErrorPayload(flushErr).message}` } });
    }
    return cancelled ? { status: 'cancelled' } : { status: 'failed', error: toErrorPayload(err) };
  }
}

/** A few words for why an answer broke off, for the note on a file it cut off. */
function describeFailure(error: ErrorPayload): string {
  switch (error.code) {
    case 'STREAM_DROPPED':
      return 'the connection to Ollama dropped';
    case 'MODEL_CRASHED':
      return 'the model crashed';
    case 'MODEL_OUT_OF_MEMORY':
      return 'the model ran out of memory';
    default:
      return `the request failed: ${error.code}`;
  }
}
