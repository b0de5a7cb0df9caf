// Why a run failed, in the words the engine chose, with the last lines of the install and
// server output: shown in the header's popover and in the preview pane.
import { useEffect, useRef } from 'react';
import type { AppRun } from '../../../shared/index.js';
import { InlineCode } from './InlineCode.js';
import { showAppTerminal } from '../store/terminal-app.js';
import { CopyButton } from './CopyButton.js';

export function RunFailureDetails({ run }: { run: AppRun }) {
  const tail = run.outputTail.trimEnd();
  // The last lines say most (the error is at the end): open scrolled to the bottom.
  const pre = useRef<HTMLPreElement>(null);
  useEffect(() => {
    if (pre.current) pre.current.scrollTop = pre.current.scrollHeight;
  }, [tail]);
  return (
    <div className="run-failure" data-testid="run-failure">
      <p className="run-failure-reason" role="alert">
        <InlineCode text={run.reason ?? (run.state === 'exited' ? `The command exited${run.exitCode !== null ? ` with code ${run.exitCode}` : ''}.` : 'The app stopped before its port answered.')} />
      </p>
      {tail ? (
        <pre ref={pre} className="run-failure-tail" data-testid="run-failure-tail" tabIndex={0} aria-label="The last lines of output">
          {tail}
        </pre>
      ) : (
        <p className="run-failure-empty">It printed nothing.</p>
      )}
      <div className="run-failure-actions">
        {tail && <CopyButton text={tail} label="Copy output" />}
        {run.sessionId && (
          <button type="button" className="btn btn-small" data-testid="run-failure-terminal" onClick={() => showAppTerminal()}>
            Full output in the terminal
          </button>
        )}
      </div>
    </div>
  );
}
