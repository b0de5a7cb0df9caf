import type { ErrorPayload, ExecResult, Plan, RoutingRole, StepEventData, StepName, Task, TaskEventDraft, TaskSpecV1 } from '../../../shared/index.js';
import { MacsError, TaskSpecV1Schema, toErrorPayload } from '../../../shared/index.js';
import { isAbortError, keepAliveValue, type ChatProvider, type ThinkValue } from '../llm/index.js';
import type { RouteCandidate } from '../providers/types.js';
import { DEFAULT_OUTPUT_LIMITS, OutputCounter, type OutputLimits, type RunOutcome, type TaskStore } from '../tasks/index.js';
import { Workspace } from '../project-folder/index.js';
import type { ArtifactStore } from './artifacts.js';
import type { TokenCounter } from './context-budget.js';
import { LlmClient, type CallRecord } from './llm-client.js';
import { buildTaskManifest } from './manifest.js';
import type { ModelDirectory } from './model-directory.js';
import { nextAction, type StoredStep } from './next-action.js';
import type { PromptLibrary } from './prompts.js';
import type { ResponseCache } from './response-cache.js';
import type { StepStore } from './step-store.js';
import { runFixStep, type FixInput } from './steps/fix-step.js';
import { runImplementStep, type ImplementInput } from './steps/implement-step.js';
import { planSummary, runPlanStep, type PlanInput, type PlanResult } from './steps/plan-step.js';
import { approvalFile, planAwaitingApproval, reviewsPlansFirst, type ApprovedPlanInput, type PlanApproval } from './plan-approval.js';
import { implementTargets } from './build-plan.js';
import { readProjectFiles } from './steps/project-files.js';
import { runReviewStep, type ReviewInput } from './steps/review-step.js';
import { StepRecorder, type CommandRun, type PipelineEnv } from './steps/step-env.js';
import { planTestCommands, runTestStep, type TestInput, type TestResult } from './steps/test-step.js';
import { BuildThread } from './steps/thread.js';
import { runWebcheckStep, webcheckShotsDir, type WebcheckInput, type WebcheckResult } from './steps/webcheck-step.js';
import type { PreviewService, WebAgent } from '../preview/index.js';

export interface BuildRunOptions {
  task: Task;
  store: TaskStore;
  steps: StepStore;
  artifacts: ArtifactStore;
  /** null: the LLM cache is switched off. */
  cache: ResponseCache | null;
  /** The provider and its own model name for a model reference (ProviderRegistry.chat for the task's host). */
  chat: (ref: string) => { provider: ChatProvider; model: string };
  /** The models a role tries, in order (its route, then the task's model). */
  route: (role: RoutingRole) => RouteCandidate[];
  /** Installed models on the task's host (read once per run). */
  directory: () => Promise<ModelDirectory>;
  counter: TokenCounter;
  prompts: PromptLibrary;
  maxFixRounds: number;
  /** The worker holding the task's lease (step rows are fenced by it). */
  owner: string;
  signal: AbortSignal;
  emit: (draft: TaskEventDraft) => void;
  runCommand: (argv: string[], timeoutMs: number, signal: AbortSignal) => Promise<ExecResult & { output: string }>;
  /** Before each file is first written (the undo snapshot of a folder workspace). */
  beforeWrite?: (path: string) => Promise<void>;
  /** When this run of the task began (its first attempt since it last finished): the time budget counts from here. */
  runStartedAt: number;
  /** Ollama's `think` per model (thinking models only). */
  thinkFor?: (model: string) => Promise<ThinkValue | undefined>;
  /** Minutes Ollama keeps a model loaded after each call (Settings → keepAliveMinutes); undefined: Ollama's default. */
  keepAliveMinutes?: number;
  /** Caps on model output (Settings: maxFileBytes, maxTaskOutputBytes); default 20 MB a file, 200 MB a build. */
  outputLimits?: OutputLimits;
  /** A later turn of a project: the earlier turns as one block (projects/context conversationBlock); '' or absent for a first turn. */
  conversation?: string;
  /** Starts the project's app for the web check (issue 14); absent: the web check is skipped, saying so. */
  preview?: PreviewService;
  /** Runs the plan's smoke scenarios in a browser; absent: the web check is skipped, saying so. */
  webAgent?: WebAgent;
}

type StepOutcome<R> = { status: 'succeeded' | 'failed' | 'cancelled'; result: R | null; error: ErrorPayload | null; version: number };

