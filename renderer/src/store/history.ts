// The sidebar's status filter: the engine lists tasks by status (tasks.list {status});
// live task.updated rows then move in and out of the filtered list as their status changes.
import type { Task } from '../../../shared/index.js';
import { toClientError } from '../client/index.js';
import { errorLine } from '../lib/error-text.js';
import { appStore, client } from './app-state.js';
import { pushToast } from './toasts.js';

export const HISTORY_LIMIT = 200;

export function sortTasks(tasks: Task[]): Task[] {
  return tasks.sort((a, b) => b.createdAt - a.createdAt);
}

export async function reloadFiltered(): Promise<void> {
  const filter = appStore.getState().historyFilter;
  if (filter === 'all') return;
  try {
    const { tasks } = await client().call('tasks.list', { status: filter, limit: HISTORY_LIMIT });
    if (appStore.getState().historyFilter !== filter) return; // changed meanwhile
    appStore.setState({ filteredTasks: sortTasks(tasks.filter((t) => t.status === filter)) });
  } catch (err) {
    pushToast({ kind: 'error', text: `Could not filter the history: ${errorLine(toClientError(err))}` });
    appStore.setState({ historyFilter: 'all', filteredTasks: null });
  }
}

/** A task row changed: keep the filtered list in step (it enters or leaves with its status). */
export function applyToFiltered(task: Task): void {
  const s = appStore.getState();
  if (s.historyFilter === 'all' || !s.filteredTasks) return;
  const others = s.filteredTasks.filter((t) => t.id !== task.id);
  const filteredTasks = task.status === s.historyFilter ? sortTasks([task, ...others]) : others;
  if (filteredTasks.length !== s.filteredTasks.length || task.status === s.historyFilter) appStore.setState({ filteredTasks });
}
