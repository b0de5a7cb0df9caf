// What a task changed in a folder workspace (tasks.changes), the diff of one file
// (before: tasks.fileBefore; after: the file now), and the user's verdicts: accept or
// revert a file, accept all, undo the whole task. Refreshed after each action and
// whenever the folder changes on disk.
import type { FileChange, TopicPayload } from '../../../shared/index.js';
import { toClientError } from '../client/index.js';
import { errorLine, type ErrorLike } from '../lib/error-text.js';
import { client } from './app-state.js';
import { createStore, useStoreSelector } from './create-store.js';
import { pushToast } from './toasts.js';
import { wsStore, type TaskDiff } from './workspace-state.js';

export interface ChangesState {
  taskId: string | null;
  root: string | null;
  list: FileChange[];
  backend: 'git' | 'copy' | null;
  loaded: boolean;
  loading: boolean;
  error: ErrorLike | null;
  /** A per-file action in flight. */
  busy: Record<string, 'accept' | 'revert'>;
  /** A whole-task action in flight. */
  bulk: 'accept' | 'undo' | null;
  /** "Undo task" asks first. */
  confirmUndo: boolean;
}

const empty = (): ChangesState => ({
  taskId: null,
  root: null,
  list: [],
  backend: null,
  loaded: false,
  loading: false,
  error: null,
  busy: {},
  bulk: null,
  confirmUndo: false,
});

export const changesStore = createStore<ChangesState>(empty());

export function useChanges<T>(selector: (s: ChangesState) => T): T {
  return useStoreSelector(changesStore, selector);
}

/** Files the task really changed (reverted ones read `unchanged`). */
export function changedFiles(list: readonly FileChange[]): FileChange[] {
  return list.filter((c) => c.status !== 'unchanged');
}

export function changeCounts(list: readonly FileChange[]): { added: number; modified: number; deleted: number; total: number; pending: number } {
  let added = 0;
  let modified = 0;
  let deleted = 0;
  let pending = 0;
  for (const c of list) {
    if (c.status === 'added') added++;
    else if (c.status === 'modified') modified++;
    else if (c.status === 'deleted') deleted++;
    else continue;
    if (!c.accepted) pending++;
  }
  return { added, modified, deleted, total: added + modified + deleted, pending };
}

/**
 * What the Changes tab says above its list and whether Undo task can still do anything. Reverted
 * files are listed (marked reverted), so the words count them too: once every file is back, the task
 * is undone (Undo disabled, "Undone"), never "This task changed no files." above two reverted files.
 */
export function changesSummary(
  list: readonly FileChange[],
  state: { loaded: boolean; running: boolean },
): { text: string | null; reverted: number; undoable: boolean; undone: boolean } {
  const counts = changeCounts(list);
  const reverted = list.filter((c) => c.status === 'unchanged').length;
  const undone = counts.total === 0 && reverted > 0;
  let text: string | null = null;
  if (!state.loaded && list.length === 0) text = 'Loading changes…';
  else if (undone) text = `Undone: ${reverted === 1 ? 'the file it changed is' : `the ${reverted} files it changed are`} back as they were.`;
  else if (counts.total === 0) text = state.running ? 'No changes yet.' : 'This task changed no files.';
  return { text, reverted, undoable: counts.total > 0 && !state.running, undone };
}

let request = 0;

export async function loadChanges(taskId: string, root: string): Promise<void> {
  const cur = changesStore.getState();
  if (cur.taskId !== taskId) changesStore.setState({ ...empty(), taskId, root });
  const id = ++request;
  changesStore.setState({ loading: true });
  try {
    const res = await client().call('tasks.changes', { taskId });
    if (id !== request || changesStore.getState().taskId !== taskId) return;
    changesStore.setState({ list: res.changes, backend: res.backend, loaded: true, loading: false, error: null });
  } catch (err) {
    if (id !== request) return;
    changesStore.setState({ loading: false, loaded: true, error: toClientError(err) });
  }
}

let refreshTimer: ReturnType<typeof setTimeout> | null = null;

/** Refetch soon (coalesces bursts: a task writing many files, a watcher storm). */
export function scheduleChangesRefresh(delayMs = 250): void {
  if (refreshTimer) return;
  refreshTimer = setTimeout(() => {
    refreshTimer = null;
    const { taskId, root } = changesStore.getState();
    if (taskId && root) void loadChanges(taskId, root);
  }, delayMs);
}

export function onWorkspaceFilesChanged(payload: TopicPayload<'workspace.changed'>): void {
  const { taskId, root } = changesStore.getState();
  if (!taskId || root !== payload.root) return;
  scheduleChangesRefresh();
  const diff = wsStore.getState().diff;
  if (diff?.kind === 'task' && diff.root === payload.root) {
    const paths = [...payload.created, ...payload.updated, ...payload.deleted];
    if (paths.includes(diff.path)) void loadDiffSides(diff);
  }
}

