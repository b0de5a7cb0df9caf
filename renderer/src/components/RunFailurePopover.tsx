import type { AppRun } from '../../../shared/index.js';
import type { ErrorText } from '../lib/error-text.js';
import { usePopoverDismiss } from '../hooks/use-popover-dismiss.js';
import { ErrorNotice } from './ErrorNotice.js';
import { RunFailureDetails } from './RunFailureDetails.js';

/** The failed badge's popover: why the last call was refused, or why the run failed with its output tail. */
export function RunFailurePopover({ run, error, onClose }: { run: AppRun | null; error: ErrorText | null; onClose: () => void }) {
  const { ref, onKeyDown } = usePopoverDismiss<HTMLDivElement>(onClose);
  const ended = run !== null && (run.state === 'failed' || run.state === 'exited');
  const title = error ? 'MACS could not run it' : run?.state === 'exited' ? 'The command failed' : 'The app could not start';
  return (
    <div className="popover run-popover run-failure-popover" ref={ref} role="dialog" aria-label={title} onKeyDown={onKeyDown} data-testid="run-failure-popover">
      <div className="popover-title">{title}</div>
      {/* A run that ended says why itself (the call's refusal is the same sentence, or older). */}
      {error && !ended && <ErrorNotice error={error} testId="run-call-error" />}
      {ended && <RunFailureDetails run={run} />}
    </div>
  );
}
