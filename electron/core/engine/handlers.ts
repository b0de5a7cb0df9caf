import crypto from 'node:crypto';
import fs from 'node:fs';
import type { ContractHandlers, Task } from '../../../shared/index.js';
import { MacsError, OLLAMA_PROVIDER_ID, TERMINAL_STATUSES, parseModelRef, requireExternalLink } from '../../../shared/index.js';
import { createAppHandlers } from './app-handlers.js';
import { createProjectHandlers } from './project-handlers.js';
import { createFileTreeHandlers } from './file-tree-handlers.js';
import { createPlanApprovalHandlers } from './plan-approval-handlers.js';
import { createProviderHandlers } from './provider-handlers.js';
import { openTaskSnapshot } from '../project-folder/index.js';
import { isProbablyBinary } from '../project-folder/index.js';
import { readStepScreenshot } from '../pipeline/index.js';
import type { EngineContext } from './engine-context.js';

function newTaskId(): string {
  // Time-ordered and short enough to read in a path.
  return `${Date.now().toString(36)}-${crypto.randomBytes(5).toString('hex')}`;
}

function titleOf(prompt: string): string {
  const line = prompt.trim().split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 77)}…` : line;
}

/** The user's choice, else the best coding model that fits this machine, else the first installed one. */
async function defaultModel(ctx: EngineContext): Promise<string> {
  const configured = ctx.settings.get().defaultModel;
  if (configured) return configured;
  const recommended = await ctx.models.catalog({}).then((c) => c.recommended, () => null);
  if (recommended) return recommended;
  const models = await ctx.provider().listModels();
  if (models.length === 0) {
    throw new MacsError('MODEL_NOT_FOUND', `No models are installed in Ollama at ${ctx.provider().host}. Pull one first, e.g.: ollama pull qwen2.5-coder:7b`);
  }
  return models[0].name;
}

export function createHandlers(ctx: EngineContext): ContractHandlers {
  const { store, queue, worker, settings } = ctx;
  const handlers: ContractHandlers = {
    'app.info': async () => ({ version: ctx.version, host: ctx.host, dataDir: ctx.dataDir, platform: process.platform }),
    'app.apiKey': async () => ctx.apiKey,
    'app.openExternal': async ({ url }) => {
      requireExternalLink(url); // LINK_NOT_ALLOWED for anything but http, https and mailto
      // The desktop app overrides this (system browser, after the user confirmed); an engine
      // may run on another machine than the user's browser, so it never opens links itself.
      throw new MacsError('NOT_SUPPORTED', 'Only the desktop app opens links for you; in a browser the link opens in a new tab.');
    },
    'settings.get': async () => settings.get(),
    'settings.update': async (patch) => {
      const before = settings.get();
      const next = settings.update(patch);
      if (next.ollamaHost !== before.ollamaHost || next.extraOllamaHosts.join() !== before.extraOllamaHosts.join()) ctx.onHostsChanged();
      worker.wake(); // limits may have grown
      return next;
    },
    'ollama.status': async ({ refresh }) => ctx.monitor.status(refresh ?? false),
    'models.list': async () => ({ models: await ctx.provider().listModels() }),
    'hardware.get': async ({ refresh }) => ctx.hardware.get({ refresh: refresh ?? false }),
    'models.catalog': (params) => ctx.models.catalog(params),
    'models.pull': async (params) => ctx.models.pull(params),
    'models.pullCancel': async (params) => ctx.models.pullCancel(params),
    'models.delete': (params) => ctx.models.delete(params),
    'sandbox.status': async () => ctx.sandbox().status(),
    'workspaces.choose': async () => {
      // The Electron host overrides this with its native dialog.
      throw new MacsError('NOT_SUPPORTED', 'A browser cannot show a folder picker for the engine; type the folder’s path.');
    },
    // The Electron host overrides both with a native view (electron/preview-view.ts); a browser shows an iframe.
    'preview.attach': async () => {
      throw new MacsError('NOT_SUPPORTED', 'Only the desktop app shows the preview in a native view; a browser shows it in a frame.');
    },
    'preview.detach': async () => {
      throw new MacsError('NOT_SUPPORTED', 'Only the desktop app shows the preview in a native view; a browser shows it in a frame.');
    },
    ...createProjectHandlers(ctx),
    // Fix this error starts a turn exactly as the composer does.
    ...createAppHandlers(ctx, (params) => handlers['tasks.create'](params)),
    'workspaces.tree': ({ root, showIgnored, depth }) => ctx.folders.tree(root, showIgnored ?? false, depth),
    'workspaces.read': ({ root, path: rel }) => ctx.folders.read(root, rel),
    'workspaces.write': async ({ root, path: rel, content }) => {
      const written = await ctx.folders.write(root, rel, content);
      // A hand edit saved in the editor restarts (or reloads) the project's running app, as a turn's edits do.
      const projectId = ctx.projects.idOfFolder(root);
      if (projectId) ctx.preview?.filesChanged(projectId, [rel]);
      return written;
    },
    ...createFileTreeHandlers(ctx),
    ...createPlanApprovalHandlers(ctx),
    ...createProviderHandlers(ctx),
    'context.preview': async ({ root, prompt, model, context }) => {
      const chosen = model ?? (await defaultModel(ctx).catch(() => 'unknown'));
      return ctx.folders.context(root, prompt, await ctx.contextBudget(chosen, prompt), (t) => ctx.countTokens(chosen, t), context ?? {});
    },
    'tasks.changes': async ({ taskId }) => {
      const snap = await folderSnapshot(ctx, taskId);
      return { changes: await snap.changes(), backend: snap.backend };
    },
    'tasks.fileBefore': async ({ taskId, path: rel }) => {
      const snap = await folderSnapshot(ctx, taskId);
      const before = await snap.readBefore(rel);
      if (before === null) return { path: rel, existed: false, binary: false, content: null };
      const binary = isProbablyBinary(before);
      return { path: rel, existed: true, binary, content: binary ? null : before.toString('utf8') };
    },
    'tasks.revertFile': async ({ taskId, path: rel }) => {
      const snap = await folderSnapshot(ctx, taskId, true);
      await snap.revertFile(rel);
      return { changes: await snap.changes() };
    },
    'tasks.acceptFile': async ({ taskId, path: rel }) => {
      const snap = await folderSnapshot(ctx, taskId, true);
      await snap.acceptFile(rel);
      return { changes: await snap.changes() };
    },
    'tasks.undo': async ({ taskId }) => {
      const snap = await folderSnapshot(ctx, taskId, true);
      return snap.undoTask();
    },
    'exec.run': (params) => ctx.exec.run(params),
    'terminal.open': async ({ taskId, cols, rows, level }) => {
      const task = store.requireTask(taskId);
      fs.mkdirSync(task.workspacePath, { recursive: true });
      return ctx.terminals.open({ taskId, cwd: task.workspacePath, cols, rows, level });
    },
    'terminal.input': async ({ sessionId, data }) => {
      ctx.terminals.input(sessionId, data);
      return {};
    },
    'terminal.resize': async ({ sessionId, cols, rows }) => {
      ctx.terminals.resize(sessionId, cols, rows);
      return {};
    },
    'terminal.close': async ({ sessionId }) => {
      ctx.terminals.close(sessionId);
      return {};
    },
    'terminal.list': async ({ taskId }) => ({ sessions: ctx.terminals.list({ taskId }) }),
    'terminal.replay': async ({ sessionId }) => ctx.terminals.replay(sessionId),

    'tasks.create': async ({ prompt, model, numCtx, kind, host, priority, maxAttempts, metadata, projectId, workspace, context, taskId }) => {
      const s = settings.get();
      const id = taskId ?? newTaskId();
      const chosenModel = model ?? (await defaultModel(ctx));
      const otherProvider = parseModelRef(chosenModel).provider !== OLLAMA_PROVIDER_ID;
      // Refused now, not as a failed task: an unknown provider, or a cloud one (or a task's own off-machine Ollama host) while "local only" is on (LOCAL_ONLY).
      if (otherProvider || host) ctx.providers.chat(chosenModel, host);
      const chosenHost = host ?? (otherProvider ? null : await ctx.router.route(chosenModel));
      // After the last await and before a new project is made for it: a client's id names one task.
      if (store.getTask(id)) throw new MacsError('TASK_ID_TAKEN', `A task with the id ${id} exists already.`, { taskId: id });
      // A turn of the given project, of an opened folder's project, or the first turn of a new project.
      // Looked up after the last await, so the project checked is the project the row joins (a delete can't slip between).
      const project = projectId !== undefined ? ctx.projects.requireForTurn(projectId) : workspace !== undefined ? ctx.projects.requireForTurn(folderProjectId(ctx, workspace)) : ctx.projects.createGenerated(titleOf(prompt));
      // Settings → review plans first is captured here: a later change does not alter this build.
      const reviewFirst = (kind ?? 'chat') === 'build' && s.reviewPlansFirst;
      const taskMetadata = () => {
        const extra = { ...(project.kind === 'folder' ? { workspace: project.root } : {}), ...(context ? { context } : {}), ...(reviewFirst ? { reviewPlansFirst: true } : {}) };
        return Object.keys(extra).length ? { ...metadata, ...extra } : (metadata ?? null);
      };
      const { task, events } = store.createTask({
        id,
        kind: kind ?? 'chat',
        title: titleOf(prompt),
        prompt,
        model: chosenModel,
        host: chosenHost,
        numCtx: numCtx ?? s.numCtx,
        workspacePath: project.root,
        projectId: project.id,
        priority: priority ?? 0,
        maxAttempts: maxAttempts ?? s.maxAttempts,
        metadata: taskMetadata(),
      });
      ctx.publishChange({ task, events });
      if (ctx.runsQueue) worker.wake();
      else worker.runNow(id);
      return { task: store.requireTask(id) };
    },
    'tasks.list': async ({ limit, status }) => ({ tasks: store.listTasks(limit ?? 100, status) }),
    'tasks.get': async ({ taskId }) => ({ task: store.requireTask(taskId), files: store.listFiles(taskId) }),
    'tasks.events': async ({ taskId, sinceSeq, limit }) => {
      const task = store.requireTask(taskId);
      return { events: store.listEvents(taskId, sinceSeq ?? 0, limit ?? 10_000), lastSeq: task.lastSeq };
    },
    'tasks.attempts': async ({ taskId }) => ({ attempts: queue.attempts(taskId) }),
    'tasks.cancel': async ({ taskId }) => {
      if (await worker.cancelHere(taskId)) return { task: store.requireTask(taskId) };
      const { change, requested, task } = queue.cancel(taskId);
      if (change) ctx.publishChange(change);
      // Running in another process: its worker reads the flag within ~200 ms.
      if (requested) return { task: await ctx.waitForTask(taskId, 3000) };
      return { task };
    },
    'tasks.retry': async ({ taskId }) => {
      const task = store.requireTask(taskId);
      const plan = task.kind === 'build' && task.error && RESTART_CODES.has(task.error.code) ? ctx.steps.latest(taskId, 'plan') : null;
      const change = ctx.db.transaction(() => {
        // A build that failed on its merits starts over from a fresh plan with fresh answers
        // (the cache would give back the same ones); one stopped by a fault resumes where it was.
        if (plan) ctx.steps.requestReplay(taskId, { step: 'plan', version: plan.version, cascade: true, useCache: false });
        return queue.retry(taskId, settings.get().maxAttempts);
      })();
      ctx.publishChange(change);
      if (ctx.runsQueue) worker.wake();
      else worker.runNow(taskId);
      return { task: store.requireTask(taskId) };
    },
    'tasks.steps': async ({ taskId }) => {
      store.requireTask(taskId);
      return { steps: ctx.steps.list(taskId) };
    },
    'tasks.stepArtifact': async ({ taskId, step, version }) => {
      store.requireTask(taskId);
      const record = ctx.steps.get(taskId, step, version);
      if (!record) throw new MacsError('STEP_NOT_FOUND', `This task has no step ${step}@v${version}.`, { taskId, step, version });
      const { output, ...rest } = record;
      const artifact = record.artifact ? ctx.artifacts.read(record.artifact) : null;
      // A step that ended before writing its artifact (cancelled at once) still has its stored output.
      return { step: rest, artifact: artifact ?? { output } };
    },
    'tasks.stepScreenshot': async ({ taskId, version, name }) => {
      store.requireTask(taskId);
      return { dataUrl: readStepScreenshot(ctx.artifacts, taskId, version, name) };
    },
    'tasks.replayStep': async ({ taskId, step, version, cascade, useCache, reason }) => {
      const task = store.requireTask(taskId);
      if (task.kind !== 'build') throw new MacsError('NOT_SUPPORTED', 'Only build tasks have steps to replay; retry a chat task instead.', { taskId });
      const source = version === undefined ? ctx.steps.latest(taskId, step) : ctx.steps.get(taskId, step, version);
      if (!source) throw new MacsError('STEP_NOT_FOUND', `This task has no step ${step}${version ? `@v${version}` : ''} to replay.`, { taskId, step, version });
      const change = ctx.db.transaction(() => {
        ctx.steps.requestReplay(taskId, { step, version: source.version, cascade: cascade ?? false, useCache: useCache ?? true });
        return queue.requeueFinished(taskId, 1, `replay ${step}@v${source.version}${cascade ? ' and the steps after it' : ''}${reason ? `: ${reason}` : ''}`);
      })();
      ctx.publishChange(change);
      if (ctx.runsQueue) worker.wake();
      else worker.runNow(taskId);
      return { task: store.requireTask(taskId) };
    },
    'feedback.submit': async ({ taskId, rating, comment, given }) => {
      store.requireTask(taskId);
      const info = ctx.db
        .prepare('INSERT INTO feedback (task_id, rating, comment, created_at, rating_given, rating_scale) VALUES (?, ?, ?, ?, ?, ?)')
        .run(taskId, rating, comment ?? null, Date.now(), given?.rating ?? rating, given?.scale ?? 2);
      return { id: Number(info.lastInsertRowid) };
    },

    'export.zip': async ({ taskId }) => {
      const prepared = await exportTask(ctx, taskId);
      return { ...prepared, downloadUrl: `/download/${prepared.exportId}`, savedPath: null };
    },
  };
  return handlers;
}

/** Build outcomes a retry should start over from (not resume): the model's work, not a fault, was the problem. */
const RESTART_CODES = new Set(['TESTS_FAILED', 'NO_FILES', 'PLAN_INVALID', 'EXPECTED_FILES_MISSING', 'REQUIREMENTS_NOT_MET', 'NO_TEST_COMMAND']);

/** The undo snapshot of a project turn; changing it waits until the turn has finished. */
async function folderSnapshot(ctx: EngineContext, taskId: string, changing = false) {
  const task = ctx.store.requireTask(taskId);
  if (changing && !isSettled(task)) throw new MacsError('TASK_BUSY', `The task is ${task.status}; wait until it has finished (or press Stop) before reverting its changes.`, { status: task.status });
  return openTaskSnapshot({ root: task.workspacePath, taskId, dataDir: ctx.dataDir });
}

/** The project of a folder given by path (opened before with workspaces.open or projects.create). */
function folderProjectId(ctx: EngineContext, root: string): string {
  const id = ctx.projects.idOfFolder(root);
  if (!id) throw new MacsError('FOLDER_NOT_OPENED', `${root} is not the folder of a project; open it first.`, { root });
  return id;
}

function isSettled(task: Task): boolean {
  return TERMINAL_STATUSES.includes(task.status);
}

export async function exportTask(ctx: EngineContext, taskId: string, destPath?: string) {
  const task = ctx.store.requireTask(taskId);
  if (!isSettled(task)) throw new MacsError('TASK_BUSY', `The task is ${task.status}; export when it has finished.`);
  return ctx.exports.exportTask(task, destPath);
}
