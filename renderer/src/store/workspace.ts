// The selected project's folder in the file pane: its tree (one workspaces.tree call, then
// patched by workspace.changed batches), and opening a folder (it becomes a project).
import type { MethodResult, Project, TopicPayload, WorkspaceInfo } from '../../../shared/index.js';
import { toClientError } from '../client/index.js';
import { ancestorsOf, WorkspaceTree, type ChangeBatch } from '../lib/workspace-tree.js';
import { appStore, client } from './app-state.js';
import { openFolderProject } from './projects.js';
import { disposeAllBuffers, initialWorkspaceState, wsStore } from './workspace-state.js';
import { onDocsChanged } from './workspace-docs.js';
import { onWorkspaceFilesChanged } from './changes.js';
import { resetContext } from './context.js';

export function openFolderDialog(note: string | null = null): void {
  // The desktop app has a native folder picker; the browser host has only the path field.
  if (appStore.getState().host === 'electron' && note === null) {
    void client()
      .call('workspaces.choose', {})
      .then(({ path }) => (path ? openWorkspace(path) : undefined))
      .catch(() => showPathDialog(null));
    return;
  }
  showPathDialog(note);
}

function showPathDialog(note: string | null): void {
  wsStore.setState({ dialogOpen: true, dialogNote: note, openError: null });
}

/** File → Open Folder… and Open Recent from the desktop app's menu. */
export function onAppCommand(payload: TopicPayload<'app.command'>): void {
  if (payload.command === 'open-folder') openFolderDialog();
  else if (payload.command === 'open-workspace' && payload.root) void openWorkspace(payload.root);
}

export function closeFolderDialog(): void {
  wsStore.setState({ dialogOpen: false, dialogNote: null, openError: null });
}

/** Open `path`: its project (made on first open) becomes the selection; resolves true when it did. Errors stay in `openError` for the field. */
export async function openWorkspace(path: string): Promise<boolean> {
  const trimmed = path.trim();
  if (!trimmed) {
    wsStore.setState({ openError: { code: 'INVALID_INPUT', message: 'Give the full path of a project folder.' } });
    return false;
  }
  performance.mark('macs-ws-open');
  wsStore.setState({ opening: true, openError: null });
  try {
    await openFolderProject(trimmed);
    performance.measure('macs-ws-open-call', 'macs-ws-open');
    wsStore.setState({ opening: false, dialogOpen: false, dialogNote: null });
    return true;
  } catch (err) {
    wsStore.setState({ opening: false, openError: toClientError(err) });
    return false;
  }
}

/** Unsaved edits in the editor: ask before the file pane shows another project. */
export function confirmLeaveFolder(): boolean {
  const dirty = Object.values(wsStore.getState().docs).filter((d) => d.dirty);
  if (dirty.length === 0) return true;
  return window.confirm(`Discard unsaved changes to ${dirty.map((d) => d.path).join(', ')}?`);
}

/** The file pane shows this project's folder (null: none selected; a missing folder: nothing to list). Idempotent: the same folder is not listed again. */
export function showProjectFolder(project: Project | null): void {
  const prev = wsStore.getState().info;
  const root = project && !project.folderMissing ? project.root : null;
  if (prev?.root === root && root !== null) {
    if (project && prev.name !== project.name) wsStore.setState({ info: { ...prev, name: project.name } });
    return;
  }
  disposeAllBuffers();
  resetContext();
  if (!project || root === null) {
    wsStore.setState({ ...initialWorkspaceState() });
    return;
  }
  const info: WorkspaceInfo = { root, name: project.name, isGitRepo: project.kind === 'generated', openedAt: project.updatedAt, exists: true };
  wsStore.setState({ ...initialWorkspaceState(), info });
  void loadTree();
}

let treeRequest = 0;

/** Folders read for the first paint of a tree not shown yet; the full listing follows at once. */
const FIRST_PAINT_DEPTH = 2;

