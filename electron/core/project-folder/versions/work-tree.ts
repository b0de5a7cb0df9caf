// The project's files as the copies backend sees them: what git would version (the
// .gitignore rules and .git/info/exclude, via the file tree's walker) minus the heavy
// folders, each read once, hashed and kept as a content-addressed copy.
import { isAtomicWriteTemp } from '../guard/atomic-write.js';
import { mapLimit } from '../snapshots/concurrency.js';
import { putBlobFile } from '../snapshots/blob-files.js';
import { readState } from '../snapshots/file-state.js';
import { listWorkspace } from '../tree/index.js';
import path from 'node:path';
import { MacsError } from '../../../../shared/errors.js';
import { HEAVY_FOLDERS } from './git-repo.js';
import type { FileRow } from './state-file.js';

const HEAVY = new Set(HEAVY_FOLDERS.map((folder) => folder.replace(/\/$/, '')));
const IO_PARALLELISM = 8;

export function isVersioned(relPath: string): boolean {
  const parts = relPath.split('/');
  return !parts.some((part) => HEAVY.has(part)) && !isAtomicWriteTemp(parts.at(-1)!);
}

/** Every versioned file now, sorted by path, its bytes kept under `blobsBase` (sha256-addressed). */
export async function captureWorkTree(root: string, blobsBase: string): Promise<FileRow[]> {
  const listing = await listWorkspace(root);
  if (listing.truncated) {
    // A partial list would record every file past the cut as deleted.
    throw new MacsError('NOT_SUPPORTED', `The project folder ${root} has too many files to keep as copies; no version was made.`, { root });
  }
  const paths = listing.entries.filter((entry) => entry.kind === 'file' && !entry.ignored && !entry.symlink && isVersioned(entry.path)).map((entry) => entry.path);
  const rows = await mapLimit(paths, IO_PARALLELISM, async (relPath): Promise<FileRow | null> => {
    const state = await readState(path.join(root, relPath));
    if (state.kind !== 'file') return null; // removed or replaced while listing
    await putBlobFile(blobsBase, state.state.sha256, state.data);
    return [relPath, state.state.sha256, state.state.size, state.state.mode];
  });
  return rows.filter((row): row is FileRow => row !== null).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Paths whose bytes or permission bits differ between two file tables (both sorted or not). */
export function changedPaths(before: FileRow[], after: FileRow[]): Array<{ path: string; status: 'added' | 'modified' | 'deleted' }> {
  const old = new Map(before.map((row) => [row[0], row]));
  const now = new Map(after.map((row) => [row[0], row]));
  const changes: Array<{ path: string; status: 'added' | 'modified' | 'deleted' }> = [];
  for (const [filePath, row] of now) {
    const was = old.get(filePath);
    if (!was) changes.push({ path: filePath, status: 'added' });
    else if (was[1] !== row[1] || was[3] !== row[3]) changes.push({ path: filePath, status: 'modified' });
  }
  for (const filePath of old.keys()) if (!now.has(filePath)) changes.push({ path: filePath, status: 'deleted' });
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
