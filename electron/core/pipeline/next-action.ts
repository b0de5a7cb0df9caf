import type { ErrorPayload, ModelUsage, Plan, StepRecord, TestReport } from '../../../shared/index.js';
import type { ReviewResult } from './steps/review-step.js';
import type { TestResult } from './steps/test-step.js';
import type { WebcheckResult } from './steps/webcheck-step.js';

/** What a step stored for later steps: its input (for replays) and its result. */
export interface StoredStep<I = unknown, R = unknown> {
  input: I;
  result: R | null;
  /** What the step's model calls cost (shown in the Steps tab). */
  usage?: ModelUsage;
}

export type HistoryEntry = StepRecord & { output: unknown };

export type NextAction =
  | { kind: 'plan' }
  | { kind: 'implement'; round: number; notes: string[]; plan: Plan }
  | { kind: 'test'; plan: Plan }
  | { kind: 'webcheck'; plan: Plan; tests: TestResult }
  | { kind: 'fix'; round: number; report: TestReport; plan: Plan }
  | { kind: 'review'; plan: Plan; tests: TestResult; web: WebcheckResult | null }
  | { kind: 'done'; warning: string | null }
  | { kind: 'fail'; error: ErrorPayload };

/** Review may ask for one more implementation round, no more. */
const MAX_IMPLEMENT_ROUNDS = 2;

function resultOf<R>(entry: HistoryEntry): R | null {
  return ((entry.output as StoredStep<unknown, R> | null)?.result ?? null) as R | null;
}

/** Steps that count: finished ones. A failed fix counts only when the model gave no files, not when Ollama was down. */
function counts(e: HistoryEntry): boolean {
  if (e.status === 'succeeded') return true;
  if (e.status !== 'failed') return false;
  if (e.step === 'test' || e.step === 'webcheck') return true;
  return e.step === 'fix' && e.error?.code === 'NO_FILES';
}

/**
 * The pipeline as a function of its stored history: which step runs next. Every attempt
 * (a fresh start, a resume after a crash, a cascade after a replay) asks this, so a task
 * continues from its last finished step and never repeats one that already stands.
 */
export function nextAction(history: readonly HistoryEntry[], opts: { maxFixRounds: number }): NextAction {
  const done = history.filter(counts);
  const planEntry = [...done].reverse().find((e) => e.step === 'plan');
  const plan = planEntry ? resultOf<{ plan: Plan }>(planEntry)?.plan : undefined;
  if (!planEntry || !plan) return { kind: 'plan' };

  const afterPlan = done.filter((e) => e.id > planEntry.id);
  const implements_ = afterPlan.filter((e) => e.step === 'implement');
  if (implements_.length === 0) return { kind: 'implement', round: 1, notes: [], plan };
  const lastImpl = implements_[implements_.length - 1];
  const round = implements_.length;

  const since = afterPlan.filter((e) => e.id > lastImpl.id && (e.step === 'test' || e.step === 'webcheck' || e.step === 'fix' || e.step === 'review'));
  const fixes = since.filter((e) => e.step === 'fix').length;
  // What the next fix round reads: the latest failing check, the tests or the web check after them.
  const lastCheck = [...since].reverse().find((e) => e.step === 'test' || e.step === 'webcheck');
  const last = since[since.length - 1];
  if (!last) return { kind: 'test', plan };
  const checkReport = (): TestReport | undefined => {
    if (!lastCheck) return undefined;
    if (lastCheck.step === 'webcheck') return resultOf<WebcheckResult>(lastCheck)?.report ?? undefined;
    return resultOf<TestResult>(lastCheck)?.reports.at(-1);
  };

  const failWithReport = (): NextAction => {
    const report = checkReport();
    const rounds = fixes;
    const what = lastCheck?.step === 'webcheck' ? 'The smoke scenarios still fail in the browser' : 'The tests still fail';
    return {
      kind: 'fail',
      error: {
        code: 'TESTS_FAILED',
        message: `${what} after ${rounds} fix round${rounds === 1 ? '' : 's'}${report ? `: ${lastCheck?.summary}` : ''}.`,
        details: { rounds, ...(report ? { report } : {}) },
      },
    };
  };

  switch (last.step) {
    case 'test': {
      const tests = resultOf<TestResult>(last);
      if (last.status === 'succeeded' && tests?.passed) {
        return (plan.scenarios ?? []).length > 0 ? { kind: 'webcheck', plan, tests } : { kind: 'review', plan, tests, web: null };
      }
      if (fixes >= opts.maxFixRounds) return failWithReport();
      const report = tests?.reports[tests.reports.length - 1];
      // The tests could not run at all (the sandbox failed to start them): no fix can help.
      if (!report) return { kind: 'fail', error: last.error ?? { code: 'INTERNAL', message: 'The test step ended without a test report.' } };
      return { kind: 'fix', round: fixes + 1, report, plan };
    }
    case 'webcheck': {
      const web = resultOf<WebcheckResult>(last);
      const testEntry = [...since].reverse().find((e) => e.step === 'test');
      const tests = testEntry ? resultOf<TestResult>(testEntry) : null;
      // Passed, or could not run here (no browser): the review goes on; the version is not marked working.
      if (last.status === 'succeeded' && web && tests) return { kind: 'review', plan, tests, web };
      if (!web?.report) return { kind: 'fail', error: last.error ?? { code: 'INTERNAL', message: 'The web check ended without a result.' } };
      if (fixes >= opts.maxFixRounds) return failWithReport();
      return { kind: 'fix', round: fixes + 1, report: web.report, plan };
    }
    case 'fix': {
      if (last.status === 'succeeded') return { kind: 'test', plan };
      // The model answered without files: another round with the same report, if any are left.
      if (fixes >= opts.maxFixRounds) return failWithReport();
      const report = checkReport();
      return report ? { kind: 'fix', round: fixes + 1, report, plan } : { kind: 'test', plan };
    }
    case 'review': {
      const review = resultOf<ReviewResult>(last);
      // A review that names no problem is an approval, whatever its verdict word: another round would have nothing to do.
      const nothingFound = review !== null && review.problems.length === 0 && review.missingFiles.length === 0 && review.checks.every((c) => c.ok);
      if (!review || review.verdict === 'approve' || nothingFound) return { kind: 'done', warning: null };
      if (round < MAX_IMPLEMENT_ROUNDS) return { kind: 'implement', round: round + 1, notes: review.problems, plan };
      if (review.missingFiles.length) {
        return {
          kind: 'fail',
          error: { code: 'EXPECTED_FILES_MISSING', message: `Required files are still missing after a second implementation round: ${review.missingFiles.join(', ')}.`, details: { missing: review.missingFiles } },
        };
      }
      const broken = review.checks.filter((c) => !c.ok);
      if (broken.length) {
        return {
          kind: 'fail',
          error: { code: 'REQUIREMENTS_NOT_MET', message: `Non-negotiable requirements do not hold: ${broken.map((c) => `"${c.rule}" (${c.detail})`).join('; ')}.`, details: { checks: broken } },
        };
      }
      // The tests pass and the program checks hold; the reviewer's remaining taste is a note, not a failure.
      return { kind: 'done', warning: `The reviewer still had remarks: ${review.problems.join(' ')}` };
    }
    default:
      return { kind: 'test', plan };
  }
}
