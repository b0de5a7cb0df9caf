// openTaskSnapshot: the one way to get a TaskSnapshot. Picks the backend (git when the
// folder is in a git work tree, else copies in the data dir), and keeps to it: a task
// that started with copies stays with copies even if the folder becomes a repository.
import { readFile, realpath } from 'node:fs/promises';
import { MacsError } from '../../../../shared/errors.js';
import { Workspace } from '../guard/index.js';
import { CopySnapshotStore } from './copy-store.js';
import { errnoCode } from './durable-write.js';
import { findGitRepo } from './git.js';
import { GitSnapshotStore } from './git-store.js';
import { assertTaskId, taskFilePath } from './locations.js';
import { emptyManifest, parseTaskFile, type SnapshotBackend, type TaskFile } from './manifest.js';
import type { SnapshotStore } from './store.js';
import { TaskSnapshot } from './task-snapshot.js';

export interface OpenTaskSnapshotOptions {
  /** The task's workspace folder (must exist). */
  root: string;
  taskId: string;
  /** MACS data dir: holds the copy backend's blobs and the list of snapshots. */
  dataDir: string;
}

// One instance per (data dir, task) in this process: the running task records while the
// review UI accepts and reverts, and two instances would overwrite each other's manifest.
const open = new Map<string, Promise<TaskSnapshot>>();

export async function openTaskSnapshot(options: OpenTaskSnapshotOptions): Promise<TaskSnapshot> {
  assertTaskId(options.taskId);
  const key = `${options.dataDir}\0${options.taskId}`;
  let pending = open.get(key);
  if (!pending) {
    pending = create(options, () => open.delete(key));
    open.set(key, pending);
    pending.catch(() => open.delete(key));
  }
  return pending.then(async (snapshot) => {
    const root = await realRoot(options.root);
    if (snapshot.root !== root) throw otherRoot(options.taskId, snapshot.root, root);
    return snapshot;
  });
}

async function create(options: OpenTaskSnapshotOptions, onDiscard: () => void): Promise<TaskSnapshot> {
  const root = await realRoot(options.root);
  const existing = await readTaskFile(options.dataDir, options.taskId);
  const store = await chooseStore(options, root, existing);
  const manifest = (await store.load()) ?? emptyManifest(store.backend, options.taskId, root);
  if (manifest.root !== root) throw otherRoot(options.taskId, manifest.root, root);
  return new TaskSnapshot(await Workspace.open(root), store, manifest, onDiscard);
}

async function chooseStore(options: OpenTaskSnapshotOptions, root: string, existing: TaskFile | null): Promise<SnapshotStore> {
  const { dataDir, taskId } = options;
  const recorded: SnapshotBackend | null = existing === null ? null : existing.kind === 'git-pointer' ? 'git' : 'copy';
  if (recorded === 'copy') return new CopySnapshotStore(dataDir, taskId);
  const repo = await findGitRepo(root);
  if (repo) return new GitSnapshotStore(repo, dataDir, taskId, root);
  if (recorded === 'git') {
    throw new MacsError('FILE_NOT_FOUND', `The undo snapshot of task ${taskId} was kept in the git repository of ${root}, which is gone.`, {
      taskId,
      root,
    });
  }
  return new CopySnapshotStore(dataDir, taskId);
}

async function readTaskFile(dataDir: string, taskId: string): Promise<TaskFile | null> {
  const file = taskFilePath(dataDir, taskId);
  try {
    return parseTaskFile(await readFile(file, 'utf8'), file);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return null;
    throw err;
  }
}

async function realRoot(root: string): Promise<string> {
  try {
    return await realpath(root);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') throw new MacsError('FILE_NOT_FOUND', `The workspace folder ${root} does not exist.`, { root });
    throw err;
  }
}

function otherRoot(taskId: string, recorded: string, asked: string): MacsError {
  return new MacsError('INVALID_INPUT', `Task ${taskId} has an undo snapshot of ${recorded}, not of ${asked}.`, { taskId, recorded, asked });
}
