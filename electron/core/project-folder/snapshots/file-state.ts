// Reading what is at a workspace path now, and putting back what was there. Every path
// has already been through the workspace guard (Workspace.resolveInside) or is resolved
// through it here; removals resolve only the parent, so a symlink is removed itself and
// never the file it points to.
import { lstat, mkdir, realpath, rmdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { MacsError } from '../../../../shared/errors.js';
import type { Workspace } from '../guard/index.js';
import { isInsideRoot, openRegularFile } from '../guard/index.js';
import { sha256Of } from './blob-files.js';
import { errnoCode, mapWriteError, writeDurably } from './durable-write.js';

export interface FileState {
  sha256: string;
  size: number;
  mode: number;
}

/** Same bytes and permission bits (null on both sides: both absent). */
export function sameState(a: { sha256: string | null; mode: number | null }, b: FileState | null): boolean {
  return a.sha256 === (b?.sha256 ?? null) && a.mode === (b?.mode ?? null);
}

export type ReadState = { kind: 'file'; state: FileState; data: Buffer } | { kind: 'missing' } | { kind: 'not-a-file' };

/** What is at `absPath`: a file (bytes, hash, permission bits), nothing, or something that is not a file. */
export async function readState(absPath: string): Promise<ReadState> {
  let opened;
  try {
    // Regular files only: a FIFO opens at once (and is refused) instead of blocking a libuv thread.
    opened = await openRegularFile(absPath);
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    if (code === 'NOT_A_REGULAR_FILE') return { kind: 'not-a-file' };
    throw err;
  }
  const { handle, info } = opened;
  try {
    const data = await handle.readFile();
    return { kind: 'file', data, state: { sha256: sha256Of(data), size: data.byteLength, mode: info.mode & 0o7777 } };
  } finally {
    await handle.close();
  }
}

/** Directories above `relPath` that do not exist yet, deepest first (the task is about to create them). */
export async function missingParents(root: string, relPath: string): Promise<string[]> {
  const missing: string[] = [];
  for (let dir = path.posix.dirname(relPath); dir !== '.'; dir = path.posix.dirname(dir)) {
    const exists = await lstat(path.join(root, dir)).then(
      () => true,
      (err: unknown) => {
        if (errnoCode(err) === 'ENOENT') return false;
        throw err;
      },
    );
    if (exists) break;
    missing.push(dir);
  }
  return missing;
}

/** Write `data` with exactly `mode` at `relPath`, creating parent directories, atomically. */
export async function writeExactly(ws: Workspace, relPath: string, data: Uint8Array, mode: number): Promise<void> {
  const absPath = await ws.resolveInside(relPath);
  try {
    await mkdir(path.dirname(absPath), { recursive: true });
    // Re-check after mkdir, as the workspace writer does: a directory swapped for an
    // outward symlink between the guard and the rename must not receive the file.
    const realDir = await realpath(path.dirname(absPath));
    if (!isInsideRoot(ws.root, realDir)) {
      throw new MacsError('PATH_OUTSIDE_WORKSPACE', `Refused "${relPath}": its directory resolves outside the workspace`, {
        path: relPath,
        reason: 'its directory resolves outside the workspace',
      });
    }
    await writeDurably(path.join(realDir, path.basename(absPath)), data, mode);
  } catch (err) {
    throw mapWriteError(err, `"${relPath}"`, data.byteLength);
  }
}

/** The entry itself at `relPath` (not a symlink's target), with its parent resolved through the guard. */
async function entryPath(ws: Workspace, relPath: string): Promise<string> {
  const parent = path.posix.dirname(relPath);
  return path.join(parent === '.' ? ws.root : await ws.resolveInside(parent), path.posix.basename(relPath));
}

/** Remove the file (or symlink) at `relPath`; false when nothing was there. A directory is refused. */
export async function removeEntry(ws: Workspace, relPath: string): Promise<boolean> {
  const absPath = await entryPath(ws, relPath);
  const info = await lstat(absPath).catch((err: unknown) => {
    if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENOTDIR') return null;
    throw err;
  });
  if (!info) return false;
  if (info.isDirectory()) {
    throw new MacsError('NOT_SUPPORTED', `"${relPath}" did not exist before the task, and is now a directory; it was left in place.`, {
      path: relPath,
    });
  }
  await unlink(absPath);
  return true;
}

/** Remove each directory that is (still) empty, deepest first; returns those removed. */
export async function removeEmptyDirs(ws: Workspace, dirs: Iterable<string>): Promise<string[]> {
  const removed: string[] = [];
  const deepestFirst = [...dirs].sort((a, b) => b.split('/').length - a.split('/').length || (a < b ? 1 : -1));
  for (const dir of deepestFirst) {
    const absPath = await entryPath(ws, dir);
    const info = await lstat(absPath).catch(() => null);
    if (!info?.isDirectory()) continue; // gone already, or replaced by a file or symlink: not ours to remove
    try {
      await rmdir(absPath);
      removed.push(dir);
    } catch (err) {
      // Not empty: something else lives there now (the user's files), so it stays.
      if (errnoCode(err) !== 'ENOTEMPTY' && errnoCode(err) !== 'EEXIST' && errnoCode(err) !== 'ENOENT') throw err;
    }
  }
  return removed;
}
