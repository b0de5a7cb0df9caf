import { useState } from 'react';
import type { Task } from '../../../shared/index.js';
import { cancelTask, retryTask } from '../store/task-actions.js';
import { canRetry, isActive } from '../lib/status.js';

/** Cancel (queued / running) or Retry (failed / cancelled) for one task. */
export function TaskActions({ task }: { task: Task }) {
  const [busy, setBusy] = useState(false);
  const run = async (fn: (id: string) => Promise<void>) => {
    setBusy(true);
    try {
      await fn(task.id);
    } finally {
      setBusy(false);
    }
  };
  if (isActive(task.status)) {
    return (
      <button
        type="button"
        className="btn btn-small btn-stop"
        data-testid="cancel-button"
        disabled={busy}
        onClick={() => void run(cancelTask)}
        title={task.status === 'running' ? 'Stop the running generation (what arrived is kept)' : 'Take it out of the queue'}
      >
        <span className="stop-square" aria-hidden="true" />
        {task.status === 'running' ? 'Stop' : 'Cancel'}
      </button>
    );
  }
  if (canRetry(task.status)) {
    return (
      <button
        type="button"
        className="btn btn-small"
        data-testid="retry-button"
        disabled={busy}
        onClick={() => void run(retryTask)}
        title="Queue it again as a new attempt (the answer is generated again from the start)"
      >
        <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
          <path d="M13 8a5 5 0 1 1-1.46-3.54" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" />
          <path d="M12.2 1.6v3.2H9" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        Retry
      </button>
    );
  }
  return null;
}
