import type { PullState } from '../../store/app-state.js';
import { cancelPull, dismissPull, startPull } from '../../store/pulls.js';
import { PullProgressBar } from './PullProgressBar.js';

interface Props {
  name: string;
  installed: boolean;
  pull: PullState | null;
  /** Where to pull to; undefined = the default host. */
  host?: string;
  /** Too big for this machine: pulling is allowed (another host may run it) but says so. */
  tooBig: boolean;
}

/** Pull → progress with Cancel → installed; a failed pull says why and offers Retry. */
export function PullControl({ name, installed, pull, host, tooBig }: Props) {
  if (pull?.error) {
    return (
      <div className="pull-control pull-failed" data-testid="pull-error" role="alert">
        <span className="pull-error-text">
          <strong>Pull failed:</strong> {pull.error.message}
        </span>
        <button type="button" className="btn btn-small" onClick={() => void startPull(name, host)}>
          Retry
        </button>
        <button type="button" className="btn btn-small btn-ghost" onClick={() => dismissPull(pull.pullId)}>
          Dismiss
        </button>
      </div>
    );
  }
  if (pull) {
    return (
      <div className="pull-control pulling">
        <PullProgressBar pull={pull} />
        <button
          type="button"
          className="btn btn-small btn-stop"
          data-testid="pull-cancel"
          disabled={pull.status === 'cancelling'}
          onClick={() => void cancelPull(pull.pullId)}
        >
          Cancel
        </button>
      </div>
    );
  }
  if (installed) {
    return (
      <span className="chip chip-good" data-testid="curated-installed">
        ✓ Installed
      </span>
    );
  }
  return (
    <button
      type="button"
      className={`btn btn-small ${tooBig ? '' : 'btn-primary-outline'}`}
      data-testid="pull-model"
      onClick={() => void startPull(name, host)}
      title={tooBig ? 'Too big for this machine; pull it anyway (e.g. for another host)' : `ollama pull ${name}`}
    >
      <span aria-hidden="true">↓</span> Pull
    </button>
  );
}
