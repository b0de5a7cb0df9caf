// /v1/projects: what a user works on, turn after turn (issue 11). Thin, like the task
// routes: parse → engine.invoke → shape. Versions, restore and the zip: project-version-routes.ts.
import { z } from 'zod';
import type { Task } from '../../../shared/index.js';
import { fieldErrors } from '../../../shared/index.js';
import { call, type RestEngine } from './engine-api.js';
import { invalidInput, readJsonBody, readOptionalJsonBody, sendJson } from './http.js';
import { parseNewProjectBody, parseProjectPatch, parseTurnBody, type TurnParams } from './project-body.js';
import { projectView, versionView } from './project-view.js';
import type { Route } from './router.js';
import { createdView, parseQuery } from './task-routes.js';
import { taskSummary } from './task-view.js';

const ListQuery = z
  .object({
    /** Matches the name or the folder (case-insensitive). */
    q: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(5000).optional(),
  })
  .strict();

export const LocateBody = z.object({ path: z.string().min(1).max(4096) }).strict();

const DeleteQuery = z.object({ delete_files: z.enum(['true', 'false']).optional() }).strict();

/** The tree's files in GET /v1/projects/{id}; a larger project says files_truncated. */
const FILES_LISTED = 10_000;

const projectPath = (id: string) => `/v1/projects/${encodeURIComponent(id)}`;

async function queueTurn(engine: RestEngine, projectId: string, turn: TurnParams): Promise<Task> {
  return (await call(engine, 'tasks.create', { ...turn, projectId })).task;
}

/** The folder's files as the tree lists them (.gitignore-aware), or null when the folder is gone. */
async function filesOf(engine: RestEngine, root: string, folderMissing: boolean) {
  if (folderMissing) return { files: null, truncated: false };
  const tree = await call(engine, 'workspaces.tree', { root });
  const files = tree.entries.filter((e) => e.kind === 'file');
  return { files: files.slice(0, FILES_LISTED).map((f) => ({ path: f.path, size: f.size })), truncated: tree.truncated || files.length > FILES_LISTED };
}

export function projectRoutes(engine: RestEngine): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/v1/projects',
      access: 'write',
      async handle({ req, res }) {
        const body = parseNewProjectBody(await readJsonBody(req));
        if (body.shape === 'folder') {
          const { project } = await call(engine, 'projects.create', { folder: body.folder, name: body.name });
          sendJson(res, 201, { project: projectView(project) }, { location: projectPath(project.id) });
          return;
        }
        // A TaskV1.1 body naming a repository works in it: the folder's project (made if new).
        const { project } = await call(engine, 'projects.create', body.repoPath ? { folder: body.repoPath, name: body.name } : { name: body.name });
        let task: Task;
        try {
          task = await queueTurn(engine, project.id, body.turn);
        } catch (err) {
          // Nothing half-made: a new, empty project whose first turn was refused goes again (never a user's folder).
          if (!body.repoPath) await call(engine, 'projects.delete', { projectId: project.id, deleteFiles: true }).catch(() => undefined);
          throw err;
        }
        const { project: now } = await call(engine, 'projects.get', { projectId: project.id });
        sendJson(res, 201, { project: projectView(now), task: createdView(engine, task) }, { location: projectPath(project.id) });
      },
    },
    {
      method: 'GET',
      pattern: '/v1/projects',
      access: 'read',
      async handle({ res, url }) {
        const { q, limit } = parseQuery(ListQuery, url);
        const { projects } = await call(engine, 'projects.list', { query: q, limit });
        sendJson(res, 200, { projects: projects.map(projectView) });
      },
    },
    {
      method: 'GET',
      pattern: '/v1/projects/:id',
      access: 'read',
      async handle({ res, params }) {
        const { project, turns } = await call(engine, 'projects.get', { projectId: params.id });
        // A folder that went missing still shows its project (Locate… or Forget), as the app does.
        const noVersions = (err: unknown) => {
          if (!project.folderMissing) throw err;
          return { versions: [], backend: null, notice: (err as Error).message };
        };
        const [versions, files] = await Promise.all([
          call(engine, 'projects.versions', { projectId: project.id }).catch(noVersions),
          filesOf(engine, project.root, project.folderMissing),
        ]);
        const now = Date.now();
        sendJson(res, 200, {
          project: projectView(project),
          turns: turns.map((t) => taskSummary(t, now)),
          versions: versions.versions.map(versionView),
          versions_backend: versions.backend,
          versions_notice: versions.notice,
          files: files.files,
          files_truncated: files.truncated,
        });
      },
    },
    {
      method: 'PATCH',
      pattern: '/v1/projects/:id',
      access: 'write',
      async handle({ req, res, params }) {
        const patch = parseProjectPatch(await readJsonBody(req));
        const { project } = await call(engine, 'projects.update', { projectId: params.id, ...patch });
        sendJson(res, 200, { project: projectView(project) });
      },
    },
    {
      method: 'DELETE',
      pattern: '/v1/projects/:id',
      access: 'write',
      async handle({ res, url, params }) {
        const { delete_files } = parseQuery(DeleteQuery, url);
        const result = await call(engine, 'projects.delete', { projectId: params.id, deleteFiles: delete_files === 'true' });
        sendJson(res, 200, { project_id: params.id, deleted: result.deleted, files_deleted: result.filesDeleted });
      },
    },
    {
      // add-step: the next turn of the project, queued behind any turn before it.
      method: 'POST',
      pattern: '/v1/projects/:id/turns',
      access: 'write',
      async handle({ req, res, params }) {
        const turn = parseTurnBody(await readJsonBody(req), params.id);
        // Named here, before anything is queued: a turn for a deleted project is a 404 naming it.
        await call(engine, 'projects.get', { projectId: params.id });
        const task = await queueTurn(engine, params.id, turn);
        sendJson(res, 202, createdView(engine, task), { location: `/v1/tasks/${encodeURIComponent(task.id)}` });
      },
    },
    {
      // An opened folder that moved: point its project at the new path (checked like an open).
      method: 'POST',
      pattern: '/v1/projects/:id/locate',
      access: 'write',
      async handle({ req, res, params }) {
        const body = LocateBody.safeParse(await readJsonBody(req));
        if (!body.success) throw invalidInput('Say where the folder is now, e.g. {"path": "/home/me/app"}.', fieldErrors(body.error.issues));
        const { project } = await call(engine, 'projects.locate', { projectId: params.id, path: body.data.path });
        sendJson(res, 200, { project: projectView(project) });
      },
    },
    ...(['pause', 'resume'] as const).map(
      (action): Route => ({
        method: 'POST',
        pattern: `/v1/projects/:id/${action}`,
        access: 'write',
        async handle({ req, res, params }) {
          await readOptionalJsonBody(req); // nothing to say; a body is read (and must be JSON) so curl -d '{}' works too
          const { project } = await call(engine, action === 'pause' ? 'projects.pause' : 'projects.resume', { projectId: params.id });
          sendJson(res, 200, { project: projectView(project) });
        },
      }),
    ),
  ];
}
