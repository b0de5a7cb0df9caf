// The project's versions: newest first, with number, message, kind, time, files changed,
// and the current / undone marks. Click one: its changed files (the diff of each in the
// file pane). Restore this version, Undo last turn (each asks first, in the pane, saying
// what will happen), Export zip of a version.
import { useCallback, useEffect, useState } from 'react';
import type { ProjectVersion } from '../../../shared/index.js';
import { describeError, errorLine } from '../lib/error-text.js';
import { formatRelativeTime } from '../lib/format.js';
import { VERSION_KIND_LABEL } from '../lib/project-text.js';
import { restoreQuestion, undoTurnQuestion } from '../lib/version-text.js';
import { selectActiveProject, useApp } from '../store/app-state.js';
import { exportProject } from '../store/exporting.js';
import { loadVersions, openVersion, restoreVersion, showVersionFileDiff, undoLastTurn } from '../store/versions.js';
import { useWs } from '../store/workspace-state.js';
import { ChangeStatusMark } from './ChangeStatusMark.js';
import { KindIcon } from './WsIcons.js';

function VersionFiles({ version }: { version: ProjectVersion }) {
  const files = useApp((s) => s.versions?.files ?? null);
  const error = useApp((s) => s.versions?.filesError ?? null);
  const shown = useWs((s) => (s.diff?.kind === 'version' && s.diff.versionId === version.id ? s.diff.path : null));
  if (error) return <div className="version-files-note" role="alert">{errorLine(error)}</div>;
  if (!files) return <div className="version-files-note muted">Loading the changes…</div>;
  if (files.length === 0) return <div className="version-files-note muted">No file changed in this version.</div>;
  return (
    <ul className="version-files" data-testid="version-files">
      {files.map((f) => {
        const name = f.path.slice(f.path.lastIndexOf('/') + 1);
        return (
          <li key={f.path}>
            <button type="button" className={`version-file${shown === f.path ? ' selected' : ''}`} data-testid="version-file" data-path={f.path} onClick={() => showVersionFileDiff(version.id, f)}>
              <ChangeStatusMark status={f.status} />
              <KindIcon name={name} />
              <span className="change-path">{f.path}</span>
              {f.binary && <span className="muted">binary</span>}
            </button>
          </li>
        );
      })}
    </ul>
  );
}

/** What the pane is asking about: a restore of one version, or undoing the last turn. */
type Asking = { kind: 'restore'; versionId: string } | { kind: 'undo' };

/** The same in-pane question as the opened folder's Undo task: the sentence, Cancel, and the action named. */
function ConfirmBar({ question, action, onCancel, onConfirm }: { question: string; action: string; onCancel: () => void; onConfirm: () => void }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onCancel();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onCancel]);
  return (
    <div className="changes-confirm version-confirm" role="alertdialog" aria-label={action} data-testid="version-confirm">
      <span data-testid="version-confirm-text">{question}</span>
      <span className="changes-confirm-actions">
        <button type="button" className="btn btn-small" data-testid="version-confirm-cancel" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="btn btn-small btn-primary-outline" data-testid="version-confirm-button" autoFocus onClick={onConfirm}>
          {action}
        </button>
      </span>
    </div>
  );
}

interface VersionRowProps {
  v: ProjectVersion;
  open: boolean;
  now: number;
  busy: boolean;
  projectId: string;
  onRestore: () => void;
  /** The restore question, asked under the row's own buttons. */
  confirm: React.ReactNode;
}

function VersionRow({ v, open, now, busy, projectId, onRestore, confirm }: VersionRowProps) {
  return (
    <li className={`version-row${open ? ' open' : ''}${v.undone ? ' undone' : ''}${v.current ? ' current' : ''}`} data-testid="version-row" data-number={v.number} data-current={v.current ? 'true' : 'false'} data-undone={v.undone ? 'true' : 'false'}>
      <div className="version-main">
        <button type="button" className="version-open" aria-expanded={open} onClick={() => void openVersion(v.id)} title="Show what this version changed">
          <span className={`chevron${open ? ' open' : ''}`} aria-hidden="true">›</span>
          <span className="version-number">v{v.number}</span>
          <span className="version-message" title={v.message}>
            {v.message}
          </span>
        </button>
        <span className="version-meta">
          <span className={`version-kind kind-${v.kind}`}>{VERSION_KIND_LABEL[v.kind]}</span>
          <span className="version-marks">
            {v.current && <span className="badge badge-succeeded" data-testid="version-current">current</span>}
            {v.undone && <span className="badge turn-undone-badge" data-testid="version-undone">undone</span>}
            {v.working && (
              <span className="badge badge-succeeded" data-testid="version-working" title="Its tests and its web check's scenarios passed">
                working
              </span>
            )}
          </span>
          <span className="version-files-count">
            {v.filesChanged} file{v.filesChanged === 1 ? '' : 's'}
          </span>
          <span className="version-time" title={new Date(v.createdAt).toLocaleString()}>
            {formatRelativeTime(v.createdAt, now)}
          </span>
        </span>
      </div>
      {open && (
        <div className="version-detail">
          <div className="version-actions">
            {!v.current && (
              <button type="button" className="btn btn-small btn-primary-outline" data-testid="version-restore" disabled={busy} onClick={onRestore}>
                Restore this version
              </button>
            )}
            <button type="button" className="btn btn-small" data-testid="version-export" onClick={() => void exportProject(projectId, v.id)}>
              Export zip
            </button>
          </div>
          {confirm}
          <VersionFiles version={v} />
        </div>
      )}
    </li>
  );
}

