// Files inside a newly appeared folder, which native watchers can miss: inotify only
// watches a folder once it has been told the folder exists, so files written into it
// in that gap raise no event (parcel-bundler/watcher#243, #97), and a folder moved in
// from outside the workspace arrives as one "create" with nothing for its contents.
// So every created path that turns out to be a folder is listed, and what is in it is
// reported as created too. A path may then be reported twice (by the scan and by a
// late native event): consumers treat "created" as "exists now", not "is new".
import type { Dirent } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import type { WatchBatch } from './types.js';

/** Folder listings in flight while scanning one batch's new folders. */
const SCAN_CONCURRENCY = 8;

async function listTree(prefix: string, relDir: string, skip: (relPath: string) => boolean, out: string[]): Promise<void> {
  const queue = [relDir];
  const worker = async () => {
    for (let dir = queue.pop(); dir !== undefined; dir = queue.pop()) {
      let dirents: Dirent[];
      try {
        dirents = await readdir(prefix + dir, { withFileTypes: true });
      } catch {
        continue; // gone again, or unreadable: the tree lists it empty, as listWorkspace does
      }
      for (const dirent of dirents) {
        const relPath = `${dir}/${dirent.name}`;
        if (skip(relPath)) continue;
        out.push(relPath);
        // Symlinked folders are not entered, as in listWorkspace (cycles).
        if (dirent.isDirectory()) queue.push(relPath);
      }
    }
  };
  // Workers share the queue; one that finds it empty stops even if others may add
  // more, so keep restarting until the queue stays empty.
  while (queue.length > 0) await Promise.all(Array.from({ length: SCAN_CONCURRENCY }, worker));
}

function ancestorsOf(relPath: string): string[] {
  const parts = relPath.split('/');
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

/**
 * Add to `batch.created` everything inside the batch's created folders, in place.
 * `prefix` is the absolute root ending in a separator; `skip` drops ignored paths
 * (and their subtrees). Returns the created folders (not those found inside them).
 */
export async function addNewFolderContents(batch: WatchBatch, prefix: string, skip: (relPath: string) => boolean): Promise<string[]> {
  if (batch.created.length === 0) return [];
  const stats = await Promise.all(batch.created.map((relPath) => lstat(prefix + relPath).catch(() => null)));
  const folders = batch.created.filter((_, i) => stats[i]?.isDirectory());
  if (folders.length === 0) return [];

  const found: string[] = [];
  // Only the outermost new folders: a scan of `a` already covers a new `a/b`.
  const created = new Set(folders);
  const outermost = folders.filter((folder) => !ancestorsOf(folder).some((ancestor) => created.has(ancestor)));
  for (const folder of outermost) await listTree(prefix, folder, skip, found);
  if (found.length === 0) return folders;
  // What is inside a new folder is new to the consumer, whatever the native events said:
  // in the gap a file's create can be missed and only its following write seen
  // ("updated"), or a path seen deleted was made again before the scan.
  const inNewFolders = new Set(found);
  batch.updated = batch.updated.filter((relPath) => !inNewFolders.has(relPath));
  batch.deleted = batch.deleted.filter((relPath) => !inNewFolders.has(relPath));
  batch.created = [...new Set([...batch.created, ...found])].sort();
  return folders;
}
