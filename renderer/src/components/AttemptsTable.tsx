import type { Task } from '../../../shared/index.js';
import { useNow } from '../hooks/use-now.js';
import { useTaskAttempts, type AttemptRow } from '../hooks/use-task-attempts.js';
import { errorLine, shortError } from '../lib/error-text.js';
import { formatDuration, formatOffset } from '../lib/format.js';

/** The engine's outcome words, in the UI's status words ("retrying": this attempt failed and another was scheduled). */
const OUTCOME_LABEL: Record<AttemptRow['outcome'], string> = {
  running: 'running',
  succeeded: 'done',
  failed: 'failed',
  cancelled: 'stopped',
  interrupted: 'interrupted',
  retrying: 'failed → retry',
};

function Row({ row, task, now, errors }: { row: AttemptRow; task: Task; now: number; errors: boolean }) {
  const end = row.finishedAt ?? (row.outcome === 'running' ? now : null);
  return (
    <tr data-testid="attempt-row" data-outcome={row.outcome}>
      <td className="num">{row.attempt}</td>
      <td className="worker" title={row.worker}>
        {row.worker}
      </td>
      <td className="num" title={new Date(row.startedAt).toLocaleString()}>
        {formatOffset(row.startedAt - task.createdAt)}
      </td>
      <td className="num">{end !== null ? formatDuration(end - row.startedAt) : '—'}</td>
      <td>
        <span className={`outcome outcome-${row.outcome}`}>{OUTCOME_LABEL[row.outcome]}</span>
      </td>
      {errors && (
        <td className="attempt-error" data-testid="attempt-error" title={row.error ? `${row.error.code}: ${errorLine(row.error, { model: task.model })}` : undefined}>
          {row.error ? shortError(row.error) : null}
        </td>
      )}
    </tr>
  );
}

/** One row per attempt (tasks.attempts): which worker ran it, when, for how long, how it ended. */
export function AttemptsTable({ task }: { task: Task }) {
  const key = `${task.status}:${task.attempts}:${task.startedAt ?? ''}:${task.finishedAt ?? ''}`;
  const state = useTaskAttempts(task.id, key);
  const now = useNow(task.status === 'running' ? 1_000 : 60_000);
  const rows = state.rows;
  // An empty Error column only takes width from a narrow pane (it was cut off at the right edge).
  const errors = rows?.some((r) => r.error !== null) ?? false;
  return (
    <section className="detail-section">
      <h3>
        Attempts <span className="detail-count">{rows ? rows.length : ''}</span>
      </h3>
      {state.status === 'error' && <div className="notice notice-error">Could not load the attempts: {errorLine(state.error)}</div>}
      {rows === null && state.status === 'loading' && <div className="detail-empty">Loading…</div>}
      {rows !== null && rows.length === 0 && <div className="detail-empty">No attempt has started yet.</div>}
      {rows !== null && rows.length > 0 && (
        <table className="attempts-table" data-testid="attempts-table">
          <thead>
            <tr>
              <th className="num">#</th>
              <th>Worker</th>
              <th className="num">Start</th>
              <th className="num">Took</th>
              <th>Outcome</th>
              {errors && <th>Error</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <Row key={r.attempt} row={r} task={task} now={now} errors={errors} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
