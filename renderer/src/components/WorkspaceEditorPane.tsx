// The workspace's editor area: tabs of open files, the active file (Monaco, editable;
// live and read-only while a task writes it), binary files as such, and the conflict
// notice when a file changed on disk under unsaved edits.
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { errorLine } from '../lib/error-text.js';
import { formatBytes } from '../lib/format.js';
import { languageForPath } from '../lib/language.js';
import type { FileView } from '../store/task-view.js';
import { saveBufferOf, useWs, type DocState } from '../store/workspace-state.js';
import { activateTab, closeDoc, reloadDoc, showConflictDiff, takeDiskVersion } from '../store/workspace-docs.js';
import { KindIcon } from './WsIcons.js';
import { MiddleEllipsis } from './MiddleEllipsis.js';
import { DiffPane } from './DiffPane.js';
import { PreviewPane } from './PreviewPane.js';
import { PreviewTab, usePreviewTab, type PreviewTabState } from './PreviewTab.js';
import { MarkdownPreview, MarkdownPreviewToggle, useMarkdownPreview } from './MarkdownPreview.js';

const loadWorkspaceEditor = () => import('./WorkspaceMonaco.js');
const loadStreamEditor = () => import('./MonacoEditor.js');
const WorkspaceEditor = lazy(loadWorkspaceEditor);
const MonacoEditor = lazy(loadStreamEditor);
const EDITOR_PRELOAD_DELAY_MS = 2000;

function Placeholder({ children, testid }: { children: React.ReactNode; testid?: string }) {
  return (
    <div className="editor-placeholder" data-testid={testid}>
      {children}
    </div>
  );
}

function Tabs({ preview }: { preview: PreviewTabState }) {
  const tabs = useWs((s) => s.tabs);
  const active = useWs((s) => (s.diff || preview.shown ? null : s.activePath));
  const docs = useWs((s) => s.docs);
  if (tabs.length === 0 && !preview.available) return null;
  return (
    <div className="ws-tabs" role="tablist" aria-label="Open files">
      {preview.available && <PreviewTab />}
      {tabs.map((path) => {
        const doc = docs[path];
        const name = path.slice(path.lastIndexOf('/') + 1);
        const dirty = doc?.dirty ?? false;
        return (
          <div
            key={path}
            role="tab"
            aria-selected={path === active}
            className={`ws-tab${path === active ? ' active' : ''}${dirty ? ' dirty' : ''}${doc?.conflict ? ' conflict' : ''}`}
            title={path}
            data-testid="ws-tab"
            data-path={path}
            data-dirty={dirty ? 'true' : 'false'}
            tabIndex={0}
            onClick={() => {
              preview.hide();
              activateTab(path);
            }}
            onKeyDown={(e) => {
              // The tab is the keyboard stop: Enter or Space shows the file, Delete closes it (the × is for the mouse).
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                preview.hide();
                activateTab(path);
              } else if (e.key === 'Delete') closeDoc(path);
            }}
            onAuxClick={(e) => e.button === 1 && closeDoc(path)}
          >
            <KindIcon name={name} />
            <MiddleEllipsis className="ws-tab-name" text={name} />
            {/* Not a button: a button inside a tab is a nested control (axe nested-interactive); keyboard users press Delete. */}
            <span
              className="ws-tab-close"
              aria-hidden="true"
              title={dirty ? `${name} has unsaved changes — close (Delete)` : `Close ${name} (Delete)`}
              onClick={(e) => {
                e.stopPropagation();
                closeDoc(path);
              }}
            >
              <span className="ws-tab-dot">●</span>
              <span className="ws-tab-x">×</span>
            </span>
          </div>
        );
      })}
    </div>
  );
}

function ConflictNotice({ doc, byTask }: { doc: DocState; byTask: boolean }) {
  const c = doc.conflict;
  if (!c) return null;
  const who = byTask ? 'The task' : 'Something outside the editor';
  return (
    <div className="ws-conflict" role="alert" data-testid="ws-conflict">
      <span className="ws-conflict-icon" aria-hidden="true">!</span>
      <span className="ws-conflict-text">
        <strong>{c.deleted ? `${who} deleted this file` : `${who} changed this file on disk`}</strong> while you had unsaved edits.{' '}
        <span className="ws-conflict-sub">Your edits are kept until you choose.</span>
      </span>
      <span className="ws-conflict-actions">
        {!c.deleted && (
          <button type="button" className="btn btn-small" data-testid="conflict-diff" onClick={() => showConflictDiff(doc.path)}>
            Show diff
          </button>
        )}
        <button type="button" className="btn btn-small btn-primary-outline" data-testid="conflict-keep-mine" onClick={() => void saveBufferOf(doc.path)}>
          Keep mine
        </button>
        <button type="button" className="btn btn-small" data-testid="conflict-take-theirs" onClick={() => takeDiskVersion(doc.path)}>
          {c.deleted ? 'Discard my edits' : byTask ? "Take the task's version" : 'Take the version on disk'}
        </button>
      </span>
    </div>
  );
}

/** While a task writes the active file: its text live, read-only; then the disk copy, without a flash of the old text. */
function useStreamHold(path: string | null, file: FileView | null, doc: DocState | null): string | null {
  const [hold, setHold] = useState<{ path: string; text: string; reset: number } | null>(null);
  const wasStreaming = useRef<{ path: string | null; streaming: boolean }>({ path: null, streaming: false });
  const streaming = file?.state === 'streaming';
  useEffect(() => {
    const prev = wasStreaming.current;
    wasStreaming.current = { path, streaming };
    if (path && prev.path === path && prev.streaming && !streaming && file) {
      setHold({ path, text: file.streamed, reset: doc?.reset ?? 0 });
      void reloadDoc(path);
      const t = setTimeout(() => setHold(null), 1500);
      return () => clearTimeout(t);
    }
    return undefined;
  }, [path, streaming, file, doc?.reset]);
  if (streaming && file && !doc?.dirty) return file.streamed;
  // Until the reload from disk lands (it bumps `reset`), or a moment passes.
  if (hold && hold.path === path && (doc?.reset ?? 0) === hold.reset && !doc?.dirty) return hold.text;
  return null;
}

