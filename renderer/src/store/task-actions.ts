// Cancel and retry (chat header, detail view), and replaying one step of a build (Steps tab).
import type { StepName } from '../../../shared/index.js';
import { toClientError, type ClientError } from '../client/index.js';
import { errorLine } from '../lib/error-text.js';
import { stepRef } from '../lib/step-text.js';
import { client } from './app-state.js';
import { scheduleStepsRefresh } from './steps.js';
import { upsertTask } from './tasks.js';
import { pushToast } from './toasts.js';

export async function cancelTask(taskId: string): Promise<void> {
  try {
    const { task } = await client().call('tasks.cancel', { taskId });
    upsertTask(task);
  } catch (err) {
    pushToast({ kind: 'error', text: `Could not stop the task: ${errorLine(toClientError(err))}` });
  }
}

/** Back to the queue as a new attempt; its events continue in the same chat and timeline. */
export async function retryTask(taskId: string): Promise<void> {
  try {
    const { task } = await client().call('tasks.retry', { taskId });
    upsertTask(task);
  } catch (err) {
    pushToast({ kind: 'error', text: `Could not retry the task: ${errorLine(toClientError(err))}` });
  }
}

export interface ReplayOptions {
  /** Re-run every step after it too. */
  cascade: boolean;
  /** false: ask the model again instead of reusing a cached answer. */
  useCache: boolean;
}

/**
 * Re-run one step of a finished build task as a new version (tasks.replayStep). Resolves
 * with the error for the popover to show, or null once the task is queued again.
 */
export async function replayStep(taskId: string, step: StepName, version: number, opts: ReplayOptions): Promise<ClientError | null> {
  try {
    const { task } = await client().call('tasks.replayStep', { taskId, step, version, cascade: opts.cascade, useCache: opts.useCache });
    upsertTask(task);
    scheduleStepsRefresh(0);
    // Short-lived and worded so it stays true: the Steps tab and the chat show the replay itself.
    pushToast({ kind: 'info', text: `Replay of ${stepRef(step, version)}${opts.cascade ? ' and the steps after it' : ''} started as a new version.` }, 3000);
    return null;
  } catch (err) {
    const e = toClientError(err);
    // Our rows are out of date (another process retried or replayed the task): catch up.
    if (e.code === 'STEP_NOT_FOUND' || e.code === 'INVALID_INPUT') scheduleStepsRefresh(0);
    return e;
  }
}
