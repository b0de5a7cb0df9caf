import type { StepRecord, Task, TaskFile } from '../../../shared/index.js';
import { parseModelRef } from '../../../shared/index.js';
import { mediaTypeOf } from '../export/index.js';

/**
 * The Unified Orchestrator's names for a job, kept beside ours in every manifest.json (its
 * clients read `job_id`, `started_at`, `provider`, `status`, `duration_s`). `provider` is the
 * one this run was pinned to (PROVIDER=), else the task's model's ("ollama" for a plain model
 * name); a build whose routes used several lists them all in the manifest's `providers`.
 * `duration_s` is measured to `now` while the task still runs.
 */
export function orchestratorFields(task: Task, status: string = task.status, now = Date.now()) {
  const end = task.finishedAt ?? now;
  return {
    job_id: task.id,
    started_at: task.startedAt === null ? null : new Date(task.startedAt).toISOString(),
    provider: typeof task.metadata?.providerOverride === 'string' ? task.metadata.providerOverride : parseModelRef(task.model).provider,
    status,
    duration_s: task.startedAt === null ? null : Math.max(0, end - task.startedAt) / 1000,
  };
}

/** A manifest's file entry: our names (size, mediaType) and the Unified Orchestrator's (size_bytes, media_type). */
export function manifestFile<T extends { path: string; size: number }>(file: T): T & { mediaType: string; size_bytes: number; media_type: string } {
  const mediaType = mediaTypeOf(file.path);
  return { ...file, mediaType, size_bytes: file.size, media_type: mediaType };
}

/**
 * The task's manifest: its files (sha256, size, media type), its steps (model, timings,
 * attempts, tokens) and how it ended. Written to artifacts/<task>/manifest.json when the
 * pipeline stops and again when the task ends (every task, chat included), and merged into
 * the zip's manifest.json on export.
 */
export function buildTaskManifest(task: Task, files: readonly TaskFile[], steps: readonly StepRecord[], finalStatus: string) {
  return {
    ...orchestratorFields(task, finalStatus),
    ...providersUsed(steps),
    task: { id: task.id, kind: task.kind, title: task.title, model: task.model, numCtx: task.numCtx, createdAt: new Date(task.createdAt).toISOString() },
    files: files
      .filter((f) => f.sha256 !== null)
      .map((f) => manifestFile({ path: f.path, size: f.size, sha256: f.sha256, state: f.state })),
    steps: pipelineSteps(steps),
  };
}
export function pipelineSteps(steps: readonly StepRecord[]) {
  return steps.map((s) => ({
    step: s.step,
    version: s.version,
    attempt: s.attempt,
    status: s.status,
    model: s.model,
    modelReason: s.modelReason,
    startedAt: new Date(s.startedAt).toISOString(),
    finishedAt: s.finishedAt === null ? null : new Date(s.finishedAt).toISOString(),
    durationMs: s.finishedAt === null ? null : s.finishedAt - s.startedAt,
    llmMs: Math.round(s.llmMs),
    commandMs: Math.round(s.commandMs),
    promptTokens: s.promptTokens,
    evalTokens: s.evalTokens,
    llmCalls: s.llmCalls,
    cachedCalls: s.cachedCalls,
    summary: s.summary,
    error: s.error,
    replayOf: s.replayOf,
  }));
}

/** Every provider a build's model calls went to, and whether any prompt left this machine (absent: no step recorded them). */
function providersUsed(steps: readonly StepRecord[]): { providers?: string[]; left_machine?: boolean } {
  const used = steps.flatMap((s) => s.usage?.providers ?? []);
  if (used.length === 0) return {};
  return { providers: [...new Set(used)], left_machine: steps.some((s) => s.usage?.leftMachine === true) };
}
