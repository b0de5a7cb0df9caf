// The inotify watch limit, for real: each case runs the watcher in a child process
// inside a fresh user namespace (unshare -U -r) whose own limit
// (/proc/sys/user/max_inotify_watches, per namespace since Linux 5.11) is set to a
// handful, so the host's limit and every other process are untouched.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const REPO = path.resolve(import.meta.dirname, '..', '..');
const WATCHER = path.join(REPO, 'electron', 'core', 'project-folder', 'watch', 'index.ts');

/** Can this machine make a user namespace with its own inotify limit? */
function userNamespaceLimits(): boolean {
  if (process.platform !== 'linux') return false;
  const probe = spawnSync('unshare', ['-U', '-r', 'sh', '-c', 'echo 4 > /proc/sys/user/max_inotify_watches'], { encoding: 'utf8' });
  return probe.status === 0;
}
const available = userNamespaceLimits();

// Runs in the child: start a watch, optionally create folders, print what happened as JSON.
const CHILD = `
const { watchWorkspace } = await import(${JSON.stringify(WATCHER)});
const fs = await import('node:fs/promises');
const [root, mode] = process.argv.slice(1);
const errors = [];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
try {
  const w = await watchWorkspace(root, () => {}, { onError: (e) => errors.push({ code: e.code, reason: e.details?.reason, message: e.message }) });
  if (mode === 'grow') {
    for (let i = 0; i < 12; i++) { await fs.mkdir(root + '/new' + i); await sleep(30); }
    await sleep(300);
  }
  await w.close();
  console.log(JSON.stringify({ started: true, errors }));
} catch (e) {
  console.log(JSON.stringify({ started: false, code: e.code, reason: e.details?.reason, message: e.message }));
}
`;

interface ChildResult {
  started: boolean;
  code?: string;
  reason?: string;
  message?: string;
  errors?: Array<{ code: string; reason?: string; message: string }>;
}

function runWithLimit(limit: number, root: string, mode: 'start' | 'grow'): ChildResult {
  const script = `echo ${limit} > /proc/sys/user/max_inotify_watches && exec "$0" --import tsx --input-type=module -e "$1" "$2" "$3"`;
  const child = spawnSync('unshare', ['-U', '-r', 'sh', '-c', script, process.execPath, CHILD, root, mode], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 20_000,
  });
  const line = child.stdout.trim().split('\n').pop() ?? '';
  if (!line.startsWith('{')) throw new Error(`child failed (${child.status}): ${child.stderr}`);
  return JSON.parse(line) as ChildResult;
}

let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'macs-watch-limit-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe.skipIf(!available)('watchWorkspace at the inotify watch limit', () => {
  it('refuses to start with a NOT_SUPPORTED watch-limit error that says how to fix it', async () => {
    for (let i = 0; i < 20; i++) await mkdir(path.join(root, `d${i}`));
    const result = runWithLimit(8, root, 'start');
    expect(result.started).toBe(false);
    expect(result.code).toBe('NOT_SUPPORTED');
    expect(result.reason).toBe('watch-limit');
    expect(result.message).toMatch(/max_user_watches/);
    expect(result.message).toMatch(/not full/);
  });

  it('reports through onError, once, when folders created later cannot be watched', async () => {
    const result = runWithLimit(6, root, 'grow');
    expect(result.started).toBe(true);
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]).toMatchObject({ code: 'NOT_SUPPORTED', reason: 'watch-limit' });
  });

  it('starts and stays quiet when the limit is not reached', async () => {
    await mkdir(path.join(root, 'a'));
    const result = runWithLimit(64, root, 'grow');
    expect(result).toEqual({ started: true, errors: [] });
  });
});
