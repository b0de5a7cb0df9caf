import fs from 'node:fs';
import type { ContextChoice, ProjectModelOptions, Task, TaskEventDraft } from '../../../shared/index.js';
import { OLLAMA_PROVIDER_ID, parseModelRef, TaskSpecV1Schema } from '../../../shared/index.js';
import type { Db } from '../db/index.js';
import { keepAliveValue, thinkingEnabled, thinkValueFor, type ChatProvider, type ThinkValue } from '../llm/index.js';
import { FallbackChat } from '../providers/fallback-chat.js';
import type { ProviderRegistry } from '../providers/types.js';
import { recordingSpeed, type ModelService } from '../models/index.js';
import { Workspace, type FolderService, type TaskSnapshot } from '../project-folder/index.js';
import { emitWithReceipt, hasModelOptions, prepareTurnContext, withModelOptions, type ProjectService } from '../projects/index.js';
import type { TaskQueue } from '../queue/index.js';
import type { SettingsStore } from '../settings/index.js';
import type { EventCoalescer } from '../stream/index.js';
import { runChatTask, type TaskStore } from '../tasks/index.js';
import { contextCeiling, ModelDirectory, PromptLibrary, ResponseCache, runBuildTask, TokenCounter, type ArtifactStore, type StepStore } from '../pipeline/index.js';
import type { PreviewService, WebAgent } from '../preview/index.js';
import type { ExecService } from './exec-service.js';
import type { HostRouter } from './host-router.js';
import type { EngineStats } from './stats.js';

export interface TurnRunnerDeps {
  db: Db;
  store: TaskStore;
  steps: StepStore;
  artifacts: ArtifactStore;
  queue: TaskQueue;
  settings: SettingsStore;
  projects: ProjectService;
  folders: FolderService;
  models: () => ModelService;
  router: HostRouter;
  /** Every provider and the routes between them. */
  providers: () => ProviderRegistry;
  stats: EngineStats;
  coalescer: EventCoalescer;
  exec: () => ExecService;
  /** This worker's id (the build pipeline fences its step writes with it). */
  owner: string;
  /** A turn wrote these files of its project (told once the turn has ended): a running app restarts or reloads. */
  filesChanged?: (projectId: string, paths: readonly string[]) => void;
  /** The build's web check starts the app through this (null: it is skipped, saying so). */
  preview?: () => PreviewService | null;
  /** The build's web check runs the plan's smoke scenarios with it. */
  webAgent?: WebAgent;
}

/**
 * Runs one claimed task as a turn of its project: the project's hand edits and snapshot first,
 * the context it sends (files, map, conversation, receipt), then the chat answer or the build
 * pipeline, and the version it ends with. The queue worker calls `execute`; the engine only wires.
 */
