// The git backend against real repositories: what it writes (a private ref to a commit
// of the before-files) and, above all, what it must never touch: the user's HEAD,
// branch, index, stash and working tree state as `git status` sees it.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, realpath, rm, stat, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isolateGitHome } from '../fixtures/isolated-git-home.js';
import { MacsError } from '../../shared/errors.js';
import { openTaskSnapshot, snapshotRef } from '../../electron/core/project-folder/snapshots/index.js';

const run = promisify(execFile);
const sha = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

let base: string;
let repo: string;
let dataDir: string;
let taskId: string;
let seq = 0;

// No user identity or config anywhere: the snapshot must work on a machine where
// `git commit` would ask "Please tell me who you are".
isolateGitHome('macs-snap-home-');

/** Setup and inspection; identity passed explicitly, as the test user has none. */
async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd });
  return stdout;
}

async function gitFails(cwd: string, ...args: string[]): Promise<boolean> {
  return git(cwd, ...args).then(
    () => false,
    () => true,
  );
}

beforeEach(async () => {
  base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'macs-snap-git-')));
  repo = path.join(base, 'repo');
  dataDir = path.join(base, 'data');
  await mkdir(repo);
  await git(repo, 'init', '-q');
  taskId = `git-task-${process.pid}-${++seq}`;
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

const at = (rel: string) => path.join(repo, rel);

/** Everything of the user's git state that a snapshot must leave alone (status excluded: see the test). */
async function userGitState(cwd: string) {
  const refs = (await git(cwd, 'for-each-ref', '--format=%(refname) %(objectname)'))
    .split('\n')
    .filter((line) => line && !line.startsWith('refs/macs/'));
  return {
    head: await git(cwd, 'rev-parse', 'HEAD').catch(() => 'unborn'),
    branch: await git(cwd, 'symbolic-ref', '-q', 'HEAD').catch(() => 'detached'),
    stash: await git(cwd, 'stash', 'list', '--format=%H %s'),
    staged: await git(cwd, 'diff', '--cached', '--binary'),
    lsFiles: await git(cwd, 'ls-files', '-s'),
    refs,
  };
}

async function fileHash(file: string): Promise<string> {
  return readFile(file).then(sha, () => 'absent');
}

