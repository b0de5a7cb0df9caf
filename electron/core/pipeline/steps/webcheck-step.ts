// webcheck: after the tests pass, a web project's smoke scenarios (the plan's) run in a
// headless browser against the app, started through the preview service like the Run
// button starts it. A failed scenario becomes a test report the fix step reads like a
// failing test's: the scenario, the failed step, the expectation, the DOM text, the errors.
import fs from 'node:fs';
import path from 'node:path';
import type { AppRun, ScenarioResult, SmokeScenario, TestReport } from '../../../../shared/index.js';
import { MacsError } from '../../../../shared/index.js';
import { parsePlainStep, readScreenshot, resetScreenshotFolder, type PreviewService, type WebAgent } from '../../preview/index.js';
import type { PipelineEnv, StepRecorder } from './step-env.js';

/** Installing dependencies and a first start can take a while; the scenarios have their own limits. */
const START_TIMEOUT_MS = 90_000;
export const SCREENSHOT_DIR = '.macs/screenshots';

export interface WebcheckInput {
  scenarios: SmokeScenario[];
}

export interface WebcheckResult {
  /** Every scenario ran and passed. */
  passed: boolean;
  /** Why the scenarios did not run at all (no browser, no preview, not a web app); null: they ran. */
  skipped: string | null;
  url: string | null;
  scenarios: ScenarioResult[];
  /** Scenarios with steps the agent does not understand: reported, not run, not failed. */
  notUnderstood: Array<{ name: string; reasons: string[] }>;
  /** The failure as a test report for the fix step (null when nothing failed). */
  report: TestReport | null;
  summary: string;
}

export interface WebcheckDeps {
  preview?: PreviewService;
  webAgent?: WebAgent;
  /** Where this step attempt keeps its own copy of the screenshots (the project keeps only the latest). */
  archiveDir: string;
}

function skipped(reason: string): WebcheckResult {
  return { passed: false, skipped: reason, url: null, scenarios: [], notUnderstood: [], report: null, summary: `skipped: ${reason}` };
}

function isUp(run: AppRun): boolean {
  return run.state === 'ready' || run.state === 'starting' || run.state === 'installing';
}