class StepFailed extends Error {
  constructor(readonly payload: ErrorPayload) {
    super(payload.message);
  }
}

function specOf(task: Task): TaskSpecV1 | null {
  const parsed = TaskSpecV1Schema.safeParse(task.metadata?.spec);
  return parsed.success ? parsed.data : null;
}

/** Failures of an optional step (docs) that still end the build: going on would only fail again. */
const ENDS_THE_BUILD: ReadonlySet<string> = new Set(['OUTPUT_TOO_LARGE', 'DISK_FULL']);

const ROLE_OF: Partial<Record<StepName, 'plan' | 'implement' | 'fix' | 'review'>> = { plan: 'plan', implement: 'implement', docs: 'implement', fix: 'fix', review: 'review' };

/**
 * One attempt of a build task: plan → implement (docs beside it) → test → fix … → review,
 * each step stored before the next starts. What to do next is decided from the stored
 * steps (nextAction), so an attempt after a crash or a transient failure resumes where
 * the last one stopped, and a replay re-runs one step from its stored input.
 */
export async function runBuildTask(o: BuildRunOptions): Promise<RunOutcome> {
  const { task } = o;
  const spec = specOf(task);
  const latency = spec?.input.constraints?.latency_ms;
  const replay = o.steps.pendingReplay(task.id);
  // A replay starts a new budget; a resume after a crash or a transient fault does not.
  const startedAt = replay ? Date.now() : o.runStartedAt;
  const budget = latency ? AbortSignal.timeout(Math.max(0, startedAt + latency - Date.now())) : null;
  const signal = budget ? AbortSignal.any([o.signal, budget]) : o.signal;
  const budgetSpent = () => budget?.aborted === true && !o.signal.aborted;

  for (const abandoned of o.steps.closeAbandoned(task.id)) {
    o.emit({ type: 'step', data: { step: abandoned.step, version: abandoned.version, phase: 'end', status: 'cancelled', summary: abandoned.summary } });
  }

  let outcome: RunOutcome;
  try {
    const workspace = await Workspace.open(task.workspacePath);
    const directory = await o.directory();
    const llm = new LlmClient({
      chat: o.chat,
      route: o.route,
      directory,
      counter: o.counter,
      cache: o.cache && (replay?.useCache ?? true) ? o.cache : null,
      taskModel: task.model,
      floorCtx: task.numCtx,
      signal,
      emit: o.emit,
      continuePrompt: o.prompts.render('continue'),
      thinkFor: o.thinkFor,
      keepAlive: keepAliveValue(o.keepAliveMinutes),
    });
    // num_ctx is sized once per build, to hold the project it starts from and what the build adds.
    const existing = await readProjectFiles(workspace, spec?.input.repo);
    llm.expectProject(existing.reduce((n, f) => n + f.path.length + f.content.length + 16, 0) + (o.conversation?.length ?? 0));
    const env: PipelineEnv = {
      task,
      spec,
      store: o.store,
      workspace,
      llm,
      prompts: o.prompts,
      signal,
      emit: o.emit,
      runCommand: (argv, timeoutMs) => o.runCommand(argv, timeoutMs, signal) as Promise<CommandRun>,
      maxTokensPerCall: spec?.input.constraints?.max_tokens,
      beforeWrite: o.beforeWrite,
      thread: new BuildThread(workspace, llm),
      outputLimits: o.outputLimits ?? DEFAULT_OUTPUT_LIMITS,
      // One total for the attempt's files across every step (a fix round rewriting a file counts again).
      outputCounter: new OutputCounter(),
      conversation: o.conversation ?? '',
      startFiles: existing,
    };
    const runner = new StepRunner(o, env);
    outcome = replay ? await runner.replay(replay) : await runner.loop();
  } catch (err) {
    if (budgetSpent()) {
      outcome = { status: 'cancelled', error: budgetError(latency ?? 0) };
    } else if (o.signal.aborted || isAbortError(err)) {
      outcome = { status: 'cancelled' };
    } else {
      outcome = { status: 'failed', error: err instanceof StepFailed ? err.payload : toErrorPayload(err) };
    }
  }
  if (budgetSpent() && outcome.status !== 'succeeded') outcome = { status: 'cancelled', error: budgetError(latency ?? 0) };
  writeManifest(o, outcome.status);
  return outcome;
}