export function VersionsPanel() {
  const project = useApp(selectActiveProject);
  const state = useApp((s) => (s.versions && s.versions.projectId === s.activeProjectId ? s.versions : null));
  const hasTurnVersion = state?.rows?.some((v) => v.kind === 'turn' && !v.undone) ?? false;
  const now = Date.now();
  const [asking, setAsking] = useState<Asking | null>(null);
  const cancel = useCallback(() => setAsking(null), []);
  useEffect(() => setAsking(null), [project?.id]);
  useEffect(() => {
    if (project && !state) void loadVersions(project.id);
  }, [project, state]);
  if (!project) return null;
  const rows = state?.rows ? [...state.rows].reverse() : null;
  const actionErr = state?.actionError ? describeError(state.actionError) : null;
  const restoreTarget = asking?.kind === 'restore' ? rows?.find((v) => v.id === asking.versionId) : undefined;
  const question = !rows || !asking ? null : asking.kind === 'undo' ? undoTurnQuestion(rows) : restoreTarget ? restoreQuestion(rows, restoreTarget) : null;
  const confirm = () => {
    setAsking(null);
    if (asking?.kind === 'undo') void undoLastTurn();
    else if (restoreTarget) void restoreVersion(restoreTarget.id);
  };
  return (
    <div className="versions-scroll" data-testid="versions-panel">
      <div className="versions">
        <div className="versions-head">
          <span className="versions-title">
            Versions
            {state?.backend && <span className="versions-backend muted">{state.backend === 'git' ? ' · a git repository, one commit per turn' : ' · private snapshots (your branch is never touched)'}</span>}
          </span>
          <span className="versions-tools">
            <button type="button" className="btn btn-small" data-testid="undo-last-turn" disabled={!hasTurnVersion || state?.busy} onClick={() => setAsking({ kind: 'undo' })} title="Bring the files back to the version before the last turn (as a new version)">
              {state?.busy && <span className="spinner" aria-hidden="true" />}
              Undo last turn
            </button>
            <button type="button" className="btn btn-small" data-testid="versions-export-current" onClick={() => void exportProject(project.id)}>
              Export zip
            </button>
          </span>
        </div>
        {question && asking?.kind === 'undo' && <ConfirmBar question={question} action="Undo last turn" onCancel={cancel} onConfirm={confirm} />}
        {state?.notice && <div className="versions-notice" data-testid="versions-notice">{state.notice}</div>}
        {actionErr && (
          <div className="versions-error" role="alert" data-testid="versions-error">
            {actionErr.text}
            {actionErr.detail && <span className="notice-detail">{actionErr.detail}</span>}
          </div>
        )}
        {state?.error ? (
          <div className="versions-error" role="alert">
            Could not list the versions: {errorLine(state.error)}{' '}
            <button type="button" className="btn btn-small" onClick={() => void loadVersions(project.id)}>
              Retry
            </button>
          </div>
        ) : !rows ? (
          <div className="versions-empty muted">Loading…</div>
        ) : rows.length === 0 ? (
          <div className="versions-empty muted" data-testid="versions-empty">No versions yet: every turn that changes files makes one.</div>
        ) : (
          <ul className="version-list" data-testid="version-list">
            {rows.map((v) => (
              <VersionRow key={v.id} v={v} open={state?.openId === v.id} now={now} busy={state?.busy ?? false} projectId={project.id} onRestore={() => setAsking({ kind: 'restore', versionId: v.id })}
                confirm={question && restoreTarget?.id === v.id ? <ConfirmBar question={question} action={`Restore version ${v.number}`} onCancel={cancel} onConfirm={confirm} /> : null}
              />
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