export async function runWebcheckStep(env: PipelineEnv, rec: StepRecorder, input: WebcheckInput, deps: WebcheckDeps): Promise<WebcheckResult> {
  const projectId = env.task.projectId;
  if (!deps.preview || !deps.webAgent) return warnSkip(env, 'running the app is not available in this engine');
  if (!projectId) return warnSkip(env, 'the build is not part of a project, so there is no app to start');
  const browser = deps.webAgent.available();
  if (!browser.ok) return warnSkip(env, browser.reason);

  // Steps the agent cannot read are reported up front; such a scenario is not run (its verdict would be a guess).
  const notUnderstood: WebcheckResult['notUnderstood'] = [];
  const runnable: SmokeScenario[] = [];
  for (const scenario of input.scenarios) {
    const reasons = scenario.steps.map(parsePlainStep).flatMap((p) => (p.ok ? [] : [p.reason]));
    if (reasons.length) notUnderstood.push({ name: scenario.name, reasons });
    else runnable.push(scenario);
  }
  for (const n of notUnderstood) env.emit({ type: 'log', data: { level: 'warn', message: `webcheck: scenario "${n.name}" is not run: ${n.reasons.join(' ')}` } });
  if (runnable.length === 0) return { ...skipped('no scenario has steps the web agent understands'), notUnderstood };

  const preview = deps.preview;
  const wasUp = isUp(preview.status(projectId));
  const root = env.workspace.root;
  const shots = path.join(root, SCREENSHOT_DIR);
  let run: AppRun;
  // Starting the app and driving the browser count as the step's command time (the Steps tab's split).
  const t0 = performance.now();
  try {
    // run() restarts an app that is up: the scenarios see the code as it is now.
    try {
      await preview.run(projectId);
    } catch (err) {
      // A missing tool is this machine's matter; nothing runnable in a web project is the code's, for a fix round.
      if (err instanceof MacsError && err.code === 'TOOLCHAIN_MISSING') return warnSkip(env, err.message, notUnderstood);
      if (err instanceof MacsError && err.code === 'APP_NOT_RUNNABLE') {
        return { passed: false, skipped: null, url: null, scenarios: [], notUnderstood, report: notRunnable(err.message), summary: `the app cannot be started: ${err.message}` };
      }
      throw err;
    }
    run = await preview.waitSettled(projectId, START_TIMEOUT_MS);
    env.signal.throwIfAborted();
    if (run.state !== 'ready' || !run.url) {
      if (run.plan && !run.plan.web) return warnSkip(env, `the project does not serve a web page (${run.plan.source})`, notUnderstood);
      if (run.failure === 'NOTHING_TO_RUN' || run.failure === 'TOOLCHAIN_MISSING' || run.failure === 'INSTALL_NEEDS_NETWORK') {
        return warnSkip(env, run.reason ?? 'the app could not be started', notUnderstood);
      }
      const report = appDidNotStart(run);
      return { passed: false, skipped: null, url: null, scenarios: [], notUnderstood, report, summary: `the app did not start: ${run.reason ?? run.state}` };
    }
    // Never through a link the app planted (.macs, .macs/screenshots): the check is skipped, saying why.
    if (!resetScreenshotFolder(shots, root, SCREENSHOTS_GITIGNORE)) {
      return warnSkip(env, `its screenshot folder ${path.relative(root, shots)} is not a folder of the project (a link or a file is in its place): remove it`, notUnderstood);
    }
    let results: ScenarioResult[];
    try {
      results = await deps.webAgent.runScenarios({ url: run.url, scenarios: runnable, screenshotDir: shots, root });
    } catch (err) {
      // The browser or its driver is missing here: this machine's matter, said, not a failure of the code.
      if (err instanceof MacsError && err.code === 'TOOLCHAIN_MISSING') return warnSkip(env, err.message, notUnderstood);
      throw err;
    }
    env.signal.throwIfAborted();
    archive(root, results, deps.archiveDir);
    const failed = results.filter((r) => !r.passed);
    const passed = failed.length === 0;
    const summary = passed
      ? `${results.length} scenario${results.length === 1 ? '' : 's'} passed in a browser`
      : `${failed.length} of ${results.length} scenario${results.length === 1 ? '' : 's'} failed: ${failed[0].name}`;
    return { passed, skipped: null, url: run.url, scenarios: results, notUnderstood, report: passed ? null : scenarioReport(results, run.url), summary };
  } finally {
    // Leave the app as the user had it: running if it ran before the check, stopped otherwise.
    if (!wasUp) await preview.stop(projectId).catch(() => undefined);
    rec.commandMs += performance.now() - t0;
  }
}

function warnSkip(env: PipelineEnv, reason: string, notUnderstood: WebcheckResult['notUnderstood'] = []): WebcheckResult {
  env.emit({ type: 'log', data: { level: 'warn', message: `webcheck: the smoke scenarios were not run: ${reason}` } });
  return { ...skipped(reason), notUnderstood };
}

/** The screenshots stay out of the project's versions (git) but in its folder and its export. */
const SCREENSHOTS_GITIGNORE = '# MACS: web check screenshots and other run state, not part of the versions.\n*\n';

/** Screenshots are read back without following links (readScreenshot): the app may have swapped one for a link to a secret. */
function archive(root: string, results: ScenarioResult[], archiveDir: string): void {
  fs.mkdirSync(archiveDir, { recursive: true });
  for (const r of results) {
    for (const s of r.steps) {
      if (!s.screenshot) continue;
      const bytes = readScreenshot(root, s.screenshot);
      if (bytes) fs.writeFileSync(path.join(archiveDir, path.basename(s.screenshot)), bytes);
    }
  }
}

