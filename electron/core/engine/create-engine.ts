import path from 'node:path';
import type { ContractHandlers, MethodName, MethodResult, Task, TaskEventDraft } from '../../../shared/index.js';
import { TERMINAL_STATUSES, toErrorPayload } from '../../../shared/index.js';
import { loadOrCreateApiKey, makeDataDirPrivate, type ApiKey } from '../config/index.js';
import { DiskReserve, openDatabase, toDiskFullError, type Db } from '../db/index.js';
import { OllamaProvider, type ModelProvider } from '../llm/index.js';
import { newWorkerId, QueueWorker, TaskQueue, type QueueChange } from '../queue/index.js';
import { SettingsStore } from '../settings/index.js';
import { EventCoalescer } from '../stream/index.js';
import { TaskStore } from '../tasks/index.js';
import type { EngineContext, TopicListener } from './engine-context.js';
import { ExportService, type PreparedExport } from './export-service.js';
import { createHandlers, exportTask } from './handlers.js';
import { HardwareService } from '../hardware/index.js';
import { detectSandbox, registerDataDir, type Sandbox } from '../sandbox/index.js';
import { TerminalManager } from '../terminal/index.js';
import { ExecService } from './exec-service.js';
import { createTurnRunner } from './turn-runner.js';
import { ForeignTaskFollower } from './foreign-task-follower.js';
import { ModelService } from '../models/index.js';
import { HostRouter } from './host-router.js';
import { OllamaMonitor } from './ollama-monitor.js';
import { EngineStats, type EngineStatsSnapshot } from './stats.js';
import { parseParams } from './validate.js';
import { ProjectService } from '../projects/index.js';
import { FolderService } from '../project-folder/index.js';
import { pruneBlobs, restoreSnapshotIds } from '../project-folder/index.js';
import { ArtifactStore, StepStore, orchestratorFields, pipelineSteps } from '../pipeline/index.js';
import { createPreviewService, createWebAgent } from '../preview/index.js';
import { planRunCommandOf } from './app-handlers.js';
import { KeptZips, TaskJournal, writeTaskResult, type KeptZip } from '../task-records/index.js';
import { createProviders, ProviderMonitor, type SecretCipher } from '../providers/index.js';

export interface EngineOptions {
  dataDir: string;
  host: 'electron' | 'browser' | 'cli';
  version: string;
  /** OLLAMA_HOST from the environment; overrides the stored setting until the user changes it. */
  ollamaHost?: string;
  env?: NodeJS.ProcessEnv;
  /** Seam for tests: Ollama hosts' providers (OllamaProvider by default). */
  createProvider?: (host: string) => ModelProvider;
  /** Electron's safeStorage (the desktop app): provider keys go to the OS keychain. Absent: a 0600 file, after the user consents. */
  secretCipher?: SecretCipher | null;
  /** Background reachability polling (off in most tests). */
  monitorOllama?: boolean;
  /** false (the CLI): run only tasks created here, never claim the shared queue. */
  runsQueue?: boolean;
  /** MACS's own UI origins known at start (Electron's app://macs); a server adds its own with addAppOrigins. Only these may frame an app's preview. */
  appOrigins?: readonly string[];
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
  /** The task's zip kept at <data dir>/zips/<task_id>.zip (made now if there is none); the task must have finished. */
  keptZip(taskId: string): Promise<KeptZip>;
  /** Resolves when the task reaches a terminal state (as seen by this process). */
  waitForTask(taskId: string, timeoutMs?: number): Promise<Task>;
  stats(): EngineStatsSnapshot;
  /** A transport reports it is backed up: terminal output (the one unbounded producer) pauses until it drains. */
  setTransportBackpressure(isBackedUp: (() => boolean) | undefined): void;
  apiKey(): ApiKey;
  /** A UI now serves from these origins (a `macs serve` once it listens); the result forgets them again. */
  addAppOrigins(origins: readonly string[]): () => void;
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
  // events.jsonl and reports.jsonl follow every commit of events (task-records/journal.ts).
  const journal = new TaskJournal(dataDir);
  const store = new TaskStore(db, (events) => journal.record(events));
  const steps = new StepStore(db);
  const artifacts = new ArtifactStore(dataDir);
  const queue = new TaskQueue(db, store);
  const settings = new SettingsStore(db, options.ollamaHost);
  const createProvider = options.createProvider ?? ((host: string) => new OllamaProvider(host));
  const router = new HostRouter(createProvider, () => {
    const s = settings.get();
    return { defaultHost: s.ollamaHost, extraHosts: s.extraOllamaHosts };
  });
  const { llmConfig, keys, providers } = createProviders({
    db,
    dataDir,
    settings,
    env: options.env,
    cipher: options.secretCipher,
    ollama: {
      providerFor: (host) => router.providerFor(host),
      allHosts: () => router.allHosts(),
      installed: async () => {
        const catalog = await models.catalog({});
        const host = router.providerFor(null).host;
        return catalog.installed.filter((m) => m.host === host).map((m) => ({ name: m.name, contextLength: m.contextLength, fit: m.fit.verdict }));
      },
    },
  });
  const listeners = new Set<TopicListener>();
  const waiters = new Map<string, Array<(task: Task) => void>>();
  const waiterPolls = new Set<NodeJS.Timeout>();
  const owner = newWorkerId();
  const appOrigins = new Set<string>(options.appOrigins ?? []);
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
  function publishChange(change: QueueChange): void {
    if (change.events.length) publish('task.frame', { taskId: change.task.id, events: change.events });
    publish('task.updated', { task: change.task });
    projects.taskChanged(change.task); // its project's badge and activity
    // A reserve used up by a full disk is made again once a task gets through (there is room again).
    if (change.task.status === 'succeeded') reserve.ensure();
    if (TERMINAL_STATUSES.includes(change.task.status)) {
      keepRecords(change.task); // before waiters hear of the end: result.json is there when they look
      for (const resolve of waiters.get(change.task.id) ?? []) resolve(change.task);
      waiters.delete(change.task.id);
    }
  }

