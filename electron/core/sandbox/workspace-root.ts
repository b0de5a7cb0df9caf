// The workspace a sandbox binds read-write must be a real project folder: resolved
// through symlinks (bwrap and Seatbelt both act on the resolved path, and a checked
// spelling that differs from the bound one invites confusion), and never the root,
// the home folder, one of its ancestors or a system folder — binding any of those
// read-write would hand the whole machine (or all of ~) to the command.
import fs from 'node:fs';
import path from 'node:path';
import { MacsError } from '../../../shared/errors.js';

/** Folders whose subtree is never a workspace (POSIX; Windows has no sandbox to protect). */
const SYSTEM_ROOTS = ['/bin', '/boot', '/dev', '/etc', '/lib', '/lib32', '/lib64', '/libx32', '/proc', '/run', '/sbin', '/sys', '/usr', '/var/run', '/System', '/private/etc', '/private/var/run'];

function refuse(cwd: string, reason: string): MacsError {
  return new MacsError('INVALID_INPUT', `Refused to sandbox in "${cwd}": ${reason}`, { cwd, reason });
}

function isSameOrInside(parent: string, child: string): boolean {
  if (parent === child) return true;
  const rel = path.relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** Realpath of `cwd`, or INVALID_INPUT when it is missing, not a folder, or too broad. */
export function resolveWorkspaceRoot(cwd: string, home: string): string {
  if (!path.isAbsolute(cwd)) throw refuse(cwd, 'the workspace path must be absolute');
  let real: string;
  try {
    real = fs.realpathSync(cwd);
  } catch {
    throw refuse(cwd, 'the folder does not exist');
  }
  if (!fs.statSync(real).isDirectory()) throw refuse(cwd, 'it is not a folder');
  if (path.dirname(real) === real) throw refuse(cwd, 'it is the filesystem root');
  const realHome = safeRealpath(home);
  for (const h of new Set([home, realHome])) {
    if (h && isSameOrInside(real, h)) throw refuse(cwd, 'it is the home folder or contains it');
  }
  for (const sys of SYSTEM_ROOTS) {
    if (isSameOrInside(sys, real)) throw refuse(cwd, `it is inside the system folder ${sys}`);
  }
  return real;
}

export function safeRealpath(p: string): string | null {
  try {
    return fs.realpathSync(p);
  } catch {
    return null;
  }
}

export { isSameOrInside };
