// The file tree's actions on the selected project's folder: new file/folder, rename, move
// (drag onto a folder), delete to MACS's trash with Undo, copy path, reveal in the file
// manager. The engine refuses with a sentence (a turn runs: PROJECT_BUSY; a path leaving
// the folder); that sentence is shown in the tree pane. The watcher brings the new tree.
import { toClientError } from '../client/index.js';
import { describeError } from '../lib/error-text.js';
import { copyText } from '../lib/clipboard.js';
import { appStore, client } from './app-state.js';
import { createStore, useStoreSelector } from './create-store.js';
import { loadTree, revealInTree, toggleExpanded } from './workspace.js';
import { closeDoc, openDoc } from './workspace-docs.js';
import { wsStore } from './workspace-state.js';
import { pushToast } from './toasts.js';

export type NameEditKind = 'rename' | 'new-file' | 'new-folder';

export interface NameEdit {
  kind: NameEditKind;
  /** rename: the entry; new-*: the folder it goes in ('' the project folder). */
  path: string;
  busy: boolean;
  error: string | null;
}

export interface FileActionsState {
  /** The context menu: over an entry (null path: the tree's empty space). */
  menu: { path: string | null; x: number; y: number } | null;
  edit: NameEdit | null;
  /** The last delete, for Undo. */
  deleted: { root: string; path: string; trashId: string } | null;
  /** The engine's refusal of the last action, shown above the tree. */
  error: string | null;
}

export const fileActionsStore = createStore<FileActionsState>({ menu: null, edit: null, deleted: null, error: null });

export function useFileActions<T>(selector: (s: FileActionsState) => T): T {
  return useStoreSelector(fileActionsStore, selector);
}

const rootNow = (): string | null => wsStore.getState().info?.root ?? null;
const parentOf = (path: string): string => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
const join = (dir: string, name: string): string => (dir ? `${dir}/${name}` : name);
const errorText = (err: unknown): string => {
  const e = toClientError(err);
  return e.code === 'PATH_OUTSIDE_WORKSPACE' || e.code === 'INVALID_INPUT' ? e.message : describeError(e).text;
};

/** Where a new entry goes from the focused row: inside a folder, beside a file. */
export function targetFolder(path: string | null): string {
  if (!path) return '';
  return wsStore.getState().tree?.get(path)?.kind === 'dir' ? path : parentOf(path);
}

export function openMenu(path: string | null, x: number, y: number): void {
  fileActionsStore.setState({ menu: { path, x, y } });
}

export const closeMenu = (): void => fileActionsStore.setState({ menu: null });
export const clearFileError = (): void => fileActionsStore.setState({ error: null });

export function startNameEdit(kind: NameEditKind, path: string): void {
  fileActionsStore.setState({ menu: null, error: null, edit: { kind, path: kind === 'rename' ? path : targetFolder(path || null), busy: false, error: null } });
}

export const cancelNameEdit = (): void => fileActionsStore.setState({ edit: null });

/** A name for the edit: no slashes in a rename (that is a move), "a/b" allowed for a new entry. */
export function nameProblem(kind: NameEditKind, name: string): string | null {
  const n = name.trim();
  if (n === '') return 'Give a name.';
  if (n === '.' || n === '..') return `"${n}" cannot be a name.`;
  if (kind === 'rename' && /[\\/]/.test(n)) return 'A name cannot contain "/"; drag the entry onto a folder to move it.';
  return null;
}

async function afterChange(focus: string | null): Promise<void> {
  // The watcher patches the tree shortly; a listing now makes the change visible at once.
  await loadTree();
  if (focus) revealInTree(focus);
}

