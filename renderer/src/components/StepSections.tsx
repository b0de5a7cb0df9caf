import { memo, useState } from 'react';
import type { StepSegment } from '../store/step-fold.js';
import { appStore } from '../store/app-state.js';
import { inspectStep } from '../store/steps.js';
import { describeError } from '../lib/error-text.js';
import { formatDuration } from '../lib/format.js';
import { stepHeading, testOutcome } from '../lib/step-text.js';
import { InlineCode } from './InlineCode.js';
import { Markdown } from './Markdown.js';
import { PlanCard, ReviewCard } from './StepJsonCards.js';
import { StepStatusIcon } from './StepStatusIcon.js';
import { ThinkingBlock } from './ThinkingBlock.js';

interface Props {
  segments: StepSegment[];
  taskId: string | null;
  /** The task is running (segments still marked running are live). */
  live: boolean;
  model: string | null;
}

function showSteps(): void {
  appStore.setState({ buildPaneTab: 'steps' });
}

/** A test run in the chat: one line with its outcome; the Steps tab has the full report. */
function TestLine({ seg, live }: { seg: StepSegment; live: boolean }) {
  const running = seg.status === 'running' && live;
  const failures = seg.report?.failures.slice(0, 3) ?? [];
  return (
    <div className={`step-test-line step-sec-${running ? 'running' : seg.status}`} data-testid="chat-step" data-step={seg.key}>
      <StepStatusIcon status={running ? 'running' : seg.status === 'running' ? 'cancelled' : seg.status} size="small" />
      <span className="step-sec-title">{stepHeading(seg.step, seg.version, { replayOf: seg.replayOf })}</span>
      <span className="step-test-outcome">
        {running ? (seg.step === 'webcheck' ? 'checking the app in a browser…' : 'running in the sandbox…') : seg.report ? testOutcome(seg.report) : (seg.summary ?? seg.status)}
        {seg.durationMs !== null && !running && <span className="tl-dim"> · {formatDuration(seg.durationMs)}</span>}
      </span>
      {!running && (
        <button type="button" className="step-link" onClick={showSteps}>
          report
        </button>
      )}
      {failures.length > 0 && (
        <ul className="step-test-failures">
          {failures.map((f, i) => (
            <li key={i}>
              <span className="test-failure-name">{f.name}</span>
              {f.message && <span className="tl-dim"> — {f.message}</span>}
            </li>
          ))}
          {(seg.report?.failures.length ?? 0) > failures.length && <li className="tl-dim">and {(seg.report?.failures.length ?? 0) - failures.length} more</li>}
        </ul>
      )}
    </div>
  );
}

interface SectionProps {
  seg: StepSegment;
  taskId: string | null;
  live: boolean;
  model: string | null;
  /** Superseded answers (an earlier fix round) start folded. */
  defaultOpen: boolean;
}

const Section = memo(function Section({ seg, taskId, live, model, defaultOpen }: SectionProps) {
  const [open, setOpen] = useState(defaultOpen);
  const running = seg.status === 'running' && live;
  // A step left 'running' by a task that has ended was cut short.
  const status = running ? 'running' : seg.status === 'running' ? 'cancelled' : seg.status;
  const err = seg.error ? describeError(seg.error, { model: seg.model ?? model }) : null;
  const title = stepHeading(seg.step, seg.version, { round: seg.round, replayOf: seg.replayOf });
  const canInspect = taskId !== null && seg.version !== null && !running;
  return (
    <section className={`step-sec step-sec-${status}`} data-testid="chat-step" data-step={seg.key}>
      <div className="step-sec-head">
        <button type="button" className="step-sec-toggle" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          <StepStatusIcon status={status} size="small" />
          <span className="step-sec-title">{title}</span>
          {seg.version !== null && <code className="step-sec-ref">{seg.key}</code>}
          {seg.summary && !running && <span className="step-sec-summary">{seg.summary}</span>}
          {seg.durationMs !== null && !running && <span className="step-sec-time">{formatDuration(seg.durationMs)}</span>}
        </button>
        {canInspect && (
          <button
            type="button"
            className="step-link"
            aria-label={`Inspect ${seg.key}`}
            onClick={() => inspectStep({ taskId, step: seg.step, version: seg.version as number })}
          >
            inspect
          </button>
        )}
      </div>
      {open && (
        <div className="step-sec-body">
          {seg.thinking && <ThinkingBlock thinking={seg.thinking} live={running} model={seg.model ?? model} />}
          {seg.step === 'plan' ? (
            <PlanCard text={seg.text} streaming={running} />
          ) : seg.step === 'review' ? (
            <ReviewCard text={seg.text} streaming={running} />
          ) : seg.text.length > 0 ? (
            <Markdown text={seg.text} streaming={running} />
          ) : running && !seg.thinking ? (
            <div className="waiting">
              <span className="typing" aria-hidden="true">
                <i />
                <i />
                <i />
              </span>
              Waiting for the model…
            </div>
          ) : null}
          {err && status !== 'succeeded' && (
            <div className={`notice ${status === 'failed' ? 'notice-error' : 'notice-muted'}`}>
              <span className="notice-icon" aria-hidden="true">
                {status === 'failed' ? '✕' : '■'}
              </span>
              <span>
                <InlineCode text={err.text} />
                {err.detail && <span className="notice-detail">{err.detail}</span>}
              </span>
            </div>
          )}
        </div>
      )}
    </section>
  );
});

/** A build task's answer, step by step: Plan, Implement, Docs, Tests, Fix round 1, … Review. */
export function StepSections({ segments, taskId, live, model }: Props) {
  return (
    <div className="step-sections" data-testid="chat-steps">
      {segments.map((seg, i) =>
        seg.step === 'test' || seg.step === 'webcheck' ? (
          <TestLine key={seg.key} seg={seg} live={live} />
        ) : (
          <Section
            key={seg.key}
            seg={seg}
            taskId={taskId}
            live={live}
            model={model}
            defaultOpen={seg.status === 'failed' || !segments.some((later, j) => j > i && later.step === seg.step)}
          />
        ),
      )}
    </div>
  );
}
