// Atomic replace: write a temp file next to the target, fsync it, rename it over
// the target. A reader sees the old bytes or the new bytes, never half a file, and
// a failed write (disk full, crash) leaves the previous version intact.
import { constants as fsConstants } from 'node:fs';
import { open, rename, stat, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { MacsError } from '../../../../shared/errors.js';
import { freeBytesAt } from '../../db/index.js';

/**
 * The two syscalls of a write that can fail for lack of space. Exists so tests can
 * make them fail with ENOSPC (a disk cannot be filled on demand); production code
 * never passes anything else than `nodeWriteFs`.
 */
export interface WriteFs {
  /** Create `tmpPath` exclusively (never through a symlink), write `data`, fsync, close. */
  writeTemp(tmpPath: string, data: Uint8Array, mode: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
}

export const nodeWriteFs: WriteFs = {
  async writeTemp(tmpPath, data, mode) {
    const flags = fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | (fsConstants.O_NOFOLLOW ?? 0);
    const handle = await open(tmpPath, flags, mode);
    try {
      await handle.writeFile(data);
      await handle.datasync();
    } finally {
      await handle.close();
    }
  },
  rename: (from, to) => rename(from, to),
};

/** Marks the temp file of an atomic write (`.<name>.macs-tmp-<hex>`): never a project file. */
export const TEMP_MARKER = '.macs-tmp-';

/** A path (or name) that is an atomic write's temp file: not listed, not watched, not versioned, not context. */
export function isAtomicWriteTemp(relPath: string): boolean {
  return relPath.includes(TEMP_MARKER);
}

function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

/**
 * Write `data` to `absPath` atomically. On failure the temp file is removed and the
 * error rethrown as is (mapWriteError gives it meaning); the old file is untouched.
 */
export async function atomicWrite(absPath: string, data: Uint8Array, fsImpl: WriteFs): Promise<void> {
  // Keep an existing file's permissions (an executable script stays executable).
  const previous = await stat(absPath).catch(() => null);
  const mode = previous?.isFile() ? previous.mode & 0o7777 : 0o666;
  const tmpPath = path.join(path.dirname(absPath), `.${path.basename(absPath)}${TEMP_MARKER}${randomBytes(6).toString('hex')}`);
  try {
    await fsImpl.writeTemp(tmpPath, data, mode);
    await fsImpl.rename(tmpPath, absPath);
  } catch (err) {
    await unlink(tmpPath).catch(() => undefined); // may not exist if open itself failed
    throw err;
  }
}

/** ENOSPC/EDQUOT → DISK_FULL naming the file; anything else keeps its errno and gains the path. */
export function mapWriteError(err: unknown, relPath: string, size: number, absPath?: string): unknown {
  if (err instanceof MacsError) return err;
  const code = errnoCode(err);
  const cause = err instanceof Error ? err.message : String(err);
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new MacsError('DISK_FULL', `Not enough disk space to write "${relPath}" (${size} bytes); the previous version is unchanged.`, {
      path: relPath,
      size,
      neededBytes: size,
      // The UI says how much to free on which disk.
      ...(absPath ? { absPath, freeBytes: freeBytesAt(absPath) } : {}),
      errno: code,
      cause,
    });
  }
  if (err instanceof Error) err.message = `Writing "${relPath}" failed: ${err.message}`;
  return err;
}
