// Running the real git binary for plumbing. Every call is pinned to one repository
// (GIT_DIR), runs without hooks (update-ref fires reference-transaction hooks), with
// MACS's own identity (it works where the user has none configured), and never inherits
// variables that would point it at another repository, index or ref namespace.
import { spawn } from 'node:child_process';
import { realpath } from 'node:fs/promises';
import { MacsError } from '../../../../shared/errors.js';
import { isInsideRoot } from '../guard/index.js';
import { diskFullFromText } from '../../db/index.js';

export interface GitRepo {
  /** Realpath of the work tree's top level. */
  toplevel: string;
  /** Absolute git dir (for a linked worktree, its own; refs and objects resolve to the common dir). */
  gitDir: string;
}

export interface GitCall {
  /** Bytes for stdin; stdin is closed either way, so no command waits for input. */
  input?: Uint8Array | string;
  /** Exit codes that are answers, not failures (e.g. 1 from `rev-parse --verify --quiet`). */
  okCodes?: number[];
  cwd?: string;
}

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export const GIT_CONFIG_ARGS = [
  ['core.hooksPath', '/dev/null'],
  ['core.fsmonitor', 'false'],
  ['gc.auto', '0'],
  ['maintenance.auto', 'false'],
].flatMap(([key, value]) => ['-c', `${key}=${value}`]);

// Inherited variables that would redirect git to another repository, index or identity.
const SCRUBBED = /^GIT_(DIR|WORK_TREE|INDEX_FILE|INDEX_VERSION|OBJECT_DIRECTORY|ALTERNATE_OBJECT_DIRECTORIES|COMMON_DIR|NAMESPACE|QUARANTINE_PATH|PREFIX|AUTHOR_\w+|COMMITTER_\w+)$/;

export function gitEnv(gitDir: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!SCRUBBED.test(key)) env[key] = value;
  Object.assign(env, {
    GIT_AUTHOR_NAME: 'MACS',
    GIT_AUTHOR_EMAIL: 'macs@localhost',
    GIT_COMMITTER_NAME: 'MACS',
    GIT_COMMITTER_EMAIL: 'macs@localhost',
    GIT_TERMINAL_PROMPT: '0',
    // Answer each request as it is read, even though stdout is a pipe (see GitPipe).
    GIT_FLUSH: '1',
  });
  if (gitDir) env.GIT_DIR = gitDir;
  return env;
}

// A task recording many files at once must not start hundreds of processes at once.
const MAX_CONCURRENT = 6;
let active = 0;
const waiting: Array<() => void> = [];

async function withSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (active >= MAX_CONCURRENT) await new Promise<void>((resolve) => waiting.push(resolve));
  active++;
  try {
    return await fn();
  } finally {
    active--;
    waiting.shift()?.();
  }
}

function spawnGit(args: string[], gitDir: string | undefined, call: GitCall): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...GIT_CONFIG_ARGS, ...args], { cwd: call.cwd ?? gitDir, env: gitEnv(gitDir), stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.stdin.on('error', () => undefined); // EPIPE when git exits early; its exit code tells why
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8').trim() }));
    child.stdin.end(call.input ?? '');
  });
}

/** Run `git <args>` against `gitDir`; a non-zero exit not in okCodes is a MacsError INTERNAL. */
export async function runGit(gitDir: string | undefined, args: string[], call: GitCall = {}): Promise<GitResult> {
  const result = await withSlot(() => spawnGit(args, gitDir, call)).catch((err: unknown) => {
    throw new MacsError('INTERNAL', `Could not run git ${args[0]}: ${err instanceof Error ? err.message : String(err)}`, { args });
  });
  if (result.code !== 0 && !(call.okCodes ?? []).includes(result.code)) {
    // git says "No space left on device" only in its text: the task fails with DISK_FULL, not INTERNAL.
    const full = diskFullFromText(result.stderr, { path: gitDir ?? process.cwd(), what: `the undo snapshot (git ${args[0]})` });
    if (full) throw full;
    throw new MacsError('INTERNAL', `git ${args[0]} failed (exit ${result.code}): ${result.stderr}`, { args, exitCode: result.code, stderr: result.stderr });
  }
  return result;
}

/** Objects by id with their type, in one `cat-file --batch`; a missing one is absent from the map. */
export async function readObjects(gitDir: string, ids: string[], call: GitCall = {}): Promise<Map<string, { type: string; data: Buffer }>> {
  const unique = [...new Set(ids)];
  const found = new Map<string, { type: string; data: Buffer }>();
  if (unique.length === 0) return found;
  const out = (await runGit(gitDir, ['cat-file', '--batch'], { ...call, input: unique.map((id) => `${id}\n`).join('') })).stdout;
  let at = 0;
  for (const id of unique) {
    const eol = out.indexOf(0x0a, at);
    const header = out.subarray(at, eol).toString('utf8').split(' '); // "<id> <type> <size>" or "<id> missing"
    if (header[1] === 'missing') {
      at = eol + 1;
      continue;
    }
    const size = Number(header[2]);
    found.set(id, { type: header[1]!, data: Buffer.from(out.subarray(eol + 1, eol + 1 + size)) });
    at = eol + 1 + size + 1;
  }
  return found;
}

/** First line of stdout, trimmed (an object id, a path). */
export function firstLine(result: GitResult): string {
  return result.stdout.toString('utf8').split('\n', 1)[0]!.trim();
}

/**
 * The repository whose work tree holds `root` (a realpath), or null: not in a work tree,
 * a bare repository, inside .git, git not installed, or a repository git refuses to use
 * (safe.directory). Null means the copy backend, which needs none of that.
 */
export async function findGitRepo(root: string): Promise<GitRepo | null> {
  let result: GitResult;
  try {
    result = await runGit(undefined, ['rev-parse', '--show-toplevel', '--absolute-git-dir'], { cwd: root, okCodes: [128, 129] });
  } catch {
    return null; // git is not installed (spawn failed): the copy backend works without it
  }
  if (result.code !== 0) return null;
  const [toplevel, gitDir] = result.stdout.toString('utf8').split('\n');
  if (!toplevel || !gitDir) return null;
  const realTop = await realpath(toplevel);
  return isInsideRoot(realTop, root) ? { toplevel: realTop, gitDir } : null;
}
