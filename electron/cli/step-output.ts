// How `macs` prints build-pipeline steps: one line per step start/end while following a
// task (`▶ plan@v1 (qwen2.5-coder:7b)`, `✖ test@v1 · 2 of 7 tests failed: adds, parses · 1.4 s`),
// and the `macs steps` table. Input is the API's snake_case shapes (the SSE `step` event's
// data, the rows of GET /v1/tasks/{id}/steps).
import type { StepEventView, StepView, TestReportView } from '../server/rest/step-view.js';
import { humanDuration, table, truncate } from './format.js';

type ErrorView = { code: string; message: string } | null | undefined;

/** What a start line needs (an SSE step event or a step row). */
export interface StepStart {
  step: string;
  version: number;
  model?: string | null;
  model_reason?: string | null;
  replay_of?: number | null;
}

/** What an end line needs. */
export interface StepEnd {
  step: string;
  version: number;
  status: string;
  summary?: string;
  duration_ms?: number;
  error?: ErrorView;
  report?: TestReportView | null;
  replay_of?: number | null;
}

const ICONS: Record<string, string> = { succeeded: '✔', failed: '✖', cancelled: '⊘', running: '▶' };

export const stepLabel = (s: { step: string; version: number }) => `${s.step}@v${s.version}`;

/** "7 tests passed" / "2 of 7 tests failed" from a report's counts (when the step has no summary of its own). */
export function testCountsText(report: TestReportView): string {
  const { counts } = report;
  if (report.timed_out) return `tests timed out after ${humanDuration(report.duration_ms)}`;
  if (!counts) return report.passed ? 'tests passed' : `tests failed (exit code ${report.exit_code ?? '—'})`;
  const total = counts.passed + counts.failed;
  const noun = total === 1 ? 'test' : 'tests';
  return counts.failed === 0 ? `${counts.passed} ${noun} passed` : `${counts.failed} of ${total} ${noun} failed`;
}

/** "adds, parses" — at most `max` names, then "and N more". */
export function failureNames(report: TestReportView, max = 5): string {
  const names = report.failures.map((f) => f.name);
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/** `▶ plan@v1 (qwen2.5-coder:7b)`; a fallback model says why, a replay says of which version. */
export function stepStartLine(s: StepStart): string {
  const notes: string[] = [];
  if (s.model) notes.push(s.model_reason && /fallback/i.test(s.model_reason) ? `${s.model}, ${s.model_reason}` : s.model);
  if (s.replay_of) notes.push(`replay of v${s.replay_of}`);
  return `▶ ${stepLabel(s)}${notes.length ? ` (${notes.join('; ')})` : ''}`;
}

/** `✔ test@v2 · 7 tests passed · 1.2 s`, `✖ test@v1 · 2 of 7 tests failed: adds, parses · 1.4 s`, `✖ plan@v1 · … [PLAN_INVALID]`. */
export function stepEndLine(s: StepEnd): string {
  const report = s.report ?? null;
  const failing = report && !report.passed && report.failures.length > 0;
  let text = s.summary?.trim() || (report ? testCountsText(report) : '') || s.error?.message || (s.status === 'cancelled' ? 'cancelled' : '');
  if (failing) text += `: ${failureNames(report)}`;
  // A test report says what failed better than its error code does.
  if (s.error && !failing) text += `${text ? ' ' : ''}[${s.error.code}]`;
  const parts = [`${ICONS[s.status] ?? '•'} ${stepLabel(s)}`];
  if (text) parts.push(text);
  if (s.duration_ms !== undefined) parts.push(humanDuration(s.duration_ms));
  return parts.join(' · ');
}

/** A `step` SSE event as one line. */
export function stepEventLine(d: StepEventView): string {
  return d.phase === 'start' ? stepStartLine(d) : stepEndLine(d);
}

/** A stored step row as one line (`macs show`): the end line, or the start line while it runs. */
export function stepRowLine(s: StepView): string {
  if (s.status === 'running') return `${stepStartLine(s)} · running for ${humanDuration(s.duration_ms)}`;
  return stepEndLine({ ...s, report: s.test_report });
}

function tokensCell(s: StepView): string {
  if (s.llm_calls === 0) return '—';
  if (s.cached_calls === s.llm_calls) return 'cached';
  return `${s.prompt_tokens}/${s.eval_tokens}${s.cached_calls > 0 ? ` (${s.cached_calls} cached)` : ''}`;
}

function summaryCell(s: StepView): string {
  const parts: string[] = [];
  const text = s.summary.trim() || (s.test_report ? testCountsText(s.test_report) : '') || s.error?.message || '';
  if (text) parts.push(truncate(text, 60));
  if (s.error) parts.push(`[${s.error.code}]`);
  if (s.replay_of) parts.push(`(replay of v${s.replay_of})`);
  return parts.join(' ');
}

/** Failing tests beneath a failed test step: name, message, where. */
export function failureLines(report: TestReportView, max = 20, indent = '    '): string[] {
  const lines = report.failures.slice(0, max).map((f) => {
    const detail = [f.message ? truncate(f.message, 80) : '', f.location ? `(${f.location})` : ''].filter(Boolean).join(' ');
    return `${indent}✖ ${f.name}${detail ? ` — ${detail}` : ''}`;
  });
  if (report.failures.length > max) lines.push(`${indent}… and ${report.failures.length - max} more`);
  return lines;
}

/** `macs steps`: one row per step attempt; a failed test step lists its failing tests beneath it. */
export function stepsTableLines(steps: StepView[]): string[] {
  const [header, ...rows] = table(
    ['STEP', 'STATUS', 'MODEL', 'TIME', 'TOKENS IN/OUT', 'SUMMARY'],
    steps.map((s) => [stepLabel(s), s.status, s.model ?? '—', humanDuration(s.duration_ms), tokensCell(s), summaryCell(s)]),
  );
  const lines = [header];
  steps.forEach((s, i) => {
    lines.push(rows[i]);
    if (s.step === 'test' && s.status === 'failed' && s.test_report) lines.push(...failureLines(s.test_report));
  });
  return lines;
}
