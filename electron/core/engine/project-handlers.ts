import fs from 'node:fs';
import path from 'node:path';
import type { ContractHandlers } from '../../../shared/index.js';
import { MacsError } from '../../../shared/index.js';
import { normalizeWorkspacePath } from '../files/index.js';
import type { EngineContext } from './engine-context.js';

type ProjectHandlers = Pick<
  ContractHandlers,
  | 'projects.list'
  | 'projects.get'
  | 'projects.create'
  | 'projects.update'
  | 'projects.delete'
  | 'projects.pause'
  | 'projects.resume'
  | 'projects.locate'
  | 'projects.versions'
  | 'projects.versionDiff'
  | 'projects.restore'
  | 'projects.undoTurn'
  | 'projects.export'
  | 'workspaces.open'
  | 'workspaces.recent'
  | 'workspaces.forget'
>;

/** The projects.* methods, and the older workspaces.* names for opened folders (now folder projects). */
export function createProjectHandlers(ctx: EngineContext): ProjectHandlers {
  const { projects } = ctx;
  return {
    'projects.list': async ({ query, limit }) => ({ projects: projects.list(query, limit) }),
    'projects.get': async ({ projectId }) => ({ project: projects.require(projectId), turns: projects.turns(projectId) }),
    'projects.create': async ({ name, folder }) => ({
      project: folder !== undefined ? await projects.openFolder(folder) : projects.createGenerated(name ?? 'New project'),
    }),
    'projects.update': async ({ projectId, ...patch }) => ({ project: projects.update(projectId, patch) }),
    'projects.delete': async ({ projectId, deleteFiles }) => {
      projects.require(projectId);
      await dropRuns(ctx, projectId); // its app must not keep running in (or after) the folder being deleted
      return projects.delete(projectId, deleteFiles ?? false);
    },
    'projects.pause': async ({ projectId }) => ({ project: projects.setPaused(projectId, true) }),
    'projects.resume': async ({ projectId }) => {
      const project = projects.setPaused(projectId, false);
      ctx.worker.wake(); // its queued turns may run now
      return { project };
    },
    'projects.locate': async ({ projectId, path }) => {
      const project = await projects.locate(projectId, path);
      await dropRuns(ctx, projectId); // a run still points at the old folder
      return { project };
    },
    'projects.versions': ({ projectId }) => projects.versions(projectId),
    'projects.versionDiff': ({ projectId, versionId }) => projects.versionDiff(projectId, versionId),
    'projects.restore': async ({ projectId, versionId }) => ({ version: await projects.restore(projectId, versionId) }),
    'projects.undoTurn': async ({ projectId }) => ({ version: await projects.restore(projectId, 'undo-last-turn') }),
    'projects.export': async ({ projectId, versionId }) => {
      const prepared = await exportProject(ctx, projectId, versionId);
      return { ...prepared, downloadUrl: `/download/${prepared.exportId}`, savedPath: null };
    },

    // Opened folders are folder projects; these names stay for clients written before projects.
    'workspaces.open': async ({ path }) => {
      const project = await projects.openFolder(path);
      return { workspace: { root: project.root, name: project.name, isGitRepo: isGitRepo(project.root), openedAt: project.updatedAt, exists: !project.folderMissing } };
    },
    'workspaces.recent': async () => ({
      workspaces: projects
        .list()
        .filter((p) => p.kind === 'folder')
        .map((p) => ({ root: p.root, name: p.name, isGitRepo: isGitRepo(p.root), openedAt: p.updatedAt, exists: !p.folderMissing })),
    }),
    'workspaces.forget': async ({ root }) => {
      const id = projects.idOfFolder(root);
      if (id && projects.require(id).kind === 'folder') {
        await dropRuns(ctx, id);
        await projects.delete(id, false);
      }
      return {};
    },
  };
}

/** A project's app and its app log go with the project (delete, forget, locate). */
async function dropRuns(ctx: EngineContext, projectId: string): Promise<void> {
  await ctx.preview?.forget(projectId);
  ctx.terminals.closeProject(projectId);
}

function isGitRepo(root: string): boolean {
  return fs.existsSync(path.join(root, '.git'));
}

/** A zip of a project: its files now, or at a version (written out to a staging folder first, then zipped like a folder). */
export async function exportProject(ctx: EngineContext, projectId: string, versionId?: string, destPath?: string) {
  const project = ctx.projects.requireForTurn(projectId);
  const manifestExtra = { project: { id: project.id, name: project.name, kind: project.kind, version: versionId ?? 'current', turns: project.turnCount } };
  if (versionId === undefined) return ctx.exports.exportFolder({ root: project.root, title: project.name, ref: project.id, manifestExtra }, destPath);
  const history = await ctx.projects.history(project);
  const staging = ctx.exports.stagingDir();
  try {
    for (const file of await history.filesAt(versionId)) {
      // A version's paths come from a git tree, which can hold `..` or `.git` entries (a commit
      // pulled from elsewhere): written as they are, they would land outside the staging folder.
      const clean = normalizeWorkspacePath(file.path);
      if (!clean.ok || clean.path !== file.path) {
        throw new MacsError('PATH_OUTSIDE_WORKSPACE', `This version cannot be exported: it holds "${file.path}", a path that leaves the project or goes into .git; nothing was written.`, {
          projectId,
          versionId,
          path: file.path,
        });
      }
      const target = path.join(staging, clean.path);
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      await fs.promises.writeFile(target, await file.read());
    }
    return await ctx.exports.exportFolder({ root: staging, title: project.name, ref: project.id, manifestExtra }, destPath);
  } finally {
    await fs.promises.rm(staging, { recursive: true, force: true });
  }
}
