// The OpenAPI 3.1 document of this API (GET /v1/openapi.json), built from what the server runs:
// the paths and methods from the route table, each request body and query from the zod schema
// its route validates with (z.toJSONSchema, JSON Schema 2020-12, which OpenAPI 3.1 uses as is).
// Only the prose (a summary per route, what the answer is) is written here.
import { z } from 'zod';
import { ErrorPayloadSchema, FeedbackBodySchema, SimpleTaskBodySchema, TaskActionBodySchema, TaskSpecV1Schema } from '../../../shared/index.js';
import { ProjectPatchSchema } from './project-body.js';
import { LocateBody } from './project-routes.js';
import { ProviderKeyBody, ProvidersPatchBody } from './provider-routes.js';
import { RestoreBody } from './project-version-routes.js';
import type { Route } from './router.js';
import { ReplayBodySchema } from './step-routes.js';
import { PathBody } from './task-change-routes.js';
import { ApprovePlanBody } from './plan-routes.js';

/** What a route takes and gives, beyond its method and path. */
interface OperationDoc {
  summary: string;
  /** Request bodies the route accepts (more than one: oneOf). */
  body?: readonly (keyof typeof BODY_SCHEMAS)[];
  /** The success status and what it carries. */
  ok?: { status?: number; type?: 'json' | 'sse' | 'zip' | 'text' | 'html'; description?: string };
}

/** The schemas routes validate bodies with, under the names the document gives them. */
const BODY_SCHEMAS = {
  SimpleTaskBody: SimpleTaskBodySchema,
  TaskSpecV1: TaskSpecV1Schema,
  TaskAction: TaskActionBodySchema,
  Feedback: FeedbackBodySchema,
  ReplayBody: ReplayBodySchema,
  ProjectPatch: ProjectPatchSchema,
  FolderPath: LocateBody,
  Restore: RestoreBody,
  FilePath: PathBody,
  ApprovePlan: ApprovePlanBody,
  ProvidersPatch: ProvidersPatchBody,
  ProviderKey: ProviderKeyBody,
} as const;

const DOCS: Record<string, OperationDoc> = {
  'POST /v1/tasks': {
    summary: 'Queue a task: a prompt, a TaskV1.1 spec, or an action such as replay_step',
    body: ['SimpleTaskBody', 'TaskSpecV1', 'TaskAction'],
    ok: { status: 201, description: '{task_id, status, kind, model, stream_token}' },
  },
  'GET /v1/tasks': { summary: 'List tasks (?status=, ?limit=)' },
  'GET /v1/tasks/:id': { summary: 'A task: status, timings, files, stream_token (a build task also its steps)' },
  'POST /v1/tasks/:id/cancel': { summary: 'Cancel a task' },
  'POST /v1/tasks/:id/retry': { summary: 'Run a finished task again' },
  'GET /v1/tasks/:id/events': { summary: 'The stored event log, a page at a time (?since=, ?limit=)' },
  'GET /v1/stream/:id': { summary: 'Server-Sent Events: named events (delta, step, file, status, usage, log, …, done) and the answer text as unnamed messages', ok: { type: 'sse' } },
  'GET /v1/tasks/:id/final': { summary: 'The last attempt’s answer, files and zip_url' },
  'GET /v1/tasks/:id/zip': { summary: 'The task’s files as a zip, made for this download', ok: { type: 'zip' } },
  'GET /zips/:filename': { summary: 'The zip kept for a finished task: <task_id>.zip', ok: { type: 'zip' } },
  'GET /v1/tasks/:id/steps': { summary: 'A build task’s step attempts' },
  'GET /v1/tasks/:id/steps/:step/:version': { summary: 'One step attempt with its stored artifact' },
  'POST /v1/tasks/:id/steps/:step/replay': { summary: 'Re-run a step of a finished build task', body: ['ReplayBody'], ok: { status: 202 } },
  'POST /v1/feedback': { summary: 'Rate a task (-1/1, or 1–5 with scale 5)', body: ['Feedback'], ok: { status: 201 } },
  'POST /v1/tasks/:id/revert': { summary: 'Take back what a turn did to one file', body: ['FilePath'] },
  'POST /v1/tasks/:id/accept': { summary: 'Keep what a turn did to one file', body: ['FilePath'] },
  'GET /v1/tasks/:id/changes': { summary: 'What a turn changed in its folder, with diffs' },
  'POST /v1/tasks/:id/undo': { summary: 'Undo every change of a turn' },
  'GET /v1/tasks/:id/plan': { summary: 'The plan a build waits with for your approval (Settings → review plans first): waiting, plan_version, plan' },
  'POST /v1/tasks/:id/plan/approve': { summary: 'Approve the waiting plan as shown (no body) or edited ({"plan": …}); the build goes on', body: ['ApprovePlan'] },
  'POST /v1/projects': { summary: 'Start a project from a prompt, a TaskV1.1 body or {folder}', ok: { status: 201 } },
  'GET /v1/projects': { summary: 'Projects, pinned first (?q=, ?limit=)' },
  'GET /v1/projects/:id': { summary: 'A project with its turns, versions and files' },
  'PATCH /v1/projects/:id': { summary: 'Rename or pin a project', body: ['ProjectPatch'] },
  'DELETE /v1/projects/:id': { summary: 'Forget a project (?delete_files=true also deletes a generated project’s files)' },
  'POST /v1/projects/:id/turns': { summary: 'The project’s next turn', body: ['SimpleTaskBody', 'TaskSpecV1'], ok: { status: 202 } },
  'POST /v1/projects/:id/locate': { summary: 'Point an opened folder’s project at where the folder is now', body: ['FolderPath'] },
  'GET /v1/projects/:id/versions': { summary: 'A project’s versions' },
  'GET /v1/projects/:id/versions/:version/diff': { summary: 'One version’s files, before and after' },
  'POST /v1/projects/:id/restore': { summary: 'Restore a version as a new one', body: ['Restore'] },
  'POST /v1/projects/:id/undo': { summary: 'Back to the version before the last turn' },
  'GET /v1/projects/:id/zip': { summary: 'The project as a zip (?version=)', ok: { type: 'zip' } },
  'GET /v1/models': { summary: 'Installed models with their fit on this machine' },
  'GET /v1/providers': { summary: 'Model providers: mode, local_only, each provider (Ollama first) with key_source and a masked key_hint, routing' },
  'PATCH /v1/providers': { summary: 'Change the mode, local_only, the providers (the whole list) or routing (CONFIG_INVALID names the field)', body: ['ProvidersPatch'] },
  'PUT /v1/providers/:id/key': { summary: 'Store a provider’s key (OS keychain, or a 0600 file after allow_plaintext); it never comes back', body: ['ProviderKey'] },
  'DELETE /v1/providers/:id/key': { summary: 'Forget a provider’s stored key' },
  'GET /v1/providers/status': { summary: 'Each provider’s reachability (?refresh=true)' },
  'GET /v1/providers/:id/models': { summary: 'One provider’s models with context sizes from its server (?refresh=true)' },
  'GET /v1/providers/config.yaml': { summary: 'The provider configuration as Software Maker’s YAML (no keys)', ok: { type: 'text', description: 'text/yaml' } },
  'PUT /v1/providers/config.yaml': { summary: 'Replace the provider configuration from Software Maker’s YAML (the body, text/yaml); keys in it are refused' },
  'GET /health': { summary: 'Whether MACS is up (with a credential: Ollama’s state too)' },
  'GET /metrics': { summary: 'Prometheus metrics', ok: { type: 'text' } },
  'GET /v1/openapi.json': { summary: 'This document' },
  'GET /docs': { summary: 'This document as a page (offline)', ok: { type: 'html' } },
};

