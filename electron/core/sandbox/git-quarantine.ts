// The second half of the git guard (git-guard.ts): after a sandboxed command ends, every
// git dir that was not there before it started (a new inode: made, or swapped in) is
// moved out of the workspace into a quarantine folder in the data dir, never deleted,
// and each move is reported as a 'quarantined' audit event the user sees.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { findGitEntries, GIT_SCAN_MAX_DIRS, type GitInventory } from './git-guard.js';
import type { SandboxAudit } from './types.js';

export interface QuarantineResult {
  /** The folder this run's finds went to (null when nothing was found). */
  batch: string | null;
  moved: Array<{ from: string; to: string }>;
  failed: Array<{ path: string; error: string }>;
  truncated: boolean;
}

/**
 * After the run: every git dir the sandbox made or swapped in (an identity not in
 * `before`) moves to `<quarantineDir>/<stamp>/<its path in the workspace>`.
 */
export function quarantineNewGitDirs(workspace: string, before: GitInventory, quarantineDir: string): QuarantineResult {
  const known = new Set(before.entries.map((e) => e.id));
  const after = findGitEntries(workspace);
  const fresh = after.entries.filter((e) => !known.has(e.id));
  const result: QuarantineResult = { batch: null, moved: [], failed: [], truncated: after.truncated };
  if (!fresh.length) return result;
  const stamp = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
  const batch = path.join(quarantineDir, stamp);
  result.batch = batch;
  for (const entry of fresh) {
    const to = path.join(batch, path.relative(workspace, entry.path));
    try {
      fs.mkdirSync(path.dirname(to), { recursive: true });
      moveAcross(entry.path, to);
      result.moved.push({ from: entry.path, to });
    } catch (err) {
      result.failed.push({ path: entry.path, error: (err as Error).message });
    }
  }
  return result;
}

/** rename, or copy then remove when the quarantine is on another filesystem. */
function moveAcross(from: string, to: string): void {
  try {
    fs.renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    fs.cpSync(from, to, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    fs.rmSync(from, { recursive: true, force: true });
  }
}

/** One sentence per outcome, for the task's audit events. */
export function describeQuarantine(workspace: string, r: QuarantineResult): string[] {
  const rel = (p: string): string => path.relative(workspace, p) || '.';
  const lines: string[] = [];
  if (r.moved.length) {
    const what = r.moved.map((m) => rel(m.from)).join(', ');
    lines.push(
      `the command created git metadata (${what}) that your own git would obey (hooks, fsmonitor and other commands in its config): moved out of the workspace to ${r.batch}`,
    );
  }
  for (const f of r.failed) lines.push(`the command created git metadata at ${rel(f.path)} that could not be moved out of the workspace (${f.error}): remove it before running git there`);
  if (r.truncated) lines.push(`the workspace has more than ${GIT_SCAN_MAX_DIRS} folders: git metadata past that point was not checked`);
  return lines;
}

/** A backend's cleanup(): runs the quarantine once, reports each outcome. */
export function gitCleanup(workspace: string, before: GitInventory | null, quarantineDir: string, onAudit?: (a: SandboxAudit) => void, then?: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    try {
      if (before) {
        const result = quarantineNewGitDirs(workspace, before, quarantineDir);
        for (const message of describeQuarantine(workspace, result)) onAudit?.({ kind: 'quarantined', message });
      }
    } finally {
      then?.();
    }
  };
}
