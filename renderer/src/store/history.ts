// The task rows the app keeps (the queue counts, a task opened by id): newest first.
import type { Task } from '../../../shared/index.js';

export const HISTORY_LIMIT = 200;

export function sortTasks(tasks: Task[]): Task[] {
  return tasks.sort((a, b) => b.createdAt - a.createdAt);
}
