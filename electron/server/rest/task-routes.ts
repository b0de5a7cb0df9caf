import crypto from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { MethodParams, Task } from '../../../shared/index.js';
import { TaskActionBodySchema, TaskStatusSchema, fieldErrors, parseTaskBody, taskSpecToPrompt, toErrorPayload, type ParsedTaskBody } from '../../../shared/index.js';
import { streamTokenFor } from './auth.js';
import { call, type RestEngine } from './engine-api.js';
import { RestError, invalidInput, readJsonBody, sendJson } from './http.js';
import { resolveRepoPath } from './repo-path.js';
import { sendReplay } from './step-routes.js';
import type { Route } from './router.js';
import { EVENTS_PAGE_DEFAULT, EVENTS_PAGE_MAX, writeEventsPage } from './events-page.js';
import { compactStep } from './step-view.js';
import { taskDetail, taskSnapshot, taskSummary } from './task-view.js';

/** Both body shapes become one tasks.create call; the spec travels along in metadata for the pipeline. */
export function toCreateParams(parsed: ParsedTaskBody): MethodParams<'tasks.create'> {
  if (parsed.shape === 'spec') {
    const { spec } = parsed;
    return {
      prompt: taskSpecToPrompt(spec),
      model: spec.model,
      priority: spec.priority,
      kind: 'build',
      metadata: { mode_hint: 'build', spec },
      ...(spec.project_id ? { projectId: spec.project_id } : {}),
      ...(spec.task_id ? { taskId: spec.task_id } : {}),
    };
  }
  const { prompt, model, priority, metadata, project_id, task_id } = parsed.body;
  const modeHint = metadata?.mode_hint ?? 'chat';
  return {
    prompt,
    model,
    priority,
    kind: modeHint,
    metadata: { ...metadata, mode_hint: modeHint },
    ...(project_id ? { projectId: project_id } : {}),
    ...(task_id ? { taskId: task_id } : {}),
  };
}

/** Where a client-id task keeps the fingerprint of the request that made it. */
const FINGERPRINT_KEY = 'client_request_sha256';

/** JSON with sorted keys: the same request written with its keys in another order is the same request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What makes two requests with one client id "the same": the parsed body, its id left out. */
function requestFingerprint(parsed: ParsedTaskBody): string {
  const body = parsed.shape === 'spec' ? parsed.spec : parsed.body;
  const { task_id: _id, ...rest } = body;
  return crypto.createHash('sha256').update(`${parsed.shape}\n${canonicalJson(rest)}`).digest('hex');
}

/**
 * The task a client id already names, when it was made from this same request; null when
 * no task has the id. Another request under the id is a 409 that names it.
 */
async function sameRequestTask(engine: RestEngine, taskId: string, fingerprint: string): Promise<Task | null> {
  const found = await call(engine, 'tasks.get', { taskId }).catch((err: unknown) => {
    if (toErrorPayload(err).code === 'TASK_NOT_FOUND') return null;
    throw err;
  });
  if (!found) return null;
  if (found.task.metadata?.[FINGERPRINT_KEY] === fingerprint) return found.task;
  const message = `The task id ${taskId} is already used by a task made from a different request. Send that request again to get its task, or choose a new id.`;
  throw new RestError(409, 'TASK_ID_TAKEN', message, { task_id: taskId, fields: [{ path: 'task_id', message }] });
}

function isTaskAction(raw: unknown): raw is Record<string, unknown> {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw) && 'action' in raw;
}

/** {"action": "replay_step", "task_id", "step_id": "implement@v1", "reason"} → the step's replay (202). */
async function replayAction(engine: RestEngine, res: ServerResponse, raw: Record<string, unknown>): Promise<void> {
  const parsed = TaskActionBodySchema.safeParse(raw);
  if (!parsed.success) throw invalidInput(`Invalid action: ${parsed.error.issues.length} problem(s).`, fieldErrors(parsed.error.issues));
  const { task_id, step_id, reason, cascade, use_cache } = parsed.data;
  await sendReplay(engine, res, task_id, step_id.step, { version: step_id.version, cascade, use_cache, reason });
}

const ListQuery = z
  .object({
    status: TaskStatusSchema.optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
  })
  .strict();

const EventsQuery = z
  .object({
    since: z.coerce.number().int().min(0).optional(),
    limit: z.coerce.number().int().min(1).max(EVENTS_PAGE_MAX).optional(),
  })
  .strict();

/** Query strings are validated like bodies: every bad parameter is named (an unknown one as itself, not as "(body)"). */
export function parseQuery<T extends z.ZodType>(schema: T, url: URL): z.output<T> {
  const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((issue) => {
    if (issue.code !== 'unrecognized_keys') return fieldErrors([issue])[0];
    const s = issue.keys.length === 1 ? '' : 's';
    return { path: '(query)', message: `Unknown query parameter${s}: ${issue.keys.join(', ')}.` };
  });
  throw invalidInput('Invalid query parameters.', fields);
}

