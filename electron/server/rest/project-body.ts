// The bodies of the project routes, parsed before anything is made: POST /v1/projects (a
// prompt, a TaskV1.1 body or a folder), POST /v1/projects/{id}/turns (a prompt or a TaskV1.1
// body), PATCH /v1/projects/{id}. A prompt or a spec goes through the same parser as
// POST /v1/tasks (shared/task-spec.ts), so a turn accepts exactly what a task does.
import { z } from 'zod';
import type { FieldError, MethodParams } from '../../../shared/index.js';
import { ModeHintSchema, ProjectModelOptionsSchema, fieldErrors, parseTaskBody } from '../../../shared/index.js';
import { invalidInput } from './http.js';
import { resolveRepoPath } from './repo-path.js';
import { toCreateParams } from './task-routes.js';

const NameSchema = z.string().trim().min(1, 'A project needs a name.').max(200);
const FolderSchema = z.string().min(1).max(4096).refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p), 'Give the folder as an absolute path.');

/** A turn to queue: tasks.create's params without the project (the route adds it). */
export type TurnParams = Omit<MethodParams<'tasks.create'>, 'projectId'>;

export type NewProjectBody =
  | { shape: 'folder'; folder: string; name?: string }
  /** repoPath: a TaskV1.1 body's input.repo.path, opened as the project's folder. */
  | { shape: 'turn'; turn: TurnParams; name?: string; repoPath?: string };

function isObject(raw: unknown): raw is Record<string, unknown> {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw);
}

function fail(what: string, fields: FieldError[]): never {
  throw invalidInput(`Invalid ${what}: ${fields.length} problem(s).`, fields);
}

/**
 * `kind` ("chat" | "build") beside a prompt is the short form of metadata.mode_hint; a
 * TaskV1.1 body is always a build. The rest is the task body, parsed as POST /v1/tasks does.
 */
function parseTurn(raw: Record<string, unknown>, what: string): { turn: TurnParams; repoPath?: string; projectId?: string } {
  const { kind, ...body } = raw;
  const isSpec = 'type' in body || 'input' in body;
  if (kind !== undefined) {
    const mode = ModeHintSchema.safeParse(kind);
    if (!mode.success) fail(what, [{ path: 'kind', message: 'Expected "chat" or "build".' }]);
    if (isSpec && mode.data !== 'build') fail(what, [{ path: 'kind', message: 'A TaskV1.1 body is a build; leave kind out or say "build".' }]);
    if (!isSpec) {
      const metadata = isObject(body.metadata) ? body.metadata : body.metadata === undefined ? {} : body.metadata;
      if (isObject(metadata)) body.metadata = { ...metadata, mode_hint: mode.data };
    }
  }
  const parsed = parseTaskBody(body);
  if (!parsed.ok) fail(what, parsed.fields);
  const { projectId, ...turn } = toCreateParams(parsed.value);
  const repoPath = resolveRepoPath(parsed.value.shape === 'spec' ? parsed.value.spec.input.repo?.path : undefined);
  return { turn, repoPath, projectId };
}

/** POST /v1/projects: `{"folder"}` opens a folder; anything else is the project's first turn. */
export function parseNewProjectBody(raw: unknown): NewProjectBody {
  if (!isObject(raw)) {
    fail('project', [{ path: '(body)', message: 'Expected a JSON object: {"prompt": ...}, a TaskV1.1 body {"type": "CODE", "input": {"goal": ...}}, or {"folder": "/abs/path"}.' }]);
  }
  const { name: rawName, ...rest } = raw;
  const name = rawName === undefined ? undefined : NameSchema.safeParse(rawName);
  if (name && !name.success) fail('project', fieldErrors(name.error.issues).map((f) => ({ ...f, path: 'name' })));
  if ('project_id' in rest) fail('project', [{ path: 'project_id', message: 'A new project has no id yet; add a turn to an existing one with POST /v1/projects/{id}/turns.' }]);
  if ('folder' in rest) {
    const { folder, ...extra } = rest;
    const others = Object.keys(extra);
    if (others.length > 0) fail('project', [{ path: '(body)', message: `A folder project takes only "folder" and "name"; send the first turn to POST /v1/projects/{id}/turns (unexpected: ${others.join(', ')}).` }]);
    const checked = FolderSchema.safeParse(folder);
    if (!checked.success) fail('project', fieldErrors(checked.error.issues).map((f) => ({ ...f, path: 'folder' })));
    return { shape: 'folder', folder: checked.data, name: name?.data };
  }
  const { turn, repoPath } = parseTurn(rest, 'project');
  return { shape: 'turn', turn, name: name?.data, repoPath };
}

/** POST /v1/projects/{id}/turns: a prompt or a TaskV1.1 body; a project_id in it must be this project's. */
export function parseTurnBody(raw: unknown, projectId: string): TurnParams {
  if (!isObject(raw)) fail('turn', [{ path: '(body)', message: 'Expected a JSON object: {"prompt": ...} or a TaskV1.1 body {"type": "CODE", "input": {"goal": ...}}.' }]);
  const parsed = parseTurn(raw, 'turn');
  if (parsed.projectId !== undefined && parsed.projectId !== projectId) {
    fail('turn', [{ path: 'project_id', message: `This turn is for project ${projectId} (the URL); the body names ${parsed.projectId}.` }]);
  }
  if (parsed.repoPath) fail('turn', [{ path: 'input.repo.path', message: 'A project already has its folder; leave input.repo out of a turn.' }]);
  return parsed.turn;
}

export const ProjectPatchSchema = z
  .object({ name: NameSchema.optional(), pinned: z.boolean().optional(), model_options: ProjectModelOptionsSchema.optional() })
  .strict()
  .refine((p) => p.name !== undefined || p.pinned !== undefined || p.model_options !== undefined, 'Say what to change: "name", "pinned", "model_options" or several.')
  .transform(({ model_options, ...rest }) => (model_options ? { ...rest, modelOptions: model_options } : rest));

export function parseProjectPatch(raw: unknown): z.output<typeof ProjectPatchSchema> {
  const parsed = ProjectPatchSchema.safeParse(raw);
  if (!parsed.success) fail('change', fieldErrors(parsed.error.issues));
  return parsed.data;
}

/** A version as the API names it: its number (1, 2, … or v2) or its id (a commit, a task id). */
export function parseVersionRef(raw: unknown, field = 'version'): { number: number } | { id: string } {
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 1) return { number: raw };
  if (typeof raw === 'string') {
    const m = /^v?([1-9]\d{0,8})$/.exec(raw.trim());
    if (m) return { number: Number(m[1]) };
    if (/^[\w.-]{1,128}$/.test(raw)) return { id: raw };
  }
  const message = 'Expected a version number (1, 2, … as GET /v1/projects/{id}/versions lists them) or a version id.';
  throw invalidInput(`Invalid ${field}.`, [{ path: field, message }]);
}