function budgetError(latencyMs: number): ErrorPayload {
  return {
    code: 'TIME_BUDGET_EXCEEDED',
    message: `The task's time budget (constraints.latency_ms = ${latencyMs} ms) ran out; it was stopped and what it wrote so far was kept.`,
    details: { latencyMs },
  };
}

function writeManifest(o: BuildRunOptions, status: string): void {
  try {
    const manifest = buildTaskManifest(o.task, o.store.listFiles(o.task.id), o.steps.list(o.task.id), status);
    o.artifacts.writeJson(`artifacts/${o.task.id}/manifest.json`, manifest);
  } catch {
    // The manifest is a convenience copy; the database holds the same facts.
  }
}

class StepRunner {
  constructor(
    private readonly o: BuildRunOptions,
    private readonly env: PipelineEnv,
  ) {}

  async loop(): Promise<RunOutcome> {
    for (;;) {
      this.env.signal.throwIfAborted();
      const history = this.o.steps.listWithOutput(this.o.task.id);
      const waiting = reviewsPlansFirst(this.o.task) ? planAwaitingApproval(history) : null;
      if (waiting) {
        await this.awaitApproval(waiting.version);
        continue;
      }
      const action = nextAction(history, { maxFixRounds: this.o.maxFixRounds });
      switch (action.kind) {
        case 'done':
          if (action.warning) this.env.emit({ type: 'log', data: { level: 'warn', message: action.warning } });
          return { status: 'succeeded' };
        case 'fail':
          return { status: 'failed', error: action.error };
        case 'plan':
          await this.must('plan', { goal: this.o.task.prompt } satisfies PlanInput);
          break;
        case 'implement':
          await this.implement(action.plan, action.round, action.notes);
          break;
        case 'test':
          await this.run('test', { commands: await planTestCommands(this.env, action.plan, this.env.spec) } satisfies TestInput);
          break;
        case 'fix':
          await this.run('fix', { round: action.round, report: action.report, plan: action.plan } satisfies FixInput);
          break;
        case 'webcheck':
          await this.run('webcheck', { scenarios: action.plan.scenarios ?? [] } satisfies WebcheckInput);
          break;
        case 'review':
          await this.must('review', { plan: action.plan, tests: testsLine(action.tests, action.web) } satisfies ReviewInput);
          break;
      }
    }
  }

  /**
   * Settings → review plans first: the task stays running (its lease kept by the worker) while
   * the plan waits; tasks.approvePlan writes the approval file, read here every 200 ms. After a
   * restart the stored plan waits again, with no new model call. Cancel aborts the wait.
   */
  private async awaitApproval(planVersion: number): Promise<void> {
    const { o, env } = this;
    o.emit({ type: 'log', data: { level: 'info', message: `plan@v${planVersion}: waiting for your approval (Settings → review plans first). Approve it, or edit it and approve.` } });
    let approval: PlanApproval | null = null;
    while (!approval) {
      await abortableSleep(200, env.signal);
      const read = o.artifacts.read(approvalFile(o.task.id)) as PlanApproval | null;
      if (read?.planVersion === planVersion) approval = read;
    }
    // The model's own plan answer is what the next call would continue from: not after an edit.
    if (approval.edited) env.thread.invalidate();
    const input: ApprovedPlanInput = { goal: o.task.prompt, approvedFrom: planVersion, edited: approval.edited };
    const summary = `${approval.edited ? 'edited and approved by you' : 'approved by you'}: ${planSummary(approval.plan)}`;
    const result: PlanResult = { plan: approval.plan, summary };
    const record = o.steps.begin({ taskId: o.task.id, step: 'plan', attempt: o.task.attempts, owner: o.owner });
    o.emit({ type: 'step', data: { step: 'plan', version: record.version, phase: 'start', status: 'running', model: null, modelReason: null, replayOf: null } });
    const artifact = o.artifacts.write(o.task.id, 'plan', record.version, { taskId: o.task.id, step: 'plan', version: record.version, attempt: o.task.attempts, replayOf: null, status: 'succeeded', model: null, modelReason: null, input, output: result, error: null, timings: { durationMs: 0, llmMs: 0, commandMs: 0, overheadMs: 0 }, calls: [] });
    o.steps.finish(record, o.owner, { status: 'succeeded', summary, error: null, model: null, modelReason: null, llmMs: 0, commandMs: 0, promptTokens: 0, evalTokens: 0, llmCalls: 0, cachedCalls: 0, artifact, output: { input, result } satisfies StoredStep });
    o.emit({ type: 'step', data: { step: 'plan', version: record.version, phase: 'end', status: 'succeeded', model: null, summary, durationMs: 0, replayOf: null } });
  }

