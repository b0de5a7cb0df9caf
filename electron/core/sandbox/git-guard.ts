// Keeps sandboxed code from arming the user's own git. Git on the host obeys whatever
// a repository's config says (core.fsmonitor runs on `git status`, core.hooksPath and
// hooks on commit, core.pager on log, core.sshCommand on fetch, filter drivers on
// checkout), and finds a repository by walking up from the folder it runs in. So a
// .git the sandbox creates (top level, nested, a `gitdir:` file, a bare-shaped folder)
// would turn the user's next `git status` (or an editor's, on opening the folder) into
// a command run outside the sandbox. MACS's own git calls are safe anyway (they pass
// -c core.fsmonitor=false and a null hooks path); the user's are not.
//
// Two halves:
//  - before the run, every git dir that already exists in the workspace (found by a
//    bounded walk) is bound read-only, together with what its config points at inside
//    the workspace (a `gitdir:` target, core.hooksPath such as husky's .husky, include
//    paths): nothing the user already trusts can be changed;
//  - after the run, every git dir that was not there before (new inode) is moved out
//    of the workspace into a quarantine folder, never deleted, and reported
//    (git-quarantine.ts).
//
// .gitmodules: an existing one is bound read-only next to its repository (a sandboxed
// command has no business rewriting submodule URLs the user's next `git submodule
// update` would fetch from). A new one is left alone: nothing in it runs on
// status/commit/log, git refuses `update = !command` from .gitmodules since 2.24
// (CVE-2019-19604) and the ext:: transport by default (protocol.allow), and without
// gitlinks in the index (inside a read-only or quarantined .git) it names nothing.
// The model's own file writes (host side, reviewed in the diff) may still change it.
//
// Not guarded, on purpose:
//  - safe.directory guards against repositories owned by another user; the sandbox
//    writes as the user (its uid maps to the user's), so it would not stop anything,
//    and git reads it only from system, global and command-line config, which the
//    sandbox cannot write (/etc is read-only, HOME is a private tmpfs).
//  - .gitattributes names filter/diff drivers, but their commands live in config.
import fs from 'node:fs';
import path from 'node:path';
import type { IsolationLevel } from '../../../shared/exec.js';
import { isSameOrInside } from './workspace-root.js';
import { readRegularFileSync } from '../project-folder/index.js';

/** Folders the walk never enters: package managers' and tools' own trees (large, and not where a user runs git). */
const GIT_SCAN_SKIPPED = new Set([
  'node_modules', 'bower_components', 'jspm_packages', '.venv', 'venv', '__pycache__', '.tox', '.nox',
  '.mypy_cache', '.pytest_cache', '.ruff_cache', '.gradle', '.next', '.nuxt', '.cache',
]);
/** Bounds of the walk before a run (it also decides what is bound read-only): kept cheap, as it runs before every command. */
const GIT_SCAN_MAX_DIRS = 20_000;
const MAX_DEPTH = 24;
/**
 * Bounds of the walk after a run. It enters the skipped folders too and goes much
 * further: sandboxed code picks where it plants, so a package folder, a deep tree or
 * a workspace padded with 20,000 empty folders must not be a hiding place. What lies
 * past these bounds is reported, never passed over in silence.
 */
export const GIT_SWEEP_MAX_DIRS = 100_000;
export const GIT_SWEEP_MAX_DEPTH = 256;

export interface GitEntry {
  /** Absolute path of the `.git` (dir, file or symlink) or the bare-shaped folder. */
  path: string;
  /** dev:ino of the entry itself (lstat): a replaced entry is a new one. */
  id: string;
}

/** Why a walk did not see everything. */
export interface ScanLimits {
  /** It stopped after this many folders. */
  maxDirs?: number;
  /** It did not go deeper than this many folders. */
  maxDepth?: number;
  /** Folders it could not read (path too long, permissions), a few of them. */
  unreadable: string[];
}

export interface GitScan {
  entries: GitEntry[];
  /** Folders whose every entry was looked at (a new .git there is new by identity alone). */
  scanned: Set<string>;
  /** Set when the walk did not see everything. */
  limits: ScanLimits | null;
}

export interface GitInventory {
  entries: GitEntry[];
  /** Paths inside the workspace to bind read-only (git dirs, gitdir targets, hooks paths, config includes). */
  readOnly: string[];
  /** Folders the walk looked into: git metadata elsewhere (skipped, past the bounds) is judged by its change time. */
  scanned: Set<string>;
  /** When the inventory was taken (ms, wall clock): anything changed since was changed by the run. */
  takenAtMs: number;
  /** The walk stopped at its bound: folders past it were not checked. */
  truncated: boolean;
}

