import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { StepRecord } from '../../../shared/index.js';
import { useStepArtifact } from '../hooks/use-step-artifact.js';
import { readArtifact, type ArtifactCall, type ArtifactMessage } from '../lib/artifact.js';
import { readWebcheck } from '../lib/scenario-results.js';
import { describeError, errorLine } from '../lib/error-text.js';
import { formatClock, formatCount, formatDuration, formatInt } from '../lib/format.js';
import { STEP_STATUS_LABEL, stepDurationMs, stepRef } from '../lib/step-text.js';
import { effectiveContext, formatCtx } from '../lib/fit.js';
import { useApp, type InspectTarget } from '../store/app-state.js';
import { inspectStep } from '../store/steps.js';
import { CappedText } from './CappedText.js';
import { ErrorNotice } from './ErrorNotice.js';
import { ScenarioResultsView } from './ScenarioResultsView.js';
import { StepStatusIcon } from './StepStatusIcon.js';
import { TestReportView } from './TestReportView.js';

function close(): void {
  inspectStep(null);
}

function firstLine(text: string): string {
  const line = text.trimStart().split('\n', 1)[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 120)}…` : line;
}

/** One prompt message, folded to its first line until opened; system prompts start folded. */
const MessageBlock = memo(function MessageBlock({ message }: { message: ArtifactMessage }) {
  const [open, setOpen] = useState(message.role !== 'system' && message.content.length < 4_000);
  return (
    <div className={`msg-block msg-role-${message.role}`} data-testid="artifact-message" data-role={message.role}>
      <button type="button" className="msg-block-head" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        <span className="msg-block-chevron" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>
        <span className="role-badge">{message.role}</span>
        {!open && <span className="msg-block-preview">{firstLine(message.content)}</span>}
        <span className="msg-block-size">{formatInt(message.content.length)} chars</span>
      </button>
      {open && <CappedText text={message.content} className="msg-block-body" />}
    </div>
  );
});

/** A section that starts folded (the step's input repeats much of the prompt). */
function Folded({ title, children, testId }: { title: string; children: React.ReactNode; testId?: string }) {
  const [open, setOpen] = useState(false);
  return (
    <section className="inspector-section" data-testid={testId}>
      <h3>
        <button type="button" className="inspector-fold" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          <span aria-hidden="true">{open ? '▾' : '▸'}</span> {title}
        </button>
      </h3>
      {open && children}
    </section>
  );
}

function CallCard({ call, index, count }: { call: ArtifactCall; index: number; count: number }) {
  // num_ctx asked for vs the context Ollama runs the model with (trained cap, /api/ps).
  const model = useApp((s) => s.catalog?.installed.find((m) => m.name === call.model) ?? null);
  const numCtx = Number(call.options.find(([k]) => k === 'num_ctx')?.[1]);
  const effective = Number.isFinite(numCtx) && numCtx > 0 ? effectiveContext(model, numCtx) : null;
  const facts = [
    call.model,
    call.durationMs !== null ? formatDuration(call.durationMs) : null,
    call.promptTokens !== null ? `${formatCount(call.promptTokens)} in` : null,
    call.evalTokens !== null ? `${formatCount(call.evalTokens)} out` : null,
    call.doneReason ? `done: ${call.doneReason}` : null,
    call.continuations > 0 ? `${call.continuations} continuation${call.continuations === 1 ? '' : 's'}` : null,
  ].filter(Boolean);
  return (
    <section className="call-card" data-testid="artifact-call">
      <header className="call-head">
        <span className="call-title">{count > 1 ? `Call ${index + 1} of ${count}` : 'Model call'}</span>
        {facts.map((f) => (
          <span key={f} className="call-fact">
            {f}
          </span>
        ))}
        {call.cached && (
          <span className="step-chip step-chip-cached" title="Answered from the LLM cache: an identical call was made before">
            cached
          </span>
        )}
        {call.doneReason === 'length' && <span className="call-warn">stopped at the context limit</span>}
      </header>
      {call.options.length > 0 && (
        <div className="call-options" aria-label="Request options">
          {call.options.map(([k, v]) => (
            <span key={k} className="call-option">
              <span className="call-option-key">{k}</span> {v}
              {k === 'num_ctx' && effective && (
                <span className="call-option-effective" data-testid="effective-context" title={effective.note}>
                  {' '}
                  → runs with {formatCtx(effective.ctx)}
                </span>
              )}
            </span>
          ))}
        </div>
      )}
      <div className="call-messages">
        {call.messages.map((m, i) => (
          <MessageBlock key={i} message={m} />
        ))}
      </div>
      <div className="call-output">
        <span className="inspector-label">Answer</span>
        <CappedText text={call.output} copy testId="artifact-call-output" empty="(no answer)" />
      </div>
    </section>
  );
}

function Facts({ step }: { step: StepRecord }) {
  const took = stepDurationMs(step, Date.now());
  const items: [string, React.ReactNode][] = [
    ['Status', STEP_STATUS_LABEL[step.status]],
    ['Model', step.model ? <code title={step.modelReason ?? undefined}>{step.model}</code> : '—'],
    ['Why this model', step.modelReason ?? '—'],
    ['Started', formatClock(step.startedAt)],
    ['Took', took !== null ? formatDuration(took) : '—'],
    ['Model time', formatDuration(step.llmMs)],
    ['Commands', formatDuration(step.commandMs)],
    ['Tokens', `${formatInt(step.promptTokens)} in · ${formatInt(step.evalTokens)} out`],
    ['Model calls', `${step.llmCalls}${step.cachedCalls > 0 ? ` (${step.cachedCalls} cached)` : ''}`],
    ['Attempt', String(step.attempt)],
  ];
  if (step.replayOf !== null) items.push(['Replay of', `v${step.replayOf}`]);
  return (
    <dl className="facts inspector-facts">
      {items.map(([k, v]) => (
        <div key={k} className="fact">
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function Body({ target }: { target: InspectTarget }) {
  const state = useStepArtifact(target.taskId, target.step, target.version, true);
  const view = useMemo(() => (state.status === 'ready' ? readArtifact(state.result.artifact) : null), [state]);
  if (state.status === 'loading' || state.status === 'idle') {
    return (
      <div className="models-loading">
        <span className="spinner" aria-hidden="true" /> Loading {stepRef(target.step, target.version)}…
      </div>
    );
  }
  if (state.status === 'error') {
    return (
      <div className="notice notice-error" role="alert" data-testid="inspector-error">
        <span className="notice-icon" aria-hidden="true">✕</span>
        <span>Could not load this step: {errorLine(state.error)}</span>
      </div>
    );
  }
  const step = state.result.step;
  const err = step.error ? describeError(step.error, { model: step.model }) : null;
  const v = view ?? readArtifact(state.result.artifact);
  const web = step.step === 'webcheck' ? readWebcheck(state.result.artifact) : null;
  return (
    <>
      <Facts step={step} />
      {v.timings.length > 0 && (
        <div className="call-options inspector-timings" aria-label="Where the time went">
          {v.timings.map(([k, ms]) => (
            <span key={k} className="call-option">
              <span className="call-option-key">{k}</span> {formatDuration(ms)}
            </span>
          ))}
        </div>
      )}
      {step.summary && <div className="inspector-summary">{step.summary}</div>}
      {err && <ErrorNotice error={err} />}
      {v.input !== null && (
        <Folded title="Input" testId="artifact-input">
          <CappedText text={v.input} />
        </Folded>
      )}
      {web && (
        <section className="inspector-section">
          <h3>
            Scenarios <span className="detail-count">{web.scenarios.length}</span>
          </h3>
          <ScenarioResultsView taskId={step.taskId} version={step.version} view={web} />
        </section>
      )}
      {v.calls.length > 0 && (
        <section className="inspector-section">
          <h3>
            Model calls <span className="detail-count">{v.calls.length}</span>
          </h3>
          {v.calls.map((c, i) => (
            <CallCard key={i} call={c} index={i} count={v.calls.length} />
          ))}
        </section>
      )}
      {v.reports.length > 0 && (
        <section className="inspector-section">
          <h3>
            Test report{v.reports.length > 1 ? 's' : ''} {v.reports.length > 1 && <span className="detail-count">{v.reports.length}</span>}
          </h3>
          {v.reports.map((r, i) => (
            <TestReportView key={i} report={r} />
          ))}
        </section>
      )}
      {v.files && (
        <section className="inspector-section">
          <h3>
            Files <span className="detail-count">{v.files.length}</span>
          </h3>
          <ul className="inspector-files">
            {v.files.map((f) => (
              <li key={f.path}>
                <code>{f.path}</code>
                {f.detail && <span className="tl-dim"> · {f.detail}</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
      {v.output !== null && (
        <section className="inspector-section">
          <h3>Output</h3>
          <CappedText text={v.output} copy testId="artifact-output" />
        </section>
      )}
      {v.extra.map((x) => (
        <section key={x.key} className="inspector-section">
          <h3>{x.key}</h3>
          <CappedText text={x.json} />
        </section>
      ))}
      {v.calls.length === 0 && v.output === null && v.reports.length === 0 && !v.files && v.extra.length === 0 && v.input === null && (
        <div className="detail-empty">This step stored nothing to inspect.</div>
      )}
      {step.artifact && (
        <div className="inspector-path">
          Stored in <code>{step.artifact}</code> under the data folder.
        </div>
      )}
    </>
  );
}

/** A step attempt's stored artifact: the prompts sent, the options, the answers, timings and tokens. */
export function StepInspector() {
  const target = useApp((s) => s.inspectStep);
  const row = useApp((s) => s.steps?.rows?.find((r) => target && r.taskId === target.taskId && r.step === target.step && r.version === target.version) ?? null);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!target) return;
    const opener = document.activeElement as HTMLElement | null;
    closeRef.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && close();
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      opener?.focus?.();
    };
  }, [target]);

  if (!target) return null;
  const ref = stepRef(target.step, target.version);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <section className="inspector" role="dialog" aria-modal="true" aria-labelledby="inspector-title" data-testid="step-inspector">
        <header className="models-head">
          {row && <StepStatusIcon status={row.status} />}
          <h2 id="inspector-title">
            <code>{ref}</code>
          </h2>
          {row?.model && <span className="inspector-model">{row.model}</span>}
          <span className="models-head-spacer" />
          <button ref={closeRef} type="button" className="btn btn-ghost btn-small models-close" aria-label="Close" data-testid="inspector-close" onClick={close}>
            ✕
          </button>
        </header>
        <div className="inspector-body">
          {/* Keyed so another step starts from a fresh load. */}
          <Body key={`${target.taskId}:${ref}:${row?.finishedAt ?? ''}`} target={target} />
        </div>
      </section>
    </div>
  );
}
