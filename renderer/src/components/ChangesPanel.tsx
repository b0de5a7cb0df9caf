// A folder task's changes: every file it added, modified or deleted, the diff of each
// (in the file panel), accept / revert per file, Accept all and Undo task.
import { useEffect } from 'react';
import type { FileChange, Task } from '../../../shared/index.js';
import { errorLine } from '../lib/error-text.js';
import { formatBytes } from '../lib/format.js';
import type { TaskView } from '../store/task-view.js';
import { acceptAll, acceptFile, askUndo, changeCounts, changedFiles, changesSummary, loadChanges, openTaskDiff, revertFile, scheduleChangesRefresh, undoTask, useChanges } from '../store/changes.js';
import { useWs } from '../store/workspace-state.js';
import { ChangeStatusMark } from './ChangeStatusMark.js';
import { ContextSummary } from './ContextSummary.js';
import { KindIcon } from './WsIcons.js';

function sizeChange(c: FileChange): string {
  if (c.status === 'added' && c.after) return formatBytes(c.after.size);
  if (c.status === 'deleted' && c.before) return formatBytes(c.before.size);
  if (c.before && c.after) {
    const d = c.after.size - c.before.size;
    return d === 0 ? 'same size' : `${d > 0 ? '+' : '−'}${formatBytes(Math.abs(d))}`;
  }
  return '';
}

function ChangeRow({ task, change }: { task: Task; change: FileChange }) {
  const busy = useChanges((s) => s.busy[change.path] ?? null);
  const bulk = useChanges((s) => s.bulk);
  const selected = useWs((s) => s.diff?.kind === 'task' && s.diff.taskId === task.id && s.diff.path === change.path);
  const name = change.path.slice(change.path.lastIndexOf('/') + 1);
  const dir = change.path.includes('/') ? change.path.slice(0, change.path.lastIndexOf('/') + 1) : '';
  const settled = change.status === 'unchanged' || change.accepted;
  return (
    <li
      className={`change-row${selected ? ' selected' : ''}${settled ? ' settled' : ''}`}
      data-testid="change-row"
      data-path={change.path}
      data-status={change.status}
      data-accepted={change.accepted ? 'true' : 'false'}
    >
      <button type="button" className="change-open" title={`Show the diff of ${change.path}`} onClick={() => openTaskDiff(task.id, task.workspacePath, change)}>
        <ChangeStatusMark status={change.status} />
        <KindIcon name={name} />
        <span className="change-path">
          <span className="change-name">{name}</span>
          <span className="change-dir">{dir}</span>
        </span>
        <span className="change-size">{sizeChange(change)}</span>
      </button>
      <span className="change-actions">
        {change.accepted && <span className="badge badge-succeeded">accepted</span>}
        {change.status === 'unchanged' && <span className="badge badge-queued">reverted</span>}
        {!settled && (
          <>
            <button
              type="button"
              className="btn btn-small"
              data-testid="change-revert"
              disabled={busy !== null || bulk !== null}
              title="Put this file back as it was before the task"
              onClick={() => void revertFile(change.path)}
            >
              {busy === 'revert' && <span className="spinner" aria-hidden="true" />}
              Revert
            </button>
            <button
              type="button"
              className="btn btn-small btn-primary-outline"
              data-testid="change-accept"
              disabled={busy !== null || bulk !== null}
              title="Keep the task's version"
              onClick={() => void acceptFile(change.path)}
            >
              {busy === 'accept' && <span className="spinner" aria-hidden="true" />}
              Accept
            </button>
          </>
        )}
      </span>
    </li>
  );
}

export function ChangesPanel({ task, view }: { task: Task; view: TaskView }) {
  const state = useChanges((s) => (s.taskId === task.id ? s : null));
  const running = task.status === 'running' || task.status === 'queued';

  // Load on open, and again as the task writes (file events) and when it ends.
  useEffect(() => {
    void loadChanges(task.id, task.workspacePath);
  }, [task.id, task.workspacePath]);
  useEffect(() => {
    scheduleChangesRefresh(running ? 500 : 100);
  }, [task.status, view.fileOrder.length, running]);

  const list = state?.list ?? [];
  const shown = changedFiles(list);
  const reverted = list.filter((c) => c.status === 'unchanged');
  const counts = changeCounts(list);
  const summary = changesSummary(list, { loaded: state?.loaded ?? false, running });
  const bulk = state?.bulk ?? null;

  return (
    <div className="detail-scroll" data-testid="changes-panel">
      <div className="detail changes">
        {view.context && <ContextSummary selection={view.context} />}
        <div className="changes-head">
          <div className="changes-summary" data-testid="changes-summary">
            {summary.text !== null ? (
              <span className="muted">{summary.text}</span>
            ) : (
              <>
                <strong>
                  {counts.total} file{counts.total === 1 ? '' : 's'} changed
                </strong>
                {counts.added > 0 && <span className="change-count change-added">+{counts.added} added</span>}
                {counts.modified > 0 && <span className="change-count change-modified">~{counts.modified} modified</span>}
                {counts.deleted > 0 && <span className="change-count change-deleted">−{counts.deleted} deleted</span>}
                {summary.reverted > 0 && <span className="change-count">· {summary.reverted} reverted</span>}
              </>
            )}
            {state?.loading && <span className="spinner changes-spinner" aria-label="Refreshing" />}
          </div>
          <div className="changes-actions">
            <button
              type="button"
              className="btn btn-small btn-primary-outline"
              data-testid="changes-accept-all"
              disabled={counts.pending === 0 || bulk !== null || running}
              title="Keep every change of this task"
              onClick={() => void acceptAll()}
            >
              {bulk === 'accept' && <span className="spinner" aria-hidden="true" />}
              Accept all
            </button>
            <button
              type="button"
              className="btn btn-small btn-stop"
              data-testid="changes-undo"
              disabled={!summary.undoable || bulk !== null}
              title={summary.undone ? 'Every file this task touched is back as it was' : 'Restore every file this task touched, exactly as it was before'}
              onClick={() => askUndo(true)}
            >
              {bulk === 'undo' && <span className="spinner" aria-hidden="true" />}
              {summary.undone ? 'Undone' : 'Undo task'}
            </button>
          </div>
        </div>
        {state?.confirmUndo && (
          <div className="changes-confirm" role="alertdialog" aria-label="Undo the task?" data-testid="undo-confirm">
            <span>
              <strong>Undo this task?</strong> Every file it touched goes back to how it was before it ran: created files are deleted, deleted files come back,
              accepted changes too.
            </span>
            <span className="changes-confirm-actions">
              <button type="button" className="btn btn-small" onClick={() => askUndo(false)}>
                Cancel
              </button>
              <button type="button" className="btn btn-small btn-stop" data-testid="undo-confirm-button" onClick={() => void undoTask()}>
                Undo task
              </button>
            </span>
          </div>
        )}
        {state?.error && (
          <div className="notice notice-error" role="alert">
            Could not load the changes: {errorLine(state.error)}
          </div>
        )}
        {state?.backend && (
          <div className="changes-backend muted">
            Snapshot: {state.backend === 'git' ? 'a private git ref (your branch and index are untouched)' : 'a copy in the data folder'}
          </div>
        )}
        <ul className="change-list" data-testid="change-list">
          {shown.map((c) => (
            <ChangeRow key={c.path} task={task} change={c} />
          ))}
          {reverted.map((c) => (
            <ChangeRow key={c.path} task={task} change={c} />
          ))}
        </ul>
      </div>
    </div>
  );
}
