// One meaning for "the disk is full", whichever layer noticed it: the kernel (ENOSPC,
// EDQUOT on a write) or SQLite (SQLITE_FULL: no room for the WAL or the database to
// grow, or PRAGMA max_page_count reached). Every write path maps its failure through
// here, so a task fails with DISK_FULL and the UI can say which disk and how much to free.
import fs from 'node:fs';
import path from 'node:path';
import { MacsError } from '../../../shared/errors.js';

const FULL_ERRNOS = new Set(['ENOSPC', 'EDQUOT']);
/** SQLite's extended codes for "no room" (better-sqlite3 puts them in err.code). */
const FULL_SQLITE = new Set(['SQLITE_FULL']);

function codeOf(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

/** True for a raw ENOSPC/EDQUOT/SQLITE_FULL and for a DISK_FULL MacsError. */
export function isDiskFullError(err: unknown): boolean {
  if (err instanceof MacsError) return err.code === 'DISK_FULL';
  const code = codeOf(err);
  return code !== undefined && (FULL_ERRNOS.has(code) || FULL_SQLITE.has(code));
}

/** Bytes an unprivileged writer can still use on the filesystem holding `target` (null if unknown). */
export function freeBytesAt(target: string): number | null {
  let dir = target;
  // statfs needs an existing path: walk up to the nearest one.
  for (let i = 0; i < 64; i++) {
    try {
      const s = fs.statfsSync(dir);
      return Number(s.bavail) * Number(s.bsize);
    } catch {
      const parent = path.dirname(dir);
      if (parent === dir) return null;
      dir = parent;
    }
  }
  return null;
}

export interface DiskFullContext {
  /** The file or directory that could not be written (the disk is the one holding it). */
  path: string;
  /** What was being written, for the sentence: "the task's events", "the file src/a.ts". */
  what: string;
  /** Bytes the write needed, when known. */
  neededBytes?: number;
}

/**
 * A DISK_FULL MacsError for `err` if it means "no space", else null. details carry what
 * the UI needs to say "the disk holding X is full: free N MB": path, freeBytes, neededBytes.
 */
export function toDiskFullError(err: unknown, where: DiskFullContext): MacsError | null {
  if (err instanceof MacsError) return err.code === 'DISK_FULL' ? err : null;
  if (!isDiskFullError(err)) return null;
  const freeBytes = freeBytesAt(where.path);
  const cause = err instanceof Error ? err.message : String(err);
  const need = where.neededBytes !== undefined ? ` (${where.neededBytes} bytes)` : '';
  const free = freeBytes !== null ? ` ${freeBytes} bytes are free there.` : '';
  return new MacsError('DISK_FULL', `The disk holding ${where.path} is full: could not write ${where.what}${need}.${free} What was written before is kept.`, {
    path: where.path,
    what: where.what,
    ...(where.neededBytes !== undefined ? { neededBytes: where.neededBytes } : {}),
    freeBytes,
    errno: codeOf(err),
    cause,
  });
}

/** Run a synchronous write; a full disk comes out as DISK_FULL, anything else unchanged. */
export function mapDiskFull<T>(where: DiskFullContext, write: () => T): T {
  try {
    return write();
  } catch (err) {
    throw toDiskFullError(err, where) ?? err;
  }
}

/**
 * A small ballast file next to the database. When the disk fills, deleting it gives
 * SQLite room to record the task's DISK_FULL outcome (a few WAL pages): without it the
 * final status could not be written and the task would come back as interrupted.
 */
const RESERVE_BYTES = 2 * 1024 * 1024;

export function reservePathFor(dbPath: string): string {
  return `${dbPath}.space-reserve`;
}

/** Create the reserve if it is missing and there is room (never fails: it is an insurance). */
export function ensureDiskReserve(dbPath: string): void {
  const file = reservePathFor(dbPath);
  try {
    if (fs.statSync(file).size === RESERVE_BYTES) return;
  } catch {
    // missing: create it below
  }
  try {
    const free = freeBytesAt(dbPath);
    if (free !== null && free < RESERVE_BYTES * 2) return; // do not take the last space from a nearly full disk
    // Real zero bytes, not a sparse file: a hole frees nothing when deleted.
    fs.writeFileSync(file, Buffer.alloc(RESERVE_BYTES));
  } catch {
    fs.rmSync(file, { force: true });
  }
}

/** Free the reserve so the next small write can succeed; true if there was one. */
export function releaseDiskReserve(dbPath: string): boolean {
  try {
    fs.unlinkSync(reservePathFor(dbPath));
    return true;
  } catch {
    return false;
  }
}

/**
 * The reserve of one database, for its owner to wire: made at start and again when a task gets
 * through (there is room again), freed when a write fails for lack of space.
 */
export class DiskReserve {
  constructor(private readonly dbPath: string) {}

  ensure(): void {
    ensureDiskReserve(this.dbPath);
  }

  /** `err` is a full disk: free the reserve; true if there was one (the failed write may be tried once more). */
  releaseFor(err: unknown): boolean {
    return isDiskFullError(err) && releaseDiskReserve(this.dbPath);
  }
}

/** A child process (git) that failed for lack of space says so only in its text: strerror(ENOSPC/EDQUOT). */
export function diskFullFromText(text: string, where: DiskFullContext): MacsError | null {
  if (!/No space left on device|Disk quota exceeded/i.test(text)) return null;
  const freeBytes = freeBytesAt(where.path);
  return new MacsError('DISK_FULL', `The disk holding ${where.path} is full: could not write ${where.what}. What was written before is kept.`, {
    path: where.path,
    what: where.what,
    ...(where.neededBytes !== undefined ? { neededBytes: where.neededBytes } : {}),
    freeBytes,
    cause: text.slice(0, 500),
  });
}
