import type { TaskStatus } from '../../../shared/index.js';

const LABEL: Record<TaskStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Done',
  failed: 'Failed',
  cancelled: 'Stopped',
};

export function StatusBadge({ status }: { status: TaskStatus }) {
  return (
    <span className={`badge badge-${status}`} data-status={status}>
      {status === 'running' && <span className="badge-pulse" aria-hidden="true" />}
      {LABEL[status]}
    </span>
  );
}
