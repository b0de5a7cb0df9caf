// The contract: one table of methods (request → response) and topics (engine → client
// events). The Electron IPC binding, the preload allowlist and the WebSocket binding are
// all generated from these tables; the engine validates every params object against them.
import { z } from 'zod';
import { ErrorPayloadSchema } from './errors.js';
import { MAX_EXTERNAL_LINK_LENGTH } from './external-links.js';
import { ExecResultSchema, IsolationLevelSchema, SandboxStatusSchema, TerminalSessionSchema } from './exec.js';
import { PlanSchema, StepNameSchema, StepRecordSchema } from './pipeline.js';
import { ContextChoiceSchema, ContextSelectionSchema, FileChangeSchema, TreeEntrySchema, WorkspaceInfoSchema } from './workspace.js';
import { CatalogModelSchema, CuratedModelSchema, HardwareInfoSchema, PullProgressSchema } from './hardware.js';
import {
  ModelInfoSchema,
  TaskKindSchema,
  TaskStatusSchema,
  OllamaStatusSchema,
  SettingsSchema,
  TaskEventSchema,
  TaskFileSchema,
  TaskSchema,
} from './domain.js';
import { ProjectModelOptionsSchema, ProjectSchema, ProjectVersionSchema, VersionFileDiffSchema } from './project.js';
import { AppRunSchema, RunPlanSchema, RunSettingsSchema } from './app-run.js';
import { LlmConfigSchema, LlmConfigViewSchema, ProviderConfigSchema, ProviderIdSchema, ProviderModelSchema, ProviderStatusSchema } from './providers.js';

const TaskIdParams = z.object({ taskId: z.string().min(1).max(64) });
const ProjectIdParams = z.object({ projectId: z.string().min(1).max(64) });

const ExportResultSchema = z.object({
  exportId: z.string(),
  fileName: z.string(),
  fileCount: z.number().int(),
  bytes: z.number().int(),
  /** Browser host: where to download the zip from (same origin, token included). */
  downloadUrl: z.string().nullable(),
  /** Electron host: where the native save dialog put it; null if the user cancelled. */
  savedPath: z.string().nullable(),
});

/** A path inside a project folder. */
const WorkspacePathParams = z.object({ root: z.string().min(1).max(4096), path: z.string().min(1).max(4096) }).strict();

