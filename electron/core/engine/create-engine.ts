import crypto from 'node:crypto';
import path from 'node:path';
import type { ContractHandlers, MethodName, MethodResult, Task, TaskEvent, TopicName, TopicPayload } from '../../../shared/index.js';
import { MacsError, toErrorPayload } from '../../../shared/index.js';
import { openDatabase, type Db } from '../db/index.js';
import { OllamaProvider, type ModelProvider } from '../llm/index.js';
import { SettingsStore } from '../settings/index.js';
import { EventCoalescer } from '../stream/index.js';
import { TaskStore, runChatTask } from '../tasks/index.js';
import { Workspace } from '../workspace/index.js';
import { ExportService, type PreparedExport } from './export-service.js';
import { OllamaMonitor } from './ollama-monitor.js';
import { parseParams } from './validate.js';

export interface EngineOptions {
  dataDir: string;
  host: 'electron' | 'browser' | 'cli';
  version: string;
  /** OLLAMA_HOST from the environment; overrides the stored setting until the user changes it. */
  ollamaHost?: string;
  /** Seam for other providers (OpenAI-compatible servers); Ollama by default. */
  createProvider?: (host: string) => ModelProvider;
  /** Background reachability polling (off in most tests). */
  monitorOllama?: boolean;
}

export type TopicListener = <T extends TopicName>(topic: T, payload: TopicPayload<T>) => void;

export interface Engine {
  readonly dataDir: string;
  readonly dbPath: string;
  readonly handlers: ContractHandlers;
  /** Validate params against the contract, then run the handler. Every transport calls this. */
  invoke(method: string, params: unknown): Promise<unknown>;
  onTopic(listener: TopicListener): () => void;
  exportTask(taskId: string, destPath?: string): Promise<PreparedExport>;
  exportFile(exportId: string): { path: string; fileName: string };
  /** Resolves when the task reaches a terminal state. */
  waitForTask(taskId: string): Promise<Task>;
  close(): Promise<void>;
}

function newTaskId(): string {
  // Time-ordered and short enough to read in a path.
  return `${Date.now().toString(36)}-${crypto.randomBytes(5).toString('hex')}`;
}