  const turns = createTurnRunner({
    ...{ db, store, steps, artifacts, queue, settings, projects, folders, models: () => models, router, providers: () => providers, stats, coalescer, exec: () => exec, owner },
    // What a turn wrote restarts (or reloads) the project's running app; its build's web check starts the app itself.
    filesChanged: (projectId, paths) => ctx.preview?.filesChanged(projectId, paths),
    preview: () => ctx.preview,
    webAgent: createWebAgent({ env: options.env }),
  });

  const worker = new QueueWorker({
    queue,
    owner,
    limits: () => {
      const s = settings.get();
      return { maxRunning: s.maxConcurrentTasks, maxPerModel: s.maxConcurrentPerModel };
    },
    execute: turns.execute,
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
  const zipManifest = (task: Task) => ({
    ...orchestratorFields(task),
    task: { id: task.id, kind: task.kind, title: task.title, model: task.model, status: task.status, createdAt: new Date(task.createdAt).toISOString() },
    ...(task.kind === 'build' ? { steps: pipelineSteps(steps.list(task.id)) } : {}),
  });
  const exports = new ExportService(path.join(dataDir, 'exports'), (p) => publish('export.progress', p), zipManifest);
  exports.pruneOld();
  // Kept zips are made unasked: no progress for them (the UI shows the exports the user started).
  const quietExports = new ExportService(path.join(dataDir, 'zips'), () => undefined, zipManifest);
  const keptZips = new KeptZips(path.join(dataDir, 'zips'), (taskId, destPath) => quietExports.exportTask(store.requireTask(taskId), destPath));
  /** A task ended here: its result.json, result.md and manifest.json now, its zip in the background. */
  function keepRecords(task: Task): void {
    try {
      writeTaskResult({ dataDir, store, steps, artifacts }, task);
    } catch (err) {
      appendUnfenced(task.id, [{ type: 'log', data: { level: 'warn', message: `result.json could not be written: ${(err as Error).message}` } }]);
    }
    keptZips.taskEnded(task);
  }
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

  // Running what a project built: the app in the sandbox, its preview port, its errors (issue 14).
  const preview = createPreviewService({
    db,
    dataDir,
    // Detected when an app first runs, as for the terminals.
    sandbox: {
      get backend() {
        return sandbox().backend;
      },
      status: () => sandbox().status(),
      buildCommand: (spec) => sandbox().buildCommand(spec),
      signalTree: (pid, signal) => sandbox().signalTree(pid, signal),
    },
    terminal: terminals,
    project: (projectId) => projects.require(projectId),
    appOrigins: () => [...appOrigins],
    publish: (run) => publish('app.updated', { run }),
    planRunCommand: (projectId) => planRunCommandOf({ projects, steps }, projectId),
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
    preview,
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
    llmConfig,
    keys,
    providers,
    provider: () => router.providerFor(null),
    onHostsChanged: () => {
      router.invalidate();
      void monitor.status(true);
    },
    contextBudget: turns.contextBudget,
    countTokens: turns.countTokens,
    publish,
    publishChange,
    waitForTask,
  };
  const handlers = createHandlers(ctx);
  // The other providers' reachability (status bar): polled only while one is enabled.
  const providerMonitor = new ProviderMonitor(providers, () => llmConfig.get().providers.some((p) => p.enabled), (statuses) => publish('providers.status', { providers: statuses }));
  if (options.monitorOllama) {
    monitor.start();
    providerMonitor.start();
  }
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
    keptZip: (taskId) => keptZips.ensure(taskId),
    waitForTask,
    stats: () => stats.snapshot(),
    setTransportBackpressure: (isBackedUp) => terminals.setBackpressure(isBackedUp),
    apiKey: () => apiKey,
    addAppOrigins(origins) {
      const added = origins.filter((o) => !appOrigins.has(o));
      for (const o of added) appOrigins.add(o);
      return () => added.forEach((o) => appOrigins.delete(o));
    },
    async close() {
      monitor.stop();
      providerMonitor.stop();
      await preview.close(); // every app this engine started stops, its whole process tree with it
      await folders.close();
      follower.stop();
      models.close();
      exec.abortAll();
      terminals.dispose();
      await worker.stop();
      await keptZips.close();
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