export async function submitNameEdit(name: string): Promise<boolean> {
  const edit = fileActionsStore.getState().edit;
  const root = rootNow();
  if (!edit || !root) return false;
  const problem = nameProblem(edit.kind, name);
  if (problem) {
    fileActionsStore.setState({ edit: { ...edit, error: problem } });
    return false;
  }
  fileActionsStore.setState({ edit: { ...edit, busy: true, error: null } });
  const trimmed = name.trim();
  try {
    if (edit.kind === 'rename') {
      const to = join(parentOf(edit.path), trimmed);
      if (to !== edit.path) await moveOpenDocs(root, edit.path, to);
      await afterChange(to);
    } else {
      const path = join(edit.path, trimmed);
      if (edit.kind === 'new-file') await client().call('workspaces.createFile', { root, path });
      else await client().call('workspaces.createFolder', { root, path });
      if (edit.path) toggleExpanded(edit.path, true);
      await afterChange(path);
      if (edit.kind === 'new-file') openDoc(path);
    }
    fileActionsStore.setState({ edit: null });
    return true;
  } catch (err) {
    if ((err as Error).message === 'cancelled') fileActionsStore.setState({ edit: null });
    else fileActionsStore.setState({ edit: { ...edit, busy: false, error: errorText(err) } });
    return false;
  }
}

/** Move on disk; editor tabs of the moved files follow (unsaved edits: the user is asked first). */
async function moveOpenDocs(root: string, from: string, to: string): Promise<void> {
  const inside = (p: string) => p === from || p.startsWith(`${from}/`);
  const open = wsStore.getState().tabs.filter(inside);
  const dirty = open.filter((p) => wsStore.getState().docs[p]?.dirty);
  if (dirty.length > 0 && !window.confirm(`${dirty.join(', ')} ${dirty.length === 1 ? 'has' : 'have'} unsaved changes that stay with the old name. Move anyway?`)) {
    throw new Error('cancelled');
  }
  await client().call('workspaces.move', { root, from, to });
  for (const p of open) {
    closeDoc(p);
    openDoc(to + p.slice(from.length));
  }
}

export async function moveInto(from: string, folder: string): Promise<void> {
  const root = rootNow();
  const name = from.slice(from.lastIndexOf('/') + 1);
  const to = join(folder, name);
  if (!root || to === from || parentOf(from) === folder) return;
  try {
    await moveOpenDocs(root, from, to);
    if (folder) toggleExpanded(folder, true);
    await afterChange(to);
  } catch (err) {
    if ((err as Error).message !== 'cancelled') fileActionsStore.setState({ error: errorText(err) });
  }
}

export async function deleteEntry(path: string): Promise<void> {
  const root = rootNow();
  fileActionsStore.setState({ menu: null });
  if (!root) return;
  try {
    const { trashId } = await client().call('workspaces.delete', { root, path });
    for (const p of wsStore.getState().tabs.filter((t) => t === path || t.startsWith(`${path}/`))) closeDoc(p);
    fileActionsStore.setState({ deleted: { root, path, trashId }, error: null });
    await afterChange(null);
  } catch (err) {
    fileActionsStore.setState({ error: errorText(err) });
  }
}

export async function undoDelete(): Promise<void> {
  const deleted = fileActionsStore.getState().deleted;
  if (!deleted) return;
  try {
    await client().call('workspaces.restore', { trashId: deleted.trashId });
    fileActionsStore.setState({ deleted: null, error: null });
    if (rootNow() === deleted.root) await afterChange(deleted.path);
  } catch (err) {
    fileActionsStore.setState({ deleted: null, error: errorText(err) });
  }
}

export const dismissDeleted = (): void => fileActionsStore.setState({ deleted: null });

export async function copyEntryPath(path: string, relative: boolean): Promise<void> {
  const root = rootNow();
  fileActionsStore.setState({ menu: null });
  if (!root) return;
  const text = relative ? path : `${root.replace(/[\\/]$/, '')}/${path}`;
  const ok = await copyText(text);
  pushToast(ok ? { kind: 'success', text: `Copied ${text}` } : { kind: 'error', text: 'The clipboard refused the copy.' });
}

export const canReveal = (): boolean => appStore.getState().host === 'electron';

export async function revealEntry(path: string): Promise<void> {
  const root = rootNow();
  fileActionsStore.setState({ menu: null });
  if (!root) return;
  try {
    await client().call('workspaces.reveal', { root, path });
  } catch (err) {
    fileActionsStore.setState({ error: errorText(err) });
  }
}
