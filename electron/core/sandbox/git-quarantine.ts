// The second half of the git guard (git-guard.ts): after a sandboxed command ends, every
// git dir that was not there before it started (a new inode: made, or swapped in) is
// moved out of the workspace into a quarantine folder in the data dir, never deleted,
// and each move is reported as a 'quarantined' audit event the user sees.
//
// This walk enters what the walk before the run skipped (node_modules, .venv …) and goes
// far past its bounds: sandboxed code chooses where it plants, and the user's editor
// runs git for the repository of any file it opens, package folders included. In a
// folder the first walk looked into, a new identity is enough; elsewhere (no identities
// from before, and nothing there was read-only) an entry counts as the run's when it or
// what git runs from it (config, hooks) changed since the run started: the kernel sets
// ctime, and code in the sandbox cannot set the clock back.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BEFORE_RUN, findGitEntries, gitDirOf, GIT_SWEEP_MAX_DEPTH, GIT_SWEEP_MAX_DIRS, type GitEntry, type GitInventory, type ScanLimits, type ScanOptions } from './git-guard.js';
import type { SandboxAudit } from './types.js';
import { isSameOrInside } from './workspace-root.js';

export interface QuarantineResult {
  /** The folder this run's finds went to (null when nothing was found). */
  batch: string | null;
  moved: Array<{ from: string; to: string }>;
  /** Could not be moved out (why), so renamed in place to a name git never reads, its HEAD too. */
  disarmed: Array<{ from: string; to: string; error: string }>;
  failed: Array<{ path: string; error: string }>;
  /** What the walk after the run could not see (null: it saw everything). */
  limits: ScanLimits | null;
}

/** The full walk, once the command has ended. */
const AFTER_RUN: ScanOptions = { maxDirs: GIT_SWEEP_MAX_DIRS, maxDepth: GIT_SWEEP_MAX_DEPTH, skipPackageFolders: false };

/** ctime has coarse (clock tick) resolution: an entry changed just as the run started still counts as the run's. */
const CTIME_SLACK_MS = 1_000;

/** The files git runs or reads commands from, for an entry the walk before the run did not see. */
function changedSince(entry: GitEntry, sinceMs: number): boolean {
  const paths = [entry.path];
  const gitDir = gitDirOf(entry.path);
  if (gitDir) {
    paths.push(gitDir, path.join(gitDir, 'config'), path.join(gitDir, 'config.worktree'), path.join(gitDir, 'hooks'));
    try {
      for (const hook of fs.readdirSync(path.join(gitDir, 'hooks'))) paths.push(path.join(gitDir, 'hooks', hook));
    } catch {
      // no hooks folder
    }
  }
  for (const p of paths) {
    try {
      if (fs.lstatSync(p).ctimeMs >= sinceMs - CTIME_SLACK_MS) return true;
    } catch {
      // absent: nothing changed there
    }
  }
  return false;
}

/**
 * After the run: every git dir the sandbox made or swapped in (an identity not in
 * `before`) moves to `<quarantineDir>/<stamp>/<its path in the workspace>`.
 */
function quarantineNewGitDirs(workspace: string, before: GitInventory, quarantineDir: string, scan: ScanOptions = AFTER_RUN, live = false): QuarantineResult {
  const known = new Set(before.entries.map((e) => e.id));
  // While the command runs, nothing is chmod'ed: the path could lead elsewhere by then.
  const after = findGitEntries(workspace, live ? scan : { ...scan, repairSinceMs: before.takenAtMs });
  const fresh = after.entries.filter((e) => {
    if (known.has(e.id)) return false;
    // Where the first walk looked, a new identity is a new entry; elsewhere, ask the clock.
    return before.scanned.has(path.dirname(e.path)) || changedSince(e, before.takenAtMs);
  });
  const result: QuarantineResult = { batch: null, moved: [], disarmed: [], failed: [], limits: after.limits };
  if (!fresh.length) return result;
  const stamp = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
  const batch = path.join(quarantineDir, stamp);
  result.batch = batch;
  for (const entry of fresh) {
    const to = path.join(batch, path.relative(workspace, entry.path));
    try {
      fs.mkdirSync(path.dirname(to), { recursive: true });
      if (live) renameAnchored(workspace, entry.path, to);
      else moveAcross(workspace, entry.path, to);
      result.moved.push({ from: entry.path, to });
    } catch (err) {
      // While the command runs, only the anchored rename: the sweep after it does the rest.
      if (live) continue;
      // Leaving it armed is not an option: the user's next `git status` would obey it.
      try {
        result.disarmed.push({ from: entry.path, to: disarmInPlace(entry.path, stamp), error: (err as Error).message });
      } catch (err2) {
        result.failed.push({ path: entry.path, error: `${(err as Error).message}; ${(err2 as Error).message}` });
      }
    }
  }
  if (live && !result.moved.length) {
    fs.rmSync(batch, { recursive: true, force: true });
    result.batch = null;
  }
  return result;
}

/**
 * rename(2) of `entry` through a file descriptor on its folder, checked to be inside the
 * workspace. While the command runs it can swap any folder on the way for a symlink
 * between the sweep's look and its move; a plain rename of `<ws>/a/.git` would then move
 * whatever `.git` the symlink names, the user's other repository included (reproduced).
 * /proc/self/fd/N names the very folder that was opened and checked, whatever happens to
 * the path afterwards; the last component is never followed by rename. Where there is
 * no /proc (macOS), the folder's realpath is checked right before the rename instead.
 */
