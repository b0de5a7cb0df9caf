// Garbage collection of the copy backend's blobs. discard() only forgets a manifest,
// because blobs are shared between tasks; this removes the blobs no live task needs.
import { readdir, readFile, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { CopySnapshotStore } from './copy-store.js';
import { deleteSnapshotRef } from './git-store.js';
import { blobsDir, snapshotTempDir, taskFilePath } from './locations.js';
import { parseTaskFile } from './manifest.js';
import { SnapshotRegistry } from './registry.js';

export interface PruneOptions {
  /**
   * Blobs (and crashed temp files) younger than this are kept: a record in flight may
   * have written or freshened a blob whose manifest is not saved yet. Default 10 min.
   */
  graceMs?: number;
}

export interface PruneResult {
  /** Snapshots of tasks not in liveTaskIds, forgotten. */
  discardedTasks: string[];
  removedBlobs: number;
  freedBytes: number;
  /** Git refs of discarded tasks that could not be deleted (repository gone, ...). */
  errors: Array<{ taskId: string; reason: string }>;
}

/**
 * Keep what the tasks in `liveTaskIds` need, remove the rest: snapshots of other tasks
 * are orphans (their task was deleted) and are discarded first, including their git
 * refs; then every blob no remaining copy manifest names is deleted.
 */
export async function pruneBlobs(dataDir: string, liveTaskIds: Iterable<string>, options: PruneOptions = {}): Promise<PruneResult> {
  const live = new Set(liveTaskIds);
  const graceMs = options.graceMs ?? 10 * 60_000;
  const result: PruneResult = { discardedTasks: [], removedBlobs: 0, freedBytes: 0, errors: [] };
  const registry = new SnapshotRegistry(dataDir);
  const { snapshots } = await registry.list();

  const needed = new Set<string>();
  for (const summary of snapshots) {
    if (!live.has(summary.taskId)) {
      await discardOrphan(dataDir, summary.taskId, result);
      continue;
    }
    if (summary.backend !== 'copy') continue;
    const manifest = await new CopySnapshotStore(dataDir, summary.taskId).load();
    for (const record of manifest?.files.values() ?? []) if (record.before) needed.add(record.before.sha256);
  }

  const cutoff = Date.now() - graceMs;
  const root = blobsDir(dataDir);
  for (const prefix of await readdir(root).catch(() => [] as string[])) {
    const dir = path.join(root, prefix);
    await removeOld(dir, cutoff, (name) => !needed.has(name), result); // not needed: an old blob or a crashed write's temp file
    await rmdir(dir).catch(() => undefined); // only succeeds once the prefix folder is empty
  }
  // Scratch files handed to git, left by a process that died mid-save.
  await removeOld(snapshotTempDir(dataDir), cutoff, () => true, null);
  return result;
}

async function removeOld(dir: string, cutoff: number, unneeded: (name: string) => boolean, counts: PruneResult | null): Promise<void> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!unneeded(name)) continue;
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => null);
    if (!info || info.mtimeMs > cutoff) continue;
    await rm(file, { force: true });
    if (counts) {
      counts.removedBlobs++;
      counts.freedBytes += info.size;
    }
  }
}

async function discardOrphan(dataDir: string, taskId: string, result: PruneResult): Promise<void> {
  const file = taskFilePath(dataDir, taskId);
  const parsed = parseTaskFile(await readFile(file, 'utf8'), file);
  if (parsed.kind === 'git-pointer') {
    try {
      await deleteSnapshotRef(parsed.pointer.gitDir, taskId);
    } catch (err) {
      result.errors.push({ taskId, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  // The pointer goes even if the ref could not be deleted: retrying on every prune would
  // not help a repository that is gone, and the error says which ref was left behind.
  await rm(file, { force: true });
  result.discardedTasks.push(taskId);
}
