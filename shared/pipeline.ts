// The build pipeline's shared shapes: step names, the plan the model writes, a test
// report, and one stored step attempt. Pure: zod only.
import { z } from 'zod';
import { SmokeScenarioSchema } from './app-run.js';
import { ErrorPayloadSchema } from './errors.js';

/**
 * docs runs beside implement (both need only the plan). webcheck runs after the tests pass,
 * for a web project whose plan lists smoke scenarios: the web agent runs them in a browser.
 */
export const StepNameSchema = z.enum(['plan', 'implement', 'docs', 'test', 'webcheck', 'fix', 'review']);
export type StepName = z.infer<typeof StepNameSchema>;
export const STEP_NAMES = StepNameSchema.options;

/** The steps that call a model, each with its own model setting (docs uses implement's). */
export const PipelineRoleSchema = z.enum(['plan', 'implement', 'fix', 'review']);
export type PipelineRole = z.infer<typeof PipelineRoleSchema>;

export const RoleModelsSchema = z.object({
  plan: z.string().min(1).max(200).nullable(),
  implement: z.string().min(1).max(200).nullable(),
  fix: z.string().min(1).max(200).nullable(),
  review: z.string().min(1).max(200).nullable(),
});
export type RoleModels = z.infer<typeof RoleModelsSchema>;

const relPath = z.string().trim().min(1).max(500);

/**
 * What the plan step asks the model for, as JSON (sent to Ollama as `format` so the
 * model is held to it). Kept flat and small: local models fill flat schemas reliably.
 */
export const PlanSchema = z.object({
  summary: z.string().trim().min(1).max(4000),
  language: z.string().trim().min(1).max(100),
  files: z
    .array(z.object({ path: relPath, purpose: z.string().trim().max(1000) }))
    .min(1)
    .max(200),
  /** One shell command run in the project root; empty: the conventional one for the files. */
  test_command: z.string().trim().max(1000),
  acceptance: z.array(z.string().trim().min(1).max(1000)).max(50),
  /**
   * How to start the app (a web project: the command that serves it); empty: MACS works it out
   * from the files. Defaults keep plans stored before it, and models that leave it out, valid.
   */
  run_command: z.string().trim().max(1000).default(''),
  /** A web project's smoke scenarios in plain steps (shared/app-run.ts SmokeScenarioSchema); none for other projects. */
  scenarios: z.array(SmokeScenarioSchema).max(5).default([]),
});
/** As stored: a plan written before run_command and scenarios existed has neither (read them with `?? ''`, `?? []`). */
export type Plan = z.input<typeof PlanSchema>;

export const TestFailureSchema = z.object({
  name: z.string(),
  /** The assertion or error line, when the runner printed one. */
  message: z.string().nullable(),
  /** file:line when the output named one. */
  location: z.string().nullable(),
});
export type TestFailure = z.infer<typeof TestFailureSchema>;

export const TestReportSchema = z.object({
  command: z.array(z.string()),
  /** Which oracle level this run is (TaskV1.1 oracle.smoke / oracle.full), or the plan's own command. */
  level: z.enum(['plan', 'smoke', 'full', 'conventional', 'scenarios']),
  exitCode: z.number().int().nullable(),
  passed: z.boolean(),
  timedOut: z.boolean(),
  durationMs: z.number(),
  /** Counts when the runner printed a summary. */
  counts: z.object({ passed: z.number().int(), failed: z.number().int() }).nullable(),
  failures: z.array(TestFailureSchema),
  /** The part of the output that explains the failure (capped). */
  tail: z.string(),
});
export type TestReport = z.infer<typeof TestReportSchema>;

export const StepStatusSchema = z.enum(['running', 'succeeded', 'failed', 'cancelled']);
export type StepStatus = z.infer<typeof StepStatusSchema>;

/** Why Ollama loaded a model for a call (a load costs seconds; each one is shown in the Steps tab). */
export const ModelLoadReasonSchema = z.enum(['first-use', 'other-model', 'num-ctx-change', 'expired']);
export type ModelLoadReason = z.infer<typeof ModelLoadReasonSchema>;