function renameAnchored(workspace: string, entry: string, to: string): void {
  const parent = path.dirname(entry);
  if (process.platform !== 'linux') {
    if (fs.realpathSync(parent) !== parent) throw new Error('a folder on its path was replaced by a symlink');
    fs.renameSync(entry, to);
    return;
  }
  const fd = fs.openSync(parent, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW);
  try {
    const real = fs.readlinkSync(`/proc/self/fd/${fd}`);
    if (real !== parent || !isSameOrInside(workspace, real)) throw new Error('a folder on its path was replaced by a symlink');
    fs.renameSync(`/proc/self/fd/${fd}/${path.basename(entry)}`, to);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * A write into a folder the command made read-only (chmod 555; only the owner's own
 * permission bits, which the user may change back) fails for a normal user: give the
 * owner write permission on `dir` and try once more. Root never gets here.
 */
function retryWritable<T>(dir: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EPERM') throw err;
    fs.chmodSync(dir, fs.statSync(dir).mode | 0o700);
    return fn();
  }
}

/** rename, or copy then remove when the quarantine is on another filesystem. */
function moveAcross(workspace: string, from: string, to: string): void {
  try {
    retryWritable(path.dirname(from), () => renameAnchored(workspace, from, to));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    try {
      // FIFOs, sockets and devices hold no content and cannot be copied (cp refuses a FIFO): left out.
      fs.cpSync(from, to, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true, filter: (src) => isCopyable(src) });
    } catch (copyErr) {
      fs.rmSync(to, { recursive: true, force: true });
      throw copyErr;
    }
    retryWritable(path.dirname(from), () => fs.rmSync(from, { recursive: true, force: true }));
  }
}

function isCopyable(p: string): boolean {
  try {
    const st = fs.lstatSync(p);
    return st.isFile() || st.isDirectory() || st.isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * The fallback when an entry cannot be moved out (an unreadable file in it, a full disk
 * on the quarantine's side): rename it, in place, to a name git never looks for, and
 * rename a git dir's HEAD too, so it is not a repository by git's own test
 * (is_git_directory) nor by this guard's scan. Nothing is deleted. Returns the new path.
 */
function disarmInPlace(entry: string, stamp: string): string {
  if (fs.lstatSync(entry).isDirectory()) {
    for (const name of fs.readdirSync(entry)) {
      if (name.toLowerCase() !== 'head') continue;
      retryWritable(entry, () => fs.renameSync(path.join(entry, name), path.join(entry, `${name}.macs-quarantined`)));
    }
  }
  const to = `${entry}.macs-quarantined-${stamp}`;
  retryWritable(path.dirname(entry), () => fs.renameSync(entry, to));
  return to;
}

/** One sentence per outcome, for the task's audit events. */
function describeQuarantine(workspace: string, r: QuarantineResult): string[] {
  const rel = (p: string): string => path.relative(workspace, p) || '.';
  const lines: string[] = [];
  if (r.moved.length) {
    const what = r.moved.map((m) => rel(m.from)).join(', ');
    lines.push(
      `the command created git metadata (${what}) that your own git would obey (hooks, fsmonitor and other commands in its config): moved out of the workspace to ${r.batch}`,
    );
  }
  for (const d of r.disarmed) {
    lines.push(`the command created git metadata at ${rel(d.from)} that could not be moved out of the workspace (${d.error}): renamed to ${rel(d.to)}, which git does not read; look at it, then delete it`);
  }
  for (const f of r.failed) lines.push(`the command created git metadata at ${rel(f.path)} that could not be moved out of the workspace (${f.error}): remove it before running git there`);
  if (r.limits) {
    const where: string[] = [];
    if (r.limits.maxDirs) where.push(`past the first ${r.limits.maxDirs} folders`);
    if (r.limits.maxDepth) where.push(`in folders nested deeper than ${r.limits.maxDepth} folders`);
    if (r.limits.unreadable.length) where.push(`in folders that could not be read (${r.limits.unreadable.map(rel).join(', ')})`);
    lines.push(
      `git metadata ${where.join(', ')} was not checked: before you run git or open the folder in an editor, look for it with \`find ${workspace} -iname .git\` and remove what you did not make`,
    );
  }
  return lines;
}

export interface GitGuardHooks {
  /** Once the command has ended: the full walk, each outcome reported, then `then`. Idempotent. */
  cleanup(): void;
  /**
   * While a long-lived command (a terminal shell) runs: the cheap walk (the bounds of
   * the one before the run), moving what it finds now rather than when the shell exits.
   * An editor open on the folder runs git as soon as a .git appears; this narrows that
   * window to the sweep interval, it cannot close it.
   */
  sweep(): void;
}

/** A backend's cleanup() and sweep(): the quarantine, each outcome reported through onAudit. */
export function gitGuardHooks(workspace: string, before: GitInventory | null, quarantineDir: string, onAudit?: (a: SandboxAudit) => void, then?: () => void): GitGuardHooks {
  let done = false;
  const run = (scan: ScanOptions, reportLimits: boolean, live = false): void => {
    if (!before) return;
    const result = quarantineNewGitDirs(workspace, before, quarantineDir, scan, live);
    // The cheap walk's limits are the final walk's business: it says them once.
    for (const message of describeQuarantine(workspace, reportLimits ? result : { ...result, limits: null })) onAudit?.({ kind: 'quarantined', message });
  };
  return {
    cleanup: () => {
      if (done) return;
      done = true;
      try {
        run(AFTER_RUN, true);
      } finally {
        then?.();
      }
    },
    sweep: () => {
      if (!done) run(BEFORE_RUN, false, true);
    },
  };
}