export function WorkspaceEditorPane({ taskFiles }: { taskFiles: Record<string, FileView> | null }) {
  const diff = useWs((s) => s.diff);
  const path = useWs((s) => s.activePath);
  const doc = useWs((s) => (s.activePath ? (s.docs[s.activePath] ?? null) : null));
  const file = path && taskFiles ? (taskFiles[path] ?? null) : null;
  const streamed = useStreamHold(path, file, doc);
  const preview = usePreviewTab(path);
  const mdPreview = useMarkdownPreview(path);
  // Fetch the editor chunks while the user looks at the tree, so a file (or a task's live file) opens
  // without a wait; but after the tree's first paint: parsing Monaco (~3 MB) would hold it back.
  useEffect(() => {
    const timer = setTimeout(() => {
      void loadWorkspaceEditor();
      void loadStreamEditor();
    }, EDITOR_PRELOAD_DELAY_MS);
    return () => clearTimeout(timer);
  }, []);

  // A turn started writing: fetch the live editor now, or a short file is done before Monaco loads.
  const anyStreaming = taskFiles !== null && Object.values(taskFiles).some((f) => f.state === 'streaming');
  useEffect(() => {
    if (anyStreaming) void loadStreamEditor();
  }, [anyStreaming]);

  if (diff) return <DiffPane diff={diff} />;
  if (preview.shown && preview.projectId) {
    return (
      <div className="editor-pane ws-editor-pane">
        <Tabs preview={preview} />
        <PreviewPane projectId={preview.projectId} />
      </div>
    );
  }

  const streaming = file?.state === 'streaming';
  let body: React.ReactNode;
  if (!path || !doc) {
    body = (
      <Placeholder testid="ws-editor-empty">
        <span>
          Open a file from the tree to edit it.
          <br />
          <span className="muted">
            <kbd>Ctrl</kbd>/<kbd>⌘</kbd>+<kbd>S</kbd> saves · changes a task makes can be reviewed in its Changes tab
          </span>
        </span>
      </Placeholder>
    );
  } else if (streamed !== null) {
    body = (
      <Suspense fallback={<Placeholder>Loading editor…</Placeholder>}>
        <MonacoEditor docId={`stream\u0000${path}`} path={path} value={streamed} streaming={streaming} readOnly onDirtyChange={() => undefined} onSave={async () => false} />
      </Suspense>
    );
  } else if (doc.status === 'loading') {
    body = <Placeholder>Loading…</Placeholder>;
  } else if (doc.status === 'error') {
    body = <Placeholder>{doc.error ? errorLine(doc.error) : 'Could not open the file.'}</Placeholder>;
  } else if (doc.status === 'deleted' && !doc.conflict) {
    body = (
      <Placeholder testid="ws-editor-deleted">
        <span>
          {path} is not on disk (deleted or not written yet).
          <br />
          <button type="button" className="btn btn-small" onClick={() => closeDoc(path)}>
            Close tab
          </button>
        </span>
      </Placeholder>
    );
  } else if (doc.binary) {
    body = (
      <Placeholder testid="ws-editor-binary">
        <span className="ws-binary">
          <strong>Binary file</strong>, {doc.size.toLocaleString('en-US')} bytes — not shown
        </span>
      </Placeholder>
    );
  } else if (mdPreview.on && doc.status === 'ready' && doc.disk !== null) {
    body = <MarkdownPreview path={path} text={doc.disk} dirty={doc.dirty} />;
  } else {
    body = (
      <Suspense fallback={<Placeholder>Loading editor…</Placeholder>}>
        <WorkspaceEditor path={path} doc={doc} />
      </Suspense>
    );
  }

  return (
    <div className="editor-pane ws-editor-pane">
      <Tabs preview={preview} />
      {path && doc && (
        <div className="ws-crumbs">
          <span className="ws-crumb-path" title={path}>
            {path.split('/').map((part, i, all) => (
              <span key={i} className={i === all.length - 1 ? 'ws-crumb-last' : undefined}>
                {part}
                {i < all.length - 1 && <span className="ws-crumb-sep">›</span>}
              </span>
            ))}
            {doc.dirty && (
              <span className="dirty-dot" title="Unsaved changes (Ctrl/Cmd+S to save)" data-testid="dirty-marker">
                ●
              </span>
            )}
          </span>
          <span className="editor-meta">
            {streaming && (
              <span className="badge badge-running" data-testid="ws-writing">
                <span className="badge-pulse" />
                writing · read-only
              </span>
            )}
            {mdPreview.available && !streaming && doc.status === 'ready' && <MarkdownPreviewToggle on={mdPreview.on} toggle={mdPreview.toggle} />}
            {!doc.binary && <span>{languageForPath(path)}</span>}
            {doc.status === 'ready' && <span>{formatBytes(doc.size)}</span>}
            {doc.dirty && (
              <button type="button" className="btn btn-small" data-testid="save-button" disabled={doc.saving} onClick={() => void saveBufferOf(path)}>
                {doc.saving ? 'Saving…' : 'Save'}
              </button>
            )}
          </span>
        </div>
      )}
      {doc && <ConflictNotice doc={doc} byTask={file !== null} />}
      {body}
    </div>
  );
}
