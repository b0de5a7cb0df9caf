// Cancel and retry, from the chat header or the detail view.
import { toClientError } from '../client/index.js';
import { errorLine } from '../lib/error-text.js';
import { client } from './app-state.js';
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
