// The build pipeline's steps: GET /v1/tasks/{id}/steps, GET /v1/tasks/{id}/steps/{step}/v{N}
// and POST /v1/tasks/{id}/steps/{step}/replay.
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { StepName, StepRecord, StepRef, TestReport } from '../../../shared/index.js';
import { STEP_NAMES, fieldErrors, parseStepRef, toErrorPayload } from '../../../shared/index.js';
import { call, type RestEngine } from './engine-api.js';
import { RestError, invalidInput, readOptionalJsonBody, sendJson } from './http.js';
import type { Route } from './router.js';
import { findTestReport, stepView } from './step-view.js';
import { streamToken } from './task-routes.js';

/** POST …/replay: every field optional; an empty body is `{}`. */
export const ReplayBodySchema = z
  .object({
    /** Which stored version's context to re-run; default the latest. */
    version: z.number().int().positive().optional(),
    /** Also re-run every step after it. */
    cascade: z.boolean().optional(),
    /** false: ask the model again even where the LLM cache has the answer. */
    use_cache: z.boolean().optional(),
  })
  .strict();
export type ReplayBody = z.output<typeof ReplayBodySchema>;

/** A step in a URL: ours, or an Agent-MVP name (design = plan), optionally "step@vN". */
export function parseStepRefParam(raw: string): StepRef {
  const ref = parseStepRef(raw);
  if (!ref) throw invalidInput(`There is no step "${raw}".`, [{ path: 'step', message: `must be one of ${STEP_NAMES.join(', ')} (or design = plan), optionally step@vN` }]);
  return ref;
}

export function parseStepParam(raw: string): StepName {
  return parseStepRefParam(raw).step;
}

/** `v3` (as the artifacts are named: test@v3) or plain `3`. */
export function parseVersionParam(raw: string): number {
  const m = /^v?([1-9]\d{0,8})$/.exec(raw);
  if (!m) throw invalidInput(`"${raw}" is not a step version.`, [{ path: 'version', message: 'must be vN or N, a whole number ≥ 1 (e.g. v2)' }]);
  return Number(m[1]);
}

export function parseReplayBody(raw: unknown): ReplayBody {
  const parsed = ReplayBodySchema.safeParse(raw ?? {});
  if (!parsed.success) throw invalidInput(`Invalid replay request: ${parsed.error.issues.length} problem(s).`, fieldErrors(parsed.error.issues));
  return parsed.data;
}

/**
 * The engine refuses a replay the task's state does not allow: still running (INVALID_INPUT
 * with the task's status in details) or a chat task (NOT_SUPPORTED). Both are conflicts
 * with the task, not malformed requests: 409, like a zip of a running task.
 */
export function replayConflict(err: unknown): unknown {
  const payload = toErrorPayload(err);
  const running = payload.code === 'INVALID_INPUT' && typeof payload.details?.status === 'string';
  if (running || payload.code === 'NOT_SUPPORTED') return new RestError(409, payload.code, payload.message, payload.details);
  return err;
}

/** Test steps' reports live in their artifacts; any other step has none. */
async function reportOf(engine: RestEngine, s: StepRecord): Promise<TestReport | null> {
  if (s.step !== 'test') return null;
  try {
    const { artifact } = await call(engine, 'tasks.stepArtifact', { taskId: s.taskId, step: s.step, version: s.version });
    return findTestReport(artifact);
  } catch {
    // An unreadable artifact leaves the row as it is; GET …/steps/test/vN reports the error itself.
    return null;
  }
}

export function stepRoutes(engine: RestEngine): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/v1/tasks/:id/steps',
      access: 'read',
      async handle({ res, params }) {
        const { steps } = await call(engine, 'tasks.steps', { taskId: params.id });
        const now = Date.now();
        const views = await Promise.all(steps.map(async (s) => stepView(s, await reportOf(engine, s), now)));
        sendJson(res, 200, { task_id: params.id, steps: views });
      },
    },
    {
      method: 'GET',
      pattern: '/v1/tasks/:id/steps/:step/:version',
      access: 'read',
      async handle({ res, params }) {
        const step = parseStepParam(params.step);
        const version = parseVersionParam(params.version);
        const result = await call(engine, 'tasks.stepArtifact', { taskId: params.id, step, version });
        // The artifact is sent as the engine stored it (prompt messages, options, output …).
        sendJson(res, 200, { step: stepView(result.step, findTestReport(result.artifact)), artifact: result.artifact });
      },
    },
    {
      method: 'POST',
      pattern: '/v1/tasks/:id/steps/:step/replay',
      access: 'write',
      async handle({ req, res, params }) {
        const ref = parseStepRefParam(params.step);
        const body = parseReplayBody(await readOptionalJsonBody(req));
        if (ref.version !== undefined && body.version !== undefined && ref.version !== body.version) {
          const message = `The URL names ${ref.step}@v${ref.version} and the body version ${body.version}; give the version once.`;
          throw invalidInput(message, [{ path: 'version', message }]);
        }
        await sendReplay(engine, res, params.id, ref.step, { ...body, version: body.version ?? ref.version });
      },
    },
  ];
}

/**
 * Re-runs one step and answers 202 with what is re-run: POST …/steps/{step}/replay, and
 * Agent-MVP's {"action": "replay_step"} on POST /v1/tasks.
 */
export async function sendReplay(engine: RestEngine, res: ServerResponse, taskId: string, step: StepName, body: ReplayBody & { reason?: string }): Promise<void> {
  // Say which version is re-run even when the caller left it to the engine (the latest).
  const version = body.version ?? (await latestVersion(engine, taskId, step));
  const { task } = await call(engine, 'tasks.replayStep', {
    taskId,
    step,
    version: body.version,
    cascade: body.cascade,
    useCache: body.use_cache,
    ...(body.reason ? { reason: body.reason } : {}),
  }).catch((err: unknown) => {
    throw replayConflict(err);
  });
  sendJson(
    res,
    202,
    {
      task_id: task.id,
      status: task.status,
      replay: { step, version: version ?? null, cascade: body.cascade ?? false, use_cache: body.use_cache ?? true, ...(body.reason ? { reason: body.reason } : {}) },
      stream_token: streamToken(engine, task.id),
    },
    { location: `/v1/tasks/${encodeURIComponent(task.id)}` },
  );
}

async function latestVersion(engine: RestEngine, taskId: string, step: StepName): Promise<number | undefined> {
  const { steps } = await call(engine, 'tasks.steps', { taskId });
  const versions = steps.filter((s) => s.step === step).map((s) => s.version);
  return versions.length > 0 ? Math.max(...versions) : undefined;
}