export const methods = {
  'app.info': {
    params: z.object({}).strict(),
    result: z.object({
      version: z.string(),
      host: z.enum(['electron', 'browser', 'cli']),
      dataDir: z.string(),
      platform: z.string(),
    }),
  },
  'settings.get': { params: z.object({}).strict(), result: SettingsSchema },
  'settings.update': { params: SettingsSchema.partial().strict(), result: SettingsSchema },
  'ollama.status': { params: z.object({ refresh: z.boolean().optional() }).strict(), result: OllamaStatusSchema },
  'models.list': { params: z.object({}).strict(), result: z.object({ models: z.array(ModelInfoSchema) }) },
  /** The provider configuration as the UI sees it: keys masked, Ollama's entry included. */
  'providers.get': { params: z.object({}).strict(), result: LlmConfigViewSchema },
  /**
   * Change the mode, "local only", providers (the whole list, Ollama's entry excluded) or routes.
   * Refused with CONFIG_INVALID (details.fields) when a route names an unknown provider.
   */
  'providers.update': {
    params: z.object({ mode: LlmConfigSchema.shape.mode.optional(), localOnly: z.boolean().optional(), providers: z.array(ProviderConfigSchema).max(16).optional(), routing: LlmConfigSchema.shape.routing.optional() }).strict(),
    result: LlmConfigViewSchema,
  },
  /**
   * Store a provider's key (OS keychain in the desktop app, a 0600 file for macs serve). Where no
   * keychain exists the first store is refused with KEY_STORE_NEEDS_CONSENT until allowPlaintext.
   * The key never comes back: views carry keySource and a masked hint.
   */
  'providers.setKey': {
    params: z.object({ id: ProviderIdSchema, key: z.string().min(1).max(4096), allowPlaintext: z.boolean().optional() }).strict(),
    result: LlmConfigViewSchema,
  },
  'providers.deleteKey': { params: z.object({ id: ProviderIdSchema }).strict(), result: LlmConfigViewSchema },
  /** Each enabled provider's reachability (cached a few seconds unless refresh). */
  'providers.status': { params: z.object({ refresh: z.boolean().optional() }).strict(), result: z.object({ providers: z.array(ProviderStatusSchema) }) },
  /** The models one provider serves, with context sizes from the server; Ollama's with their memory fit. */
  'providers.models': { params: z.object({ id: ProviderIdSchema, refresh: z.boolean().optional() }).strict(), result: z.object({ models: z.array(ProviderModelSchema) }) },
  /** Software Maker's YAML (`llm:` with mode, providers, routing). Keys are never written, only api_key_env. */
  'providers.exportYaml': { params: z.object({}).strict(), result: z.object({ yaml: z.string() }) },
  /** Replace the configuration from Software Maker's YAML; CONFIG_INVALID with line:col or the field on a bad file. */
  'providers.importYaml': { params: z.object({ yaml: z.string().min(1).max(200_000) }).strict(), result: LlmConfigViewSchema },
  'hardware.get': { params: z.object({ refresh: z.boolean().optional() }).strict(), result: HardwareInfoSchema },
  /** Installed models on every configured host with fit verdicts, what is loaded, the curated list, and the recommended default. */
  'models.catalog': {
    params: z.object({ refresh: z.boolean().optional(), numCtx: z.number().int().min(512).max(1_048_576).optional() }).strict(),
    result: z.object({
      hardware: HardwareInfoSchema,
      numCtx: z.number().int(),
      installed: z.array(CatalogModelSchema),
      curated: z.array(CuratedModelSchema),
      /** The best coding model that fits fully on the GPU (else the best that runs at all). */
      recommended: z.string().nullable(),
      hosts: z.array(z.object({ host: z.string(), reachable: z.boolean(), error: z.string().nullable() })),
    }),
  },
  'models.pull': {
    params: z.object({ name: z.string().min(1).max(200), host: z.string().url().optional() }).strict(),
    result: z.object({ pullId: z.string() }),
  },
  'models.pullCancel': { params: z.object({ pullId: z.string().min(1).max(64) }).strict(), result: z.object({ cancelled: z.boolean() }) },
  'models.delete': { params: z.object({ name: z.string().min(1).max(200), host: z.string().url().optional() }).strict(), result: z.object({ deleted: z.boolean() }) },
  'tasks.create': {
    params: z
      .object({
        prompt: z.string().trim().min(1, 'Type a prompt first.').max(200_000),
        /** Omitted: the default model from settings, else the first installed one. */
        model: z.string().min(1).max(200).optional(),
        numCtx: z.number().int().min(512).max(1_048_576).optional(),
        kind: TaskKindSchema.optional(),
        /** Run on this Ollama host; omitted: a configured host that has the model. */
        host: z.string().url().optional(),
        priority: z.number().int().min(-100).max(100).optional(),
        maxAttempts: z.number().int().min(1).max(20).optional(),
        metadata: z.record(z.string(), z.unknown()).optional(),
        /** A turn of this project (it sees the project's files and conversation). Omitted, with no workspace: a new project. */
        projectId: z.string().min(1).max(64).optional(),
        /** Work in this opened folder (workspaces.open): a turn of the folder's project; changes are snapshotted and undoable. */
        workspace: z.string().min(1).max(4096).optional(),
        /** Files the user pinned to or removed from the model's context. */
        context: ContextChoiceSchema.optional(),
        /** A client-chosen id (REST `task_id`, a UUID) to use as the task's id; TASK_ID_TAKEN when a task has it. */
        taskId: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/).optional(),
      })
      .strict(),
    result: z.object({ task: TaskSchema }),
  },
  'tasks.list': {
    params: z.object({ limit: z.number().int().min(1).max(500).optional(), status: TaskStatusSchema.optional() }).strict(),
    result: z.object({ tasks: z.array(TaskSchema) }),
  },
  'tasks.get': { params: TaskIdParams.strict(), result: z.object({ task: TaskSchema, files: z.array(TaskFileSchema) }) },
  'tasks.events': {
    params: TaskIdParams.extend({
      sinceSeq: z.number().int().min(0).optional(),
      limit: z.number().int().min(1).max(10_000).optional(),
    }).strict(),
    result: z.object({ events: z.array(TaskEventSchema), lastSeq: z.number().int() }),
  },
  'tasks.cancel': { params: TaskIdParams.strict(), result: z.object({ task: TaskSchema }) },
  /**
   * Settings → review plans first: the build waiting after its plan goes on, with the plan as it is
   * or with the edited plan given here. Refused (PLAN_NOT_WAITING) when the task is not waiting.
   */
  'tasks.approvePlan': { params: TaskIdParams.extend({ plan: PlanSchema.optional() }).strict(), result: z.object({ task: TaskSchema }) },
  /** The plan a build waits with for the user's approval (waiting false: none). */
  'tasks.pendingPlan': { params: TaskIdParams.strict(), result: z.object({ waiting: z.boolean(), planVersion: z.number().int().nullable(), plan: PlanSchema.nullable() }) },
  /** A failed or cancelled task goes back to the queue as a new attempt. */
  'tasks.retry': { params: TaskIdParams.strict(), result: z.object({ task: TaskSchema }) },
  'tasks.attempts': {
    params: TaskIdParams.strict(),
    result: z.object({
      attempts: z.array(
        z.object({
          attempt: z.number().int(),
          worker: z.string(),
          startedAt: z.number(),
          finishedAt: z.number().nullable(),
          outcome: z.enum(['running', 'succeeded', 'failed', 'cancelled', 'interrupted', 'retrying']),
          error: ErrorPayloadSchema.nullable(),
        }),
      ),
    }),
  },
  /** The build pipeline's step attempts, in the order they started. */
  'tasks.steps': { params: TaskIdParams.strict(), result: z.object({ steps: z.array(StepRecordSchema) }) },
  /** One step attempt's stored artifact: prompt messages, model, options, output, timings, token counts. */
  'tasks.stepArtifact': {
    params: TaskIdParams.extend({ step: StepNameSchema, version: z.number().int().positive() }).strict(),
    result: z.object({ step: StepRecordSchema, artifact: z.record(z.string(), z.unknown()) }),
  },
  /** A screenshot the web check (webcheck@vN) took of one scenario step, as a data: URL (PNG). */
  'tasks.stepScreenshot': {
    params: TaskIdParams.extend({
      version: z.number().int().positive(),
      /** The file name in ScenarioStepResult.screenshot: <scenario-slug>-<n>.png. */
      name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,80}-\d{1,2}\.png$/),
    }).strict(),
    result: z.object({ dataUrl: z.string() }),
  },
  /**
   * Re-run one step of a finished build task as a new attempt, from its stored context.
   * Later steps run again only with cascade. The LLM cache answers identical calls unless useCache is false.
   */
  'tasks.replayStep': {
    params: TaskIdParams.extend({
      step: StepNameSchema,
      /** Which stored version's context to re-run; default the latest. */
      version: z.number().int().positive().optional(),
      cascade: z.boolean().optional(),
      useCache: z.boolean().optional(),
      /** Why (Agent-MVP's replay_step `reason`): kept with the status change that requeues the task. */
      reason: z.string().trim().max(2000).optional(),
    }).strict(),
    result: z.object({ task: TaskSchema }),
  },
  'feedback.submit': {
    params: TaskIdParams.extend({
      /** -1 bad, 0 neutral (a 3 of 5), 1 good. */
      rating: z.union([z.literal(-1), z.literal(0), z.literal(1)]),
      comment: z.string().max(10_000).optional(),
      /** The rating as the client sent it and its scale (2: -1/1, 5: 1 to 5), kept beside the mapped one. */
      given: z.object({ rating: z.number().int(), scale: z.union([z.literal(2), z.literal(5)]) }).strict().optional(),
    }).strict(),
    result: z.object({ id: z.number().int() }),
  },
  /** The REST API key (shown in Settings so scripts can use it). */
  'app.apiKey': { params: z.object({}).strict(), result: z.object({ apiKey: z.string(), source: z.enum(['env', 'file']) }) },
  /**
   * Open a link from model output in the user's browser (or mail app), after the user confirmed
   * it in the app. Desktop app only; http, https and mailto only (LINK_NOT_ALLOWED otherwise).
   * The browser host answers NOT_SUPPORTED: the page opens the link in a new tab itself.
   */
  'app.openExternal': { params: z.object({ url: z.string().min(1).max(MAX_EXTERNAL_LINK_LENGTH) }).strict(), result: z.object({ opened: z.boolean() }) },
  /** Open a folder as the workspace of the next tasks: checked (exists, a folder, not a system folder), remembered, watched. */
  'workspaces.open': { params: z.object({ path: z.string().min(1).max(4096) }).strict(), result: z.object({ workspace: WorkspaceInfoSchema }) },
  /** The desktop app's native folder picker (null: cancelled). The browser host has none: NOT_SUPPORTED, type the path. */
  'workspaces.choose': { params: z.object({}).strict(), result: z.object({ path: z.string().nullable() }) },
  'workspaces.recent': { params: z.object({}).strict(), result: z.object({ workspaces: z.array(WorkspaceInfoSchema) }) },
  'workspaces.forget': { params: z.object({ root: z.string().min(1).max(4096) }).strict(), result: z.object({}) },
  /** The folder's files for the tree (.gitignore-aware; node_modules and .git hidden unless showIgnored). */
  'workspaces.tree': {
    params: z
      .object({
        root: z.string().min(1).max(4096),
        showIgnored: z.boolean().optional(),
        /** Read folders only this deep (a quick first paint of a huge tree; then ask again without it). */
        depth: z.number().int().min(1).max(64).optional(),
      })
      .strict(),
    result: z.object({ entries: z.array(TreeEntrySchema), truncated: z.boolean(), ignoredCount: z.number().int() }),
  },
  'workspaces.read': {
    params: z.object({ root: z.string().min(1).max(4096), path: z.string().min(1).max(4096) }).strict(),
    result: z.object({ path: z.string(), size: z.number().int(), binary: z.boolean(), content: z.string().nullable() }),
  },
  /** The user saves a file (Ctrl/Cmd+S in the editor). */
  'workspaces.write': {
    params: z.object({ root: z.string().min(1).max(4096), path: z.string().min(1).max(4096), content: z.string().max(20_000_000) }).strict(),
    result: z.object({ path: z.string(), size: z.number().int(), sha256: z.string() }),
  },
  // The file tree's actions (refused with PROJECT_BUSY while a turn of the project runs;
  // paths are guarded like workspaces.write: PATH_OUTSIDE_WORKSPACE when one leaves the folder).
  /** A new empty file (its folders made as needed); PATH_EXISTS if anything is there. */
  'workspaces.createFile': { params: WorkspacePathParams, result: z.object({ path: z.string() }) },
  /** A new empty folder; PATH_EXISTS if anything is there. */
  'workspaces.createFolder': { params: WorkspacePathParams, result: z.object({ path: z.string() }) },
  /** Rename or move a file or folder inside the project folder, never over an existing one. */
  'workspaces.move': {
    params: z.object({ root: z.string().min(1).max(4096), from: z.string().min(1).max(4096), to: z.string().min(1).max(4096) }).strict(),
    result: z.object({ from: z.string(), to: z.string() }),
  },
  /** Move a file or folder to MACS's trash (under the data folder); workspaces.restore puts it back. */
  'workspaces.delete': { params: WorkspacePathParams, result: z.object({ path: z.string(), trashId: z.string() }) },
  /** Put a deleted file or folder back where it was (Undo after a delete). */
  'workspaces.restore': {
    params: z.object({ trashId: z.string().min(1).max(64) }).strict(),
    result: z.object({ root: z.string(), path: z.string() }),
  },
  /** Show the entry in the system's file manager: desktop app only (the browser host answers NOT_SUPPORTED). */
  'workspaces.reveal': { params: WorkspacePathParams, result: z.object({ path: z.string() }) },
  /** Folder suggestions while a path is typed in the browser host's Open folder (folders only). */
  'workspaces.complete': {
    params: z.object({ partial: z.string().max(4096) }).strict(),
    result: z.object({
      parent: z.string(),
      folders: z.array(z.object({ path: z.string(), name: z.string(), refused: z.string().nullable() })),
      truncated: z.boolean(),
    }),
  },
  /** Which files the model would see for this prompt, within the context budget. */
  'context.preview': {
    params: z
      .object({
        root: z.string().min(1).max(4096),
        prompt: z.string().max(200_000),
        model: z.string().min(1).max(200).optional(),
        context: ContextChoiceSchema.optional(),
      })
      .strict(),
    result: ContextSelectionSchema,
  },
  /** What a task changed in a folder workspace, against the snapshot taken before it wrote. */
  'tasks.changes': { params: TaskIdParams.strict(), result: z.object({ changes: z.array(FileChangeSchema), backend: z.enum(['git', 'copy']).nullable() }) },
  /** A file as it was before the task changed it (the diff's left side). */
  'tasks.fileBefore': {
    params: TaskIdParams.extend({ path: z.string().min(1).max(4096) }).strict(),
    result: z.object({ path: z.string(), existed: z.boolean(), binary: z.boolean(), content: z.string().nullable() }),
  },
  'tasks.revertFile': { params: TaskIdParams.extend({ path: z.string().min(1).max(4096) }).strict(), result: z.object({ changes: z.array(FileChangeSchema) }) },
  'tasks.acceptFile': { params: TaskIdParams.extend({ path: z.string().min(1).max(4096) }).strict(), result: z.object({ changes: z.array(FileChangeSchema) }) },
  /** Restore every file the task touched, exactly (created files deleted, deleted ones recreated). */
  'tasks.undo': {
    params: TaskIdParams.strict(),
    result: z.object({ restored: z.number().int(), deleted: z.number().int(), recreated: z.number().int() }),
  },
  'sandbox.status': { params: z.object({}).strict(), result: SandboxStatusSchema },
  /** Run one command in a task's workspace, sandboxed, shown live in the task's terminal; resolves when it ends. */
  'exec.run': {
    params: TaskIdParams.extend({
      command: z.array(z.string().min(1).max(4096)).min(1).max(256),
      level: IsolationLevelSchema.optional(),
      timeoutMs: z.number().int().min(100).max(3_600_000).optional(),
    }).strict(),
    result: ExecResultSchema,
  },
  /** An interactive shell (sandboxed by default) in a task's workspace. */
  'terminal.open': {
    params: z
      .object({
        taskId: z.string().min(1).max(64),
        cols: z.number().int().min(2).max(1000),
        rows: z.number().int().min(1).max(1000),
        level: IsolationLevelSchema.optional(),
      })
      .strict(),
    result: TerminalSessionSchema,
  },
  'terminal.input': { params: z.object({ sessionId: z.string().min(1).max(64), data: z.string().max(1_000_000) }).strict(), result: z.object({}) },
  'terminal.resize': {
    params: z.object({ sessionId: z.string().min(1).max(64), cols: z.number().int().min(2).max(1000), rows: z.number().int().min(1).max(1000) }).strict(),
    result: z.object({}),
  },
  'terminal.close': { params: z.object({ sessionId: z.string().min(1).max(64) }).strict(), result: z.object({}) },
  /** Sessions of a task (or all), so a reloaded renderer can reattach. */
  'terminal.list': { params: z.object({ taskId: z.string().min(1).max(64).optional() }).strict(), result: z.object({ sessions: z.array(TerminalSessionSchema) }) },
  /** The session's recent output (capped scrollback) to repaint after a reload; then follow terminal.output with seq > lastSeq. */
  'terminal.replay': {
    params: z.object({ sessionId: z.string().min(1).max(64) }).strict(),
    result: z.object({ data: z.string(), lastSeq: z.number().int() }),
  },
  'export.zip': { params: TaskIdParams.strict(), result: ExportResultSchema },

  /** Projects, pinned first, then by last activity; `query` matches the name or folder (case-insensitive). */
  'projects.list': {
    params: z.object({ query: z.string().max(200).optional(), limit: z.number().int().min(1).max(5000).optional() }).strict(),
    result: z.object({ projects: z.array(ProjectSchema) }),
  },
  /** A project and its turns (oldest first). */
  'projects.get': { params: ProjectIdParams.strict(), result: z.object({ project: ProjectSchema, turns: z.array(TaskSchema) }) },
  /** A new, empty generated project (its first turn: tasks.create with its id), or the project of a folder to open. */
  'projects.create': {
    params: z.object({ name: z.string().trim().min(1).max(200).optional(), folder: z.string().min(1).max(4096).optional() }).strict(),
    result: z.object({ project: ProjectSchema }),
  },
  'projects.update': {
    params: ProjectIdParams.extend({
      name: z.string().trim().min(1, 'A project needs a name.').max(200).optional(),
      pinned: z.boolean().optional(),
      /** Temperature and system prompt for this project's turns (replaces both). */
      modelOptions: ProjectModelOptionsSchema.optional(),
    }).strict(),
    result: z.object({ project: ProjectSchema }),
  },
  /**
   * Delete a project and its conversation. A generated project's files go only with deleteFiles;
   * an opened folder is never deleted, only forgotten (deleteFiles is refused for it).
   */
  'projects.delete': {
    params: ProjectIdParams.extend({ deleteFiles: z.boolean().optional() }).strict(),
    result: z.object({ deleted: z.boolean(), filesDeleted: z.boolean() }),
  },
  /** Queued turns of the project wait (a running turn finishes). */
  'projects.pause': { params: ProjectIdParams.strict(), result: z.object({ project: ProjectSchema }) },
  'projects.resume': { params: ProjectIdParams.strict(), result: z.object({ project: ProjectSchema }) },
  /** An opened folder that moved: point its project at the new path (checked like an open). */
  'projects.locate': { params: ProjectIdParams.extend({ path: z.string().min(1).max(4096) }).strict(), result: z.object({ project: ProjectSchema }) },
  /** Every version, oldest first, undone ones marked; `backend` says where they live. */
  'projects.versions': {
    params: ProjectIdParams.strict(),
    result: z.object({ versions: z.array(ProjectVersionSchema), backend: z.enum(['git', 'snapshots']), notice: z.string().nullable() }),
  },
  /** What one version changed, against the version before it. */
  'projects.versionDiff': {
    params: ProjectIdParams.extend({ versionId: z.string().min(1).max(128) }).strict(),
    result: z.object({ files: z.array(VersionFileDiffSchema) }),
  },
  /** Bring the files back to a version, byte for byte, as a new version (itself undoable). Refused while a turn runs. */
  'projects.restore': {
    params: ProjectIdParams.extend({ versionId: z.string().min(1).max(128) }).strict(),
    result: z.object({ version: ProjectVersionSchema }),
  },
  /** Restore the version before the last turn. */
  'projects.undoTurn': { params: ProjectIdParams.strict(), result: z.object({ version: ProjectVersionSchema }) },
  /** A zip of the project at a version (default: its files as they are now). */
  'projects.export': { params: ProjectIdParams.extend({ versionId: z.string().min(1).max(128).optional() }).strict(), result: ExportResultSchema },

  /** How MACS would start the project (every candidate found, the one chosen) and what the user kept. */
  'apps.detect': {
    params: ProjectIdParams.strict(),
    result: z.object({ candidates: z.array(RunPlanSchema), chosen: RunPlanSchema.nullable(), settings: RunSettingsSchema }),
  },
  /** Keep a start command, a pinned port, or registry access for installs (null: back to the detected command / any port). */
  'apps.configure': {
    params: ProjectIdParams.extend({
      command: z.string().trim().min(1).max(2000).nullable().optional(),
      pinnedPort: z.number().int().min(1024).max(65535).nullable().optional(),
      installNetwork: z.boolean().optional(),
    }).strict(),
    result: z.object({ run: AppRunSchema }),
  },
  /** Install what is needed, start the app in the sandbox and probe its port (restarts it when it runs). Resolves once started, not when ready. */
  'apps.run': { params: ProjectIdParams.strict(), result: z.object({ run: AppRunSchema }) },
  /** Stop the app: its whole process tree, then the preview port. */
  'apps.stop': { params: ProjectIdParams.strict(), result: z.object({ run: AppRunSchema }) },
  'apps.status': { params: ProjectIdParams.strict(), result: z.object({ run: AppRunSchema }) },
  /** Apps that run now (any project). */
  'apps.list': { params: z.object({}).strict(), result: z.object({ runs: z.array(AppRunSchema) }) },
  /** A new turn of the project that fixes this error (its message, stack and the files it names); capped per error. */
  'apps.fixError': {
    params: ProjectIdParams.extend({ fingerprintId: z.string().min(1).max(128) }).strict(),
    result: z.object({ task: TaskSchema }),
  },
  /**
   * Desktop app only: show a project's running app in a native view (own session, no preload,
   * no node) laid over the renderer's preview rectangle (CSS pixels of the window). Called again
   * to follow the rectangle; `reload` loads `url` afresh. Other hosts answer NOT_SUPPORTED: the
   * browser shows an iframe instead.
   */
  'preview.attach': {
    params: ProjectIdParams.extend({
      url: z.string().min(1).max(4096),
      bounds: z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int().min(0), height: z.number().int().min(0) }).strict(),
      reload: z.boolean().optional(),
    }).strict(),
    result: z.object({ attached: z.boolean() }),
  },
  /** Desktop app only: take the project's native preview view off the window (kept for a quick return). */
  'preview.detach': { params: ProjectIdParams.strict(), result: z.object({}) },
} as const;