  /** Re-run one stored step from its stored input; then stop, or (cascade) carry on with the pipeline. */
  async replay(req: { step: StepName; version: number | null; cascade: boolean }): Promise<RunOutcome> {
    const source = req.version === null ? this.o.steps.latest(this.o.task.id, req.step) : this.o.steps.get(this.o.task.id, req.step, req.version);
    this.o.steps.clearReplay(this.o.task.id);
    const stored = source?.output as StoredStep | null;
    if (!source || !stored) throw new MacsError('STEP_NOT_FOUND', `There is no stored ${req.step}${req.version ? `@v${req.version}` : ''} to replay.`);
    const tape = (source.artifact ? this.o.artifacts.read(source.artifact)?.calls : null) as CallRecord[] | null;
    const outcome = await this.run(req.step, stored.input, source.version, tape ?? []);
    // Said once it has ended, not as "Replaying …" at the start: the chat keeps every line, and the
    // replayed step's own section already shows it running.
    const ended = outcome.status === 'succeeded' ? 'succeeded' : 'failed';
    const then = req.cascade && outcome.status === 'succeeded' ? '; the steps after it run again' : '';
    this.env.emit({
      type: 'log',
      data: { level: 'info', message: `Replayed ${req.step}@v${source.version} as ${req.step}@v${outcome.version}: ${ended}${then}.` },
    });
    if (req.cascade) return this.loop();
    if (outcome.status === 'succeeded') return { status: 'succeeded' };
    if (req.step === 'test') {
      const report = (outcome.result as TestResult | null)?.reports.at(-1);
      return { status: 'failed', error: { code: 'TESTS_FAILED', message: `The replayed tests fail: ${outcome.result ? (outcome.result as TestResult).summary : 'no result'}.`, details: report ? { report } : {} } };
    }
    return { status: 'failed', error: outcome.error ?? { code: 'INTERNAL', message: `${req.step} failed.` } };
  }

  private async implement(plan: Plan, round: number, notes: string[]): Promise<void> {
    const existing = new Set((await this.env.workspace.listFiles().catch(() => [])).map((f) => f.path));
    const { code, docs } = implementTargets(plan, existing);
    await this.must('implement', { plan, round, notes, targets: code } satisfies ImplementInput);
    if (docs.length === 0) return;
    // Docs right after the code, on the same model, not beside it: the model's cache still holds
    // the goal and the plan (one request at a time per model keeps that prefix), and the docs
    // describe the code as written.
    const doc = await this.run('docs', { plan, round, notes: [], targets: docs } satisfies ImplementInput);
    // Docs are optional, but not past the build's output cap or on a full disk: those end the task.
    if (doc.status === 'failed' && doc.error && ENDS_THE_BUILD.has(doc.error.code)) throw new StepFailed(doc.error);
    if (doc.status === 'failed') {
      this.env.emit({ type: 'log', data: { level: 'warn', message: `docs: ${doc.error?.message ?? 'failed'}; the build goes on without them.` } });
    }
  }

  /** A step whose failure fails the task. */
  private async must(step: StepName, input: unknown): Promise<unknown> {
    const outcome = await this.run(step, input);
    if (outcome.status === 'cancelled') throw new DOMException('The step was cancelled.', 'AbortError');
    if (outcome.status === 'failed' && outcome.error) throw new StepFailed(outcome.error);
    return outcome.result;
  }

