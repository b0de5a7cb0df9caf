import type { PullState } from '../../store/app-state.js';
import { formatBytes, formatDelay } from '../../lib/format.js';

/** Ollama's pull statuses in words: "pulling 3a1b2c…" is the download of a layer. */
function phase(status: string): string {
  if (status === 'starting') return 'Starting…';
  if (status === 'cancelling') return 'Cancelling…';
  if (status === 'pulling manifest') return 'Fetching the manifest…';
  if (status.startsWith('pulling ')) return 'Downloading';
  if (status.startsWith('verifying')) return 'Verifying…';
  if (status.startsWith('writing')) return 'Writing the manifest…';
  return status;
}

export function PullProgressBar({ pull }: { pull: PullState }) {
  const pct = pull.totalBytes > 0 ? Math.min(100, (pull.completedBytes / pull.totalBytes) * 100) : 0;
  const indeterminate = pull.totalBytes === 0;
  const left = pull.bytesPerSecond > 0 && pull.totalBytes > 0 ? ((pull.totalBytes - pull.completedBytes) / pull.bytesPerSecond) * 1000 : null;
  return (
    <div className="pull-progress" data-testid="pull-progress" data-status={pull.status}>
      <div
        className={`pull-bar${indeterminate ? ' indeterminate' : ''}`}
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={indeterminate ? undefined : Math.round(pct)}
        aria-label={`Pulling ${pull.name}`}
      >
        <div className="pull-bar-fill" style={indeterminate ? undefined : { width: `${pct}%` }} />
      </div>
      <div className="pull-text">
        <span>{phase(pull.status)}</span>
        {pull.totalBytes > 0 && (
          <span data-testid="pull-bytes">
            {formatBytes(pull.completedBytes)} / {formatBytes(pull.totalBytes)} · {Math.floor(pct)}%
          </span>
        )}
        {pull.bytesPerSecond > 0 && <span data-testid="pull-speed">{(pull.bytesPerSecond / 1024 / 1024).toFixed(1)} MB/s</span>}
        {left !== null && left >= 1000 && <span>about {formatDelay(left)} left</span>}
      </div>
    </div>
  );
}