describe('git backend', () => {
  it("never touches the user's HEAD, branch, index, stash or status", async () => {
    await writeFile(at('tracked.txt'), 'v1\n');
    await writeFile(at('staged.txt'), 'v1\n');
    await writeFile(at('gone.txt'), 'tracked, the task deletes it\n');
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-q', '-m', 'first');
    await git(repo, 'checkout', '-q', '-b', 'feature');
    await writeFile(at('tracked.txt'), 'stashed edit\n');
    await git(repo, 'stash', 'push', '-q', '-m', 'user stash');
    await writeFile(at('staged.txt'), 'staged edit\n');
    await git(repo, 'add', 'staged.txt');
    await writeFile(at('staged.txt'), 'staged edit, then more unstaged\n');
    await writeFile(at('tracked.txt'), 'unstaged edit\n');
    await writeFile(at('untracked.txt'), 'untracked\n');

    const statusBefore = await git(repo, 'status', '--porcelain=v1', '-uall');
    const stateBefore = await userGitState(repo);
    const indexBefore = await fileHash(at('.git/index'));
    const indexMtime = (await stat(at('.git/index'))).mtimeMs;

    // The task: edit every kind of file, create one, delete a tracked one. No git
    // command from the test runs until the index has been compared.
    const snap = await openTaskSnapshot({ root: repo, taskId, dataDir });
    expect(snap.backend).toBe('git');
    for (const rel of ['tracked.txt', 'staged.txt', 'untracked.txt', 'gone.txt', 'new/file.txt']) await snap.recordBeforeWrite(rel);
    await writeFile(at('tracked.txt'), 'task\n');
    await writeFile(at('staged.txt'), 'task\n');
    await writeFile(at('untracked.txt'), 'task\n');
    await unlink(at('gone.txt'));
    await mkdir(at('new'));
    await writeFile(at('new/file.txt'), 'task\n');
    expect(await fileHash(at('.git/index'))).toBe(indexBefore);
    await snap.changes();
    await snap.readBefore('staged.txt');
    await snap.undoTask();
    expect(await fileHash(at('.git/index'))).toBe(indexBefore);
    expect((await stat(at('.git/index'))).mtimeMs).toBe(indexMtime);

    expect(await userGitState(repo)).toEqual(stateBefore);
    expect(await git(repo, 'status', '--porcelain=v1', '-uall')).toBe(statusBefore);
    expect(await git(repo, 'stash', 'list')).toContain('user stash');
    // The snapshot itself lives only under refs/macs/.
    expect((await git(repo, 'for-each-ref', '--format=%(refname)', 'refs/macs/')).trim()).toBe(snapshotRef(taskId));
  });

  it('keeps the before-files in a commit on a private ref, one commit per save', async () => {
    await writeFile(at('a.txt'), 'a\n');
    await writeFile(at('tool.sh'), '#!/bin/sh\n');
    await chmod(at('tool.sh'), 0o755);
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-q', '-m', 'first');
    const snap = await openTaskSnapshot({ root: repo, taskId, dataDir });
    await snap.recordBeforeWrite('a.txt');
    await snap.recordBeforeWrite('tool.sh');
    await snap.recordBeforeWrite('created.txt');

    const ref = snapshotRef(taskId);
    expect(await git(repo, 'rev-list', '--count', ref)).toBe('3\n');
    expect(await git(repo, 'log', '-1', '--format=%an <%ae>', ref)).toBe('MACS <macs@localhost>\n');
    const tree = (await git(repo, 'ls-tree', '-r', ref)).trim().split('\n');
    expect(tree).toEqual([
      expect.stringMatching(/^100644 blob [0-9a-f]+\t\.macs-snapshot\.json$/),
      expect.stringMatching(/^100644 blob [0-9a-f]+\tfiles\/a\.txt$/),
      expect.stringMatching(/^100755 blob [0-9a-f]+\tfiles\/tool\.sh$/),
    ]);
    expect(await git(repo, 'show', `${ref}:files/a.txt`)).toBe('a\n');
    const manifest = JSON.parse(await git(repo, 'show', `${ref}:.macs-snapshot.json`));
    expect(manifest).toMatchObject({ backend: 'git', root: repo, files: { 'created.txt': { before: null }, 'a.txt': { before: sha('a\n') } } });
    // The data dir only points at the ref (for the registry).
    const pointer = JSON.parse(await readFile(path.join(dataDir, 'snapshots/tasks', `${taskId}.json`), 'utf8'));
    expect(pointer).toMatchObject({ backend: 'git', ref, root: repo });

    await snap.discard();
    expect(await git(repo, 'for-each-ref', 'refs/macs/')).toBe('');
  });

  it('survives git gc --prune=now: the ref keeps the blobs alive', async () => {
    const binary = Buffer.from([0, 255, 13, 10, 0, 1, 2, 3]);
    await writeFile(at('data.bin'), binary);
    await writeFile(at('notes.txt'), 'line\r\nline\r\n');
    await git(repo, 'add', 'data.bin');
    await git(repo, 'commit', '-q', '-m', 'first');
    // notes.txt is untracked: its blob exists only because of the snapshot.
    const snap = await openTaskSnapshot({ root: repo, taskId, dataDir });
    await snap.recordBeforeWrite('data.bin');
    await snap.recordBeforeWrite('notes.txt');
    await writeFile(at('data.bin'), 'text now');
    await writeFile(at('notes.txt'), 'line\nline\n');

    await git(repo, 'reflog', 'expire', '--expire=now', '--all');
    await git(repo, 'gc', '-q', '--prune=now');
    expect(await git(repo, 'count-objects', '-v')).toMatch(/^count: 0$/m);

    await snap.undoTask();
    expect((await readFile(at('data.bin'))).equals(binary)).toBe(true);
    expect(await readFile(at('notes.txt'), 'utf8')).toBe('line\r\nline\r\n');
  });

  it('works in a repository with no commits yet, and leaves it without any', async () => {
    await writeFile(at('draft.txt'), 'draft\n');
    const statusBefore = await git(repo, 'status', '--porcelain=v1', '-uall');
    const snap = await openTaskSnapshot({ root: repo, taskId, dataDir });
    expect(snap.backend).toBe('git');
    await snap.recordBeforeWrite('draft.txt');
    await snap.recordBeforeWrite('src/new.ts');
    await writeFile(at('draft.txt'), 'changed\n');
    await mkdir(at('src'));
    await writeFile(at('src/new.ts'), 'new\n');
    expect((await snap.changes()).map((c) => c.status)).toEqual(['modified', 'added']);
    await snap.undoTask();

    expect(await readFile(at('draft.txt'), 'utf8')).toBe('draft\n');
    expect(await gitFails(repo, 'rev-parse', '--verify', '-q', 'HEAD')).toBe(true);
    await expect(stat(at('.git/index'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await git(repo, 'status', '--porcelain=v1', '-uall')).toBe(statusBefore);
  });

  it('in a subfolder of a repository, paths are relative to the folder, not the top level', async () => {
    const sub = path.join(repo, 'packages/app');
    await mkdir(path.join(sub, 'src'), { recursive: true });
    await writeFile(path.join(sub, 'src/index.ts'), 'export const app = 1;\n');
    await writeFile(at('top.txt'), 'outside the folder\n');
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-q', '-m', 'monorepo');

    const snap = await openTaskSnapshot({ root: sub, taskId, dataDir });
    expect(snap.backend).toBe('git');
    expect(snap.root).toBe(sub);
    await snap.recordBeforeWrite('src/index.ts');
    await snap.recordBeforeWrite('src/extra.ts');
    await writeFile(path.join(sub, 'src/index.ts'), 'export const app = 2;\n');
    await writeFile(path.join(sub, 'src/extra.ts'), 'extra\n');
    await expect(snap.recordBeforeWrite('../../top.txt')).rejects.toMatchObject({ code: 'PATH_OUTSIDE_WORKSPACE' });

    expect((await snap.changes()).map((c) => `${c.status} ${c.path}`)).toEqual(['added src/extra.ts', 'modified src/index.ts']);
    expect(await git(repo, 'ls-tree', '-r', '--name-only', snapshotRef(taskId))).toBe('.macs-snapshot.json\nfiles/src/index.ts\n');
    await snap.undoTask();
    expect(await git(repo, 'status', '--porcelain=v1', '-uall')).toBe('');
  });

  it('works in a linked worktree (the ref lives in the shared repository)', async () => {
    await writeFile(at('a.txt'), 'a\n');
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-q', '-m', 'first');
    const worktree = path.join(base, 'wt');
    await git(repo, 'worktree', 'add', '-q', '-b', 'side', worktree);
    const snap = await openTaskSnapshot({ root: worktree, taskId, dataDir });
    expect(snap.backend).toBe('git');
    await snap.recordBeforeWrite('a.txt');
    await writeFile(path.join(worktree, 'a.txt'), 'changed\n');
    expect(await git(repo, 'show', `${snapshotRef(taskId)}:files/a.txt`)).toBe('a\n');
    await snap.undoTask();
    expect(await git(worktree, 'status', '--porcelain')).toBe('');
  });

  it('runs no hooks and ignores GIT_DIR / GIT_INDEX_FILE inherited from the environment', async () => {
    const marker = path.join(base, 'hook-ran');
    const hooks = path.join(base, 'hooks');
    await mkdir(hooks);
    for (const hook of ['reference-transaction', 'post-commit', 'pre-commit']) {
      await writeFile(path.join(hooks, hook), `#!/bin/sh\necho ${hook} >> "${marker}"\n`);
      await chmod(path.join(hooks, hook), 0o755);
    }
    await git(repo, 'config', 'core.hooksPath', hooks);
    await writeFile(at('a.txt'), 'a\n');

    const decoy = path.join(base, 'decoy');
    await mkdir(decoy);
    await git(decoy, 'init', '-q');
    process.env.GIT_DIR = path.join(decoy, '.git');
    process.env.GIT_INDEX_FILE = path.join(decoy, '.git/index');
    try {
      const snap = await openTaskSnapshot({ root: repo, taskId, dataDir });
      await snap.recordBeforeWrite('a.txt');
      await writeFile(at('a.txt'), 'b\n');
      await snap.undoTask();
    } finally {
      delete process.env.GIT_DIR;
      delete process.env.GIT_INDEX_FILE;
    }
    await expect(stat(marker)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await git(repo, 'show', `${snapshotRef(taskId)}:files/a.txt`)).toBe('a\n');
    expect(await git(decoy, 'for-each-ref')).toBe('');
    expect(await readFile(at('a.txt'), 'utf8')).toBe('a\n');
  });

  it('fails loudly, without overwriting, when someone else moved the snapshot ref', async () => {
    await writeFile(at('a.txt'), 'a\n');
    await writeFile(at('b.txt'), 'b\n');
    const snap = await openTaskSnapshot({ root: repo, taskId, dataDir });
    await snap.recordBeforeWrite('a.txt');
    const ref = snapshotRef(taskId);
    const emptyTree = '4b825dc642cb6eb9a060e54bf8d69288fbee4904'; // known to every sha1 repository
    const theirs = (await git(repo, 'commit-tree', '-m', 'someone else', emptyTree)).trim();
    await git(repo, 'update-ref', ref, theirs);
    const err = await snap.recordBeforeWrite('b.txt').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MacsError);
    expect((err as MacsError).code).toBe('INTERNAL');
    expect((await git(repo, 'rev-parse', ref)).trim()).toBe(theirs);
    // Not durable, so not recorded: the caller knows the write is not covered.
    expect((await snap.changes()).map((c) => c.path)).toEqual(['a.txt']);
  });
});
