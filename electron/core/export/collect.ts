// Which files an export contains: everything under the root except .git/,
// node_modules/ and tool caches (at any depth) and what .gitignore files exclude, with git's
// precedence (a deeper .gitignore overrides a shallower one; an excluded directory
// is not descended, so nothing below it can be re-included — as in git).
//
// Symlinks: a symlinked *file* is exported (as a regular file holding the target's
// bytes) only when its realpath stays inside the root — the same files the guarded
// Workspace lets you read. Symlinked directories are never descended (cycles, and
// duplicated trees). Sockets, FIFOs and devices are skipped (reading a FIFO blocks).
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { readRegularFile } from '../project-folder/index.js';

export interface ExportFile {
  /** POSIX path relative to the root: the entry name in the zip. */
  path: string;
  /** Where to read the bytes (the symlink target for an inside symlink). */
  absPath: string;
  size: number;
  /** Permission bits, kept in the zip so scripts stay executable. */
  mode: number;
  mtime: Date;
}

// Tool caches are machine-local and may be stale (Python trusts a .pyc whose recorded
// source mtime and size still match): never part of what the user takes away.
const ALWAYS_SKIPPED = new Set(['.git', 'node_modules', '__pycache__', '.pytest_cache', '.mypy_cache', '.ruff_cache']);
const SKIPPED_FILE = /\.py[co]$/;
/**
 * The web check's screenshots are kept out of the project's versions (.macs/.gitignore) but
 * belong in its export: the folder and its PNGs are taken whatever the ignore rules say.
 */
const KEPT_EVEN_IF_IGNORED = /^\.macs(?:\/screenshots(?:\/[^/]+\.png)?)?$/;

/** A file the export left out on purpose, said in manifest.json so nothing goes missing unexplained. */
export interface SkippedExportFile {
  path: string;
  reason: 'symlink_outside' | 'symlink_dangling' | 'symlink_directory' | 'special_file';
}

interface IgnoreLevel {
  /** Directory (relative to root, '' for the root) the .gitignore lives in. */
  base: string;
  rules: Ignore;
}

function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root + path.sep);
}

function isIgnored(levels: IgnoreLevel[], relPath: string, isDir: boolean): boolean {
  if (KEPT_EVEN_IF_IGNORED.test(relPath)) return false;
  let ignored = false;
  for (const level of levels) {
    const local = level.base ? relPath.slice(level.base.length + 1) : relPath;
    const result = level.rules.test(isDir ? `${local}/` : local);
    if (result.ignored) ignored = true;
    else if (result.unignored) ignored = false;
  }
  return ignored;
}

async function loadGitignore(absDir: string, base: string): Promise<IgnoreLevel | null> {
  let text: string;
  try {
    text = (await readRegularFile(path.join(absDir, '.gitignore'))).toString('utf8'); // never a FIFO (it would block)
  } catch {
    return null; // no .gitignore here (or unreadable, e.g. a directory named .gitignore)
  }
  // git matches case-insensitively where the filesystem usually is case-insensitive.
  const rules = ignore({ ignorecase: process.platform === 'darwin' || process.platform === 'win32' }).add(text);
  return { base, rules };
}

/** `skipped`, when given, receives what was left out beyond the ignore rules and tool caches. */
export async function collectExportFiles(root: string, skipped?: SkippedExportFile[]): Promise<ExportFile[]> {
  const realRoot = await realpath(root);
  const out: ExportFile[] = [];

  const walk = async (absDir: string, relDir: string, parentLevels: IgnoreLevel[]): Promise<void> => {
    const own = await loadGitignore(absDir, relDir);
    const levels = own ? [...parentLevels, own] : parentLevels;
    const entries = await readdir(absDir, { withFileTypes: true });
    const subdirs: Array<[string, string]> = [];
    await Promise.all(
      entries.map(async (entry) => {
        if (ALWAYS_SKIPPED.has(entry.name) || (!entry.isDirectory() && SKIPPED_FILE.test(entry.name))) return;
        const abs = path.join(absDir, entry.name);
        const rel = relDir ? `${relDir}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
          if (!isIgnored(levels, rel, true)) subdirs.push([abs, rel]);
          return;
        }
        if (isIgnored(levels, rel, false)) return;
        if (entry.isFile()) {
          const info = await lstat(abs);
          out.push({ path: rel, absPath: abs, size: info.size, mode: info.mode & 0o777, mtime: info.mtime });
        } else if (entry.isSymbolicLink()) {
          const target = await realpath(abs).catch(() => null);
          if (target === null) return void skipped?.push({ path: rel, reason: 'symlink_dangling' });
          if (!isInside(realRoot, target)) return void skipped?.push({ path: rel, reason: 'symlink_outside' });
          const info = await stat(target);
          if (info.isFile()) out.push({ path: rel, absPath: target, size: info.size, mode: info.mode & 0o777, mtime: info.mtime });
          else skipped?.push({ path: rel, reason: info.isDirectory() ? 'symlink_directory' : 'special_file' });
        } else {
          skipped?.push({ path: rel, reason: 'special_file' }); // a FIFO, socket or device: reading it could block
        }
      }),
    );
    for (const [abs, rel] of subdirs) await walk(abs, rel, levels);
  };

  await walk(realRoot, '', []);
  skipped?.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
