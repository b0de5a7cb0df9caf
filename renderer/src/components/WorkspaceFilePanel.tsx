// The Files pane of the selected project (generated or an opened folder alike): its tree
// (virtualised, live from the watcher) and the editor; the running turn's files stream in.
import { useEffect, useMemo, useRef } from 'react';
import { saveBufferOf, useWs, wsStore } from '../store/workspace-state.js';
import { collapseAll, loadTree, revealInTree, setShowIgnored } from '../store/workspace.js';
import { openDoc } from '../store/workspace-docs.js';
import { errorLine } from '../lib/error-text.js';
import { formatInt } from '../lib/format.js';
import { WorkspaceTreeView } from './WorkspaceTreeView.js';
import { WorkspaceEditorPane } from './WorkspaceEditorPane.js';
import { Splitter } from './Splitter.js';
import { TreeRail } from './TreeRail.js';
import { appRunStore, previewOf } from '../store/app-run.js';
import { appStore, useApp } from '../store/app-state.js';
import { clearFileError, dismissDeleted, startNameEdit, undoDelete, useFileActions } from '../store/file-actions.js';
import { FileTreeMenu } from './FileTreeMenu.js';
import { FileNameDialog } from './FileNameDialog.js';

const previewShown = () => previewOf(appRunStore.getState(), appStore.getState().activeProjectId).shown;

function HeadButton({ title, onClick, pressed, testid, children }: { title: string; onClick: () => void; pressed?: boolean; testid: string; children: React.ReactNode }) {
  return (
    <button type="button" className={`icon-btn${pressed ? ' pressed' : ''}`} title={title} aria-label={title} aria-pressed={pressed} data-testid={testid} onClick={onClick}>
      {children}
    </button>
  );
}

function TreeHead() {
  const info = useWs((s) => s.info);
  const files = useWs((s) => (s.tree ? s.tree.fileCount : null));
  useWs((s) => s.treeVersion); // the count changes with live patches
  const loading = useWs((s) => s.treeLoading);
  const showIgnored = useWs((s) => s.showIgnored);
  const ignoredCount = useWs((s) => s.ignoredCount);
  return (
    <div className="pane-head ws-tree-head">
      <span className="ws-tree-title" title={info?.root}>
        Files
      </span>
      {files !== null && (
        <span className="ws-tree-count" data-testid="ws-file-count" title={`${formatInt(files)} files`}>
          {formatInt(files)}
        </span>
      )}
      {loading && <span className="spinner ws-tree-spinner" aria-label="Loading" />}
      <span className="ws-tree-tools">
        <HeadButton title="New file…" testid="ws-new-file" onClick={() => startNameEdit('new-file', wsStore.getState().focusedPath ?? '')}>
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <path d="M9 1.5H4a1 1 0 0 0-1 1v11a1 1 0 0 0 1 1h8a1 1 0 0 0 1-1V5.5zM9 1.5v4h4M8 8v4M6 10h4" fill="none" stroke="currentColor" strokeWidth="1.2" strokeLinejoin="round" />
          </svg>
        </HeadButton>
        <HeadButton title="New folder…" testid="ws-new-folder" onClick={() => startNameEdit('new-folder', wsStore.getState().focusedPath ?? '')}>
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <path d="M1.5 4a1 1 0 0 1 1-1h3.5l1.5 1.5h6a1 1 0 0 1 1 1v7a1 1 0 0 1-1 1h-11a1 1 0 0 1-1-1zM8 7v4M6 9h4" fill="none" stroke="currentColor" strokeWidth="1.2" strokeLinejoin="round" />
          </svg>
        </HeadButton>
        <HeadButton
          title={showIgnored ? 'Hide ignored files (.gitignore, node_modules, .git)' : `Show ignored files${ignoredCount > 0 ? ` (${formatInt(ignoredCount)} hidden)` : ''}`}
          pressed={showIgnored}
          testid="ws-show-ignored"
          onClick={() => setShowIgnored(!showIgnored)}
        >
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <path d="M1.5 8s2.4-4.5 6.5-4.5S14.5 8 14.5 8 12.1 12.5 8 12.5 1.5 8 1.5 8z" fill="none" stroke="currentColor" strokeWidth="1.3" />
            <circle cx="8" cy="8" r="2" fill="currentColor" />
            {!showIgnored && <path d="M2.5 13.5l11-11" stroke="currentColor" strokeWidth="1.3" />}
          </svg>
        </HeadButton>
        <HeadButton title="Collapse all folders" testid="ws-collapse-all" onClick={collapseAll}>
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <path d="M4 6.5 8 3l4 3.5M4 13l4-3.5 4 3.5" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round" strokeLinecap="round" />
          </svg>
        </HeadButton>
        <HeadButton title="Reload the tree" testid="ws-refresh" onClick={() => void loadTree()}>
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <path d="M13 8a5 5 0 1 1-1.5-3.6M13 2.5v3h-3" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
        </HeadButton>
      </span>
    </div>
  );
}

const outside = (p: string) => p.startsWith('/') || p.split('/').includes('..');

/**
 * A file is written to disk when the model closes it, so while it streams the watcher has no
 * row for it: add one (marked streaming) so the tree shows the file being written. Once the
 * file is closed it is on disk (the watcher's row takes over); a file cut off by a failure
 * never reaches the disk: its row goes again.
 */