  /**
   * One step attempt: its row and start event, the work, its artifact, its row's end and
   * end event. Errors become the step's outcome; aborting stays an abort.
   */
  async run(step: StepName, input: unknown, replayOf: number | null = null, tape: readonly CallRecord[] = []): Promise<StepOutcome<unknown>> {
    const { o, env } = this;
    const role = ROLE_OF[step];
    const first = role ? env.llm.candidates(role)[0] : undefined;
    const record = o.steps.begin({ taskId: o.task.id, step, attempt: o.task.attempts, owner: o.owner, replayOf, model: first?.model, modelReason: first?.reason });
    o.emit({ type: 'step', data: { step, version: record.version, phase: 'start', status: 'running', model: first?.model ?? null, modelReason: first?.reason ?? null, replayOf } });
    const rec = new StepRecorder(env, tape);
    const t0 = performance.now();
    let result: unknown = null;
    let error: ErrorPayload | null = null;
    let status: StepOutcome<unknown>['status'];
    let abortErr: unknown = null;
    try {
      result = await this.work(step, rec, input, record.version);
      // The next model step may continue this one's conversation (steps/thread.ts); a test run changes nothing it knows.
      if (rec.calls.length) await env.thread.record(rec.calls.at(-1), !rec.diverged);
      status = checkFailed(step, result) ? 'failed' : 'succeeded';
    } catch (err) {
      env.thread.invalidate();
      if (env.signal.aborted || isAbortError(err)) {
        status = 'cancelled';
        abortErr = err;
      } else {
        status = 'failed';
        error = toErrorPayload(err);
      }
    }
    const durationMs = performance.now() - t0;
    const usage = rec.usage();
    const summary = error ? error.message : status === 'cancelled' ? 'cancelled' : ((result as { summary?: string } | null)?.summary ?? '');
    const artifact = o.artifacts.write(o.task.id, step, record.version, {
      taskId: o.task.id,
      step,
      version: record.version,
      attempt: o.task.attempts,
      replayOf,
      status,
      model: rec.model ?? first?.model ?? null,
      modelReason: rec.modelReason ?? first?.reason ?? null,
      input,
      output: result,
      error,
      timings: { durationMs, llmMs: rec.llmMs, commandMs: rec.commandMs, overheadMs: Math.max(0, durationMs - rec.llmMs - rec.commandMs) },
      calls: rec.calls,
    });
    o.steps.finish(record, o.owner, {
      status,
      summary,
      error,
      model: rec.model,
      modelReason: rec.modelReason,
      llmMs: rec.llmMs,
      commandMs: rec.commandMs,
      ...rec.totals(),
      artifact,
      output: { input, result, ...(usage ? { usage } : {}) } satisfies StoredStep,
    });
    const end: StepEventData = { step, version: record.version, phase: 'end', status, model: rec.model ?? first?.model ?? null, summary, durationMs, replayOf };
    if (usage) end.usage = usage;
    if (error) end.error = error;
    if (step === 'test' && result) end.report = (result as TestResult).reports.at(-1);
    if (step === 'webcheck' && (result as WebcheckResult | null)?.report) end.report = (result as WebcheckResult).report ?? undefined;
    o.emit({ type: 'step', data: end });
    if (abortErr) throw abortErr;
    return { status, result, error, version: record.version };
  }

  private work(step: StepName, rec: StepRecorder, input: unknown, version: number): Promise<unknown> {
    const env = this.env;
    switch (step) {
      case 'plan':
        return runPlanStep(env, rec, input as PlanInput);
      case 'implement':
        return runImplementStep(env, rec, input as ImplementInput);
      case 'docs':
        return runImplementStep(env, rec, input as ImplementInput, 'docs');
      case 'test':
        return runTestStep(env, rec, input as TestInput);
      case 'fix':
        return runFixStep(env, rec, input as FixInput);
      case 'review':
        return runReviewStep(env, rec, input as ReviewInput);
      case 'webcheck':
        return runWebcheckStep(env, rec, input as WebcheckInput, {
          preview: this.o.preview,
          webAgent: this.o.webAgent,
          archiveDir: webcheckShotsDir(this.o.artifacts.taskDir(this.o.task.id), version),
        });
    }
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new DOMException('The wait was cancelled.', 'AbortError'));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new DOMException('The wait was cancelled.', 'AbortError'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** A check step whose verdict is "fails" (the step ran; what it checked did not hold). */
function checkFailed(step: StepName, result: unknown): boolean {
  if (step === 'test') return !(result as TestResult).passed;
  if (step === 'webcheck') return !(result as WebcheckResult).passed && (result as WebcheckResult).skipped === null;
  return false;
}

function testsLine(tests: TestResult, web: WebcheckResult | null): string {
  const line = tests.passed ? `the tests pass (${tests.summary})` : `the tests fail (${tests.summary})`;
  if (!web) return line;
  return `${line}; ${web.skipped ? `the smoke scenarios were not run (${web.skipped})` : `the smoke scenarios in a browser: ${web.summary}`}`;
}