export function createTurnRunner(d: TurnRunnerDeps) {
  const { store, steps, artifacts, queue, settings, projects, folders, router, stats, coalescer, owner } = d;
  /** Tokens of workspace files a prompt to `model` can carry: its ceiling minus the answer, the prompt and the system prompt. */
  function turnContextBudget(directory: ModelDirectory, model: string, numCtx: number, prompt: string): number {
    const fixed = tokenCounter.count(model, prompt) + TURN_SYSTEM_TOKENS;
    return Math.max(0, contextCeiling(directory.limits(model, numCtx)) - TURN_ANSWER_TOKENS - fixed);
  }

  /**
   * What a project turn sends the model besides its prompt: the project's files as they are on
   * disk now within the budget, a map of the rest, and the conversation so far; announced as a
   * receipt (re-sent with the model's own count) and as today's 'context' event (composer chips).
   * Null for the first turn of an empty project: it runs exactly as a new task always did.
   */
  async function turnContext(task: Task, kind: 'turn' | 'pipeline', emit: (d: TaskEventDraft) => void) {
    const project = task.projectId ? projects.store.get(task.projectId) : null;
    if (!project) return null;
    const directory = await modelDirectory(task.host, task.model);
    const repo = TaskSpecV1Schema.safeParse(task.metadata?.spec).data?.input.repo;
    const context = await prepareTurnContext({
      task,
      project,
      turns: store.listProjectTasks(project.id),
      store,
      steps,
      folders,
      count: (t) => tokenCounter.count(task.model, t),
      budgetTokens: turnContextBudget(directory, task.model, task.numCtx, task.prompt),
      choice: (task.metadata?.context ?? {}) as ContextChoice,
      scope: { include: repo?.include, exclude: repo?.exclude },
      files: kind,
    });
    if (context.fresh) return null;
    if (kind === 'turn') emit({ type: 'context', data: context.selection });
    return { context, emit: emitWithReceipt(emit, context.receipt) };
  }

  // Build pipeline helpers, one per engine: prompts are read once, token counts calibrate per model.
  const tokenCounter = new TokenCounter();
  const responseCache = new ResponseCache(d.db);
  responseCache.prune(30 * 24 * 60 * 60 * 1000);
  let prompts: PromptLibrary | null = null;

  /**
   * The models installed on the task's host, from the hardware-aware catalog; unknown when
   * Ollama cannot be asked. Reused for a few seconds: context previews ask on every pause in typing.
   */
  const directories = new Map<string, { at: number; directory: Promise<ModelDirectory> }>();
  function modelDirectory(taskHost: string | null, taskModel?: string): Promise<ModelDirectory> {
    const host = router.providerFor(taskHost).host;
    const key = `${host} ${taskModel && parseModelRef(taskModel).provider !== OLLAMA_PROVIDER_ID ? taskModel : ''}`;
    const cached = directories.get(key);
    if (cached && Date.now() - cached.at < DIRECTORY_TTL_MS) return cached.directory;
    const directory = readModelDirectory(host, taskModel);
    directories.set(key, { at: Date.now(), directory });
    return directory;
  }

  async function readModelDirectory(host: string, taskModel?: string): Promise<ModelDirectory> {
    // Other providers' windows, asked of their servers (a down server: unknown, the call then says why).
    const remote = await d.providers().remoteFacts(taskModel ?? '').catch(() => new Map());
    try {
      const catalog = await d.models().catalog({});
      if (!catalog.hosts.find((h) => h.host === host)?.reachable) return new ModelDirectory(null, catalog.recommended, host, remote);
      const installed = new Map(
        catalog.installed
          .filter((m) => m.host === host)
          .map((m) => [m.name, { digest: m.digest, contextLength: m.contextLength, maxGpuContext: m.fit.verdict === 'gpu' ? m.fit.maxGpuContext : null }]),
      );
      return new ModelDirectory(installed, catalog.recommended, host, remote);
    } catch {
      return new ModelDirectory(null, null, host, remote);
    }
  }

  /**
   * Ollama's `think` for a model on a task's host: its /api/show capabilities (the catalog's
   * metadata cache, by digest: usually no request at all) and the user's per-model switch.
   */
  async function thinkFor(taskHost: string | null, model: string): Promise<ThinkValue | undefined> {
    if (parseModelRef(model).provider !== OLLAMA_PROVIDER_ID) return undefined; // `think` is Ollama's; other servers' reasoning arrives as it comes
    const facts = (await modelDirectory(taskHost)).facts(model);
    if (!facts) return undefined;
    const provider = router.providerFor(taskHost);
    const show = await d.models().cache.resolve({ name: model, digest: facts.digest }, (verbose) => provider.show(model, { verbose })).catch(() => null);
    return thinkValueFor(model, show, thinkingEnabled(settings.get().thinkingModels, model));
  }

  /**
   * The provider for a model reference of a task (its Ollama host, or the provider "@id/…" names),
   * recording each answer's eval speed per model and host (the Models screen's measured tok/s),
   * with the project's model options (temperature, system prompt) on each call of its turn.
   */
  const chatFor =
    (taskHost: string | null, options?: ProjectModelOptions) =>
    (ref: string): { provider: ChatProvider; model: string } => {
      const { provider, model } = d.providers().chat(ref, taskHost);
      return { provider: withModelOptions(recordingSpeed(provider, d.models().speeds), options), model };
    };
  /** PROVIDER= of a CLI run: that provider answers every role of this task. */
  const overrideOf = (task: Task): string | null => (typeof task.metadata?.providerOverride === 'string' ? task.metadata.providerOverride : null);

  /** The first attempt after the task last finished (a manual retry starts a new run; a crash recovery does not). */
  function runStartedAt(task: Task): number {
    const attempts = queue.attempts(task.id);
    const lastFinished = attempts.findLastIndex((a, i) => i < attempts.length - 1 && (a.outcome === 'succeeded' || a.outcome === 'failed' || a.outcome === 'cancelled'));
    return attempts[lastFinished + 1]?.startedAt ?? Date.now();
  }

  async function execute(task: Task, signal: AbortSignal) {
    stats.recordRoute(task.model);
    const emit = (draft: TaskEventDraft) => {
      if (draft.type === 'usage') stats.recordGeneration(draft.data.evalTokens, draft.data.evalDurationMs);
      coalescer.push(task.id, draft);
      // A build step starting or ending moves the project's badge (PLANNING → CODING → TESTING …).
      if (draft.type === 'step') projects.taskChanged(task);
    };
    // A turn of a project: the user's hand edits are kept as a version first, each file's state
    // before the turn writes it is snapshotted (changes, revert, undo), and its changes become a version.
    // The turn's context is read while its hand edits are committed (neither changes a file);
    // a retry's context waits until the failed attempt's files are put back.
    const early = task.projectId && task.attempts <= 1 ? turnContext(task, task.kind === 'build' ? 'pipeline' : 'turn', emit) : null;
    early?.catch(() => undefined); // a missing folder fails beginTurn with the clearer error
    const turn = await projects.beginTurn(task, emit);
    // A chat turn's new attempt starts over from the project as it was before the turn: what the
    // failed attempt wrote is put back (its snapshot), never the whole folder (it is the project's).
    // A build resumes from its stored steps instead, with its files.
    if (turn && task.kind === 'chat' && task.attempts > 1) await startOver(task, turn.snapshot);
    // What the turn wrote, so a running app restarts once (at the end), not on every half-written file.
    const written = new Set<string>();
    const beforeWrite = turn
      ? (rel: string) => {
          written.add(rel);
          return turn.beforeWrite(rel);
        }
      : undefined;
    try {
      return await runTurn(task, signal, emit, beforeWrite, early);
    } finally {
      await turn?.finish().catch((err: unknown) => emit({ type: 'log', data: { level: 'warn', message: `This turn's changes could not be kept as a version: ${(err as Error).message}` } }));
      if (task.projectId && written.size > 0) d.filesChanged?.(task.projectId, [...written]);
    }
  }

  /**
   * Undo what a failed attempt of a chat turn wrote. An in-place turn snapshotted every file
   * before writing it: all go back exactly. A first turn wrote into an empty project without
   * snapshots: the files it recorded go (nothing else was there).
   */
  async function startOver(task: Task, snapshot: TaskSnapshot): Promise<void> {
    if ((await snapshot.changes()).length > 0) await snapshot.undoTask();
    else {
      const workspace = await Workspace.open(task.workspacePath);
      for (const file of store.listFiles(task.id)) await fs.promises.unlink(await workspace.resolveInside(file.path)).catch(() => undefined);
    }
    store.clearFiles(task.id);
  }

  async function runTurn(
    task: Task,
    signal: AbortSignal,
    taskEmit: (d: TaskEventDraft) => void,
    beforeWrite: ((p: string) => Promise<void>) | undefined,
    early: ReturnType<typeof turnContext> | null,
  ) {
    const turn = beforeWrite ? await (early ?? turnContext(task, task.kind === 'build' ? 'pipeline' : 'turn', taskEmit)) : null;
    const emit = turn?.emit ?? taskEmit;
    // Read once per attempt: a change in the project's popover applies from its next turn.
    const modelOptions = task.projectId ? projects.store.get(task.projectId)?.modelOptions : undefined;
    if (task.kind === 'build') {
      // A build resumes from its stored steps: its workspace is kept across attempts.
      const s = settings.get();
      prompts ??= new PromptLibrary();
      return runBuildTask({
        task,
        beforeWrite,
        conversation: turn?.context.conversation,
        runStartedAt: runStartedAt(task),
        thinkFor: (model) => thinkFor(task.host, model),
        store,
        steps,
        artifacts,
        // The cache's key knows the request MACS built, not the project's options added below it.
        cache: s.llmCache && !hasModelOptions(modelOptions) ? responseCache : null,
        chat: chatFor(task.host, modelOptions),
        route: (role) => d.providers().candidates(role, task.model, { override: overrideOf(task) }),
        directory: () => modelDirectory(task.host, task.model),
        counter: tokenCounter,
        prompts,
        maxFixRounds: s.maxFixRounds,
        keepAliveMinutes: s.keepAliveMinutes,
        outputLimits: { maxFileBytes: s.maxFileBytes, maxTaskOutputBytes: s.maxTaskOutputBytes },
        owner,
        signal,
        emit,
        preview: d.preview?.() ?? undefined,
        webAgent: d.webAgent,
        runCommand: async (command, timeoutMs, runSignal) => {
          coalescer.flush(task.id); // the command's exec events follow the text that led to it
          const result = await d.exec().run({ taskId: task.id, command, timeoutMs }, runSignal);
          return { ...result, output: readLog(result.logPath, result.tail) };
        },
      });
    }
    // A later turn edits the project in place, seeing its files and the conversation so far.
    // (A retry never empties the folder: it is the project's, with every earlier turn's work in it.)
    // An opened folder is never written to on a guess, even empty and on its first turn.
    const inFolder = task.projectId ? projects.store.get(task.projectId)?.kind === 'folder' : false;
    const inPlace = beforeWrite && (turn || inFolder) ? { contextFiles: turn?.context.contextFiles ?? [], beforeWrite, turn: turn?.context } : undefined;
    const think = await thinkFor(task.host, task.model);
    const { maxFileBytes, maxTaskOutputBytes, keepAliveMinutes } = settings.get();
    // The model the user picked answers, the chat route's targets being its fallbacks; PROVIDER= pins the provider instead.
    const override = overrideOf(task);
    const routed = d.providers().candidates('chat', task.model, { override });
    const candidates = override ? routed : [{ ref: task.model, reason: "the task's model" }, ...routed.filter((c) => c.ref !== task.model)];
    const provider = new FallbackChat(candidates, chatFor(task.host, modelOptions), (from, to, err) =>
      emit({ type: 'log', data: { level: 'warn', message: `${from.ref} could not answer: ${err.message} Answering with ${to.ref} instead (${to.reason}).` } }),
    );
    return runChatTask({ task, store, provider, signal, emit, folder: inPlace, think, keepAlive: keepAliveValue(keepAliveMinutes), limits: { maxFileBytes, maxTaskOutputBytes } });
  }

  return {
    execute,
    modelDirectory,
    /** Tokens of context a prompt to this model can carry on the default host. */
    contextBudget: async (model: string, prompt: string) => turnContextBudget(await modelDirectory(null, model), model, settings.get().numCtx, prompt),
    countTokens: (model: string, text: string) => tokenCounter.count(model, text),
  };
}

/** Room kept for the answer of a project turn, and what its system prompt and framing take. */
const TURN_ANSWER_TOKENS = 4096;
const TURN_SYSTEM_TOKENS = 1200;

/** How long a host's installed-model facts are reused (a pull or delete shows up after this). */
const DIRECTORY_TTL_MS = 5000;

/** A command's whole output for parsing: its log file's last 2 MB (the log itself is capped), else the in-memory tail. */
function readLog(logPath: string | null, tail: string): string {
  if (!logPath) return tail;
  try {
    const size = fs.statSync(logPath).size;
    const max = 2 * 1024 * 1024;
    const fd = fs.openSync(logPath, 'r');
    try {
      const buf = Buffer.alloc(Math.min(size, max));
      fs.readSync(fd, buf, 0, buf.length, Math.max(0, size - max));
      return buf.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return tail;
  }
}
