import type { Notice } from '../store/task-view.js';
import { describeError } from '../lib/error-text.js';
import { InlineCode } from './InlineCode.js';
import { ErrorNotice } from './ErrorNotice.js';
import { formatDelay } from '../lib/format.js';

/** `build`: a build task, whose next attempt continues from its steps instead of starting the answer over. */
export function NoticeLine({ notice, model, build = false }: { notice: Notice; model: string | null; build?: boolean }) {
  if (notice.kind === 'refused') {
    return (
      <div className="notice notice-warn" data-testid="notice-refused" role="status">
        <span className="notice-icon" aria-hidden="true">⚠</span>
        <span>
          Refused to write <code>{notice.path}</code>: {notice.reason.replace(/\.$/, '')}
        </span>
      </div>
    );
  }
  if (notice.kind === 'log') {
    if (notice.level === 'info') return <div className="notice notice-info">{notice.message}</div>;
    return (
      <div className={`notice notice-${notice.level === 'error' ? 'error' : 'warn'}`}>
        <span className="notice-icon" aria-hidden="true">{notice.level === 'error' ? '✕' : '⚠'}</span>
        <span>{notice.message}</span>
      </div>
    );
  }
  if (notice.status === 'queued' && notice.reason === 'waiting for Ollama') {
    // queue/task-queue.ts WAITING_FOR_OLLAMA: the attempt is given back; the task runs again when Ollama answers.
    const host = typeof notice.error?.details?.host === 'string' ? notice.error.details.host : 'its host';
    const until = typeof notice.error?.details?.waitUntil === 'number' ? new Date(notice.error.details.waitUntil) : null;
    return (
      <div className="notice notice-warn" data-testid="notice-waiting-ollama" role="status">
        <span className="notice-icon" aria-hidden="true">⏸</span>
        <span>
          <strong>Ollama at {host} is not answering.</strong> The task waits for it and goes on as soon as it answers
          {until ? ` (until ${until.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}, then it fails)` : ''}; this does not use up an attempt.
        </span>
      </div>
    );
  }
  if (notice.status === 'queued' && (notice.retryInMs !== null || notice.error)) {
    const cause = notice.error ? describeError(notice.error, { model }) : null;
    return (
      <div className="notice notice-warn" data-testid="notice-retry" role="status">
        <span className="notice-icon" aria-hidden="true">↻</span>
        <span>
          <strong>
            {notice.attempt !== null ? `Attempt ${notice.attempt} failed` : 'This attempt failed'}
            {cause ? ': ' : '.'}
            {cause && <InlineCode text={cause.text} />}
          </strong>{' '}
          {notice.retryInMs !== null
            ? `Retrying in ${formatDelay(notice.retryInMs)}${build ? '.' : '; the answer starts again from the beginning.'}`
            : 'Queued again.'}
          {cause?.detail && <span className="notice-detail">{cause.detail}</span>}
        </span>
      </div>
    );
  }
  if (notice.status === 'queued' && notice.reason) {
    return (
      <div className="notice notice-muted" data-testid="notice-requeued">
        <span className="notice-icon" aria-hidden="true">↻</span>
        <span>Queued again ({notice.reason}).{build ? '' : ' The answer will be generated again from the start.'}</span>
      </div>
    );
  }
  if (notice.status === 'interrupted') {
    return (
      <div className="notice notice-warn" data-testid="notice-interrupted" role="status">
        <span className="notice-icon" aria-hidden="true">⚡</span>
        <span>
          The process running this attempt stopped (a crash, kill or shutdown){notice.reason ? ` — ${notice.reason}` : ''}. The task goes back
          to the queue while attempts are left; what arrived is kept.
        </span>
      </div>
    );
  }
  if (notice.status === 'succeeded' && notice.error) {
    // A success with a warning (CONTEXT_OVERFLOW: the answer outgrew num_ctx): done, but not cleanly.
    const d = describeError(notice.error, { model });
    return <ErrorNotice error={d} tone="warn" icon="⚠" role="status" testId="notice-succeeded-warning" />;
  }
  if (notice.status === 'cancelled' && notice.error) {
    // Stopped by the engine, not the user (e.g. over the time budget): say why.
    const d = describeError(notice.error, { model });
    return <ErrorNotice error={d} tone="warn" icon="■" role="status" testId="notice-status" />;
  }
  if (notice.status === 'cancelled') {
    return (
      <div className="notice notice-muted" data-testid="notice-status">
        <span className="notice-icon" aria-hidden="true">■</span>
        <span>Stopped. What arrived before that is kept.</span>
      </div>
    );
  }
  if (notice.status === 'failed') {
    const d = notice.error ? describeError(notice.error, { model }) : { text: 'The task failed.', detail: null };
    return <ErrorNotice error={d} testId="notice-status" />;
  }
  return null;
}
