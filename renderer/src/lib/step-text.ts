// Words for the build pipeline's steps: names, labels, test report counts, the pipeline's
// one-line headline. Pure, so the Steps tab, the chat and the timeline say the same thing.
import type { ErrorPayload, StepName, StepRecord, StepStatus, Task, TestReport } from '../../../shared/index.js';
import { formatCount, formatDuration } from './format.js';
import { planAwaitsApproval } from './plan-draft.js';

/** `plan@v1`, `test@v3`: how a step attempt is named everywhere (same as the artifact files). */
export function stepRef(step: StepName, version: number | null): string {
  return version === null ? step : `${step}@v${version}`;
}

export const STEP_TITLE: Record<StepName, string> = {
  plan: 'Plan',
  implement: 'Implement',
  docs: 'Docs',
  test: 'Tests',
  webcheck: 'Web check',
  fix: 'Fix',
  review: 'Review',
};

/** What a running step is doing, for headlines ("Planning"). */
const STEP_DOING: Record<StepName, string> = {
  plan: 'Planning',
  implement: 'Writing the code',
  docs: 'Writing the docs',
  test: 'Running the tests',
  webcheck: 'Checking the app in a browser',
  fix: 'Fixing',
  review: 'Reviewing',
};

export const STEP_STATUS_LABEL: Record<StepStatus, string> = {
  running: 'running',
  succeeded: 'passed',
  failed: 'failed',
  cancelled: 'cancelled',
};

export const STEP_STATUS_ICON: Record<StepStatus, string> = {
  running: '▶',
  succeeded: '✔',
  failed: '✘',
  cancelled: '■',
};

/**
 * The header a step gets in the chat and the Steps tab: "Plan", "Implement round 2",
 * "Fix round 1", "Fix round 1 · replay of fix@v1". `round` is the fix round (fixRound()):
 * a replay keeps the round of the step it replays, so it matches that step's summary.
 */
export function stepHeading(step: StepName, version: number | null, opts: { round?: number | null; replayOf?: number | null } = {}): string {
  let head = STEP_TITLE[step];
  if (step === 'fix' && opts.round) head = `Fix round ${opts.round}`;
  else if (step === 'implement' && version !== null && version > 1 && !opts.replayOf) head = `Implement round ${version}`;
  if (opts.replayOf) head += ` · replay of ${stepRef(step, opts.replayOf)}`;
  return head;
}

type RoundStep = Pick<StepRecord, 'step'> & Partial<Pick<StepRecord, 'version' | 'replayOf'>>;

/** A replay is the same step again, not one more of it: it does not count as a round of its own. */
const isReplay = (s: RoundStep): boolean => s.replayOf !== null && s.replayOf !== undefined;

/**
 * Fix rounds are counted since the last implement step (a review that asks for changes starts a new
 * implement round); a replayed fix has the round of the version it replays.
 */
export function fixRound(steps: readonly RoundStep[], index: number): number | null {
  const at = steps[index];
  if (at?.step !== 'fix') return null;
  if (isReplay(at)) {
    const original = steps.findIndex((s, i) => i < index && s.step === 'fix' && s.version === at.replayOf);
    if (original >= 0) return fixRound(steps, original);
  }
  let round = 0;
  for (let i = index; i >= 0; i--) {
    if (steps[i].step === 'implement') break;
    if (steps[i].step === 'fix' && (i === index || !isReplay(steps[i]))) round++;
  }
  return round;
}

/** Fix rounds since the last implement step, replays not counted ("2 fix rounds" in the header). */
export function fixRoundCount(steps: readonly RoundStep[]): number {
  const lastImplement = steps.findLastIndex((s) => s.step === 'implement');
  return steps.slice(lastImplement + 1).filter((s) => s.step === 'fix' && !isReplay(s)).length;
}

/**
 * The step row to bring into view: the newest one that was not there before (a replay's new
 * version lands at the end of a list the user may have scrolled up in). Not on the first load.
 */
export function newStepToReveal<T extends { id: number }>(before: ReadonlySet<number> | null, rows: readonly T[]): T | null {
  if (before === null) return null;
  for (let i = rows.length - 1; i >= 0; i--) if (!before.has(rows[i].id)) return rows[i];
  return null;
}

/** Total tests a report saw, when the runner printed a summary. */
export function testTotal(report: TestReport): number | null {
  return report.counts ? report.counts.passed + report.counts.failed : null;
}

/** "7 tests passed", "2 of 7 tests failed", "tests timed out", "exit 1". */
export function testOutcome(report: TestReport): string {
  const scenarios = report.level === 'scenarios';
  if (report.timedOut) return scenarios ? 'the app did not start in time' : 'tests timed out';
  const c = report.counts;
  if (scenarios && !c) return report.passed ? 'scenarios passed' : 'the app did not start';
  if (c) {
    const total = c.passed + c.failed;
    const noun = scenarios ? (total === 1 ? 'scenario' : 'scenarios') : total === 1 ? 'test' : 'tests';
    if (report.passed) return `${total} ${noun} passed`;
    if (c.failed > 0) return `${c.failed} of ${total} ${noun} failed`;
    return `${noun} failed (exit ${report.exitCode ?? '?'})`;
  }
  if (report.passed) return 'tests passed';
  return report.exitCode === null ? 'tests did not finish' : `tests failed (exit ${report.exitCode})`;
}

