// A project's versions on the REST API: the list, one version's diff, restore, undo of the
// last turn, and the zip of the project at a version.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { MacsError } from '../../../shared/index.js';
import { unifiedDiff } from './diff-text.js';
import { call, type RestEngine } from './engine-api.js';
import { invalidInput, readJsonBody, readOptionalJsonBody, sendJson, sendZip } from './http.js';
import { parseVersionRef } from './project-body.js';
import { versionFileView, versionView } from './project-view.js';
import type { Route } from './router.js';
import { parseQuery } from './task-routes.js';

const ZipQuery = z.object({ version: z.string().min(1).max(128).optional() }).strict();
export const RestoreBody = z.object({ version: z.union([z.number(), z.string()]) }).strict();

/** A version number (as the list shows it) or id → the id the engine takes; VERSION_NOT_FOUND when there is none. */
async function versionIdOf(engine: RestEngine, projectId: string, raw: unknown, field = 'version'): Promise<string> {
  const ref = parseVersionRef(raw, field);
  if ('id' in ref) return ref.id;
  const { versions } = await call(engine, 'projects.versions', { projectId });
  const found = versions.find((v) => v.number === ref.number);
  if (found) return found.id;
  const range = versions.length === 0 ? 'it has no versions yet' : `its versions are 1 to ${versions.length}`;
  throw new MacsError('VERSION_NOT_FOUND', `Project ${projectId} has no version ${ref.number}; ${range}.`, { projectId, version: ref.number });
}

export function projectVersionRoutes(engine: RestEngine): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/v1/projects/:id/versions',
      access: 'read',
      async handle({ res, params }) {
        const { versions, backend, notice } = await call(engine, 'projects.versions', { projectId: params.id });
        sendJson(res, 200, { project_id: params.id, versions: versions.map(versionView), backend, notice });
      },
    },
    {
      method: 'GET',
      pattern: '/v1/projects/:id/versions/:version/diff',
      access: 'read',
      async handle({ res, params }) {
        const versionId = await versionIdOf(engine, params.id, params.version);
        const { files } = await call(engine, 'projects.versionDiff', { projectId: params.id, versionId });
        const views = [];
        // One at a time: each is a short git process; a version rarely changes many files.
        for (const f of files) views.push(versionFileView(f, f.binary ? null : await unifiedDiff(f.path, f.before, f.after)));
        sendJson(res, 200, { project_id: params.id, version_id: versionId, files: views });
      },
    },
    {
      method: 'POST',
      pattern: '/v1/projects/:id/restore',
      access: 'write',
      async handle({ req, res, params }) {
        const body = RestoreBody.safeParse(await readJsonBody(req));
        if (!body.success) throw invalidInput('Invalid restore: say which version, e.g. {"version": 2}.', [{ path: 'version', message: 'Expected a version number or id.' }]);
        const versionId = await versionIdOf(engine, params.id, body.data.version);
        const { version } = await call(engine, 'projects.restore', { projectId: params.id, versionId });
        sendJson(res, 200, { project_id: params.id, version: versionView(version) });
      },
    },
    {
      method: 'POST',
      pattern: '/v1/projects/:id/undo',
      access: 'write',
      async handle({ req, res, params }) {
        await readOptionalJsonBody(req);
        const { version } = await call(engine, 'projects.undoTurn', { projectId: params.id });
        sendJson(res, 200, { project_id: params.id, version: versionView(version) });
      },
    },
    {
      method: 'GET',
      pattern: '/v1/projects/:id/zip',
      access: 'read',
      async handle({ res, url, params }) {
        const query = parseQuery(ZipQuery, url);
        const versionId = query.version === undefined ? undefined : await versionIdOf(engine, params.id, query.version);
        if (!engine.exportFile) throw new MacsError('NOT_SUPPORTED', 'This server cannot serve project zips.');
        const prepared = await call(engine, 'projects.export', { projectId: params.id, versionId });
        const zip = engine.exportFile(prepared.exportId);
        try {
          await sendZip(res, zip, fs.statSync(zip.path).size);
        } finally {
          // API downloads leave nothing behind in the data dir (as the task zip route).
          fs.rmSync(path.dirname(zip.path), { recursive: true, force: true });
        }
      },
    },
  ];
}