/** The task's SSE credential (auth.ts); only ever handed to a caller that holds the key or the UI token. */
export function streamToken(engine: RestEngine, taskId: string): string {
  return streamTokenFor(engine.apiKey().apiKey, taskId);
}

/** What POST /v1/tasks, POST /v1/projects and POST …/turns say about the task they queued. */
export function createdView(engine: RestEngine, task: Task) {
  return {
    task_id: task.id,
    project_id: task.projectId,
    status: task.status,
    kind: task.kind,
    model: task.model,
    // For an EventSource (no headers) to follow this task on /v1/stream/{id}?stream_token=.
    stream_token: streamToken(engine, task.id),
  };
}

export function taskRoutes(engine: RestEngine): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/v1/tasks',
      access: 'write',
      async handle({ req, res }) {
        const raw = await readJsonBody(req);
        // Agent-MVP sends its step replays to the same endpoint as its tasks.
        if (isTaskAction(raw)) return replayAction(engine, res, raw);
        const parsed = parseTaskBody(raw);
        if (!parsed.ok) throw invalidInput(`Invalid task: ${parsed.fields.length} problem(s).`, parsed.fields);
        const params = toCreateParams(parsed.value);
        const clientId = params.taskId;
        const fingerprint = requestFingerprint(parsed.value);
        if (clientId) {
          // The same request again (a client retrying) gets the task it made, not a second one.
          const existing = await sameRequestTask(engine, clientId, fingerprint);
          if (existing) return sendJson(res, 200, createdView(engine, existing), { location: `/v1/tasks/${existing.id}` });
          params.metadata = { ...params.metadata, [FINGERPRINT_KEY]: fingerprint };
        }
        // A TaskV1.1 body naming an existing repository works in it (checked like a folder opened in the app); ./workspace is a new project.
        const repoPath = resolveRepoPath(parsed.value.shape === 'spec' ? parsed.value.spec.input.repo?.path : undefined);
        if (repoPath && params.projectId) {
          const message = 'Give input.repo.path or project_id, not both: a project already has its folder.';
          throw invalidInput(message, [{ path: 'project_id', message }]);
        }
        if (repoPath) {
          const opened = await call(engine, 'workspaces.open', { path: repoPath }).catch((err: unknown) => {
            const message = (err as { message?: string }).message ?? String(err);
            throw invalidInput(`input.repo.path: ${message}`, [{ path: 'input.repo.path', message }]);
          });
          params.workspace = opened.workspace.root;
        }
        const task = await call(engine, 'tasks.create', params).then(
          (created) => created.task,
          async (err: unknown) => {
            // Two copies of one request at once: the one that lost the race answers like a retry.
            const raced = clientId && toErrorPayload(err).code === 'TASK_ID_TAKEN' ? await sameRequestTask(engine, clientId, fingerprint) : null;
            if (raced) return { ...raced, replayed: true as const };
            throw err;
          },
        );
        sendJson(res, 'replayed' in task ? 200 : 201, createdView(engine, task), { location: `/v1/tasks/${task.id}` });
      },
    },
    {
      method: 'GET',
      pattern: '/v1/tasks',
      access: 'read',
      async handle({ res, url }) {
        const query = parseQuery(ListQuery, url);
        const { tasks } = await call(engine, 'tasks.list', query);
        const now = Date.now();
        sendJson(res, 200, { tasks: tasks.map((t) => taskSummary(t, now)) });
      },
    },
    {
      method: 'GET',
      pattern: '/v1/tasks/:id',
      access: 'read',
      async handle({ res, params }) {
        const { task } = await call(engine, 'tasks.get', { taskId: params.id });
        // Build tasks carry their step timeline (GET …/steps has the full rows).
        const steps = task.kind === 'build' ? (await call(engine, 'tasks.steps', { taskId: task.id })).steps.map(compactStep) : undefined;
        sendJson(res, 200, { ...taskDetail(task, steps), stream_token: streamToken(engine, task.id) });
      },
    },
    {
      method: 'POST',
      pattern: '/v1/tasks/:id/cancel',
      access: 'write',
      async handle({ res, params }) {
        const { task } = await call(engine, 'tasks.cancel', { taskId: params.id });
        sendJson(res, 200, taskSnapshot(task));
      },
    },
    {
      method: 'POST',
      pattern: '/v1/tasks/:id/retry',
      access: 'write',
      async handle({ res, params }) {
        const { task } = await call(engine, 'tasks.retry', { taskId: params.id });
        sendJson(res, 200, taskSnapshot(task));
      },
    },
    {
      // The stored event log as JSON (the SSE stream's source), for `macs show --events` and debugging.
      method: 'GET',
      pattern: '/v1/tasks/:id/events',
      access: 'read',
      async handle({ res, url, params }) {
        const { since = 0, limit = EVENTS_PAGE_DEFAULT } = parseQuery(EventsQuery, url);
        const { events, lastSeq } = await call(engine, 'tasks.events', { taskId: params.id, sinceSeq: since, limit });
        await writeEventsPage(res, since, events, lastSeq);
      },
    },
  ];
}