function useGhostRows(taskId: string | null, streamingPaths: ReadonlySet<string>, taskFiles: Record<string, { state: string }> | null): void {
  const tree = useWs((s) => s.tree);
  const ghosts = useRef<{ tree: unknown; taskId: string | null; paths: Set<string> }>({ tree: null, taskId: null, paths: new Set() });
  useEffect(() => {
    if (!tree) return;
    // A new listing (what is on disk) or another turn: nothing of ours is pending.
    if (ghosts.current.tree !== tree || ghosts.current.taskId !== taskId) ghosts.current = { tree, taskId, paths: new Set() };
    const pending = ghosts.current.paths;
    const deleted: string[] = [];
    for (const p of [...pending]) {
      const file = taskFiles?.[p];
      if (file?.state === 'streaming') continue;
      pending.delete(p);
      if (!file) deleted.push(p); // cut off: it was never written
    }
    const created = [...streamingPaths].filter((p) => !outside(p) && !tree.get(p));
    for (const p of created) pending.add(p);
    if (created.length === 0 && deleted.length === 0) return;
    const out = tree.apply({ created, updated: [], deleted });
    if (out.changed) wsStore.setState((s) => ({ treeVersion: s.treeVersion + 1 }));
  }, [tree, taskId, streamingPaths, taskFiles]);
}

/** A refused tree action's sentence, and Undo after a delete (it went to MACS's trash). */
function TreeActionNotes() {
  const error = useFileActions((s) => s.error);
  const deleted = useFileActions((s) => s.deleted);
  return (
    <>
      {error && (
        <div className="ws-tree-note ws-action-error" role="alert" data-testid="ws-action-error">
          <span>{error}</span>
          <button type="button" className="btn btn-small" onClick={clearFileError}>
            Dismiss
          </button>
        </div>
      )}
      {deleted && (
        <div className="ws-tree-note ws-deleted" role="status" data-testid="ws-deleted">
          <span>Deleted {deleted.path} (moved to MACS’s trash).</span>
          <button type="button" className="btn btn-small" data-testid="ws-undo-delete" onClick={() => void undoDelete()}>
            Undo
          </button>
          <button type="button" className="btn btn-small" aria-label="Dismiss" onClick={dismissDeleted}>
            ×
          </button>
        </div>
      )}
    </>
  );
}

export function WorkspaceFilePanel() {
  const tree = useWs((s) => s.tree);
  useWs((s) => s.treeVersion); // patched in place: a new project's first file must replace the empty-folder note
  const treeError = useWs((s) => s.treeError);
  const truncated = useWs((s) => s.truncated);
  // The turn followed is a turn of this project: its files stream into this tree and editor.
  const view = useApp((s) => (s.activeProjectId !== null && s.activeTask?.projectId === s.activeProjectId ? s.view : null));
  const taskFiles = view?.files ?? null;
  const streamingPaths = useMemo(() => new Set(view ? view.fileOrder.filter((p) => view.files[p]?.state === 'streaming') : []), [view]);

  useGhostRows(view?.taskId ?? null, streamingPaths, taskFiles);

  // Follow the file a task is writing (as the generated-project view does), unless the user is editing.
  const followed = useRef(new Set<string>());
  useEffect(() => {
    for (const path of streamingPaths) {
      if (followed.current.has(path)) continue;
      followed.current.add(path);
      const s = wsStore.getState();
      const active = s.activePath ? s.docs[s.activePath] : null;
      // Nor while they watch the preview (a fix turn reloads it when done).
      if (active?.dirty || s.diff || previewShown()) continue;
      revealInTree(path);
      openDoc(path);
    }
  }, [streamingPaths]);

  // Ctrl/Cmd+S anywhere (the tree has focus, say) saves the active file rather than the web page.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.key.toLowerCase() !== 's' || e.shiftKey || e.altKey) return;
      const s = wsStore.getState();
      const path = s.diff?.kind === 'conflict' ? s.diff.path : s.activePath;
      if (!path) return;
      e.preventDefault();
      // Inside Monaco its own command saves; this is for focus elsewhere.
      if ((e.target as HTMLElement | null)?.closest?.('.monaco-editor')) return;
      if (s.docs[path]?.dirty) void saveBufferOf(path);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <section className="files ws-files" data-testid="ws-files">
      <Splitter />
      <TreeRail />
      <div className="file-tree-pane">
        <Splitter pane="tree" />
        <TreeHead />
        {treeError ? (
          <div className="file-tree-empty" role="alert">
            Could not list the folder: {errorLine(treeError)}{' '}
            <button type="button" className="btn btn-small" onClick={() => void loadTree()}>
              Retry
            </button>
          </div>
        ) : !tree ? (
          <div className="file-tree-empty">Listing the folder…</div>
        ) : tree.size === 0 ? (
          <div className="file-tree-empty" data-testid="ws-tree-empty">No files yet.</div>
        ) : (
          <WorkspaceTreeView streamingPaths={streamingPaths} />
        )}
        {truncated && <div className="ws-tree-note">Only the first entries are listed: the folder is very large.</div>}
        <TreeActionNotes />
        <FileTreeMenu />
        <FileNameDialog />
      </div>
      <WorkspaceEditorPane taskFiles={taskFiles} />
    </section>
  );
}
