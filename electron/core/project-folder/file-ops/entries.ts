// Creating, renaming/moving and locating entries of a project folder from the file tree.
// Every path goes through the same guard as workspaces.write (normalisation, then the
// realpath of the parent folder must stay inside the root). The entry itself is NOT
// followed when it is a symlink: renaming or trashing a link moves the link, never what
// it points to (which may be outside the folder).
import { lstat, mkdir, open, realpath, rename } from 'node:fs/promises';
import path from 'node:path';
import { MacsError } from '../../../../shared/errors.js';
import { normalizeWorkspacePath } from '../../files/paths.js';
import { isInsideRoot, resolveInsideRoot } from '../guard/guard.js';

export interface ResolvedEntry {
  /** Normalised relative POSIX path, as the caller should report it. */
  relPath: string;
  /** The entry's absolute path: its real parent folder joined with its own name (not followed). */
  absPath: string;
  parentAbs: string;
}

function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

function outside(relPath: string, reason: string): MacsError {
  return new MacsError('PATH_OUTSIDE_WORKSPACE', `Refused "${relPath}": ${reason}`, { path: relPath, reason });
}

/** The entry at `relPath` (not followed if it is a symlink); its parent folder must resolve inside `root`. */
export async function resolveEntry(root: string, relPath: string): Promise<ResolvedEntry> {
  const normalized = normalizeWorkspacePath(relPath);
  if (!normalized.ok) throw new MacsError('PATH_OUTSIDE_WORKSPACE', `Refused "${relPath}": ${normalized.reason}`, { path: relPath, reason: normalized.reason, refusal: normalized.code });
  if (normalized.path === '') throw outside(relPath, 'that is the project folder itself.');
  const segments = normalized.path.split('/');
  const name = segments.pop() as string;
  const parentAbs = segments.length === 0 ? root : (await resolveInsideRoot(root, segments.join('/'))).absPath;
  return { relPath: normalized.path, absPath: path.join(parentAbs, name), parentAbs };
}

export async function entryExists(absPath: string): Promise<boolean> {
  return lstat(absPath).then(
    () => true,
    (err: unknown) => {
      if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENOTDIR') return false;
      throw err;
    },
  );
}

export async function requireEntry(root: string, relPath: string): Promise<ResolvedEntry & { isFolder: boolean }> {
  const entry = await resolveEntry(root, relPath);
  const info = await lstat(entry.absPath).catch(() => null);
  if (!info) throw new MacsError('FILE_NOT_FOUND', `"${entry.relPath}" is not in the project folder any more.`, { path: entry.relPath });
  return { ...entry, isFolder: info.isDirectory() };
}

function alreadyThere(relPath: string): MacsError {
  return new MacsError('PATH_EXISTS', `"${relPath}" already exists; choose another name.`, { path: relPath });
}

/**
 * Make the entry's parent folders, then check again where they really are: a folder
 * swapped for an outward symlink between the guard and the mkdir is caught here.
 */
export async function prepareParent(root: string, entry: ResolvedEntry): Promise<string> {
  await mkdir(entry.parentAbs, { recursive: true });
  const realParent = await realpath(entry.parentAbs);
  if (!isInsideRoot(root, realParent)) throw outside(entry.relPath, 'its folder resolves outside the workspace.');
  return path.join(realParent, path.basename(entry.absPath));
}

/** A new empty file; refused if anything is there already. */
export async function createFile(root: string, relPath: string): Promise<{ path: string }> {
  const entry = await resolveEntry(root, relPath);
  const target = await prepareParent(root, entry);
  try {
    await (await open(target, 'wx')).close();
  } catch (err) {
    if (errnoCode(err) === 'EEXIST') throw alreadyThere(entry.relPath);
    throw err;
  }
  return { path: entry.relPath };
}

/** A new empty folder (and the folders above it); refused if anything is there already. */
export async function createFolder(root: string, relPath: string): Promise<{ path: string }> {
  const entry = await resolveEntry(root, relPath);
  const target = await prepareParent(root, entry);
  try {
    await mkdir(target);
  } catch (err) {
    if (errnoCode(err) === 'EEXIST') throw alreadyThere(entry.relPath);
    throw err;
  }
  return { path: entry.relPath };
}

/** Rename or move a file or folder inside the project folder; never over an existing entry. */
export async function moveEntry(root: string, from: string, to: string): Promise<{ from: string; to: string }> {
  const source = await requireEntry(root, from);
  const dest = await resolveEntry(root, to);
  if (dest.relPath === source.relPath) return { from: source.relPath, to: dest.relPath };
  if (dest.relPath.startsWith(`${source.relPath}/`)) {
    throw new MacsError('INVALID_INPUT', `"${source.relPath}" cannot be moved into itself ("${dest.relPath}").`, { from: source.relPath, to: dest.relPath });
  }
  // Only a change of letter case may land on "the same" entry (case-insensitive file systems).
  const sameEntryOtherCase = dest.relPath.toLowerCase() === source.relPath.toLowerCase();
  if (!sameEntryOtherCase && (await entryExists(dest.absPath))) throw alreadyThere(dest.relPath);
  const target = await prepareParent(root, dest);
  await rename(source.absPath, target);
  return { from: source.relPath, to: dest.relPath };
}