async function afterAction(taskId: string, changes: FileChange[] | null): Promise<void> {
  if (changesStore.getState().taskId !== taskId) return;
  if (changes) changesStore.setState({ list: changes });
  const { root } = changesStore.getState();
  if (root) await loadChanges(taskId, root);
  const diff = wsStore.getState().diff;
  if (diff?.kind === 'task' && diff.taskId === taskId) {
    const now = changesStore.getState().list.find((c) => c.path === diff.path);
    if (now) void loadDiffSides({ ...diff, status: now.status });
  }
}

async function fileAction(path: string, action: 'accept' | 'revert'): Promise<boolean> {
  const { taskId } = changesStore.getState();
  if (!taskId) return false;
  changesStore.setState((s) => ({ busy: { ...s.busy, [path]: action } }));
  try {
    const res = await client().call(action === 'accept' ? 'tasks.acceptFile' : 'tasks.revertFile', { taskId, path });
    await afterAction(taskId, res.changes);
    return true;
  } catch (err) {
    pushToast({ kind: 'error', text: `Could not ${action} ${path}: ${errorLine(toClientError(err))}` });
    return false;
  } finally {
    changesStore.setState((s) => {
      const { [path]: _done, ...busy } = s.busy;
      return { busy };
    });
  }
}

export const acceptFile = (path: string) => fileAction(path, 'accept');
export const revertFile = (path: string) => fileAction(path, 'revert');

export async function acceptAll(): Promise<void> {
  const { taskId, list } = changesStore.getState();
  if (!taskId) return;
  const pending = changedFiles(list).filter((c) => !c.accepted);
  changesStore.setState({ bulk: 'accept' });
  try {
    let last: FileChange[] | null = null;
    for (const c of pending) {
      const res = await client().call('tasks.acceptFile', { taskId, path: c.path });
      last = res.changes;
    }
    await afterAction(taskId, last);
    if (pending.length > 0) pushToast({ kind: 'success', text: `Accepted ${pending.length} file${pending.length === 1 ? '' : 's'}` }, 2500);
  } catch (err) {
    pushToast({ kind: 'error', text: `Could not accept all changes: ${errorLine(toClientError(err))}` });
    await afterAction(taskId, null);
  } finally {
    changesStore.setState({ bulk: null });
  }
}

export function askUndo(ask: boolean): void {
  changesStore.setState({ confirmUndo: ask });
}

export async function undoTask(): Promise<void> {
  const { taskId } = changesStore.getState();
  if (!taskId) return;
  changesStore.setState({ bulk: 'undo', confirmUndo: false });
  try {
    const res = await client().call('tasks.undo', { taskId });
    const parts = [`${res.restored} restored`, res.deleted > 0 ? `${res.deleted} deleted` : '', res.recreated > 0 ? `${res.recreated} recreated` : ''].filter(Boolean);
    pushToast({ kind: 'success', text: 'Undid the task: the folder is as it was before it.', detail: parts.join(' · ') }, 4000);
    const diff = wsStore.getState().diff;
    if (diff?.kind === 'task' && diff.taskId === taskId) wsStore.setState({ diff: null });
    await afterAction(taskId, null);
  } catch (err) {
    pushToast({ kind: 'error', text: `Could not undo the task: ${errorLine(toClientError(err))}` });
  } finally {
    changesStore.setState({ bulk: null });
  }
}

// ---- the diff on screen ----

export function openTaskDiff(taskId: string, root: string, change: FileChange): void {
  const diff: TaskDiff = {
    kind: 'task',
    taskId,
    root,
    path: change.path,
    status: change.status,
    loading: true,
    error: null,
    before: null,
    after: null,
    binary: false,
  };
  wsStore.setState({ diff });
  void loadDiffSides(diff);
}

async function loadDiffSides(target: TaskDiff): Promise<void> {
  const same = (d: unknown): d is TaskDiff => {
    const cur = d as TaskDiff | null;
    return cur?.kind === 'task' && cur.taskId === target.taskId && cur.path === target.path;
  };
  try {
    const [before, after] = await Promise.all([
      client().call('tasks.fileBefore', { taskId: target.taskId, path: target.path }),
      client()
        .call('workspaces.read', { root: target.root, path: target.path })
        .catch((err: unknown) => {
          // Deleted by the task (or reverted away): the right side is empty.
          if (toClientError(err).code === 'FILE_NOT_FOUND') return null;
          throw err;
        }),
    ]);
    if (!same(wsStore.getState().diff)) return;
    wsStore.setState({
      diff: {
        ...target,
        loading: false,
        error: null,
        before: before.existed ? (before.content ?? '') : '',
        after: after ? (after.content ?? '') : '',
        binary: before.binary || (after?.binary ?? false),
      },
    });
  } catch (err) {
    if (!same(wsStore.getState().diff)) return;
    wsStore.setState({ diff: { ...target, loading: false, error: toClientError(err) } });
  }
}
