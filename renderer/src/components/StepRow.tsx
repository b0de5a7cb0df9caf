import { memo, useCallback, useRef, useState } from 'react';
import type { StepRecord, TestReport } from '../../../shared/index.js';
import { useNow } from '../hooks/use-now.js';
import { useStepArtifact } from '../hooks/use-step-artifact.js';
import { readArtifact } from '../lib/artifact.js';
import { readWebcheck } from '../lib/scenario-results.js';
import { describeError, errorLine } from '../lib/error-text.js';
import { formatClockElapsed, formatDuration, formatInt } from '../lib/format.js';
import { stepDurationMs, stepHeading, stepRef, stepTokens } from '../lib/step-text.js';
import { inspectStep } from '../store/steps.js';
import { InlineCode } from './InlineCode.js';
import { ReplayPopover } from './ReplayPopover.js';
import { ScenarioResultsView } from './ScenarioResultsView.js';
import { StepStatusIcon } from './StepStatusIcon.js';
import { StepUsageFacts } from './StepUsage.js';
import { StepLeavesBadge } from './ProviderUsageBadges.js';
import { TestReportView } from './TestReportView.js';

interface Props {
  row: StepRecord;
  /** Fix steps: the round since the last implement step. */
  round: number | null;
  /** From the step's end event, when the events are loaded. */
  report: TestReport | null;
  /** Replay is allowed only once the task has finished. */
  taskActive: boolean;
  defaultOpen: boolean;
}

function Elapsed({ startedAt }: { startedAt: number }) {
  const now = useNow(1_000);
  return <>{formatClockElapsed(Math.max(0, now - startedAt))}</>;
}

/** The report of a test step: from its event, else from its artifact once the row is opened. */
function ReportBody({ row, report }: { row: StepRecord; report: TestReport | null }) {
  const state = useStepArtifact(row.taskId, row.step, row.version, report === null, row.finishedAt);
  if (report) return <TestReportView report={report} />;
  if (state.status === 'loading' || state.status === 'idle') return <div className="detail-empty">Loading the report…</div>;
  if (state.status === 'error') return <div className="notice notice-error">Could not load the report: {errorLine(state.error)}</div>;
  const fromArtifact = readArtifact(state.result.artifact).reports.at(-1) ?? null;
  return fromArtifact ? <TestReportView report={fromArtifact} /> : <div className="detail-empty">This test run stored no report.</div>;
}

/** The scenarios of a web check, with their screenshots, from its artifact. */
function ScenariosBody({ row }: { row: StepRecord }) {
  const state = useStepArtifact(row.taskId, row.step, row.version, true, row.finishedAt);
  if (state.status === 'loading' || state.status === 'idle') return <div className="detail-empty">Loading the scenarios…</div>;
  if (state.status === 'error') return <div className="notice notice-error">Could not load the scenarios: {errorLine(state.error)}</div>;
  const view = readWebcheck(state.result.artifact);
  return view ? <ScenarioResultsView taskId={row.taskId} version={row.version} view={view} /> : <div className="detail-empty">This web check stored no scenarios.</div>;
}