export const topics = {
  /** A project's app run changed (state, port, output tail, a new error, reload). */
  'app.updated': z.object({ run: AppRunSchema }),
  /** A project changed (new turn, state, rename, pin, pause, a new version); gone: deleted. */
  'project.updated': z.object({ project: ProjectSchema.nullable(), projectId: z.string() }),
  /** Coalesced task events, in seq order, ≈ every 25 ms or 4 KB per task. */
  'task.frame': z.object({ taskId: z.string(), events: z.array(TaskEventSchema) }),
  /** A task row changed (status, counters). */
  'task.updated': z.object({ task: TaskSchema }),
  'ollama.status': OllamaStatusSchema,
  /** Providers' reachability changed (or their configuration did). */
  'providers.status': z.object({ providers: z.array(ProviderStatusSchema) }),
  'models.pull.progress': PullProgressSchema,
  /** Terminal output, in order per session (seq), coalesced like task frames. */
  'terminal.output': z.object({ sessionId: z.string(), seq: z.number().int(), data: z.string() }),
  'terminal.exit': z.object({ sessionId: z.string(), exitCode: z.number().int().nullable(), signal: z.string().nullable() }),
  /** A command from the desktop app's menu (File → Open Folder…, Open Recent). */
  'app.command': z.object({ command: z.enum(['open-folder', 'open-workspace']), root: z.string().optional() }),
  /** Files changed in an opened workspace folder (by anyone), batched. */
  'workspace.changed': z.object({ root: z.string(), created: z.array(z.string()), updated: z.array(z.string()), deleted: z.array(z.string()) }),
  'export.progress': z.object({
    exportId: z.string(),
    taskId: z.string(),
    filesDone: z.number().int(),
    fileCount: z.number().int(),
    percent: z.number(),
    done: z.boolean(),
  }),
} as const;

