// Files open in the workspace editor: reading (workspaces.read), saving (workspaces.write),
// and what happens when a file changes on disk while it is open. A clean buffer follows
// the disk; a buffer with unsaved edits is never overwritten: it gets a conflict notice
// and the user picks (see the diff, keep mine, take the disk's version).
import { toClientError } from '../client/index.js';
import { errorLine } from '../lib/error-text.js';
import { formatBytes } from '../lib/format.js';
import { client } from './app-state.js';
import { pushToast } from './toasts.js';
import { disposeBuffer, patchDoc, wsStore, type DocState } from './workspace-state.js';

const newDoc = (path: string): DocState => ({
  path,
  status: 'loading',
  disk: null,
  binary: false,
  size: 0,
  error: null,
  dirty: false,
  conflict: null,
  reset: 0,
  saving: false,
});

/** Open `path` in a tab (or switch to its tab) and load it if needed. */
export function openDoc(path: string): void {
  const s = wsStore.getState();
  if (s.tree?.get(path)?.kind === 'dir') return;
  const known = s.docs[path];
  wsStore.setState({
    tabs: s.tabs.includes(path) ? s.tabs : [...s.tabs, path],
    activePath: path,
    focusedPath: path,
    diff: s.diff?.kind === 'conflict' && s.diff.path !== path ? null : s.diff?.kind === 'task' || s.diff?.kind === 'version' ? null : s.diff,
    docs: known ? s.docs : { ...s.docs, [path]: newDoc(path) },
  });
  if (!known || known.status === 'error') void readDoc(path);
}

export function activateTab(path: string): void {
  wsStore.setState((s) => (s.tabs.includes(path) ? { activePath: path, diff: null } : {}));
}

export function closeDoc(path: string): void {
  const s = wsStore.getState();
  const doc = s.docs[path];
  if (doc?.dirty && !window.confirm(`${path} has unsaved changes. Close it and discard them?`)) return;
  const i = s.tabs.indexOf(path);
  const tabs = s.tabs.filter((p) => p !== path);
  const { [path]: _gone, ...docs } = s.docs;
  const activePath = s.activePath === path ? (tabs[Math.min(i, tabs.length - 1)] ?? null) : s.activePath;
  wsStore.setState({ tabs, docs, activePath, diff: s.diff?.kind === 'conflict' && s.diff.path === path ? null : s.diff });
  disposeBuffer(path);
}

async function readDoc(path: string): Promise<void> {
  const info = wsStore.getState().info;
  if (!info) return;
  try {
    const file = await client().call('workspaces.read', { root: info.root, path });
    if (wsStore.getState().info?.root !== info.root) return;
    wsStore.getState().tree?.describe(path, { size: file.size, binary: file.binary });
    patchDoc(path, { status: 'ready', disk: file.binary ? null : file.content, binary: file.binary || file.content === null, size: file.size, error: null });
  } catch (err) {
    const e = toClientError(err);
    if (/director|folder/i.test(e.message) && e.code !== 'FILE_NOT_FOUND') {
      // The watcher could not say this new path was a folder; now we know.
      wsStore.getState().tree?.markDir(path);
      wsStore.setState((s) => ({ treeVersion: s.treeVersion + 1 }));
      closeDoc(path);
      return;
    }
    patchDoc(path, { status: e.code === 'FILE_NOT_FOUND' ? 'deleted' : 'error', error: e });
  }
}

/** The file changed on disk: a clean buffer follows; unsaved edits are kept and the user asked. */
export async function reloadDoc(path: string): Promise<void> {
  const info = wsStore.getState().info;
  if (!info || !wsStore.getState().docs[path]) return;
  let file: { binary: boolean; content: string | null; size: number };
  try {
    file = await client().call('workspaces.read', { root: info.root, path });
  } catch (err) {
    const e = toClientError(err);
    if (e.code === 'FILE_NOT_FOUND') markDeleted(path);
    return;
  }
  const doc = wsStore.getState().docs[path];
  if (!doc || wsStore.getState().info?.root !== info.root) return;
  // A save in flight: its own change coming back; the save sets `disk` when it answers.
  if (doc.saving) return;
  wsStore.getState().tree?.describe(path, { size: file.size, binary: file.binary });
  const text = file.binary ? null : file.content;
  if (doc.status === 'ready' && text === doc.disk && !file.binary === !doc.binary) {
    // Our own save coming back from the watcher, or a touch: nothing changed.
    if (doc.conflict?.deleted) patchDoc(path, { conflict: null });
    return;
  }
  if (doc.dirty) {
    patchDoc(path, { conflict: { theirs: text, deleted: false }, size: file.size });
    return;
  }
  patchDoc(path, {
    status: 'ready',
    disk: text,
    binary: file.binary || text === null,
    size: file.size,
    error: null,
    conflict: null,
    reset: doc.reset + 1,
  });
}

function markDeleted(path: string): void {
  const doc = wsStore.getState().docs[path];
  if (!doc) return;
  if (doc.dirty) patchDoc(path, { conflict: { theirs: null, deleted: true } });
  else patchDoc(path, { status: 'deleted' });
}

/** Called with each applied watcher batch. */
export function onDocsChanged(touched: readonly string[], removed: readonly string[]): void {
  const { docs } = wsStore.getState();
  for (const p of touched) if (docs[p]) void reloadDoc(p);
  for (const p of removed) if (docs[p]) markDeleted(p);
}

/** Write the buffer to disk (Ctrl/Cmd+S, Save, "Keep mine"). */
export async function saveDoc(path: string, content: string): Promise<boolean> {
  const info = wsStore.getState().info;
  if (!info) return false;
  patchDoc(path, { saving: true });
  try {
    const res = await client().call('workspaces.write', { root: info.root, path, content });
    patchDoc(path, { saving: false, status: 'ready', disk: content, size: res.size, conflict: null, error: null });
    wsStore.getState().tree?.describe(path, { size: res.size });
    pushToast({ kind: 'success', text: `Saved ${res.path}`, detail: formatBytes(res.size) }, 2500);
    return true;
  } catch (err) {
    patchDoc(path, { saving: false });
    pushToast({ kind: 'error', text: `Could not save ${path}: ${errorLine(toClientError(err))}` });
    return false;
  }
}

/** "Take the task's version": drop the buffer's edits for what is on disk now. */
export function takeDiskVersion(path: string): void {
  const doc = wsStore.getState().docs[path];
  if (!doc?.conflict) return;
  if (doc.conflict.deleted) {
    patchDoc(path, { conflict: null, status: 'deleted', reset: doc.reset + 1 });
  } else {
    patchDoc(path, { conflict: null, status: 'ready', disk: doc.conflict.theirs, binary: doc.conflict.theirs === null, reset: doc.reset + 1 });
  }
  wsStore.setState((s) => (s.diff?.kind === 'conflict' && s.diff.path === path ? { diff: null } : {}));
}

export function setDocDirty(path: string, dirty: boolean): void {
  const doc = wsStore.getState().docs[path];
  if (doc && doc.dirty !== dirty) patchDoc(path, { dirty });
}

export function showConflictDiff(path: string): void {
  wsStore.setState({ diff: { kind: 'conflict', path }, activePath: path });
}

export function closeDiff(): void {
  wsStore.setState({ diff: null });
}
