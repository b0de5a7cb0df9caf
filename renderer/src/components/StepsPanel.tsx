import { Fragment, useEffect, useMemo, useRef } from 'react';
import type { StepRecord, Task } from '../../../shared/index.js';
import { useApp } from '../store/app-state.js';
import { fetchSteps, trackSteps } from '../store/steps.js';
import type { TaskView } from '../store/task-view.js';
import { describeError, errorLine } from '../lib/error-text.js';
import { formatCount, formatDuration, formatInt } from '../lib/format.js';
import { isActive } from '../lib/status.js';
import { fixRound, newStepToReveal, pipelineHeadline, stepRef } from '../lib/step-text.js';
import { ErrorNotice } from './ErrorNotice.js';
import { StepRow } from './StepRow.js';
import { PlanApprovalCard } from './PlanApprovalCard.js';
import { BuildUsageTotals, sumUsage } from './StepUsage.js';

const DEFAULT_FIX_ROUNDS = 3;

function Totals({ rows }: { rows: StepRecord[] }) {
  const t = rows.reduce(
    (a, r) => ({
      calls: a.calls + r.llmCalls,
      cached: a.cached + r.cachedCalls,
      prompt: a.prompt + r.promptTokens,
      evals: a.evals + r.evalTokens,
      llmMs: a.llmMs + r.llmMs,
      commandMs: a.commandMs + r.commandMs,
    }),
    { calls: 0, cached: 0, prompt: 0, evals: 0, llmMs: 0, commandMs: 0 },
  );
  const usage = sumUsage(rows);
  return (
    <div className="pipeline-totals" data-testid="pipeline-totals">
      <span>
        {rows.length} step{rows.length === 1 ? '' : 's'}
      </span>
      {t.calls > 0 && (
        <span title={t.cached > 0 ? `${t.cached} answered from the LLM cache` : undefined}>
          {formatInt(t.calls)} model call{t.calls === 1 ? '' : 's'}
          {t.cached > 0 && ` (${t.cached} cached)`}
        </span>
      )}
      {usage ? (
        <BuildUsageTotals usage={usage} />
      ) : (
        (t.prompt > 0 || t.evals > 0) && (
          <span title="Prompt tokens in · generated tokens out">
            {formatCount(t.prompt)} in · {formatCount(t.evals)} out
          </span>
        )
      )}
      {t.llmMs > 0 && <span title="Time spent in model calls">model {formatDuration(t.llmMs)}</span>}
      {t.commandMs > 0 && <span title="Time spent running commands (tests) in the sandbox">commands {formatDuration(t.commandMs)}</span>}
    </div>
  );
}

/** The pipeline's stages, shown while nothing has run yet. */
function PipelinePreview({ fixRounds }: { fixRounds: number }) {
  const stages = ['Plan', 'Implement + docs', 'Tests', fixRounds > 0 ? `Fix (≤ ${fixRounds} rounds)` : null, 'Review'].filter(Boolean);
  return (
    <ol className="pipeline-preview" aria-label="The build pipeline">
      {stages.map((s, i) => (
        <li key={s}>
          {i > 0 && <span className="pipeline-arrow" aria-hidden="true">→</span>}
          {s}
        </li>
      ))}
    </ol>
  );
}

/**
 * The Steps tab of a build task: a headline for the whole pipeline, then every step
 * attempt in the order it started (plan@v1, implement@v1, test@v1, fix@v1 …), live.
 */