export type MethodName = keyof typeof methods;
export type TopicName = keyof typeof topics;
export type MethodParams<M extends MethodName> = z.input<(typeof methods)[M]['params']>;
export type MethodResult<M extends MethodName> = z.output<(typeof methods)[M]['result']>;
export type TopicPayload<T extends TopicName> = z.output<(typeof topics)[T]>;

export const METHOD_NAMES = Object.keys(methods) as MethodName[];
export const TOPIC_NAMES = Object.keys(topics) as TopicName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(methods, name);
}
export function isTopicName(name: unknown): name is TopicName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(topics, name);
}

/** What every host implements: one async handler per method. */
export type ContractHandlers = { [M in MethodName]: (params: MethodParams<M>) => Promise<MethodResult<M>> };

/** What every client (preload bridge, WebSocket client) offers the renderer. */
export interface ContractClient {
  call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>>;
  on<T extends TopicName>(topic: T, handler: (payload: TopicPayload<T>) => void): () => void;
}

/** WebSocket wire frames (the Electron IPC binding uses the method/topic names directly). */
export type WsRequestFrame = { id: number; method: string; params: unknown };
export type WsResponseFrame = { id: number; result: unknown } | { id: number; error: { code: string; message: string; details?: unknown } };
export type WsTopicFrame = { topic: string; payload: unknown };

/** IPC channel name for topics in Electron: one channel, payload {topic, payload}. */
export const IPC_TOPIC_CHANNEL = 'macs:topic';