const MEDIA = { json: 'application/json', sse: 'text/event-stream', zip: 'application/zip', text: 'text/plain', html: 'text/html' } as const;

type JsonSchema = Record<string, unknown>;

/** Request schemas as clients send them (io: input: defaults optional, transforms' inputs). */
function componentSchemas(): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(BODY_SCHEMAS)) registry.add(schema, { id });
  registry.add(z.object({ error: ErrorPayloadSchema }), { id: 'Error' });
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io: 'input',
    // A refinement or transform has no JSON Schema: its input type stands (the server still checks it).
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _dialect, $id: _id, ...schema }]) => [id, schema as JsonSchema]),
  );
}

const openApiPath = (pattern: string) => pattern.replace(/:([A-Za-z_]\w*)/g, '{$1}');

function operation(route: Route, doc: OperationDoc | undefined) {
  const params = [...route.pattern.matchAll(/:([A-Za-z_]\w*)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  const ok = doc?.ok ?? {};
  const media = MEDIA[ok.type ?? 'json'];
  const error = { description: 'A refusal: {error: {code, message, details?}}', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  const bodies = (doc?.body ?? []).map((name) => ({ $ref: `#/components/schemas/${name}` }));
  return {
    operationId: `${route.method.toLowerCase()}${route.pattern.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    summary: doc?.summary ?? `${route.method} ${openApiPath(route.pattern)}`,
    ...(params.length ? { parameters: params } : {}),
    ...(bodies.length ? { requestBody: { required: true, content: { 'application/json': { schema: bodies.length === 1 ? bodies[0] : { oneOf: bodies } } } } } : {}),
    // Public routes need nothing; every other one a credential (the SSE route also takes ?stream_token=).
    security: route.access === 'public' ? [] : route.access === 'stream' ? [{ apiKey: [] }, { bearer: [] }, { streamToken: [] }] : [{ apiKey: [] }, { bearer: [] }],
    responses: {
      [String(ok.status ?? 200)]: { description: ok.description ?? 'OK', content: { [media]: { schema: media === MEDIA.json ? { type: 'object' } : { type: 'string' } } } },
      default: error,
    },
  };
}

/** The whole document for these routes. */
export function buildOpenApi(routes: readonly Route[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const p = openApiPath(route.pattern);
    (paths[p] ??= {})[route.method.toLowerCase()] = operation(route, DOCS[`${route.method} ${route.pattern}`]);
  }
  return {
    openapi: '3.1.1',
    info: {
      title: 'MACS Desktop API',
      version: 'v1',
      description: 'The REST/SSE API of `macs serve`. Generated from the route table and the zod schemas the server validates with.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths,
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'The API key (Settings, <data dir>/api-key or MACS_API_KEY).' },
        bearer: { type: 'http', scheme: 'bearer', description: 'The API key, or the browser UI’s token (reads only).' },
        streamToken: { type: 'apiKey', in: 'query', name: 'stream_token', description: 'A task’s stream token, for its SSE route only.' },
      },
    },
  };
}