/** One step attempt in the pipeline: status, name@vN, model, time, tokens, summary; test reports expand. */
export const StepRow = memo(function StepRow({ row, round, report, taskActive, defaultOpen }: Props) {
  const [open, setOpen] = useState(defaultOpen);
  const [replaying, setReplaying] = useState(false);
  const replayButton = useRef<HTMLButtonElement>(null);
  const ref = stepRef(row.step, row.version);
  const running = row.status === 'running';
  const duration = stepDurationMs(row, Date.now());
  const tokens = stepTokens(row);
  const expandable = (row.step === 'test' || row.step === 'webcheck') && !running;
  const err = row.error ? describeError(row.error, { model: row.model }) : null;
  const closeReplay = useCallback(() => {
    setReplaying(false);
    replayButton.current?.focus();
  }, []);

  const cachedChip = row.cachedCalls > 0 && (
    <span className="step-chip step-chip-cached" data-testid="step-cached" title={`${row.cachedCalls} of ${row.llmCalls} model calls answered from the LLM cache`}>
      cached
    </span>
  );

  const timing = [
    row.llmMs > 0 ? `model ${formatDuration(row.llmMs)}` : null,
    row.commandMs > 0 ? `commands ${formatDuration(row.commandMs)}` : null,
  ].filter(Boolean);

  return (
    <li className={`step-row step-row-${row.status}`} data-testid="step-row" data-step={ref} data-status={row.status}>
      <div className="step-rail">
        <StepStatusIcon status={row.status} />
      </div>
      <div className="step-main">
        <div className="step-line">
          <code className="step-ref">{ref}</code>
          <span className="step-heading" data-testid="step-heading">
            {stepHeading(row.step, row.version, { round })}
          </span>
          {row.replayOf === null && cachedChip}
          <span className="step-spacer" />
          <span className="step-time" title={timing.length ? timing.join(' · ') : undefined} data-testid="step-duration">
            {running ? <Elapsed startedAt={row.startedAt} /> : duration !== null ? formatDuration(duration) : '—'}
          </span>
        </div>
        {row.replayOf !== null && (
          // On a line of their own: beside the heading they cut it to "Fix ro…" in a narrow pane.
          <div className="step-chips">
            <span className="step-chip step-chip-replay" title={`${ref} ran ${stepRef(row.step, row.replayOf)} again from its stored context`}>
              replay of {stepRef(row.step, row.replayOf)}
            </span>{' '}
            {cachedChip}
          </div>
        )}
        {row.summary && (
          <div className={`step-summary${row.status === 'failed' ? ' bad' : ''}`} data-testid="step-summary">
            {row.summary}
          </div>
        )}
        {err && row.status !== 'succeeded' && (
          <div className={`step-error${row.status === 'cancelled' ? ' soft' : ''}`} data-testid="step-error" role={row.status === 'failed' ? 'alert' : undefined}>
            <InlineCode text={err.text} />
            {err.detail && <span className="notice-detail">{err.detail}</span>}
          </div>
        )}
        <div className="step-foot">
          <span className="step-facts">
            {row.model && (
              <span className="step-model" title={row.modelReason ? `Why this model: ${row.modelReason}` : undefined}>
                {row.model}
              </span>
            )}
            {row.usage && <StepLeavesBadge usage={row.usage} />}
            {row.usage ? <StepUsageFacts usage={row.usage} /> : tokens && <span title="Prompt tokens in · generated tokens out">{tokens}</span>}
            {row.llmCalls > 1 && <span>{formatInt(row.llmCalls)} calls</span>}
            {row.attempt > 1 && <span title="The task attempt that ran it">attempt {row.attempt}</span>}
          </span>
          <div className="step-actions">
            {expandable && (
              <button type="button" className="step-action" aria-expanded={open} data-testid="step-report-toggle" onClick={() => setOpen((o) => !o)}>
                <span aria-hidden="true">{open ? '▾' : '▸'}</span> {open ? 'Hide the report' : row.step === 'webcheck' ? 'Scenarios and screenshots' : 'Test report'}
              </button>
            )}
            <button
              type="button"
              className="step-action"
              data-testid="step-inspect"
              aria-label={`Inspect ${ref}: prompts, options and output`}
              onClick={() => inspectStep({ taskId: row.taskId, step: row.step, version: row.version })}
            >
              Inspect
            </button>
            {!running && (
              <span className="step-replay-anchor">
                <button
                  ref={replayButton}
                  type="button"
                  className="step-action"
                  data-testid="step-replay"
                  aria-disabled={taskActive || undefined}
                  aria-haspopup="dialog"
                  aria-expanded={replaying}
                  title={taskActive ? 'The task is still running: replay once it has finished or been stopped' : `Run ${ref} again as a new version`}
                  onClick={() => !taskActive && setReplaying((r) => !r)}
                >
                  <span aria-hidden="true">↻</span> Replay
                </button>
                {replaying && !taskActive && <ReplayPopover taskId={row.taskId} step={row.step} version={row.version} onClose={closeReplay} />}
              </span>
            )}
          </div>
        </div>
        {expandable && open && (
          <div className="step-report">
            {row.step === 'webcheck' ? <ScenariosBody row={row} /> : <ReportBody row={row} report={report} />}
          </div>
        )}
      </div>
    </li>
  );
});