function titleOf(prompt: string): string {
  const line = prompt.trim().split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 77)}…` : line;
}

export function createEngine(options: EngineOptions): Engine {
  const dataDir = path.resolve(options.dataDir);
  const dbPath = path.join(dataDir, 'macs.db');
  const db: Db = openDatabase(dbPath);
  const store = new TaskStore(db);
  const settings = new SettingsStore(db, options.ollamaHost);
  const createProvider = options.createProvider ?? ((host: string) => new OllamaProvider(host));
  let provider = createProvider(settings.get().ollamaHost);
  const listeners = new Set<TopicListener>();
  const running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  const waiters = new Map<string, Array<(task: Task) => void>>();
  let closing = false;

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
    commit: (taskId, drafts) => store.appendEvents(taskId, drafts),
    publish: (taskId, events: TaskEvent[]) => publish('task.frame', { taskId, events }),
  });
  const monitor = new OllamaMonitor(() => provider, (status) => publish('ollama.status', status));
  const exports = new ExportService(path.join(dataDir, 'exports'), (p) => publish('export.progress', p));
  exports.pruneOld();
  if (options.monitorOllama) monitor.start();

  function transition(taskId: string, status: Task['status'], error?: ReturnType<typeof toErrorPayload>): Task {
    coalescer.flush(taskId);
    const task = store.setStatus(taskId, status, error ?? null);
    coalescer.push(taskId, { type: 'status', data: error ? { status, error } : { status } });
    coalescer.flush(taskId);
    publish('task.updated', { task });
    if (status === 'succeeded' || status === 'failed' || status === 'cancelled') {
      coalescer.close(taskId);
      for (const resolve of waiters.get(taskId) ?? []) resolve(task);
      waiters.delete(taskId);
    }
    return task;
  }

  // Tasks left queued/running by a crash cannot be resumed mid-stream in this version: say so.
  for (const taskId of store.listUnfinishedTaskIds()) {
    transition(taskId, 'failed', {
      code: 'TASK_INTERRUPTED',
      message: 'MACS stopped while this task was running. The files that had arrived are kept.',
    });
  }

  function startTask(task: Task): void {
    const controller = new AbortController();
    const done = runChatTask({
      task,
      store,
      provider,
      signal: controller.signal,
      emit: (draft) => coalescer.push(task.id, draft),
      transition: (status, error) => {
        // Closing the app aborts running work; that is an interruption, not a user's Stop.
        if (closing && status === 'cancelled') {
          transition(task.id, 'failed', { code: 'TASK_INTERRUPTED', message: 'MACS was closed while this task was running. The files that had arrived are kept.' });
        } else {
          transition(task.id, status, error);
        }
      },
    })
      .catch((err: unknown) => {
        // runChatTask records its own failures; reaching here is a bug, but the task must still end.
        transition(task.id, 'failed', toErrorPayload(err));
      })
      .finally(() => running.delete(task.id));
    running.set(task.id, { controller, done });
  }

  const handlers: ContractHandlers = {
    'app.info': async () => ({ version: options.version, host: options.host, dataDir, platform: process.platform }),
    'settings.get': async () => settings.get(),
    'settings.update': async (patch) => {
      const next = settings.update(patch);
      if (next.ollamaHost !== provider.host) {
        provider = createProvider(next.ollamaHost);
        void monitor.status(true);
      }
      return next;
    },
    'ollama.status': async ({ refresh }) => monitor.status(refresh ?? false),
    'models.list': async () => ({ models: await provider.listModels() }),
    'tasks.create': async ({ prompt, model, numCtx }) => {
      const id = newTaskId();
      const task = store.createTask({
        id,
        title: titleOf(prompt),
        prompt,
        model,
        numCtx: numCtx ?? settings.get().numCtx,
        workspacePath: path.join(dataDir, 'workspaces', id),
      });
      publish('task.updated', { task });
      startTask(task);
      return { task: store.requireTask(id) };
    },
    'tasks.list': async ({ limit }) => ({ tasks: store.listTasks(limit ?? 100) }),
    'tasks.get': async ({ taskId }) => ({ task: store.requireTask(taskId), files: store.listFiles(taskId) }),
    'tasks.events': async ({ taskId, sinceSeq, limit }) => {
      const task = store.requireTask(taskId);
      return { events: store.listEvents(taskId, sinceSeq ?? 0, limit ?? 10_000), lastSeq: task.lastSeq };
    },
    'tasks.cancel': async ({ taskId }) => {
      const task = store.requireTask(taskId);
      const run = running.get(taskId);
      if (run) {
        run.controller.abort();
        await run.done;
      } else if (task.status === 'queued' || task.status === 'running') {
        transition(taskId, 'cancelled');
      }
      return { task: store.requireTask(taskId) };
    },
    'files.read': async ({ taskId, path: relPath }) => {
      const task = store.requireTask(taskId);
      const workspace = await Workspace.open(task.workspacePath);
      return workspace.readFile(relPath);
    },
    'files.write': async ({ taskId, path: relPath, content }) => {
      const task = store.requireTask(taskId);
      if (running.has(taskId)) throw new MacsError('INVALID_INPUT', 'The model is still writing this task’s files; wait for it to finish or press Stop.');
      const workspace = await Workspace.open(task.workspacePath);
      const written = await workspace.writeFile(relPath, content);
      store.upsertFile(taskId, { path: written.path, state: 'written', size: written.size, sha256: written.sha256 });
      return written;
    },
    'export.zip': async ({ taskId }) => {
      const prepared = await exportTask(taskId);
      return { ...prepared, downloadUrl: `/download/${prepared.exportId}`, savedPath: null };
    },
  };

  async function exportTask(taskId: string, destPath?: string): Promise<PreparedExport> {
    const task = store.requireTask(taskId);
    if (running.has(taskId)) throw new MacsError('INVALID_INPUT', 'The task is still running; export when it has finished.');
    return exports.exportTask(task, destPath);
  }

  return {
    dataDir,
    dbPath,
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
    exportTask,
    exportFile: (exportId) => exports.exportFile(exportId),
    waitForTask(taskId) {
      const task = store.requireTask(taskId);
      if (!running.has(taskId) && task.status !== 'queued' && task.status !== 'running') return Promise.resolve(task);
      return new Promise((resolve) => waiters.set(taskId, [...(waiters.get(taskId) ?? []), resolve]));
    },
    async close() {
      closing = true;
      monitor.stop();
      for (const run of running.values()) run.controller.abort();
      await Promise.all([...running.values()].map((run) => run.done.catch(() => undefined)));
      listeners.clear();
      db.close();
    },
  };
}
