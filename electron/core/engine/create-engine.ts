import fs from 'node:fs';
import path from 'node:path';
import type { ContextChoice, ContractHandlers, MethodName, MethodResult, Task, TaskEventDraft } from '../../../shared/index.js';
import { TERMINAL_STATUSES, TaskSpecV1Schema, toErrorPayload } from '../../../shared/index.js';
import { loadOrCreateApiKey, makeDataDirPrivate, type ApiKey } from '../config/index.js';
import { DiskReserve, openDatabase, toDiskFullError, type Db } from '../db/index.js';
import { keepAliveValue, OllamaProvider, thinkingEnabled, thinkValueFor, type ModelProvider, type ThinkValue } from '../llm/index.js';
import { newWorkerId, QueueWorker, TaskQueue, type QueueChange } from '../queue/index.js';
import { SettingsStore } from '../settings/index.js';
import { EventCoalescer } from '../stream/index.js';
import { TaskStore, runChatTask } from '../tasks/index.js';
import type { EngineContext, TopicListener } from './engine-context.js';
import { ExportService, type PreparedExport } from './export-service.js';
import { createHandlers, exportTask } from './handlers.js';
import { HardwareService } from '../hardware/index.js';
import { detectSandbox, registerDataDir, type Sandbox } from '../sandbox/index.js';
import { TerminalManager } from '../terminal/index.js';
import { ExecService } from './exec-service.js';
import { ForeignTaskFollower } from './foreign-task-follower.js';
import { ModelService, recordingSpeed } from '../models/index.js';
import { HostRouter } from './host-router.js';
import { OllamaMonitor } from './ollama-monitor.js';
import { EngineStats, type EngineStatsSnapshot } from './stats.js';
import { parseParams } from './validate.js';
import { ProjectService, emitWithReceipt, prepareTurnContext } from '../projects/index.js';
import { FolderService } from '../project-folder/index.js';
import { pruneBlobs, restoreSnapshotIds } from '../project-folder/index.js';
import { contextCeiling } from '../pipeline/index.js';
import { ArtifactStore, ModelDirectory, PromptLibrary, ResponseCache, StepStore, TokenCounter, pipelineSteps, runBuildTask } from '../pipeline/index.js';

export interface EngineOptions {
  dataDir: string;
  host: 'electron' | 'browser' | 'cli';
  version: string;
  /** OLLAMA_HOST from the environment; overrides the stored setting until the user changes it. */
  ollamaHost?: string;
  env?: NodeJS.ProcessEnv;
  /** Seam for other providers (OpenAI-compatible servers); Ollama by default. */
  createProvider?: (host: string) => ModelProvider;
  /** Background reachability polling (off in most tests). */
  monitorOllama?: boolean;
  /** false (the CLI): run only tasks created here, never claim the shared queue. */
  runsQueue?: boolean;
  /** Seam for tests: a hardware service over recorded probe outputs. */
  hardware?: HardwareService;
  /** Queue timings, shortened by tests. */
  queue?: {
    leaseMs?: number;
    heartbeatMs?: number;
    pollMs?: number;
    recoverEveryMs?: number;
    retryBaseMs?: number;
    /** Waiting for a stopped Ollama: first look again after this long, doubling up to the max (2 s … 20 s). */
    ollamaWaitFirstMs?: number;
    ollamaWaitMaxMs?: number;
  };
}

export type { TopicListener };

export interface Engine {
  readonly dataDir: string;
  readonly dbPath: string;
  readonly workerId: string;
  /** Resolves when an opened folder's watcher runs (it starts with the folder's first tree listing). */
  whenWatching(root: string): Promise<boolean>;
  readonly handlers: ContractHandlers;
  /** Validate params against the contract, then run the handler. Every transport calls this. */
  invoke(method: string, params: unknown): Promise<unknown>;
  onTopic(listener: TopicListener): () => void;
  exportTask(taskId: string, destPath?: string): Promise<PreparedExport>;
  exportFile(exportId: string): { path: string; fileName: string };
  /** Resolves when the task reaches a terminal state (as seen by this process). */
  waitForTask(taskId: string, timeoutMs?: number): Promise<Task>;
  stats(): EngineStatsSnapshot;
  /** A transport reports it is backed up: terminal output (the one unbounded producer) pauses until it drains. */
  setTransportBackpressure(isBackedUp: (() => boolean) | undefined): void;
  apiKey(): ApiKey;
  close(): Promise<void>;
}