function notRunnable(reason: string): TestReport {
  return {
    command: ['web check', 'start the app'],
    level: 'scenarios',
    exitCode: null,
    passed: false,
    timedOut: false,
    durationMs: 0,
    counts: null,
    failures: [{ name: 'the app can be started', message: reason, location: null }],
    tail: `The unit tests pass, but the app cannot be started for the browser check: ${reason} A web app needs an index.html at the root, a package.json "start" or "dev" script, or a server file that listens on $PORT.`,
  };
}

function appDidNotStart(run: AppRun): TestReport {
  return {
    command: ['web check', 'start the app'],
    level: 'scenarios',
    exitCode: run.exitCode,
    passed: false,
    timedOut: run.failure === 'NO_PORT',
    durationMs: run.readyAt && run.startedAt ? run.readyAt - run.startedAt : 0,
    counts: null,
    failures: [{ name: 'the app starts and answers HTTP', message: run.reason, location: null }],
    tail: `The unit tests pass, but the app did not start for the browser check${run.plan?.command ? ` (command: ${run.plan.command})` : ''}: ${run.reason ?? run.state}.\n\nLast output:\n${run.outputTail.split('\n').slice(-50).join('\n')}`,
  };
}

/** The failed scenarios as a test report: what a fix needs to know, in words the model reads like a test failure. */
export function scenarioReport(results: ScenarioResult[], url: string): TestReport {
  const failed = results.filter((r) => !r.passed);
  const lines: string[] = [`The unit tests pass, but ${failed.length} smoke scenario${failed.length === 1 ? '' : 's'} failed in a real browser against the running app (${url}).`];
  for (const r of failed) {
    const bad = r.steps.find((s) => !s.ok);
    lines.push('', `Scenario "${r.name}":`);
    r.steps.forEach((s, i) => lines.push(`  ${i + 1}. ${s.step} — ${s.ok ? 'ok' : 'FAILED'}`));
    if (bad) lines.push(`Failed step: ${bad.step}`, `Expectation: ${bad.error ?? 'failed'}`);
    if (r.domExcerpt) lines.push('Page text at the failure:', indent(r.domExcerpt));
    if (r.consoleErrors.length) lines.push('Console errors:', ...r.consoleErrors.slice(0, 10).map((e) => `  - ${e}`));
    if (r.failedRequests.length) lines.push('Failed requests:', ...r.failedRequests.slice(0, 10).map((e) => `  - ${e}`));
  }
  return {
    command: ['web check'],
    level: 'scenarios',
    exitCode: 1,
    passed: false,
    timedOut: false,
    durationMs: results.reduce((n, r) => n + r.durationMs, 0),
    counts: { passed: results.length - failed.length, failed: failed.length },
    failures: failed.map((r) => {
      const bad = r.steps.find((s) => !s.ok);
      return { name: r.name, message: bad ? `${bad.step}: ${bad.error ?? 'failed'}` : 'failed', location: null };
    }),
    tail: lines.join('\n'),
  };
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

/** A kept screenshot of webcheck@v<version> as a data: URL; SCREENSHOT_NOT_FOUND when that attempt kept none of that name. */
export function readStepScreenshot(artifacts: { taskDir(taskId: string): string }, taskId: string, version: number, name: string): string {
  // The contract's pattern already keeps separators out; basename is the second lock.
  const file = path.join(webcheckShotsDir(artifacts.taskDir(taskId), version), path.basename(name));
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    throw new MacsError('SCREENSHOT_NOT_FOUND', `webcheck@v${version} of this task kept no screenshot named ${path.basename(name)}.`, { taskId, version, name });
  }
  return `data:image/png;base64,${bytes.toString('base64')}`;
}

/** Where a web check attempt keeps its own copy of the screenshots (the project's folder keeps only the latest). */
export function webcheckShotsDir(taskArtifactsDir: string, version: number): string {
  return path.join(taskArtifactsDir, `webcheck@v${version}`);
}
