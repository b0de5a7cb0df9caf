// Whether the active task (or a given one) works in an opened folder, and whether that is
// the folder open now (then its files stream into the workspace tree and editor).
import type { Task } from '../../../shared/index.js';
import { isFolderTask } from '../lib/workspace-task.js';
import { useApp } from '../store/app-state.js';
import { useWs } from '../store/workspace-state.js';

export function useIsFolderTask(task: Task | null): boolean {
  const dataDir = useApp((s) => s.appInfo?.dataDir ?? null);
  const openRoot = useWs((s) => s.info?.root ?? null);
  const recent = useWs((s) => s.recent);
  if (!task) return false;
  return isFolderTask(task, { dataDir, openRoot, recentRoots: recent.map((r) => r.root) });
}

/** The active task works in the folder open now. */
export function useActiveTaskInOpenFolder(): boolean {
  const root = useWs((s) => s.info?.root ?? null);
  const ws = useApp((s) => s.activeTask?.workspacePath ?? null);
  return root !== null && ws !== null && ws.replace(/\\/g, '/').replace(/\/+$/, '') === root.replace(/\\/g, '/').replace(/\/+$/, '');
}
