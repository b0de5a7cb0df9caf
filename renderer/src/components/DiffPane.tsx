// The diff editor in the file panel: a task's change to one file (before → now) with
// Accept / Revert, or a conflict (the version on disk → your unsaved buffer).
import { lazy, Suspense } from 'react';
import { errorLine } from '../lib/error-text.js';
import { acceptFile, revertFile, useChanges } from '../store/changes.js';
import { closeDiff, takeDiskVersion } from '../store/workspace-docs.js';
import { saveBufferOf, useWs, type DiffTarget } from '../store/workspace-state.js';
import { ChangeStatusMark } from './ChangeStatusMark.js';

const DiffView = lazy(() => import('./WorkspaceMonaco.js').then((m) => ({ default: m.DiffView })));

function Placeholder({ children }: { children: React.ReactNode }) {
  return <div className="editor-placeholder">{children}</div>;
}

function CloseButton() {
  return (
    <button type="button" className="btn btn-ghost btn-small ws-diff-close" aria-label="Close the diff" title="Close the diff" data-testid="diff-close" onClick={closeDiff}>
      ×
    </button>
  );
}

function TaskDiffHead({ diff }: { diff: Extract<DiffTarget, { kind: 'task' }> }) {
  const change = useChanges((s) => (s.taskId === diff.taskId ? (s.list.find((c) => c.path === diff.path) ?? null) : null));
  const busy = useChanges((s) => s.busy[diff.path] ?? null);
  const status = change?.status ?? diff.status;
  const settled = status === 'unchanged' || change?.accepted;
  return (
    <div className="pane-head editor-head ws-diff-head" data-testid="diff-head" data-path={diff.path}>
      <ChangeStatusMark status={status} />
      <span className="editor-path" title={diff.path}>
        {diff.path}
      </span>
      <span className="ws-diff-sides muted">before ↔ after the task</span>
      <span className="editor-meta">
        {change?.accepted && <span className="badge badge-succeeded">accepted</span>}
        {status === 'unchanged' && <span className="badge badge-queued">reverted</span>}
        {!settled && (
          <>
            <button type="button" className="btn btn-small" data-testid="diff-revert" disabled={busy !== null} onClick={() => void revertFile(diff.path)}>
              {busy === 'revert' ? <span className="spinner" aria-hidden="true" /> : null}
              Revert
            </button>
            <button type="button" className="btn btn-small btn-primary-outline" data-testid="diff-accept" disabled={busy !== null} onClick={() => void acceptFile(diff.path)}>
              {busy === 'accept' ? <span className="spinner" aria-hidden="true" /> : null}
              Accept
            </button>
          </>
        )}
        <CloseButton />
      </span>
    </div>
  );
}

function VersionDiffHead({ diff }: { diff: Extract<DiffTarget, { kind: 'version' }> }) {
  return (
    <div className="pane-head editor-head ws-diff-head" data-testid="diff-head" data-path={diff.path} data-version={diff.versionId}>
      <ChangeStatusMark status={diff.status} />
      <span className="editor-path" title={diff.path}>
        {diff.path}
      </span>
      <span className="ws-diff-sides muted">{diff.label}</span>
      <span className="editor-meta">
        <CloseButton />
      </span>
    </div>
  );
}

export function DiffPane({ diff }: { diff: DiffTarget }) {
  const doc = useWs((s) => (diff.kind === 'conflict' ? (s.docs[diff.path] ?? null) : null));

  if (diff.kind === 'conflict') {
    const theirs = doc?.conflict?.theirs;
    return (
      <div className="editor-pane ws-diff">
        <div className="pane-head editor-head ws-diff-head" data-testid="diff-head" data-path={diff.path}>
          <span className="ws-conflict-icon" aria-hidden="true">!</span>
          <span className="editor-path" title={diff.path}>
            {diff.path}
          </span>
          <span className="ws-diff-sides muted">on disk ↔ your unsaved edits</span>
          <span className="editor-meta">
            {doc?.conflict && (
              <>
                <button type="button" className="btn btn-small btn-primary-outline" data-testid="conflict-diff-keep-mine" onClick={() => void saveBufferOf(diff.path)}>
                  Keep mine
                </button>
                <button type="button" className="btn btn-small" data-testid="conflict-diff-take-theirs" onClick={() => takeDiskVersion(diff.path)}>
                  Take the version on disk
                </button>
              </>
            )}
            <CloseButton />
          </span>
        </div>
        {theirs === undefined || theirs === null ? (
          <Placeholder>{doc?.conflict ? 'The file on disk is binary or gone.' : 'Resolved: the buffer and the disk agree.'}</Placeholder>
        ) : (
          <Suspense fallback={<Placeholder>Loading diff…</Placeholder>}>
            <DiffView path={diff.path} original={theirs} modified={{ buffer: diff.path }} />
          </Suspense>
        )}
      </div>
    );
  }

  if (diff.kind === 'version') {
    return (
      <div className="editor-pane ws-diff" data-testid="version-diff">
        <VersionDiffHead diff={diff} />
        {diff.binary ? (
          <Placeholder>Binary file — no text diff.</Placeholder>
        ) : (
          <Suspense fallback={<Placeholder>Loading diff…</Placeholder>}>
            <DiffView path={diff.path} original={diff.before ?? ''} modified={{ text: diff.after ?? '' }} />
          </Suspense>
        )}
      </div>
    );
  }

  let body: React.ReactNode;
  if (diff.loading && diff.before === null) body = <Placeholder>Loading diff…</Placeholder>;
  else if (diff.error) body = <Placeholder>{errorLine(diff.error)}</Placeholder>;
  else if (diff.binary) body = <Placeholder>Binary file — no text diff.</Placeholder>;
  else
    body = (
      <Suspense fallback={<Placeholder>Loading diff…</Placeholder>}>
        <DiffView path={diff.path} original={diff.before ?? ''} modified={{ text: diff.after ?? '' }} />
      </Suspense>
    );
  return (
    <div className="editor-pane ws-diff">
      <TaskDiffHead diff={diff} />
      {body}
    </div>
  );
}