export function createEngine(options: EngineOptions): Engine {
  const dataDir = path.resolve(options.dataDir);
  makeDataDirPrivate(dataDir); // other accounts must not read macs.db around the API's credentials
  registerDataDir(dataDir); // hidden from every sandboxed command; its quarantine/ takes the .git they make
  const dbPath = path.join(dataDir, 'macs.db');
  const db: Db = openDatabase(dbPath);
  const reserve = new DiskReserve(dbPath);
  reserve.ensure(); // freed when the disk fills, so a task's DISK_FULL can still be recorded
  const store = new TaskStore(db);
  const steps = new StepStore(db);
  const artifacts = new ArtifactStore(dataDir);
  const queue = new TaskQueue(db, store);
  const settings = new SettingsStore(db, options.ollamaHost);
  const createProvider = options.createProvider ?? ((host: string) => new OllamaProvider(host));
  const router = new HostRouter(createProvider, () => {
    const s = settings.get();
    return { defaultHost: s.ollamaHost, extraHosts: s.extraOllamaHosts };
  });
  const listeners = new Set<TopicListener>();
  const waiters = new Map<string, Array<(task: Task) => void>>();
  const waiterPolls = new Set<NodeJS.Timeout>();
  const owner = newWorkerId();
  const stats = new EngineStats(db);

  const publish: TopicListener = (topic, payload) => {
    for (const listener of listeners) {
      try {
        listener(topic, payload);
      } catch {
        // A broken client must not break the engine or other clients.
      }
    }
  };

  const coalescer = new EventCoalescer({
    // Fenced: only while this worker holds the task's lease.
    commit: (taskId, drafts) => store.appendEvents(taskId, drafts, owner),
    publish: (taskId, events) => events.length > 0 && publish('task.frame', { taskId, events }),
    // Events that cannot be stored (a full disk) fail the task; the process lives on.
    onError: (taskId, err) => worker.failHere(taskId, toErrorPayload(toDiskFullError(err, { path: dbPath, what: "the task's events" }) ?? err)),
  });

  const folders: FolderService = new FolderService({
    dataDir,
    isProjectRoot: (root: string): boolean => projects.store.idOfRoot(root) !== null,
    onChange: (root, batch) => publish('workspace.changed', { root, ...batch }),
  });
  const projects: ProjectService = new ProjectService({
    db,
    dataDir,
    tasks: store,
    folders,
    publish: (projectId, project) => publish('project.updated', { projectId, project }),
  });
  /** Tokens of workspace files a prompt to `model` can carry: its ceiling minus the answer, the prompt and the system prompt. */
  function folderContextBudget(directory: ModelDirectory, model: string, numCtx: number, prompt: string): number {
    const fixed = tokenCounter.count(model, prompt) + FOLDER_SYSTEM_TOKENS;
    return Math.max(0, contextCeiling(directory.limits(model, numCtx)) - FOLDER_ANSWER_TOKENS - fixed);
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
    const directory = await modelDirectory(task.host);
    const repo = TaskSpecV1Schema.safeParse(task.metadata?.spec).data?.input.repo;
    const context = await prepareTurnContext({
      task,
      project,
      turns: store.listProjectTasks(project.id),
      store,
      steps,
      folders,
      count: (t) => tokenCounter.count(task.model, t),
      budgetTokens: folderContextBudget(directory, task.model, task.numCtx, task.prompt),
      choice: (task.metadata?.context ?? {}) as ContextChoice,
      scope: { include: repo?.include, exclude: repo?.exclude },
      files: kind,
    });
    if (context.fresh) return null;
    if (kind === 'turn') emit({ type: 'context', data: context.selection });
    return { context, emit: emitWithReceipt(emit, context.receipt) };
  }

  function publishChange(change: QueueChange): void {
    if (change.events.length) publish('task.frame', { taskId: change.task.id, events: change.events });
    publish('task.updated', { task: change.task });
    projects.taskChanged(change.task); // its project's badge and activity
    // A reserve used up by a full disk is made again once a task gets through (there is room again).
    if (change.task.status === 'succeeded') reserve.ensure();
    if (TERMINAL_STATUSES.includes(change.task.status)) {
      for (const resolve of waiters.get(change.task.id) ?? []) resolve(change.task);
      waiters.delete(change.task.id);
    }
  }

  // Build pipeline helpers, one per engine: prompts are read once, token counts calibrate per model.
  const tokenCounter = new TokenCounter();
  const responseCache = new ResponseCache(db);
  responseCache.prune(30 * 24 * 60 * 60 * 1000);
  let prompts: PromptLibrary | null = null;

  /**
   * The models installed on the task's host, from the hardware-aware catalog; unknown when
   * Ollama cannot be asked. Reused for a few seconds: context previews ask on every pause in typing.
   */
  const directories = new Map<string, { at: number; directory: Promise<ModelDirectory> }>();
  function modelDirectory(taskHost: string | null): Promise<ModelDirectory> {
    const host = router.providerFor(taskHost).host;
    const cached = directories.get(host);
    if (cached && Date.now() - cached.at < DIRECTORY_TTL_MS) return cached.directory;
    const directory = readModelDirectory(host);
    directories.set(host, { at: Date.now(), directory });
    return directory;
  }

  async function readModelDirectory(host: string): Promise<ModelDirectory> {
    try {
      const catalog = await models.catalog({});
      if (!catalog.hosts.find((h) => h.host === host)?.reachable) return new ModelDirectory(null, catalog.recommended, host);
      const installed = new Map(
        catalog.installed
          .filter((m) => m.host === host)
          .map((m) => [m.name, { digest: m.digest, contextLength: m.contextLength, maxGpuContext: m.fit.verdict === 'gpu' ? m.fit.maxGpuContext : null }]),
      );
      return new ModelDirectory(installed, catalog.recommended, host);
    } catch {
      return new ModelDirectory(null, null, host);
    }
  }

  /**
   * Ollama's `think` for a model on a task's host: its /api/show capabilities (the catalog's
   * metadata cache, by digest: usually no request at all) and the user's per-model switch.
   */
  async function thinkFor(taskHost: string | null, model: string): Promise<ThinkValue | undefined> {
    const facts = (await modelDirectory(taskHost)).facts(model);
    if (!facts) return undefined;
    const provider = router.providerFor(taskHost);
    const show = await models.cache.resolve({ name: model, digest: facts.digest }, (verbose) => provider.show(model, { verbose })).catch(() => null);
    return thinkValueFor(model, show, thinkingEnabled(settings.get().thinkingModels, model));
  }

  /** A task's provider, recording each answer's eval speed per model and host (the Models screen's measured tok/s). */
  const taskProvider = (taskHost: string | null): ModelProvider => recordingSpeed(router.providerFor(taskHost), models.speeds);

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
    };
    // A turn of a project: the user's hand edits are kept as a version first, each file's state
    // before the turn writes it is snapshotted (changes, revert, undo), and its changes become a version.
    const turn = await projects.beginTurn(task, emit);
    try {
      return await runTurn(task, signal, emit, turn?.beforeWrite);
    } finally {
      await turn?.finish().catch((err: unknown) => emit({ type: 'log', data: { level: 'warn', message: `This turn's changes could not be kept as a version: ${(err as Error).message}` } }));
    }
  }

  async function runTurn(task: Task, signal: AbortSignal, taskEmit: (d: TaskEventDraft) => void, beforeWrite: ((p: string) => Promise<void>) | undefined) {
    const turn = beforeWrite ? await turnContext(task, task.kind === 'build' ? 'pipeline' : 'turn', taskEmit) : null;
    const emit = turn?.emit ?? taskEmit;
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
        cache: s.llmCache ? responseCache : null,
        provider: taskProvider(task.host),
        directory: () => modelDirectory(task.host),
        counter: tokenCounter,
        prompts,
        roleModels: s.roleModels,
        maxFixRounds: s.maxFixRounds,
        keepAliveMinutes: s.keepAliveMinutes,
        outputLimits: { maxFileBytes: s.maxFileBytes, maxTaskOutputBytes: s.maxTaskOutputBytes },
        owner,
        signal,
        emit,
        runCommand: async (command, timeoutMs, runSignal) => {
          coalescer.flush(task.id); // the command's exec events follow the text that led to it
          const result = await exec.run({ taskId: task.id, command, timeoutMs }, runSignal);
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
    return runChatTask({ task, store, provider: taskProvider(task.host), signal, emit, folder: inPlace, think, keepAlive: keepAliveValue(keepAliveMinutes), limits: { maxFileBytes, maxTaskOutputBytes } });
  }

  const worker = new QueueWorker({
    queue,
    owner,
    limits: () => {
      const s = settings.get();
      return { maxRunning: s.maxConcurrentTasks, maxPerModel: s.maxConcurrentPerModel };
    },
    execute,
    beforeTransition: (taskId) => coalescer.close(taskId),
    onTransitionError: (_taskId, err) => reserve.releaseFor(err),
    publish: publishChange,
    claimQueued: options.runsQueue ?? true,
    ollamaWaitMs: () => settings.get().ollamaWaitMinutes * 60_000,
    isHostReachable: async (host) => (await router.providerFor(host).status()).reachable,
    ...options.queue,
  });

  function waitForTask(taskId: string, timeoutMs?: number): Promise<Task> {
    const task = store.requireTask(taskId);
    if (TERMINAL_STATUSES.includes(task.status)) return Promise.resolve(task);
    return new Promise((resolve) => {
      const done = (t: Task) => {
        clearTimeout(timer);
        clearInterval(poll);
        waiterPolls.delete(poll);
        resolve(t);
      };
      waiters.set(taskId, [...(waiters.get(taskId) ?? []), done]);
      // Another process may finish it: look at the row now and then, too.
      const poll = setInterval(() => {
        const now = store.getTask(taskId);
        if (now && TERMINAL_STATUSES.includes(now.status)) done(now);
      }, 250);
      waiterPolls.add(poll);
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => done(store.requireTask(taskId)), timeoutMs);
    });
  }

  const monitor = new OllamaMonitor(
    () => router.providerFor(null),
    (status) => {
      publish('ollama.status', status);
      // Tasks waiting for this host go on now rather than at their next look (up to 20 s away).
      if (status.reachable) worker.hostAnswered(status.host);
    },
  );
  const exports = new ExportService(
    path.join(dataDir, 'exports'),
    (p) => publish('export.progress', p),
    (task) => ({
      task: { id: task.id, kind: task.kind, title: task.title, model: task.model, status: task.status, createdAt: new Date(task.createdAt).toISOString() },
      ...(task.kind === 'build' ? { steps: pipelineSteps(steps.list(task.id)) } : {}),
    }),
  );
  exports.pruneOld();
  const apiKey = loadOrCreateApiKey(dataDir, options.env ?? process.env);

  const hardware = options.hardware ?? new HardwareService();
  const models = new ModelService({
    db,
    settings: () => settings.get(),
    providerFor: (host) => router.providerFor(host),
    hardware: (refresh) => hardware.get({ refresh: refresh ?? false }),
    publishPullProgress: (p) => publish('models.pull.progress', p),
    onModelsChanged: (host) => router.invalidate(host),
  });

  // Detected on first use (it spawns bwrap trial runs): `macs run` and most starts never need it.
  const sandbox = (): Sandbox => detectSandbox();
  const appendUnfenced = (taskId: string, drafts: TaskEventDraft[]) => {
    coalescer.flush(taskId); // keep order with events already pending for the task
    const events = store.appendEvents(taskId, drafts);
    if (events.length) publish('task.frame', { taskId, events });
  };
  const terminals = new TerminalManager({
    sandbox: {
      buildCommand: (spec) => sandbox().buildCommand(spec),
      signalTree: (pid, signal) => sandbox().signalTree(pid, signal),
    },
    publishOutput: (output) => publish('terminal.output', output),
    publishExit: (exit) => publish('terminal.exit', exit),
    // A shell's git guard moved something out of the workspace: on the task's timeline too.
    onAudit: (taskId, audit) => {
      if (store.getTask(taskId)) appendUnfenced(taskId, [{ type: 'audit', data: audit }]);
    },
  });
  const exec = new ExecService({
    store,
    sandbox,
    logsDir: path.join(dataDir, 'logs', 'exec'),
    appendEvents: appendUnfenced,
    // What the agent (or the user) runs appears live in the task's Runs terminal.
    display: (taskId, run) => {
      const writer = terminals.attachRun(taskId, run);
      return { write: (chunk) => writer.write(chunk), end: (result) => writer.end(result) };
    },
  });

  // Tasks another process runs on this database are tailed, so our clients see them live too.
  const follower = new ForeignTaskFollower({
    db,
    store,
    self: owner,
    publishFrame: (taskId, events) => publish('task.frame', { taskId, events }),
    publishTask: (task) => {
      publish('task.updated', { task });
      projects.taskChanged(task);
    },
  });
  if (options.host !== 'cli') follower.start();

  const ctx: EngineContext = {
    host: options.host,
    version: options.version,
    dataDir,
    db,
    store,
    steps,
    artifacts,
    folders,
    projects,
    queue,
    worker,
    settings,
    coalescer,
    monitor,
    exports,
    stats,
    hardware,
    models,
    sandbox,
    exec,
    terminals,
    apiKey,
    runsQueue: options.runsQueue ?? true,
    router,
    provider: () => router.providerFor(null),
    onHostsChanged: () => {
      router.invalidate();
      void monitor.status(true);
    },
    contextBudget: async (model, prompt) => folderContextBudget(await modelDirectory(null), model, settings.get().numCtx, prompt),
    countTokens: (model, text) => tokenCounter.count(model, text),
    publish,
    publishChange,
    waitForTask,
  };
  const handlers = createHandlers(ctx);
  if (options.monitorOllama) monitor.start();
  // Undo snapshots of tasks that no longer exist go, in the background (the app starts at once).
  if (options.host !== 'cli') {
    const live = (db.prepare('SELECT id FROM tasks').pluck().all() as string[]);
    // Folder restores keep their own snapshots (a restore is itself a version that can be undone).
    void restoreSnapshotIds(dataDir).then((restores) => pruneBlobs(dataDir, [...live, ...restores])).catch(() => undefined);
  }
  worker.start();

  return {
    dataDir,
    dbPath,
    workerId: owner,
    whenWatching: (root) => folders.whenWatching(root),
    handlers,
    async invoke(method, raw) {
      const { method: m, params } = parseParams<MethodName>(method, raw);
      const handler = handlers[m] as (p: unknown) => Promise<MethodResult<MethodName>>;
      return handler(params);
    },
    onTopic(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    exportTask: (taskId, destPath) => exportTask(ctx, taskId, destPath),
    exportFile: (exportId) => exports.exportFile(exportId),
    waitForTask,
    stats: () => stats.snapshot(),
    setTransportBackpressure: (isBackedUp) => terminals.setBackpressure(isBackedUp),
    apiKey: () => apiKey,
    async close() {
      monitor.stop();
      await folders.close();
      follower.stop();
      models.close();
      exec.abortAll();
      terminals.dispose();
      await worker.stop();
      // Whoever still waits gets the task as it stands; nothing may touch the closed database.
      for (const [taskId, resolvers] of waiters) {
        const task = store.requireTask(taskId);
        for (const resolve of resolvers) resolve(task);
      }
      waiters.clear();
      for (const poll of waiterPolls) clearInterval(poll);
      listeners.clear();
      db.close();
    },
  };
}

/** Room kept for the answer of a chat task in a folder, and what its system prompt and framing take. */
const FOLDER_ANSWER_TOKENS = 4096;
const FOLDER_SYSTEM_TOKENS = 1200;

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
