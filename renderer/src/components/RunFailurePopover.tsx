import type { AppRun } from '../../../shared/index.js';
import { usePopoverDismiss } from '../hooks/use-popover-dismiss.js';
import { RunFailureDetails } from './RunFailureDetails.js';

/** The failed badge's popover: the reason and the output tail. */
export function RunFailurePopover({ run, onClose }: { run: AppRun; onClose: () => void }) {
  const { ref, onKeyDown } = usePopoverDismiss<HTMLDivElement>(onClose);
  return (
    <div className="popover run-popover run-failure-popover" ref={ref} role="dialog" aria-label="Why the run failed" onKeyDown={onKeyDown} data-testid="run-failure-popover">
      <div className="popover-title">{run.state === 'exited' ? 'The command failed' : 'The app could not start'}</div>
      <RunFailureDetails run={run} />
    </div>
  );
}
