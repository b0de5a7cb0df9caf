// The project header's Run control: the run's state (installing, starting, the URL when
// ready, failed with its reason), Run / Stop / Restart, and the command it runs, which
// opens the "Run command" popover to pick or type another one.
import { useState } from 'react';
import { describeError } from '../lib/error-text.js';
import { commandText, runBadge, runIsLive } from '../lib/app-run-text.js';
import { runApp, showPreview, stopApp, useAppRun } from '../store/app-run.js';
import { RunCommandPopover } from './RunCommandPopover.js';
import { RunFailurePopover } from './RunFailurePopover.js';

function PlayIcon() {
  return (
    <svg viewBox="0 0 16 16" width="11" height="11" aria-hidden="true">
      <path d="M4 2.5v11l9-5.5z" fill="currentColor" />
    </svg>
  );
}
function StopIcon() {
  return (
    <svg viewBox="0 0 16 16" width="10" height="10" aria-hidden="true">
      <rect x="3" y="3" width="10" height="10" rx="1.5" fill="currentColor" />
    </svg>
  );
}
function RestartIcon() {
  return (
    <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
      <path d="M13 8a5 5 0 1 1-1.5-3.6M13 2.5v3h-3" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

export function RunControl({ projectId }: { projectId: string }) {
  const run = useAppRun((s) => s.runs[projectId] ?? null);
  const pending = useAppRun((s) => s.pending[projectId] ?? null);
  const callError = useAppRun((s) => s.callError[projectId] ?? null);
  const [open, setOpen] = useState<'command' | 'failure' | null>(null);
  const live = runIsLive(run);
  const error = callError ? describeError(callError) : null;
  // A refused call (no toolchain, nothing to run, an engine that cannot run apps) reads as a failure too.
  const badge = error ? { tone: 'failed' as const, label: 'Can’t run', title: error.text } : runBadge(run);
  const failed = error !== null || run?.state === 'failed' || (run?.state === 'exited' && run.exitCode !== 0);
  const command = commandText(run?.plan ?? null);

  const onBadge = () => {
    if (failed) setOpen(open === 'failure' ? null : 'failure');
    else if (run?.state === 'ready' && run.plan?.web) showPreview(projectId, true);
  };

  return (
    <span className="run-control" data-testid="run-control" data-state={run?.state ?? 'idle'}>
      <button
        type="button"
        className={`run-state run-state-${badge.tone}`}
        data-testid="run-state"
        data-popover-toggle
        title={failed ? `${badge.title} — click for the output` : badge.title}
        onClick={onBadge}
        disabled={!failed && run?.state !== 'ready'}
      >
        {badge.tone === 'busy' ? <span className="badge-pulse" aria-hidden="true" /> : <span className="run-dot" aria-hidden="true" />}
        <span className="run-state-label">{badge.label}</span>
      </button>
      {live ? (
        <>
          <button type="button" className="btn btn-small btn-stop run-btn" data-testid="run-stop" disabled={pending !== null} onClick={() => void stopApp(projectId)} title="Stop the app and everything it started">
            <StopIcon />
            {pending === 'stop' ? 'Stopping…' : 'Stop'}
          </button>
          <button type="button" className="icon-btn run-restart" data-testid="run-restart" disabled={pending !== null} onClick={() => void runApp(projectId)} title="Restart the app" aria-label="Restart the app">
            <RestartIcon />
          </button>
        </>
      ) : (
        <button
          type="button"
          className="btn btn-small btn-run run-btn"
          data-testid="run-start"
          disabled={pending !== null}
          onClick={() => void runApp(projectId)}
          title={run?.plan ? `Run ${command}` : 'Work out how to start the project and run it'}
        >
          <PlayIcon />
          {pending === 'run' ? 'Starting…' : failed ? 'Run again' : 'Run'}
        </button>
      )}
      <span className="run-command-anchor">
        <button
          type="button"
          className={`run-command${open === 'command' ? ' open' : ''}`}
          data-testid="run-command"
          data-popover-toggle
          aria-haspopup="dialog"
          aria-expanded={open === 'command'}
          title={`${command}\nChange the command, pin a port, allow registry access for installs`}
          onClick={() => setOpen(open === 'command' ? null : 'command')}
        >
          <code>{run?.plan ? command : 'Run command…'}</code>
          <svg viewBox="0 0 16 16" width="10" height="10" aria-hidden="true">
            <path d="M4 6l4 4 4-4" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
        </button>
        {open === 'command' && <RunCommandPopover projectId={projectId} onClose={() => setOpen(null)} />}
        {open === 'failure' && <RunFailurePopover run={run} error={error} onClose={() => setOpen(null)} />}
      </span>
    </span>
  );
}
