import type { ContractHandlers } from '../../../shared/index.js';
import { MacsError, TERMINAL_STATUSES } from '../../../shared/index.js';
import type { EngineContext } from './engine-context.js';

type FileTreeHandlers = Pick<
  ContractHandlers,
  'workspaces.createFile' | 'workspaces.createFolder' | 'workspaces.move' | 'workspaces.delete' | 'workspaces.restore' | 'workspaces.reveal' | 'workspaces.complete'
>;

/**
 * The file tree's actions. A turn writing the project's files at the same time would see
 * its files moved under it (and its undo snapshot would miss them): refused until it ends.
 */
function requireIdleFolder(ctx: EngineContext, root: string, what: string): void {
  const projectId = ctx.projects.idOfFolder(root);
  if (!projectId) return; // FolderService refuses it with FOLDER_NOT_OPENED
  const running = ctx.projects.turns(projectId).filter((t) => !TERMINAL_STATUSES.includes(t.status));
  if (running.length === 0) return;
  const project = ctx.projects.require(projectId);
  throw new MacsError(
    'PROJECT_BUSY',
    `A turn of ${project.name} is running; ${what} when it has finished (or stop it first).`,
    { projectId, taskIds: running.map((t) => t.id) },
  );
}

/** After a tree action: the project's running app follows, as after a save. */
function changed(ctx: EngineContext, root: string, paths: string[]): void {
  const projectId = ctx.projects.idOfFolder(root);
  if (projectId) ctx.preview?.filesChanged(projectId, paths);
}

export function createFileTreeHandlers(ctx: EngineContext): FileTreeHandlers {
  return {
    'workspaces.createFile': async ({ root, path }) => {
      requireIdleFolder(ctx, root, 'create the file');
      const made = await ctx.folders.createFile(root, path);
      changed(ctx, root, [made.path]);
      return made;
    },
    'workspaces.createFolder': async ({ root, path }) => {
      requireIdleFolder(ctx, root, 'create the folder');
      return ctx.folders.createFolder(root, path);
    },
    'workspaces.move': async ({ root, from, to }) => {
      requireIdleFolder(ctx, root, `move ${from}`);
      const moved = await ctx.folders.move(root, from, to);
      changed(ctx, root, [moved.from, moved.to]);
      return moved;
    },
    'workspaces.delete': async ({ root, path }) => {
      requireIdleFolder(ctx, root, `delete ${path}`);
      const trashed = await ctx.folders.trash(root, path);
      changed(ctx, root, [trashed.path]);
      return trashed;
    },
    'workspaces.restore': async ({ trashId }) => {
      requireIdleFolder(ctx, (await ctx.folders.trashNote(trashId)).root, 'restore the deleted file');
      const restored = await ctx.folders.restore(trashId);
      changed(ctx, restored.root, [restored.path]);
      return restored;
    },
    'workspaces.reveal': async ({ root, path }) => {
      // Checked here, shown by the desktop app (electron/main.ts) with the path this answers.
      const absPath = await ctx.folders.locate(root, path);
      if (ctx.host !== 'electron') throw new MacsError('NOT_SUPPORTED', 'Only the desktop app can show a file in the file manager; copy its path instead.');
      return { path: absPath };
    },
    'workspaces.complete': ({ partial }) => ctx.folders.complete(partial),
  };
}