export function StepsPanel({ task, view }: { task: Task; view: TaskView }) {
  const steps = useApp((s) => (s.steps?.taskId === task.id ? s.steps : null));
  const maxFixRounds = useApp((s) => s.settings?.maxFixRounds ?? DEFAULT_FIX_ROUNDS);
  const rows = steps?.rows ?? null;
  const tracked = steps !== null;
  // Normally opening the task starts tracking its steps; this covers a task whose kind became known later.
  useEffect(() => {
    if (!tracked) trackSteps(task);
  }, [tracked, task]);
  const active = isActive(task.status);
  const headline = useMemo(() => pipelineHeadline(task, rows ?? [], view.reports, maxFixRounds), [task, rows, view.reports, maxFixRounds]);
  const reasons = useMemo(() => new Map(view.attempts.map((a) => [a.attempt, a.reason])), [view.attempts]);
  // The last check (tests or the web check after them) opens by default when it failed: that is what a fix round reads.
  const lastTestIndex = rows ? rows.findLastIndex((r) => r.step === 'test' || r.step === 'webcheck') : -1;
  const taskErr = !active && task.error && rows !== null ? describeError(task.error, { model: task.model }) : null;
  const several = rows !== null && new Set(rows.map((r) => r.attempt)).size > 1;
  const listRef = useRef<HTMLOListElement>(null);
  const seenIds = useRef<{ taskId: string; ids: Set<number> } | null>(null);
  // A new step row (a replay's version, the next step) scrolls into view; the first load does not jump.
  useEffect(() => {
    if (rows === null) return;
    const before = seenIds.current?.taskId === task.id ? seenIds.current.ids : null;
    const fresh = newStepToReveal(before, rows);
    seenIds.current = { taskId: task.id, ids: new Set(rows.map((r) => r.id)) };
    if (!fresh) return;
    const el = listRef.current?.querySelector(`[data-step="${stepRef(fresh.step, fresh.version)}"]`);
    el?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [rows, task.id]);

  return (
    <div className="detail-scroll" data-testid="steps-panel">
      <div className="detail steps-detail">
        <header className={`pipeline-head tone-${headline.tone}`} data-testid="pipeline-head">
          <div className="pipeline-headline" aria-live="polite">
            <span className="pipeline-dot" aria-hidden="true" />
            <span className="pipeline-phase" data-testid="pipeline-phase">
              {headline.phase}
            </span>
            {headline.tests && <span className="pipeline-tests">· {headline.tests}</span>}
            {headline.notes.map((n) => (
              <span key={n} className="pipeline-note">
                · {n}
              </span>
            ))}
          </div>
          {rows && rows.length > 0 && <Totals rows={rows} />}
          {taskErr && (
            <ErrorNotice error={taskErr} tone={task.status === 'failed' ? 'error' : 'warn'} icon={task.status === 'failed' ? '✕' : '■'} testId="pipeline-error" />
          )}
        </header>

        {rows && <PlanApprovalCard task={task} rows={rows} />}

        {steps?.error && (
          <div className="notice notice-error" role="alert" data-testid="steps-error">
            <span className="notice-icon" aria-hidden="true">✕</span>
            <span>
              Could not load the steps: {errorLine(steps.error)}{' '}
              <button type="button" className="btn btn-small" onClick={() => void fetchSteps()}>
                Try again
              </button>
            </span>
          </div>
        )}

        {rows === null && !steps?.error && <div className="detail-empty">Loading the steps…</div>}

        {rows !== null && rows.length === 0 && (
          <div className="steps-empty" data-testid="steps-empty">
            {active ? (
              <div className="waiting">
                <span className="typing" aria-hidden="true">
                  <i />
                  <i />
                  <i />
                </span>
                Each step appears here as it starts:
              </div>
            ) : (
              <div className="detail-empty">No step ran for this task. The pipeline would have been:</div>
            )}
            <PipelinePreview fixRounds={maxFixRounds} />
          </div>
        )}

        {rows !== null && rows.length > 0 && (
          <ol className="steps-list" data-testid="steps-list" ref={listRef}>
            {rows.map((r, i) => (
              <Fragment key={r.id}>
                {several && (i === 0 || rows[i - 1].attempt !== r.attempt) && (
                  <li className="steps-attempt" data-testid="steps-attempt">
                    Attempt {r.attempt}
                    {reasons.get(r.attempt) ? ` · ${reasons.get(r.attempt)}` : ''}
                  </li>
                )}
                <StepRow
                  row={r}
                  round={fixRound(rows, i)}
                  report={r.step === 'test' ? (view.reports[stepRef(r.step, r.version)] ?? null) : null}
                  taskActive={active}
                  defaultOpen={i === lastTestIndex && r.status === 'failed'}
                />
              </Fragment>
            ))}
          </ol>
        )}
      </div>
    </div>
  );
}