function entryId(st: fs.Stats): string {
  return `${st.dev}:${st.ino}`;
}

/**
 * git's own test (setup.c is_git_directory): HEAD plus objects/ and refs/, or a
 * commondir that supplies them. Names are compared lower-cased: on a case-insensitive
 * file system (macOS, Windows) `Head` or `.GIT` is what git opens as `HEAD` or `.git`.
 */
function looksLikeGitDir(lowerNames: Set<string>): boolean {
  return lowerNames.has('head') && ((lowerNames.has('objects') && lowerNames.has('refs')) || lowerNames.has('commondir'));
}

export interface ScanOptions {
  maxDirs: number;
  maxDepth: number;
  /** Skip GIT_SCAN_SKIPPED folders (the cheap walk before a run). */
  skipPackageFolders: boolean;
  /**
   * After a run: a folder of the user's that cannot be listed and whose mode changed
   * since this time (ms) was made so by the command (chmod 111 hides a repository from
   * a listing while the user's git still reaches it by path): give the owner read and
   * search permission back and look inside. Root reads every folder anyway.
   */
  repairSinceMs?: number;
}

export const BEFORE_RUN: ScanOptions = { maxDirs: GIT_SCAN_MAX_DIRS, maxDepth: MAX_DEPTH, skipPackageFolders: true };

/** Every git dir under `workspace`, not descending into git dirs (nor, before a run, skipped folders). */
export function findGitEntries(workspace: string, options: ScanOptions = BEFORE_RUN): GitScan {
  const entries: GitEntry[] = [];
  const scanned = new Set<string>();
  let visited = 0;
  let limits: ScanLimits | null = null;
  const limit = (): ScanLimits => (limits ??= { unreadable: [] });
  const add = (p: string): void => {
    try {
      entries.push({ path: p, id: entryId(fs.lstatSync(p)) });
    } catch {
      // gone between readdir and lstat: nothing left to guard
    }
  };
  const walk = (dir: string, depth: number): void => {
    if (visited >= options.maxDirs) {
      limit().maxDirs = options.maxDirs;
      return;
    }
    if (depth > options.maxDepth) {
      limit().maxDepth = options.maxDepth;
      return;
    }
    visited++;
    let dirents: fs.Dirent[];
    try {
      dirents = readdirRepairing(dir, options.repairSinceMs);
    } catch (err) {
      // Gone is fine; unreadable (a path past PATH_MAX, no permission) is a place not checked.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' && limit().unreadable.length < 5) limit().unreadable.push(dir);
      return;
    }
    scanned.add(dir);
    const names = new Set(dirents.map((d) => d.name.toLowerCase()));
    // The workspace root itself may be a bare repo's folder; then nothing inside is worth a walk.
    if (depth > 0 && looksLikeGitDir(names)) return add(dir);
    for (const d of dirents) {
      // Any type: a .git directory, a `gitdir:` file, or a symlink to either.
      if (d.name.toLowerCase() === '.git') add(path.join(dir, d.name));
      else if (d.isDirectory() && !(options.skipPackageFolders && GIT_SCAN_SKIPPED.has(d.name))) walk(path.join(dir, d.name), depth + 1);
    }
  };
  walk(workspace, 0);
  return { entries, scanned, limits };
}

function readdirRepairing(dir: string, repairSinceMs: number | undefined): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (repairSinceMs === undefined || (code !== 'EACCES' && code !== 'EPERM')) throw err;
    const st = fs.lstatSync(dir);
    // Only the user's own folders, and only those the run changed (1 s: ctime's coarse clock).
    if (st.uid !== process.getuid?.() || st.ctimeMs < repairSinceMs - 1_000) throw err;
    fs.chmodSync(dir, st.mode | 0o500);
    return fs.readdirSync(dir, { withFileTypes: true });
  }
}

/** The git dir a `.git` entry stands for: itself, a `gitdir:` file's target, or a symlink's target. */
export function gitDirOf(entry: string): string | null {
  try {
    const st = fs.statSync(entry);
    if (st.isDirectory()) return fs.realpathSync(entry);
    if (!st.isFile() || st.size > 4096) return null;
    const m = /^gitdir:\s*(.+?)\s*$/m.exec(readRegularFileSync(entry).toString('utf8')); // never a FIFO: it would block the event loop
    return m ? fs.realpathSync(path.resolve(path.dirname(entry), m[1])) : null;
  } catch {
    return null;
  }
}

