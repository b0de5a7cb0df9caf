// Atomic replace with an exact mode: temp file in the target's directory, bytes, chmod,
// fsync, rename. Same shape as the workspace writer, but that one keeps the mode of the
// file it replaces; a restore must bring back the *recorded* mode (an executable that
// the task deleted comes back executable, a 0600 file never exists world-readable).
import { TEMP_MARKER } from '../guard/atomic-write.js';
import { constants as fsConstants } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { MacsError } from '../../../../shared/errors.js';

// The workspace writer's temp marker: Workspace.listFiles hides names containing it, so
// a restore in progress never shows up in the file tree.

export function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

export async function writeDurably(absPath: string, data: Uint8Array, mode: number): Promise<void> {
  const tmpPath = path.join(path.dirname(absPath), `.${path.basename(absPath)}${TEMP_MARKER}${randomBytes(6).toString('hex')}`);
  const flags = fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | (fsConstants.O_NOFOLLOW ?? 0);
  try {
    // 0600 until the bytes are in: the final mode is set explicitly (open's mode is masked by umask).
    const handle = await open(tmpPath, flags, 0o600);
    try {
      await handle.writeFile(data);
      await handle.chmod(mode & 0o7777);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(tmpPath, absPath);
  } catch (err) {
    await unlink(tmpPath).catch(() => undefined); // may not exist if open itself failed
    throw err;
  }
}

/** ENOSPC/EDQUOT → DISK_FULL naming the file (as the workspace writer does); other errors gain the path. */
export function mapWriteError(err: unknown, what: string, size: number): unknown {
  if (err instanceof MacsError) return err;
  const code = errnoCode(err);
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new MacsError('DISK_FULL', `Not enough disk space to write ${what} (${size} bytes); nothing was changed.`, {
      what,
      size,
      errno: code,
    });
  }
  if (err instanceof Error) err.message = `Writing ${what} failed: ${err.message}`;
  return err;
}
