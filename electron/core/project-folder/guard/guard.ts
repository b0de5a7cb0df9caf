// The containment guard every workspace access goes through. normalizeWorkspacePath
// refuses hostile spellings without touching the disk; this adds what only the disk
// knows: symlinks. A path is inside when the realpath of its deepest existing
// ancestor (the path itself if it exists) is the root or below it.
import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { MacsError } from '../../../../shared/errors.js';
import { isGitInternalPath, normalizeWorkspacePath } from '../../files/paths.js';

export function isInsideRoot(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

function outside(relPath: string, reason: string, extra?: Record<string, unknown>): MacsError {
  return new MacsError('PATH_OUTSIDE_WORKSPACE', `Refused "${relPath}": ${reason}`, { path: relPath, reason, ...extra });
}

function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

export interface ResolvedPath {
  /** Normalised relative POSIX path, as the caller should report it. */
  relPath: string;
  /** Absolute path with every existing part realpath'd; safe to open or rename onto. */
  absPath: string;
}

/**
 * Resolve `relPath` under `root` (which must already be realpath'd) or throw
 * PATH_OUTSIDE_WORKSPACE. Symlinks (file or directory) are followed only to check
 * where they land: one that lands inside is fine, the returned absPath is its target.
 * A dangling symlink is refused because a later mkdir/open could follow it anywhere.
 */
export async function resolveInsideRoot(root: string, relPath: string): Promise<ResolvedPath> {
  const normalized = normalizeWorkspacePath(relPath);
  if (!normalized.ok) throw outside(relPath, normalized.reason, { refusal: normalized.code });
  const segments = normalized.path.split('/');

  for (let depth = segments.length; depth >= 0; depth--) {
    const candidate = path.join(root, ...segments.slice(0, depth));
    let real: string;
    try {
      real = await realpath(candidate);
    } catch (err) {
      const code = errnoCode(err);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
      // ENOENT can also mean "a symlink whose target is missing": lstat tells them apart.
      const link = await lstat(candidate).catch(() => null);
      if (link?.isSymbolicLink()) throw outside(normalized.path, 'it goes through a symlink whose target does not exist');
      continue;
    }
    if (!isInsideRoot(root, real)) {
      throw outside(normalized.path, 'a symlink in the path resolves outside the workspace', { resolved: real });
    }
    // A symlink inside the workspace that leads into a .git folder (one left by code run in the
    // sandbox, where .git itself is read-only) must not let a clean-looking path plant hooks.
    if (isGitInternalPath(path.relative(root, real))) {
      throw outside(normalized.path, 'a symlink in the path leads into a .git folder', { resolved: real, refusal: 'GIT_INTERNALS' });
    }
    return { relPath: normalized.path, absPath: path.join(real, ...segments.slice(depth)) };
  }
  // Unreachable while the root exists (depth 0 is the root itself).
  throw new MacsError('FILE_NOT_FOUND', `The workspace root ${root} no longer exists.`, { root });
}