export const ModelLoadSchema = z.object({
  model: z.string(),
  reason: ModelLoadReasonSchema,
  /** The model that was in use before (reason other-model). */
  previousModel: z.string().nullable(),
  numCtx: z.number().int(),
  ms: z.number(),
});
export type ModelLoad = z.infer<typeof ModelLoadSchema>;

/**
 * What a step's model calls cost, as Ollama reported it. Ollama's prompt_eval_count counts the
 * whole prompt, cached part included (llm/llama_server.go promptEvalCount = cache_n + prompt_n),
 * so `cachedTokens` is MACS's estimate: the share of the prompt that repeats the previous
 * call to the same model (the prefix llama.cpp keeps in its KV cache), 0 after a load.
 */
export const ModelUsageSchema = z.object({
  /** Prompt tokens sent (prompt_eval_count, summed). */
  promptTokens: z.number().int(),
  /** Of those, read from the model's cache rather than evaluated again (estimate, see above). */
  cachedTokens: z.number().int(),
  /** Tokens generated (eval_count, summed). */
  evalTokens: z.number().int(),
  loadMs: z.number(),
  promptEvalMs: z.number(),
  evalMs: z.number(),
  loads: z.array(ModelLoadSchema),
  /** The num_ctx the step's calls used (one per build; null: no model call). */
  numCtx: z.number().int().nullable(),
  /** The providers the step's calls went to ("ollama", "lmstudio"); absent for steps stored before providers. */
  providers: z.array(z.string()).optional(),
  /** A call of this step sent its prompt off this machine (a cloud provider). */
  leftMachine: z.boolean().optional(),
});
export type ModelUsage = z.infer<typeof ModelUsageSchema>;

/** One attempt of one step, as stored (the full prompt and output live in its artifact file). */
export const StepRecordSchema = z.object({
  id: z.number().int(),
  taskId: z.string(),
  step: StepNameSchema,
  /** step@vN: 1, 2, 3 … per step name within the task (a fix round or a replay is a new version). */
  version: z.number().int().positive(),
  /** The task attempt that ran it. */
  attempt: z.number().int(),
  status: StepStatusSchema,
  model: z.string().nullable(),
  /** Why this model: "role setting", "task model", "fallback: qwen2.5-coder:14b is not installed". */
  modelReason: z.string().nullable(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  /** Time in model calls and in commands; the rest is the pipeline's own overhead. */
  llmMs: z.number(),
  commandMs: z.number(),
  promptTokens: z.number().int(),
  evalTokens: z.number().int(),
  /** Calls answered from the LLM response cache. */
  cachedCalls: z.number().int(),
  llmCalls: z.number().int(),
  /** One line for the timeline: "4 files", "2 of 7 tests failed", "plan: 5 files, npm test". */
  summary: z.string(),
  error: ErrorPayloadSchema.nullable(),
  /** A replay: the version it re-ran. */
  replayOf: z.number().int().nullable(),
  /** Relative to the data dir: artifacts/<task>/<step>@vN.json. */
  artifact: z.string().nullable(),
  /** Model time in detail (cached/evaluated prompt tokens, loads); absent for steps stored before it was recorded. */
  usage: ModelUsageSchema.optional(),
});
export type StepRecord = z.infer<typeof StepRecordSchema>;

/** What the step event carries to the UI and SSE (the record without the bulky parts). */
export const StepEventDataSchema = z.object({
  step: StepNameSchema,
  version: z.number().int(),
  phase: z.enum(['start', 'end']),
  status: StepStatusSchema,
  model: z.string().nullable().optional(),
  modelReason: z.string().nullable().optional(),
  summary: z.string().optional(),
  durationMs: z.number().optional(),
  error: ErrorPayloadSchema.optional(),
  /** test steps: the report. */
  report: TestReportSchema.optional(),
  replayOf: z.number().int().nullable().optional(),
  /** end events of steps that called a model. */
  usage: ModelUsageSchema.optional(),
});
export type StepEventData = z.infer<typeof StepEventDataSchema>;
