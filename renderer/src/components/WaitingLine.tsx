import type { Task } from '../../../shared/index.js';
import { useNow } from '../hooks/use-now.js';
import { retryWaitMs } from '../lib/status.js';
import { formatElapsed } from '../lib/format.js';

interface Props {
  task: Task | null;
  status: Task['status'];
  loaded: boolean;
  /** The current attempt already ran and a retry is pending. */
  retryPending: boolean;
}

/** What the task is waiting for, in words (exported for tests). */
export function waitingText({ task, status, loaded, retryPending }: Props, now: number): string {
  if (!loaded) return 'Loading…';
  if (status === 'interrupted') return 'Interrupted — about to be queued again…';
  if (status === 'queued' && task?.error?.code === 'OLLAMA_UNREACHABLE' && task.notBefore !== null) {
    // Ollama is stopped or restarting: the task waits for it (the queue's ollama-wait), not counted as attempts.
    const host = typeof task.error.details?.host === 'string' ? task.error.details.host : 'its host';
    const left = retryWaitMs(task, now);
    return left !== null ? `Waiting for Ollama at ${host} — next try in ${Math.ceil(left / 1000)} s…` : `Waiting for Ollama at ${host} — trying now…`;
  }
  if (status === 'queued' && retryPending && task) {
    const next = task.attempts + 1;
    const left = retryWaitMs(task, now);
    const of = `Attempt ${next} of ${task.maxAttempts}`;
    return left !== null ? `${of} starts in ${Math.ceil(left / 1000)} s…` : `${of} is queued — waiting for the model…`;
  }
  if (status === 'queued') return 'Queued — waiting for the model…';
  return 'Loading the model and thinking…';
}

/** The typing dots and what the task is waiting for (with the retry countdown). */
export function WaitingLine(props: Props) {
  const running = props.status === 'running' && props.task?.startedAt != null;
  const now = useNow(props.retryPending || props.task?.notBefore || running ? 500 : 60_000);
  return (
    <div className="waiting" data-testid="waiting">
      <span className="typing" aria-hidden="true">
        <i />
        <i />
        <i />
      </span>
      {waitingText(props, now)}
      {running && props.task?.startedAt != null && (
        <span className="waiting-elapsed" data-testid="waiting-elapsed" title="Time since the task started">
          {formatElapsed(Math.max(0, now - props.task.startedAt))}
        </span>
      )}
    </div>
  );
}
