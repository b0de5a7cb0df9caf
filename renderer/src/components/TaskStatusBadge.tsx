import type { Task } from '../../../shared/index.js';
import { useNow } from '../hooks/use-now.js';
import { retryWaitMs } from '../lib/status.js';
import { StatusBadge } from './StatusBadge.js';

/** A queued task waiting on its retry backoff counts down: "Retrying in 4 s". */
function RetryCountdown({ task }: { task: Task }) {
  const now = useNow(250);
  const left = retryWaitMs(task, now);
  if (left === null) return <StatusBadge status={task.status} />;
  const attempt = task.attempts + 1;
  return (
    <StatusBadge
      status={task.status}
      variant="retrying"
      label={`Retrying in ${Math.ceil(left / 1000)} s`}
      title={`Attempt ${attempt} of ${task.maxAttempts} starts at ${new Date(task.notBefore ?? now).toLocaleTimeString()}`}
    />
  );
}

/** The badge for a task row: its status, or the retry countdown while a backoff runs. */
export function TaskStatusBadge({ task }: { task: Task }) {
  if (task.status === 'queued' && task.notBefore !== null && task.notBefore !== undefined && task.notBefore > Date.now()) {
    return <RetryCountdown task={task} />;
  }
  return <StatusBadge status={task.status} />;
}
