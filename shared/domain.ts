// Domain types shared by engine, hosts and renderer. Pure: zod only.
import { z } from 'zod';
import { ErrorPayloadSchema } from './errors.js';
import { RoleModelsSchema, StepEventDataSchema, StepNameSchema } from './pipeline.js';
import { ContextSelectionSchema } from './workspace.js';
import { ContextReceiptSchema } from './project.js';

/** interrupted: found running after a crash (its lease expired); it is re-queued at once. */
export const TaskStatusSchema = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted']);
export type TaskStatus = z.infer<typeof TaskStatusSchema>;
export const TERMINAL_STATUSES: readonly TaskStatus[] = ['succeeded', 'failed', 'cancelled'];

export const TaskKindSchema = z.enum(['chat', 'build']);
export type TaskKind = z.infer<typeof TaskKindSchema>;

export const TaskSchema = z.object({
  id: z.string(),
  /** build tasks run the plan → implement → test → fix → review pipeline; chat tasks answer once. */
  kind: TaskKindSchema,
  /** Higher runs first; FIFO within a priority. */
  priority: z.number().int(),
  /** Attempts started so far (a retry or a crash recovery starts a new one). */
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  /** A retry waiting for its backoff: not claimed before this time. */
  notBefore: z.number().nullable(),
  /** The Ollama host the task runs on; null = the default host in Settings. */
  host: z.string().nullable(),
  /** Free-form metadata from the API (mode_hint, the TaskV1.1 spec). */
  metadata: z.record(z.string(), z.unknown()).nullable(),
  status: TaskStatusSchema,
  title: z.string(),
  prompt: z.string(),
  model: z.string(),
  numCtx: z.number().int(),
  workspacePath: z.string(),
  /** The project this task is a turn of (null only for rows made outside the engine, e.g. by old tests). */
  projectId: z.string().nullable(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  error: ErrorPayloadSchema.nullable(),
  lastSeq: z.number().int(),
  evalTokens: z.number().int(),
  fileCount: z.number().int(),
  /** Time spent working: the finished attempts' runs added up (null: no attempt recorded, a task from before attempts were). */
  workedMs: z.number().nullable(),
  /** While running: when the current attempt started (its time is not in workedMs yet). */
  runningSince: z.number().nullable(),
});
export type Task = z.infer<typeof TaskSchema>;

export const TaskFileSchema = z.object({
  path: z.string(),
  /** streaming: the model is still writing it; written: on disk; truncated: the answer ended mid-file (kept as-is). */
  state: z.enum(['streaming', 'written', 'truncated']),
  size: z.number().int(),
  sha256: z.string().nullable(),
});
export type TaskFile = z.infer<typeof TaskFileSchema>;

/**
 * Events are append-only, numbered per task by `seq` (1, 2, 3 ...). Token deltas
 * are coalesced before they get a seq, so one event carries many tokens.
 */
const eventBase = { taskId: z.string(), seq: z.number().int().positive(), ts: z.number() };

export const TaskEventSchema = z.discriminatedUnion('type', [
  z.object({
    ...eventBase,
    type: z.literal('status'),
    data: z.object({
      status: TaskStatusSchema,
      error: ErrorPayloadSchema.optional(),
      /** Which attempt this transition belongs to (running: the attempt that starts). */
      attempt: z.number().int().optional(),
      /** queued again after a transient fault: when it will be tried. */
      retryInMs: z.number().optional(),
      /** Why: "retry", "recovered after a crash", "manual retry", "cancel requested". */
      reason: z.string().optional(),
    }),
  }),
  /** Model text; build tasks say which step's answer it belongs to (steps may stream side by side). */
  z.object({ ...eventBase, type: z.literal('delta'), data: z.object({ text: z.string(), step: StepNameSchema.optional() }) }),
  /** Model reasoning (a thinking model's `thinking` field or `<think>` text): shown, stored, never turned into files. */
  z.object({ ...eventBase, type: z.literal('thinking'), data: z.object({ text: z.string(), step: StepNameSchema.optional() }) }),
  z.object({ ...eventBase, type: z.literal('file.open'), data: z.object({ path: z.string() }) }),
  z.object({ ...eventBase, type: z.literal('file.chunk'), data: z.object({ path: z.string(), text: z.string() }) }),
  z.object({
    ...eventBase,
    type: z.literal('file.close'),
    data: z.object({ path: z.string(), size: z.number().int(), sha256: z.string(), truncated: z.boolean() }),
  }),
  z.object({
    ...eventBase,
    type: z.literal('file.refused'),
    data: z.object({ path: z.string(), code: z.string(), reason: z.string() }),
  }),
  z.object({
    ...eventBase,
    type: z.literal('usage'),
    data: z.object({
      promptTokens: z.number().int(),
      evalTokens: z.number().int(),
      evalDurationMs: z.number(),
      totalDurationMs: z.number(),
      doneReason: z.string().nullable(),
      /** The provider that answered ("ollama" when absent) and whether the prompt left this machine. */
      provider: z.string().optional(),
      leftMachine: z.boolean().optional(),
    }),
  }),
  z.object({ ...eventBase, type: z.literal('log'), data: z.object({ level: z.enum(['info', 'warn', 'error']), message: z.string() }) }),
  /** A command run in the sandbox: one event when it starts, one when it ends. */
  z.object({
    ...eventBase,
    type: z.literal('exec'),
    data: z.object({
      phase: z.enum(['start', 'end']),
      command: z.array(z.string()),
      cwd: z.string(),
      level: z.string(),
      exitCode: z.number().int().nullable().optional(),
      durationMs: z.number().optional(),
      timedOut: z.boolean().optional(),
      killed: z.boolean().optional(),
      outputTruncated: z.boolean().optional(),
    }),
  }),
  /** Something the sandbox refused or did: a denial, a timeout kill, the output cap, git metadata moved out of the workspace. */
  z.object({
    ...eventBase,
    type: z.literal('audit'),
    data: z.object({ kind: z.enum(['denied', 'timeout', 'killed', 'output_capped', 'unsandboxed', 'quarantined']), message: z.string(), command: z.array(z.string()).optional() }),
  }),
  /** The workspace files chosen as the model's context (folder workspaces). */
  z.object({ ...eventBase, type: z.literal('context'), data: ContextSelectionSchema }),
  /** A project turn's context receipt: the files and earlier turns sent, what was left out (updated with the model's own count). */
  z.object({ ...eventBase, type: z.literal('receipt'), data: ContextReceiptSchema }),
  /** A project turn made a version (a git commit or a snapshot), or the user's hand edits were kept as one first. */
  z.object({ ...eventBase, type: z.literal('version'), data: z.object({ versionId: z.string(), number: z.number().int(), kind: z.string(), filesChanged: z.number().int() }) }),
  /** A build pipeline step started or ended (the stored record: tasks.steps). */
  z.object({ ...eventBase, type: z.literal('step'), data: StepEventDataSchema }),
]);
export type TaskEvent = z.infer<typeof TaskEventSchema>;
export type TaskEventType = TaskEvent['type'];
/** An event before the store numbers it. */
export type TaskEventDraft = { [K in TaskEvent as K['type']]: { type: K['type']; data: K['data'] } }[TaskEventType];

export const ModelInfoSchema = z.object({
  name: z.string(),
  size: z.number(),
  digest: z.string(),
  modifiedAt: z.string().nullable(),
  family: z.string().nullable(),
  parameterSize: z.string().nullable(),
  quantizationLevel: z.string().nullable(),
});
export type ModelInfo = z.infer<typeof ModelInfoSchema>;

export const OllamaStatusSchema = z.object({
  host: z.string(),
  reachable: z.boolean(),
  version: z.string().nullable(),
  error: ErrorPayloadSchema.nullable(),
  checkedAt: z.number(),
});
export type OllamaStatus = z.infer<typeof OllamaStatusSchema>;

export const SettingsSchema = z.object({
  ollamaHost: z.string().url(),
  defaultModel: z.string().nullable(),
  numCtx: z.number().int().min(512).max(1_048_576),
  /** Tasks running at once in this process. */
  maxConcurrentTasks: z.number().int().min(1).max(64),
  /** Generations running at once per model (Ollama serialises a model's requests anyway). */
  maxConcurrentPerModel: z.number().int().min(1).max(64),
  /** Attempts per task for transient faults (Ollama unreachable, 5xx, dropped stream). */
  maxAttempts: z.number().int().min(1).max(20),
  /** Further Ollama hosts (e.g. a GPU box on the LAN); tasks are routed to a host that has their model. */
  extraOllamaHosts: z.array(z.string().url()).max(8),
  /** As set on the Ollama server (OLLAMA_KV_CACHE_TYPE / OLLAMA_FLASH_ATTENTION): used for memory estimates. */
  kvCacheType: z.enum(['f16', 'q8_0', 'q4_0']),
  flashAttention: z.boolean(),
  /** Build pipeline: a model per role (null: the task's model), tried before the fallbacks. */
  roleModels: RoleModelsSchema,
  /** Build pipeline: fix → test rounds before a build fails with the last test report. */
  maxFixRounds: z.number().int().min(0).max(10),
  /** Reuse a stored answer for an identical model call (same model digest, messages, options). */
  llmCache: z.boolean(),
  /** Model output: a file longer than this is cut here and marked truncated (bytes). */
  maxFileBytes: z.number().int().min(1024).max(2 ** 31),
  /** Model output: all files of one task together; past this the task stops with OUTPUT_TOO_LARGE (bytes). */
  maxTaskOutputBytes: z.number().int().min(1024).max(2 ** 33),
  /** Ollama stopped or restarting: minutes a task waits for it (trying again with backoff) before it fails; 0: no waiting. */
  ollamaWaitMinutes: z.number().min(0).max(240),
  /** Per model: false turns its reasoning off (Ollama `think: false`; gpt-oss thinks "low"). A model not listed thinks. */
  thinkingModels: z.record(z.string(), z.boolean()),
  /** Minutes Ollama keeps a model loaded after a build's call (sent as keep_alive), so steps and turns find it loaded; -1: until Ollama stops. */
  keepAliveMinutes: z.number().int().min(-1).max(24 * 60),
  /** Build pipeline: a build stops after its plan until the user approves it (as is or edited); captured per task when it is made. */
  reviewPlansFirst: z.boolean(),
});
export type Settings = z.infer<typeof SettingsSchema>;
/** Default caps on model output (Settings.maxFileBytes / maxTaskOutputBytes). */
export const DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024;
export const DEFAULT_MAX_TASK_OUTPUT_BYTES = 200 * 1024 * 1024;
