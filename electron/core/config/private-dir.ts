import fs from 'node:fs';

/**
 * The data dir holds every prompt, answer and generated file (macs.db, workspaces, exports)
 * and the API key: with the usual umask 022 it was created 0755 and macs.db 0644, so any
 * other account on the machine could read the tasks straight from disk, around the API's
 * credentials. It is created 0700, and an existing one of ours that others can enter is
 * tightened to 0700 at start (a data dir shared on purpose must be shared through the API).
 * Failures are left to the database's own checks: a read-only data dir is reported there,
 * as one sentence (DATA_DIR_NOT_WRITABLE).
 */
export function makeDataDirPrivate(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch {
    return;
  }
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return;
  try {
    const stat = fs.statSync(dir);
    if (stat.uid === process.getuid() && (stat.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
  } catch {
    // A read-only file system: nothing can be tightened, and the database says why it cannot open.
  }
}
