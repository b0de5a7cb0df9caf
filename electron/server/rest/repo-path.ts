// Where a TaskV1.1 `input.repo.path` points. Absolute paths are taken as they are. The
// Phase-1 README's "./workspace" is that MVP's new-project root: the task starts a new
// project. Any other relative path resolves against one documented root: MACS_WORKSPACE_ROOT
// when the server has it, else the home directory of the user running the server. Never the
// server's working directory, which depends on how it happened to be started.
import os from 'node:os';
import path from 'node:path';
import { isNewProjectRepoPath } from '../../../shared/index.js';
import { invalidInput } from './http.js';

/** The folder relative repo paths resolve against (README: "Coming from the earlier MACS"). */
export function relativeRepoRoot(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.MACS_WORKSPACE_ROOT?.trim();
  if (!configured) return os.homedir();
  if (!path.isAbsolute(configured)) {
    const message = `The server's MACS_WORKSPACE_ROOT ("${configured}") is not an absolute path, so relative paths cannot be resolved; give an absolute path, or "./workspace" for a new project.`;
    throw invalidInput(`input.repo.path: ${message}`, [{ path: 'input.repo.path', message }]);
  }
  return configured;
}

/** The folder the task works in, or undefined for a new project (no path, or "./workspace"). */
export function resolveRepoPath(raw: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (raw === undefined || isNewProjectRepoPath(raw)) return undefined;
  const trimmed = raw.trim();
  if (path.isAbsolute(trimmed)) return trimmed;
  const expanded = trimmed === '~' || trimmed.startsWith('~/') ? path.join(os.homedir(), trimmed.slice(1)) : null;
  return expanded ?? path.resolve(relativeRepoRoot(env), trimmed);
}