/**
 * Paths a git config points at that hold commands (core.hooksPath) or more config
 * (include.path, includeIf.*.path). A plain reader of git's INI format: enough for
 * the keys that matter here; relative paths are relative to the git dir for includes
 * and to the worktree for hooksPath (git-config(1)).
 */
export function configPointers(configText: string, gitDir: string, worktree: string): string[] {
  const out: string[] = [];
  let section = '';
  for (const raw of configText.split('\n')) {
    const line = raw.trim();
    const header = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"(?:[^"\\]|\\.)*")?\s*\]/.exec(line);
    if (header) {
      section = header[1].toLowerCase();
      continue;
    }
    const kv = /^([A-Za-z][A-Za-z0-9-]*)\s*=\s*(.*)$/.exec(line);
    if (!kv) continue;
    const key = `${section}.${kv[1].toLowerCase()}`;
    let value = kv[2].replace(/\s[#;].*$/, '').trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (!value || value.startsWith('~')) continue; // ~ is the user's home: hidden from the sandbox anyway
    if (key === 'core.hookspath') out.push(path.resolve(worktree, value));
    else if ((section === 'include' || section === 'includeif') && kv[1].toLowerCase() === 'path') out.push(path.resolve(gitDir, value));
  }
  return out;
}

/** What to bind read-only before a run, and the identities to compare with afterwards. */
export function gitInventory(workspace: string): GitInventory {
  const takenAtMs = Date.now();
  const { entries, scanned, limits } = findGitEntries(workspace);
  const readOnly = new Set<string>();
  const inside = (p: string): boolean => isSameOrInside(workspace, p);
  // The repository the workspace sits in (a folder task in a subfolder of a repo): its
  // git dir is outside, hence read-only already, but its hooks path may point inside.
  const enclosing = enclosingGitEntry(workspace);
  for (const entry of enclosing ? [{ path: enclosing, id: '' }, ...entries] : entries) {
    // A symlinked .git is guarded through its target (below): a bind on the link would land there anyway.
    if (inside(entry.path) && !isSymlink(entry.path)) readOnly.add(entry.path);
    const gitDir = gitDirOf(entry.path);
    if (!gitDir) continue;
    if (inside(gitDir)) readOnly.add(gitDir);
    const worktree = path.basename(entry.path).toLowerCase() === '.git' ? path.dirname(entry.path) : gitDir;
    const gitmodules = path.join(worktree, '.gitmodules');
    if (inside(gitmodules) && isRegularFile(gitmodules)) readOnly.add(gitmodules);
    let config = '';
    try {
      config = readRegularFileSync(path.join(gitDir, 'config')).toString('utf8'); // a FIFO here would block the event loop
    } catch {
      continue;
    }
    for (const p of configPointers(config, gitDir, worktree)) {
      // Only what exists can be bound; a hooks folder created later inside the workspace
      // is not covered (the config itself is read-only, so the sandbox cannot add one).
      const real = safeReal(p);
      if (real && inside(real)) readOnly.add(real);
    }
  }
  // Shallowest first, and nothing already covered by a parent bind: fewer mounts, same effect.
  const sorted = [...readOnly].sort((a, b) => a.length - b.length);
  const minimal = sorted.filter((p, i) => !sorted.slice(0, i).some((q) => isSameOrInside(q, p)));
  return { entries, readOnly: minimal, scanned, takenAtMs, truncated: limits !== null };
}

/** The nearest `.git` above the workspace, as git's discovery would find it from there. */
function enclosingGitEntry(workspace: string): string | null {
  for (let dir = path.dirname(workspace); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, '.git');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return null;
  }
}

function isRegularFile(p: string): boolean {
  try {
    return fs.lstatSync(p).isFile();
  } catch {
    return false;
  }
}

function isSymlink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

function safeReal(p: string): string | null {
  try {
    return fs.realpathSync(p);
  } catch {
    return null;
  }
}

/** The inventory a backend takes before a run: none at read-only (nothing can be written). */
export function guardGit(workspace: string, level: IsolationLevel): GitInventory | null {
  return level === 'read-only' || level === 'unrestricted' ? null : gitInventory(workspace);
}
