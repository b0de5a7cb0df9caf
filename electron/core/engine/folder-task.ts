import path from 'node:path';
import type { Task } from '../../../shared/index.js';

/** A task working in a folder the user opened, not in one MACS made under <data dir>/workspaces/. */
export function isFolderTask(task: Task, dataDir: string): boolean {
  return path.dirname(task.workspacePath) !== path.join(dataDir, 'workspaces');
}
