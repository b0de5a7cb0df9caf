// Is a task working in a folder the user opened (rather than a generated project)?
// Generated projects live under <data dir>/workspaces/; a folder task's workspacePath is
// the folder itself.
import type { Task } from '../../../shared/index.js';

const norm = (p: string) => p.replace(/\\/g, '/').replace(/\/+$/, '');

export interface FolderTaskHints {
  dataDir: string | null;
  openRoot: string | null;
  recentRoots: readonly string[];
}

export function isFolderTask(task: Pick<Task, 'workspacePath'> | null, hints: FolderTaskHints): boolean {
  if (!task?.workspacePath) return false;
  const ws = norm(task.workspacePath);
  if (hints.openRoot && norm(hints.openRoot) === ws) return true;
  if (hints.recentRoots.some((r) => norm(r) === ws)) return true;
  if (!hints.dataDir) return false;
  return !ws.startsWith(`${norm(hints.dataDir)}/workspaces/`);
}

/** The last part of a path ("/home/me/code/app" → "app"). */
export function folderName(root: string): string {
  const parts = norm(root).split('/').filter(Boolean);
  return parts[parts.length - 1] ?? root;
}
