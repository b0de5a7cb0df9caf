import type { TaskStatus } from '../../../shared/index.js';
import { STATUS_LABEL } from '../lib/status.js';

export function StatusBadge({ status, label, variant, title }: { status: TaskStatus; label?: string; variant?: 'retrying'; title?: string }) {
  return (
    <span className={`badge badge-${variant ?? status}`} data-status={status} data-testid="status-badge" data-variant={variant} title={title}>
      {(status === 'running' || variant === 'retrying') && <span className="badge-pulse" aria-hidden="true" />}
      {label ?? STATUS_LABEL[status]}
    </span>
  );
}
