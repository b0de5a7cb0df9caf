// How build-pipeline steps look on the REST API and the SSE stream: snake_case like the
// task views, ISO times, durations in ms.
import type { StepEventData, StepRecord, TestReport } from '../../../shared/index.js';
import { TestReportSchema } from '../../../shared/index.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function testReportView(r: TestReport) {
  return {
    command: r.command,
    level: r.level,
    exit_code: r.exitCode,
    passed: r.passed,
    timed_out: r.timedOut,
    duration_ms: r.durationMs,
    counts: r.counts,
    failures: r.failures.map((f) => ({ name: f.name, message: f.message, location: f.location })),
    tail: r.tail,
  };
}
export type TestReportView = ReturnType<typeof testReportView>;

const asObject = (value: unknown): Record<string, unknown> | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;

/**
 * A test step's report, wherever the stored artifact keeps it. The pipeline writes the step's
 * result as `output` ({reports: [smoke, full …], passed, …}: the last report is the one the
 * step ended on, as in its `step` event); the fallback artifact of a step without a file is
 * `{output: {input, result}}`. A bare `report` or `output` report is found too.
 */
export function findTestReport(artifact: Record<string, unknown> | null | undefined): TestReport | null {
  if (!artifact) return null;
  const output = asObject(artifact.output);
  for (const container of [artifact, output, asObject(output?.result), asObject(artifact.result)]) {
    if (!container) continue;
    const reports = Array.isArray(container.reports) ? container.reports : [];
    for (const candidate of [container.report, reports.at(-1), container]) {
      const parsed = TestReportSchema.safeParse(candidate);
      if (parsed.success) return parsed.data;
    }
  }
  return null;
}

function withoutUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The path of one step attempt's artifact route. */
export function stepPath(taskId: string, step: string, version: number): string {
  return `/v1/tasks/${encodeURIComponent(taskId)}/steps/${step}/v${version}`;
}

/** One row of GET /v1/tasks/{id}/steps. A running step is measured up to `now`. */
export function stepView(s: StepRecord, report: TestReport | null = null, now = Date.now()) {
  return {
    step: s.step,
    version: s.version,
    attempt: s.attempt,
    status: s.status,
    model: s.model,
    model_reason: s.modelReason,
    started_at: iso(s.startedAt),
    finished_at: iso(s.finishedAt),
    duration_ms: (s.finishedAt ?? now) - s.startedAt,
    llm_ms: s.llmMs,
    command_ms: s.commandMs,
    prompt_tokens: s.promptTokens,
    eval_tokens: s.evalTokens,
    llm_calls: s.llmCalls,
    cached_calls: s.cachedCalls,
    summary: s.summary,
    error: s.error,
    replay_of: s.replayOf,
    /** Test steps: the report (null when the step has none yet, and for other steps). */
    test_report: report ? testReportView(report) : null,
    artifact_url: stepPath(s.taskId, s.step, s.version),
  };
}
export type StepView = ReturnType<typeof stepView>;

/** The steps in GET /v1/tasks/{id} of a build task: enough for a timeline. */
export function compactStep(s: Pick<StepRecord, 'step' | 'version' | 'status' | 'summary'>) {
  return { step: s.step, version: s.version, status: s.status, summary: s.summary };
}
export type CompactStep = ReturnType<typeof compactStep>;

/** The `step` SSE event's data (also what `macs` prints step lines from). Absent fields stay absent. */
export interface StepEventView {
  step: StepEventData['step'];
  version: number;
  phase: StepEventData['phase'];
  status: StepEventData['status'];
  model?: string | null;
  model_reason?: string | null;
  summary?: string;
  duration_ms?: number;
  error?: StepEventData['error'];
  report?: TestReportView;
  replay_of?: number | null;
}

export function stepEventView(d: StepEventData): StepEventView {
  return withoutUndefined({
    step: d.step,
    version: d.version,
    phase: d.phase,
    status: d.status,
    model: d.model,
    model_reason: d.modelReason,
    summary: d.summary,
    duration_ms: d.durationMs,
    error: d.error,
    report: d.report && testReportView(d.report),
    replay_of: d.replayOf,
  });
}
