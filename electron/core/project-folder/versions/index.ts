// Public face of a project's versions (issue 11, "Versions"): every turn that changes
// files is a version; a restore brings an old version's files back as a new version.
//   generated projects  a real git repository in the project folder, one commit per turn
//                       (git-history.ts); a damaged or deleted repository falls back to
//                       content-addressed copies in the data dir, and says so (copy-history.ts)
//   opened folders      the per-turn undo snapshots; the user's git state is never touched
//                       (folder-history.ts)
import { readdir, realpath } from 'node:fs/promises';
import { MacsError } from '../../../../shared/errors.js';
import { Mutex } from '../snapshots/concurrency.js';
import { errnoCode } from '../snapshots/durable-write.js';
import { CopyProjectHistory } from './copy-history.js';
import { FolderProjectHistory } from './folder-history.js';
export { RESTORE_SNAPSHOT_PREFIX } from './folder-history.js';
import { GitProjectHistory } from './git-history.js';
import { ensureRepoRules, gitAvailable, gitDirState, initRepo, repoDamage } from './git-repo.js';
import { forgetSound, knownSound, readHealth, rememberSound } from './repo-health.js';
import { readState, writeState } from './state-file.js';
export { forgetProjectHistory, restoreSnapshotIds } from './state-file.js';
import type { OpenProjectHistoryOptions, ProjectHistory } from './types.js';

export type { HistoryBackend, HistoryTurn, OpenProjectHistoryOptions, ProjectHistory, TurnInfo, VersionFile } from './types.js';
export { HEAVY_FOLDERS } from './git-repo.js';
export { subjectOf, SUBJECT_MAX } from './version-list.js';

/** The one sentence the UI shows while a generated project's versions are kept as copies. */
const DAMAGED_REPOSITORY_NOTICE =
  "This project's git repository is damaged or was deleted, so MACS keeps its versions as copies in its data folder from now on; versions made before are not listed.";


/** The same, when git is not installed: generated projects are then versioned by copies from the start. */
export const NO_GIT_NOTICE = 'git is not installed, so MACS keeps this project\'s versions as copies in its data folder instead of a git repository.';

const NO_GIT = 'git is not installed';

// One operation at a time per project folder, across every history object opened on it.
const locks = new Map<string, Mutex>();

function lockOf(root: string): Mutex {
  let lock = locks.get(root);
  if (!lock) {
    lock = new Mutex();
    locks.set(root, lock);
  }
  return lock;
}

/**
 * Run `fn` between the folder's history operations, never during one: a save from the editor
 * landing between a restore's hand-edit commit and its checkout would be overwritten unseen.
 * After a restore, the save is a hand edit like any other (kept as a version at the next turn).
 */
export async function betweenHistoryOperations<T>(root: string, fn: () => Promise<T>): Promise<T> {
  return lockOf(await realRoot(root)).run(fn);
}

export async function openProjectHistory(options: OpenProjectHistoryOptions): Promise<ProjectHistory> {
  const root = await realRoot(options.root);
  const mutex = lockOf(root);
  const history = await mutex.run(() => choose({ ...options, root }));
  return serialized(history, mutex, { ...options, root });
}

async function choose(options: OpenProjectHistoryOptions): Promise<ProjectHistory> {
  const { root, dataDir, projectId } = options;
  if (options.kind === 'folder') return new FolderProjectHistory(root, dataDir, projectId, options.turns ?? []);

  const state = await readState(dataDir, projectId);
  if (state?.backend === 'snapshots') return new CopyProjectHistory(root, dataDir, projectId, state.reason === NO_GIT ? NO_GIT_NOTICE : DAMAGED_REPOSITORY_NOTICE);
  if (!(await gitAvailable())) {
    return CopyProjectHistory.begin(root, dataDir, projectId, { reason: NO_GIT, notice: NO_GIT_NOTICE, firstMessage: "The files when the project's history began" });
  }
  const damaged = (reason: string) =>
    CopyProjectHistory.begin(root, dataDir, projectId, { reason, notice: DAMAGED_REPOSITORY_NOTICE, firstMessage: 'The files when the git history became unreadable' });

  const repo = await gitDirState(root);
  if (repo === 'dir') {
    const damage = await damageOf(root);
    if (damage) return damaged(damage);
    await ensureRepoRules(root);
    if (!state) await writeState(dataDir, projectId, { version: 1, backend: 'git' });
    return new GitProjectHistory(root, projectId);
  }
  // The repository MACS made is gone (deleted by the user) or replaced by a file: copies from now on.
  if (state?.backend === 'git' || repo === 'other') {
    return damaged(repo === 'other' ? '.git is not a folder' : '.git was deleted');
  }
  await initRepo(root);
  await writeState(dataDir, projectId, { version: 1, backend: 'git' });
  const history = new GitProjectHistory(root, projectId);
  if ((await readdir(root)).some((name) => name !== '.git')) await history.commitInitial();
  return history;
}

/**
 * The same history, each call waiting for the project's previous one to finish. A git
 * history whose repository breaks while in use (deleted, corrupted) switches to copies
 * and the call is tried once more there, instead of failing the turn.
 */
function serialized(first: ProjectHistory, mutex: Mutex, options: OpenProjectHistoryOptions): ProjectHistory {
  let history = first;
  const call = <T>(op: (h: ProjectHistory) => Promise<T>): Promise<T> =>
    mutex.run(async () => {
      try {
        return await op(history);
      } catch (err) {
        if (history.backend !== 'git' || (err instanceof MacsError && err.code !== 'INTERNAL')) throw err;
        // A git call failed: look again (nothing remembered), the repository may have broken since it was opened.
        const damage = await damageOf(options.root, { fresh: true });
        if (!damage) throw err;
        history = await CopyProjectHistory.begin(options.root, options.dataDir, options.projectId, {
          reason: damage,
          notice: DAMAGED_REPOSITORY_NOTICE,
          firstMessage: 'The files when the git history became unreadable',
        });
        return op(history);
      }
    });
  return {
    get backend() {
      return history.backend;
    },
    get notice() {
      return history.notice;
    },
    commitHandEdits: () => call((h) => h.commitHandEdits()),
    commitTurn: (turn) => call((h) => h.commitTurn(turn)),
    list: () => call((h) => h.list()),
    diff: (versionId) => call((h) => h.diff(versionId)),
    restore: (versionId) => call((h) => h.restore(versionId)),
    undoLastTurn: () => call((h) => h.undoLastTurn()),
    filesAt: (versionId) => call((h) => h.filesAt(versionId)),
  };
}

/**
 * Why the project's repository can no longer keep its versions (null: it is fine). A
 * repository found sound before, and unchanged on disk since (repo-health.ts), is not
 * checked again; `fresh` checks it whatever was remembered.
 */
async function damageOf(root: string, { fresh = false } = {}): Promise<string | null> {
  const repo = await gitDirState(root);
  if (repo === 'missing') return '.git was deleted';
  if (repo === 'other') return '.git is not a folder';
  if (!fresh && (await knownSound(root))) return null;
  // Read before the check: a change made while it runs makes the next open check again.
  const before = readHealth(root);
  const damage = await repoDamage(root).catch((err: unknown) => (err instanceof Error ? err.message : String(err)));
  if (damage === null) await rememberSound(root, before);
  else forgetSound(root);
  return damage;
}

async function realRoot(root: string): Promise<string> {
  try {
    return await realpath(root);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') throw new MacsError('FILE_NOT_FOUND', `The project folder ${root} does not exist.`, { root });
    throw err;
  }
}