/** "tests: 5/7 passing" for headers; null without counts or a verdict worth saying. */
export function testsPassing(report: TestReport): string {
  const c = report.counts;
  if (c) return `tests: ${c.passed}/${c.passed + c.failed} passing`;
  if (report.timedOut) return 'tests: timed out';
  return report.passed ? 'tests: passing' : 'tests: failing';
}

/** Wall time of a step attempt: finished − started, or so far while it runs. */
export function stepDurationMs(step: Pick<StepRecord, 'startedAt' | 'finishedAt' | 'status'>, now: number): number | null {
  if (step.finishedAt !== null) return Math.max(0, step.finishedAt - step.startedAt);
  if (step.status === 'running') return Math.max(0, now - step.startedAt);
  return null;
}

/** "1.2k in · 340 out" (empty when the step called no model). */
export function stepTokens(step: Pick<StepRecord, 'promptTokens' | 'evalTokens'>): string {
  if (step.promptTokens === 0 && step.evalTokens === 0) return '';
  return `${formatCount(step.promptTokens)} in · ${formatCount(step.evalTokens)} out`;
}

/** Reports by `step@vN` (from step end events, or fetched artifacts). */
export type ReportMap = Readonly<Record<string, TestReport>>;

export interface PipelineHeadline {
  /** "Fix round 2 of 3", "Built", "Failed at test@v4", "Waiting to start…". */
  phase: string;
  /** "tests: 5/7 passing" from the latest test report, when there is one. */
  tests: string | null;
  /** Extra facts: "2 fix rounds", "3 cached calls". */
  notes: string[];
  tone: 'idle' | 'running' | 'ok' | 'fail' | 'stopped';
}

function errorPhase(error: ErrorPayload | null): string | null {
  if (!error) return null;
  if (error.code === 'TIME_BUDGET_EXCEEDED') return 'Stopped: over the time budget';
  return null;
}

/**
 * One line for the whole pipeline, e.g. "Fix round 2 of 3 · tests: 5/7 passing".
 * `steps` in the order they started (tasks.steps).
 */
export function pipelineHeadline(
  task: Pick<Task, 'status' | 'error'> & { metadata?: Task['metadata'] },
  steps: readonly StepRecord[],
  reports: ReportMap,
  maxFixRounds: number,
): PipelineHeadline {
  const notes: string[] = [];
  let tests: string | null = null;
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i];
    const report = s.step === 'test' ? reports[stepRef(s.step, s.version)] : undefined;
    if (report) {
      tests = testsPassing(report);
      break;
    }
  }
  const fixes = fixRoundCount(steps);
  const cached = steps.reduce((n, s) => n + s.cachedCalls, 0);

  if (steps.length === 0) {
    const phase =
      task.status === 'queued' || task.status === 'interrupted'
        ? 'Waiting to start…'
        : task.status === 'running'
          ? 'Starting the pipeline…'
          : (errorPhase(task.error) ?? (task.status === 'failed' ? 'Failed before the first step' : 'No steps ran'));
    const tone = task.status === 'failed' ? 'fail' : task.status === 'cancelled' ? 'stopped' : task.status === 'running' ? 'running' : 'idle';
    return { phase, tests: null, notes, tone };
  }

  const running = steps.map((s, i) => ({ s, i })).filter(({ s }) => s.status === 'running');
  if (running.length > 0 && (task.status === 'running' || task.status === 'queued')) {
    const phase = running
      .map(({ s, i }) => (s.step === 'fix' ? `Fix round ${fixRound(steps, i)} of ${Math.max(maxFixRounds, fixRound(steps, i) ?? 0)}` : STEP_DOING[s.step]))
      .join(' + ');
    if (fixes > 0 && !running.some(({ s }) => s.step === 'fix')) notes.push(`${fixes} fix round${fixes === 1 ? '' : 's'}`);
    return { phase, tests, notes, tone: 'running' };
  }

  if (fixes > 0) notes.push(`${fixes} fix round${fixes === 1 ? '' : 's'}`);
  if (cached > 0) notes.push(`${cached} cached call${cached === 1 ? '' : 's'}`);
  switch (task.status) {
    case 'succeeded':
      return { phase: 'Built', tests, notes, tone: 'ok' };
    case 'failed': {
      const failed = steps.findLast((s) => s.status === 'failed');
      return { phase: failed ? `Failed at ${stepRef(failed.step, failed.version)}` : 'Failed', tests, notes, tone: 'fail' };
    }
    case 'cancelled':
      return { phase: errorPhase(task.error) ?? 'Stopped', tests, notes, tone: 'stopped' };
    case 'queued':
    case 'interrupted':
      return { phase: 'Queued again…', tests, notes, tone: 'idle' };
    case 'running':
      return { phase: planAwaitsApproval(task, steps) ? 'The plan waits for your approval' : 'Between steps…', tests, notes, tone: 'running' };
  }
}

/** The timeline's line for a finished step: "7 tests passed · 1.2 s" / "plan: 5 files · 3.4 s". */
export function stepEndText(d: { step: StepName; status: StepStatus; summary?: string | null; durationMs?: number | null; report?: TestReport | null }): string {
  const parts: string[] = [];
  if (d.report) parts.push(testOutcome(d.report));
  else if (d.summary) parts.push(d.summary);
  else if (d.status !== 'succeeded') parts.push(STEP_STATUS_LABEL[d.status]);
  if (d.durationMs !== null && d.durationMs !== undefined) parts.push(formatDuration(d.durationMs));
  return parts.join(' · ');
}
