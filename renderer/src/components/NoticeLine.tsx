import type { Notice } from '../store/task-view.js';
import { describeError } from '../lib/error-text.js';
import { InlineCode } from './InlineCode.js';

export function NoticeLine({ notice, model }: { notice: Notice; model: string | null }) {
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
    return (
      <div className="notice notice-error" data-testid="notice-status" role="alert">
        <span className="notice-icon" aria-hidden="true">✕</span>
        <span>
          <strong>
            <InlineCode text={d.text} />
          </strong>
          {d.detail && <span className="notice-detail">{d.detail}</span>}
        </span>
      </div>
    );
  }
  return null;
}