export async function loadTree(): Promise<void> {
  const info = wsStore.getState().info;
  if (!info) return;
  const id = ++treeRequest;
  const showIgnored = wsStore.getState().showIgnored;
  wsStore.setState({ treeLoading: true, treeError: null });
  const current = () => id === treeRequest && wsStore.getState().info?.root === info.root;
  const show = (res: MethodResult<'workspaces.tree'>, final: boolean) => {
    const tree = WorkspaceTree.fromEntries(res.entries);
    if (final) pendingBatches = []; // the listing already includes them
    wsStore.setState((s) => ({ tree, treeVersion: s.treeVersion + 1, treeLoading: !final, truncated: res.truncated, ignoredCount: res.ignoredCount }));
  };
  try {
    performance.mark('macs-ws-tree-request');
    // A huge folder lists in a second or more: paint its top levels first (milliseconds), then
    // everything. One after the other: the full walk would fill the engine's I/O threads first.
    if (!wsStore.getState().tree) {
      const quick = await client().call('workspaces.tree', { root: info.root, showIgnored, depth: FIRST_PAINT_DEPTH });
      if (!current()) return;
      show(quick, false);
    }
    const res = await client().call('workspaces.tree', { root: info.root, showIgnored });
    performance.mark('macs-ws-tree-response');
    if (!current()) return;
    performance.measure('macs-ws-tree-call', 'macs-ws-tree-request', 'macs-ws-tree-response');
    show(res, true);
    performance.measure('macs-ws-tree-build', 'macs-ws-tree-response');
  } catch (err) {
    if (id !== treeRequest) return;
    wsStore.setState({ treeLoading: false, treeError: toClientError(err) });
  }
}

export function setShowIgnored(show: boolean): void {
  wsStore.setState({ showIgnored: show });
  void loadTree();
}

export function toggleExpanded(path: string, open?: boolean): void {
  wsStore.setState((s) => {
    const isOpen = s.expanded.has(path);
    const want = open ?? !isOpen;
    if (want === isOpen) return {};
    const expanded = new Set(s.expanded);
    if (want) expanded.add(path);
    else expanded.delete(path);
    return { expanded };
  });
}

export function collapseAll(): void {
  wsStore.setState({ expanded: new Set() });
}

/** Expand the folders above `path` and give it the tree's focus. */
export function revealInTree(path: string): void {
  wsStore.setState((s) => {
    const missing = ancestorsOf(path).filter((p) => !s.expanded.has(p));
    if (missing.length === 0) return { focusedPath: path };
    const expanded = new Set(s.expanded);
    for (const p of missing) expanded.add(p);
    return { expanded, focusedPath: path };
  });
}

// ---- live changes: batched to one apply per animation frame ----

let pendingBatches: ChangeBatch[] = [];
let flushScheduled = false;

export function onWorkspaceChanged(payload: TopicPayload<'workspace.changed'>): void {
  const info = wsStore.getState().info;
  onWorkspaceFilesChanged(payload);
  if (!info || payload.root !== info.root) return;
  pendingBatches.push(payload);
  if (flushScheduled) return;
  flushScheduled = true;
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    flushScheduled = false;
    flushBatches();
  };
  requestAnimationFrame(run);
  setTimeout(run, 50); // rAF stops in hidden windows
}

function flushBatches(): void {
  const batches = pendingBatches;
  pendingBatches = [];
  const { tree } = wsStore.getState();
  const touched = new Set<string>();
  const removed = new Set<string>();
  let changed = false;
  for (const batch of batches) {
    if (tree) {
      const out = tree.apply(batch);
      changed ||= out.changed;
    }
    for (const p of [...batch.created, ...batch.updated]) {
      touched.add(p);
      removed.delete(p);
    }
    for (const p of batch.deleted) {
      removed.add(p);
      touched.delete(p);
    }
  }
  if (changed) wsStore.setState((s) => ({ treeVersion: s.treeVersion + 1 }));
  onDocsChanged([...touched], [...removed]);
}
