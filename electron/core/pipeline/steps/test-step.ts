import type { Plan, TaskSpecV1, TestReport } from '../../../../shared/index.js';
import { buildTestReport, commandFromString, conventionalTestCommand, summarizeTestReport } from '../testing/index.js';
import { readProjectFiles } from './project-files.js';
import type { PipelineEnv, StepRecorder } from './step-env.js';

const TEST_TIMEOUT_MS = 120_000;
/** Shells answer "command not found" with 127: the plan named a tool this machine lacks. */
const NOT_FOUND_EXIT = 127;

export interface PlannedCommand {
  argv: string[];
  level: TestReport['level'];
  display: string;
}

export interface TestInput {
  commands: PlannedCommand[];
}

export interface TestResult {
  reports: TestReport[];
  passed: boolean;
  /** The tests ran to a result (the code loaded and the runner reported), pass or fail. */
  compiled: boolean;
  /** TaskV1.1 oracle.smoke passed (null: the task has no smoke level). */
  smokePassed: boolean | null;
  summary: string;
}

/**
 * Which commands the test step runs: TaskV1.1 oracle levels (smoke, then full) when the
 * task has them, else the plan's test command, else the one the project's files imply.
 */
export async function planTestCommands(env: PipelineEnv, plan: Plan | null, spec: TaskSpecV1 | null): Promise<PlannedCommand[]> {
  const oracle: PlannedCommand[] = [];
  for (const level of ['smoke', 'full'] as const) {
    const value = spec?.oracle?.[level];
    if (Array.isArray(value)) oracle.push(...value.map((cmd) => ({ argv: commandFromString(cmd), level, display: cmd })));
    else if (value === true) {
      // `"smoke": true` (the Phase-1 README's form): this level is the plan's or the conventional command; run once even when both levels ask for it.
      const own = await ownTestCommand(env, plan);
      if (own && !oracle.some((c) => c.display === own.display)) oracle.push({ ...own, level });
    }
  }
  if (oracle.length) return oracle;
  const own = await ownTestCommand(env, plan);
  return own ? [own] : [];
}

/** The plan's test command, else the one the project's files imply. */
async function ownTestCommand(env: PipelineEnv, plan: Plan | null): Promise<PlannedCommand | null> {
  if (plan?.test_command.trim()) return { argv: commandFromString(plan.test_command), level: 'plan', display: plan.test_command };
  return conventionalFor(env);
}

async function conventionalFor(env: PipelineEnv): Promise<PlannedCommand | null> {
  const files = await readProjectFiles(env.workspace);
  const byPath = new Map(files.map((f) => [f.path, f.content]));
  const found = conventionalTestCommand(
    files.map((f) => f.path),
    (p) => byPath.get(p) ?? null,
  );
  return found ? { argv: found.argv, level: 'conventional', display: found.display } : null;
}

function noCommandReport(): TestReport {
  return {
    command: [],
    level: 'conventional',
    exitCode: null,
    passed: false,
    timedOut: false,
    durationMs: 0,
    counts: null,
    failures: [],
    tail: 'The project has no tests and no test command: the plan named none, and no test files or build file (package.json, pyproject.toml, go.mod, Cargo.toml, pom.xml) imply one. Add tests.',
  };
}

/** test: run the commands in the sandbox, live in the task's terminal; stop at the first level that fails. */
export async function runTestStep(env: PipelineEnv, rec: StepRecorder, input: TestInput): Promise<TestResult> {
  const commands = input.commands.length ? input.commands : [];
  const reports: TestReport[] = [];
  if (commands.length === 0) {
    const report = noCommandReport();
    return { reports: [report], passed: false, compiled: false, smokePassed: null, summary: 'no test command' };
  }
  for (const planned of commands) {
    let report = await runOne(rec, planned);
    if (report.exitCode === NOT_FOUND_EXIT && planned.level === 'plan') {
      const fallback = await conventionalFor(env);
      if (fallback && fallback.display !== planned.display) {
        env.emit({ type: 'log', data: { level: 'warn', message: `test: "${planned.display}" was not found (exit 127); running ${fallback.display} instead.` } });
        report = await runOne(rec, fallback);
      }
    }
    reports.push(report);
    if (!report.passed) break;
  }
  const passed = reports.every((r) => r.passed) && reports.length === commands.length;
  const compiled = reports.some((r) => r.passed || r.counts !== null);
  const smoke = reports.filter((r) => r.level === 'smoke');
  const smokePassed = commands.some((c) => c.level === 'smoke') ? smoke.length > 0 && smoke.every((r) => r.passed) && smoke.length === commands.filter((c) => c.level === 'smoke').length : null;
  const last = reports[reports.length - 1];
  return { reports, passed, compiled, smokePassed, summary: summarizeTestReport(last) };
}

async function runOne(rec: StepRecorder, planned: PlannedCommand): Promise<TestReport> {
  const run = await rec.command(planned.argv, TEST_TIMEOUT_MS);
  return buildTestReport({ command: planned.argv, level: planned.level, exitCode: run.exitCode, timedOut: run.timedOut, durationMs: run.durationMs, output: run.output });
}
