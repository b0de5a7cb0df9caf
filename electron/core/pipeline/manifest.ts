import type { StepRecord, Task, TaskFile } from '../../../shared/index.js';
import { mediaTypeOf } from '../export/index.js';

/**
 * The task's manifest: its files (sha256, size, media type), its steps (model, timings,
 * attempts, tokens) and how it ended. Written to artifacts/<task>/manifest.json when the
 * pipeline stops, and merged into the zip's manifest.json on export.
 */
export function buildTaskManifest(task: Task, files: readonly TaskFile[], steps: readonly StepRecord[], finalStatus: string) {
  return {
    task: { id: task.id, kind: task.kind, title: task.title, model: task.model, numCtx: task.numCtx, createdAt: new Date(task.createdAt).toISOString() },
    status: finalStatus,
    files: files
      .filter((f) => f.sha256 !== null)
      .map((f) => ({ path: f.path, size: f.size, sha256: f.sha256, mediaType: mediaTypeOf(f.path), state: f.state })),
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
