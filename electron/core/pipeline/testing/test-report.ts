// A test run as the pipeline keeps it (TestReport), and the two ways it is told:
// a block for the fix prompt and one line for the timeline.
import type { TestReport } from '../../../../shared/index.js';
import { displayCommand } from './test-command.js';
import { parseTestOutput, relevantTail } from './test-output.js';

export interface TestRunResult {
  command: string[];
  level: TestReport['level'];
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  output: string;
}

const TAIL_BYTES = 6000;

export function buildTestReport(input: TestRunResult): TestReport {
  const passed = input.exitCode === 0 && !input.timedOut;
  const parsed = parseTestOutput(input.output);
  // The exit code is the verdict. A passing run's "failures" are expected failures,
  // failing TODOs and the like: reporting them would send the fix step after nothing.
  const failures = passed ? [] : parsed.failures;
  const note = tailNote(input, failures.length);
  const budget = TAIL_BYTES - (note ? Buffer.byteLength(note, 'utf8') + 1 : 0);
  const body = relevantTail(input.output, failures, budget);
  return {
    command: [...input.command],
    level: input.level,
    exitCode: input.exitCode,
    passed,
    timedOut: input.timedOut,
    durationMs: input.durationMs,
    counts: parsed.counts,
    failures,
    tail: note ? (body === '' ? note : `${note}\n${body}`) : body,
  };
}

/** The first line of the tail when the output alone would not explain the verdict. */
function tailNote(input: TestRunResult, failureCount: number): string | null {
  if (input.timedOut) return `Timed out after ${seconds(input.durationMs)} s and was stopped; the output up to then follows.`;
  if (input.exitCode === null) return 'The command ended without an exit code (killed by a signal); the last output follows.';
  if (input.exitCode !== 0 && failureCount === 0) {
    return `Exit code ${input.exitCode}, but no failing test was recognised in the output; the last output follows.`;
  }
  return null;
}

const seconds = (ms: number): number => Math.round(ms / 1000);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A plain-text block for the fix prompt. */
export function formatTestReportForPrompt(report: TestReport): string {
  const lines = [`Test command: ${displayCommand(report.command)}`];
  if (report.timedOut) lines.push(`Result: timed out after ${seconds(report.durationMs)} s`);
  else if (report.exitCode === null) lines.push('Result: ended without an exit code');
  else lines.push(`Result: exit code ${report.exitCode}${report.passed ? ' (passed)' : ''}`);
  const outcome = outcomeLine(report);
  if (outcome) lines.push(outcome);
  if (report.failures.length > 0) {
    lines.push('Failures:');
    for (const f of report.failures) {
      const why = f.message ? `: ${f.message}` : '';
      const where = f.location ? ` (${f.location})` : '';
      lines.push(`- ${f.name}${why}${where}`);
    }
  }
  if (report.tail.trim() !== '') {
    // A fence longer than any backtick run in the output, so the output cannot close it.
    let longest = 2;
    for (const m of report.tail.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
    const fence = '`'.repeat(longest + 1);
    lines.push('Output (the relevant part):', `${fence}text`, report.tail, fence);
  }
  return lines.join('\n');
}

/** "2 of 7 tests failed", "all 7 tests passed", "3 tests failed" (no counts printed). */
function outcomeLine(report: TestReport): string | null {
  const { counts } = report;
  if (counts) {
    const total = counts.passed + counts.failed;
    if (total === 0) return 'No tests ran.';
    if (counts.failed === 0) return total === 1 ? 'The 1 test passed.' : `All ${total} tests passed.`;
    return `${counts.failed} of ${plural(total, 'test')} failed.`;
  }
  if (report.failures.length > 0) return `${plural(report.failures.length, 'test')} failed.`;
  return null;
}

const SUMMARY_NAMES = 3;
const SUMMARY_CHARS = 200;

/** One line for the timeline. */
export function summarizeTestReport(report: TestReport): string {
  if (report.timedOut) return `timed out after ${seconds(report.durationMs)} s`;
  const { counts, failures } = report;
  const total = counts ? counts.passed + counts.failed : 0;
  if (report.passed) {
    if (!counts) return 'tests passed (exit 0)';
    if (total === 0) return 'no tests ran (exit 0)';
    if (counts.failed > 0) return `exit 0, but ${counts.failed} of ${plural(total, 'test')} reported failing`;
    return total === 1 ? '1 test passed' : `all ${total} tests passed`;
  }
  const exit = report.exitCode === null ? 'ended without an exit code' : `exit ${report.exitCode}`;
  if (counts && counts.failed > 0) return cap(`${counts.failed} of ${plural(total, 'test')} failed${names(failures)}`);
  if (failures.length > 0) return cap(`${plural(failures.length, 'test')} failed${names(failures)}`);
  if (counts && total > 0) return `${exit} after ${total === 1 ? 'the 1 test' : `all ${total} tests`} passed`;
  if (counts) return `${exit} (no tests ran)`;
  return `${exit} (no test results recognised)`;
}

function names(failures: TestReport['failures']): string {
  if (failures.length === 0) return '';
  const shown = failures.slice(0, SUMMARY_NAMES).map((f) => f.name);
  const more = failures.length - shown.length;
  return `: ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

function cap(line: string): string {
  return line.length > SUMMARY_CHARS ? `${line.slice(0, SUMMARY_CHARS - 1)}…` : line;
}
