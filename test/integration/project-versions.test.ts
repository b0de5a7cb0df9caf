// Project versions against real git and real files: a generated project is a git
// repository the user's own tools read (one commit per turn, MACS trailers), restores
// are new commits that bring files back byte for byte, a damaged repository falls back
// to copies and says so, and an opened folder's git state is never touched.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, readdir, realpath, rm, stat, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeEach, describe, expect, it } from 'vitest';
import { isolateGitHome } from '../fixtures/isolated-git-home.js';
import { MacsError } from '../../shared/errors.js';
import { openProjectHistory, openTaskSnapshot, restoreSnapshotIds, type HistoryTurn, type ProjectHistory } from '../../electron/core/project-folder/index.js';

const run = promisify(execFile);
let base: string;
let dataDir: string;
let seq = 0;

// No identity or config anywhere: committing must not need the user's git setup.
isolateGitHome('macs-versions-home-');
beforeEach(async () => {
  base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'macs-versions-')));
  dataDir = path.join(base, 'data');
});

async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd });
  return stdout;
}

const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** Every file under root except .git: path → sha256 and mode. */
async function fingerprint(root: string, skip: string[] = ['.git']): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const abs = path.join(dir, entry.name);
      const rel = path.relative(root, abs).split(path.sep).join('/');
      if (skip.includes(rel)) continue;
      if (entry.isDirectory()) await walk(abs);
      else out[rel] = `${sha(await readFile(abs))} ${((await stat(abs)).mode & 0o777).toString(8)}`;
    }
  };
  await walk(root);
  return out;
}

async function newGenerated(): Promise<{ root: string; projectId: string; open: () => Promise<ProjectHistory> }> {
  const projectId = `p${++seq}`;
  const root = path.join(dataDir, 'projects', projectId);
  await mkdir(root, { recursive: true });
  return { root, projectId, open: () => openProjectHistory({ root, kind: 'generated', dataDir, projectId }) };
}

const BINARY_V1 = Buffer.from([0, 1, 2, 3, 255, 254, 0, 10, 13, 10]);
const BINARY_V2 = Buffer.from([0, 9, 9, 9, 0, 0, 13, 10, 13]);

/** Three turns: v1 creates files, v2 edits text and binary, v3 deletes, adds and drops the exec bit. */
async function threeTurns(root: string, history: ProjectHistory) {
  await writeFile(path.join(root, 'a.txt'), 'one\r\n');
  await writeFile(path.join(root, 'bin.dat'), BINARY_V1);
  await mkdir(path.join(root, 'src'));
  await writeFile(path.join(root, 'src', 'gone.txt'), 'will be deleted\n');
  await writeFile(path.join(root, 'run.sh'), '#!/bin/sh\necho hi\n');
  await chmod(path.join(root, 'run.sh'), 0o755);
  const v1 = await history.commitTurn({ taskId: 't1', prompt: 'Make a CSV tool', model: 'qwen2.5-coder:7b', outcome: 'SUCCEEDED' });
  await writeFile(path.join(root, 'a.txt'), 'two\r\n');
  await writeFile(path.join(root, 'bin.dat'), BINARY_V2);
  const v2 = await history.commitTurn({ taskId: 't2', prompt: 'Add a --version flag', model: 'qwen2.5-coder:7b', outcome: 'SUCCEEDED' });
  const afterV2 = await fingerprint(root);
  await writeFile(path.join(root, 'a.txt'), 'three\n');
  await writeFile(path.join(root, 'bin.dat'), Buffer.from([7, 0, 7]));
  await unlink(path.join(root, 'src', 'gone.txt'));
  await mkdir(path.join(root, 'lib'));
  await writeFile(path.join(root, 'lib', 'new.txt'), 'added in v3\n');
  await chmod(path.join(root, 'run.sh'), 0o644);
  const v3 = await history.commitTurn({ taskId: 't3', prompt: 'Refactor', model: 'qwen2.5-coder:7b', outcome: 'FAILED' });
  return { v1: v1!, v2: v2!, v3: v3!, afterV2 };
}

describe('generated project: a git repository, one commit per turn', () => {
  it('commits each turn with the prompt and MACS trailers that git log reads, as MACS, with no git config at all', async () => {
    const { root, open } = await newGenerated();
    const history = await open();
    expect(history.backend).toBe('git');
    expect(history.notice).toBeNull();
    expect(await history.commitTurn({ taskId: 't0', prompt: 'nothing', model: 'm' })).toBeNull(); // empty folder: no version

    const longPrompt = `Build a command line tool that converts CSV files to JSON, keeping the column order exactly as given\n\nAlso handle quoted fields.`;
    await writeFile(path.join(root, 'main.py'), 'print(1)\n');
    const v1 = await history.commitTurn({ taskId: 'task-1', prompt: longPrompt, model: 'qwen2.5-coder:7b', outcome: 'SUCCEEDED' });
    expect(v1).toMatchObject({ number: 1, kind: 'turn', taskId: 'task-1', message: longPrompt, filesChanged: 1, current: true, undone: false });

    const subject = (await git(root, 'log', '-1', '--format=%s')).trim();
    expect(subject.length).toBeLessThanOrEqual(72);
    expect(longPrompt.startsWith(subject.replace(/…$/, ''))).toBe(true);
    expect(await git(root, 'log', '-1', '--format=%(trailers:key=MACS-Turn,valueonly)')).toContain('task-1');
    expect(await git(root, 'log', '-1', '--format=%(trailers:key=MACS-Project,valueonly)')).toContain('p');
    expect(await git(root, 'log', '-1', '--format=%(trailers:key=MACS-Model,valueonly)')).toContain('qwen2.5-coder:7b');
    expect(await git(root, 'log', '-1', '--format=%B')).toContain('Also handle quoted fields.');
    expect((await git(root, 'log', '-1', '--format=%an <%ae>|%cn <%ce>')).trim()).toBe('MACS <macs@localhost>|MACS <macs@localhost>');
    expect(await git(root, 'status', '--porcelain')).toBe('');
    expect(await history.commitTurn({ taskId: 'task-2', prompt: 'no change', model: 'm' })).toBeNull();
  });

  it('commits hand edits as their own version before the next turn', async () => {
    const { root, open } = await newGenerated();
    const history = await open();
    await writeFile(path.join(root, 'app.js'), 'let a = 1;\n');
    await history.commitTurn({ taskId: 't1', prompt: 'Make an app', model: 'm' });
    expect(await history.commitHandEdits()).toBeNull();
    await writeFile(path.join(root, 'app.js'), 'let a = 2; // by hand\n');
    await writeFile(path.join(root, 'notes.md'), 'mine\n');
    const edits = await history.commitHandEdits();
    expect(edits).toMatchObject({ number: 2, kind: 'hand-edit', taskId: null, message: 'Edits made by hand', filesChanged: 2 });
    await writeFile(path.join(root, 'app.js'), 'let a = 3;\n');
    await history.commitTurn({ taskId: 't2', prompt: 'Change a', model: 'm' });
    const versions = await (await open()).list();
    expect(versions.map((v) => [v.number, v.kind, v.current])).toEqual([
      [1, 'turn', false],
      [2, 'hand-edit', false],
      [3, 'turn', true],
    ]);
    const diff = await history.diff(versions[1]!.id);
    expect(diff).toEqual([
      { path: 'app.js', status: 'modified', binary: false, before: 'let a = 1;\n', after: 'let a = 2; // by hand\n' },
      { path: 'notes.md', status: 'added', binary: false, before: null, after: 'mine\n' },
    ]);
  });

  it('a commit the user made with separator bytes in its message lists as one version with its own id and time', async () => {
    const { root, open } = await newGenerated();
    const history = await open();
    await writeFile(path.join(root, 'app.js'), 'let a = 1;\n');
    await history.commitTurn({ taskId: 't1', prompt: 'Make an app', model: 'm' });
    await writeFile(path.join(root, 'app.js'), 'let a = 2;\n');
    await git(root, 'add', '-A');
    await git(root, '-c', 'user.name=U', '-c', 'user.email=u@x', 'commit', '-q', '-m', 'mine\x1eevil\x1f123\x1fbody\x01\nmore');
    const versions = await (await open()).list();
    expect(versions).toHaveLength(2);
    expect(versions[1]).toMatchObject({ number: 2, kind: 'hand-edit', filesChanged: 1 });
    expect(versions[1]!.id).toMatch(/^[0-9a-f]{40}$/);
    expect(Number.isFinite(versions[1]!.createdAt)).toBe(true);
  });

  it('restores version 2 byte for byte as a new version, marks the later one undone, and the restore can itself be restored away', async () => {
    const { root, open } = await newGenerated();
    const history = await open();
    const { v2, v3, afterV2 } = await threeTurns(root, history);
    const afterV3 = await fingerprint(root);
    const headBefore = (await git(root, 'rev-parse', 'HEAD')).trim();

    const restored = await history.restore(v2.id);
    expect(restored).toMatchObject({ number: 4, kind: 'restore', message: 'Restore version 2', current: true, undone: false });
    expect(await fingerprint(root)).toEqual(afterV2);
    expect(await readFile(path.join(root, 'bin.dat'))).toEqual(BINARY_V2);
    expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe('two\r\n');
    expect((await stat(path.join(root, 'run.sh'))).mode & 0o111).not.toBe(0);
    await expect(stat(path.join(root, 'lib'))).rejects.toThrow(); // added after v2: gone, its folder too
    expect(await git(root, 'status', '--porcelain')).toBe('');
    // History only grows: the old head is the restore's parent.
    expect((await git(root, 'rev-parse', 'HEAD^')).trim()).toBe(headBefore);

    let versions = await history.list();
    expect(versions.map((v) => v.undone)).toEqual([false, false, true, false]);
    const diff = await history.diff(restored.id);
    expect(diff.find((d) => d.path === 'bin.dat')).toMatchObject({ status: 'modified', binary: true, before: null, after: null });
    expect(diff.find((d) => d.path === 'src/gone.txt')).toMatchObject({ status: 'added', after: 'will be deleted\n' });

    // Restoring the restore: version 3 comes back, and is no longer undone.
    const back = await history.restore(v3.id);
    expect(back).toMatchObject({ number: 5, message: 'Restore version 3' });
    expect(await fingerprint(root)).toEqual(afterV3);
    versions = await history.list();
    expect(versions.map((v) => v.undone)).toEqual([false, false, false, true, false]);

    const files = await history.filesAt(v2.id);
    expect(files.map((f) => f.path).sort()).toEqual(['a.txt', 'bin.dat', 'run.sh', 'src/gone.txt']);
    expect(await files.find((f) => f.path === 'bin.dat')!.read()).toEqual(BINARY_V2);
    expect(files.find((f) => f.path === 'run.sh')!.mode).toBe(0o755);
  });

  it('undoes the last turn (hand edits since are committed first, not lost)', async () => {
    const { root, open } = await newGenerated();
    const history = await open();
    const { afterV2 } = await threeTurns(root, history);
    await writeFile(path.join(root, 'a.txt'), 'hand edit after turn 3\n');
    const undone = await history.undoLastTurn();
    expect(undone).toMatchObject({ number: 5, kind: 'restore', message: 'Restore version 2' });
    expect(await fingerprint(root)).toEqual(afterV2);
    const versions = await history.list();
    expect(versions.map((v) => [v.kind, v.undone])).toEqual([
      ['turn', false],
      ['turn', false],
      ['turn', true],
      ['hand-edit', true],
      ['restore', false],
    ]);
    expect((await history.diff(versions[3]!.id))[0]).toMatchObject({ path: 'a.txt', after: 'hand edit after turn 3\n' });
  });

  it('never commits node_modules, .venv or __pycache__ (even without a .gitignore), respects .gitignore, and a restore leaves them alone', async () => {
    const { root, open } = await newGenerated();
    const history = await open();
    for (const file of ['node_modules/left-pad/index.js', '.venv/lib/site.py', 'pkg/__pycache__/m.cpython-312.pyc', 'build/out.txt', 'src/app.js']) {
      await mkdir(path.dirname(path.join(root, file)), { recursive: true });
      await writeFile(path.join(root, file), 'x');
    }
    const v1 = await history.commitTurn({ taskId: 't1', prompt: 'deps', model: 'm' });
    expect((await git(root, 'ls-tree', '-r', '--name-only', 'HEAD')).trim().split('\n')).toEqual(['build/out.txt', 'src/app.js']);
    await writeFile(path.join(root, '.gitignore'), 'dist/\n*.log\n');
    await mkdir(path.join(root, 'dist'));
    await writeFile(path.join(root, 'dist/bundle.js'), 'b');
    await writeFile(path.join(root, 'debug.log'), 'l');
    await writeFile(path.join(root, 'src/app.js'), 'y');
    await history.commitTurn({ taskId: 't2', prompt: 'ignore dist', model: 'm' });
    expect((await git(root, 'ls-tree', '-r', '--name-only', 'HEAD')).trim().split('\n')).toEqual(['.gitignore', 'build/out.txt', 'src/app.js']);
    expect(await git(root, 'status', '--porcelain')).toBe('');
    await history.restore(v1!.id);
    expect(await readFile(path.join(root, 'node_modules/left-pad/index.js'), 'utf8')).toBe('x');
    expect(await readFile(path.join(root, '.venv/lib/site.py'), 'utf8')).toBe('x');
    expect(await readFile(path.join(root, 'src/app.js'), 'utf8')).toBe('x');
    expect(await readFile(path.join(root, 'dist/bundle.js'), 'utf8')).toBe('b'); // ignored: not the restore's to remove
  });

  it('a folder that already has files (a project made before versions) starts with them as version 1; a detached HEAD is not damage', async () => {
    const { root, open } = await newGenerated();
    await writeFile(path.join(root, 'old.py'), 'print("from an old task")\n');
    const history = await open();
    expect(await history.list()).toMatchObject([{ number: 1, kind: 'initial', filesChanged: 1, current: true }]);
    expect(await history.commitHandEdits()).toBeNull();
    await git(root, 'checkout', '-q', '--detach');
    expect((await open()).backend).toBe('git');
    // Signing asked for in the repository's config (no key exists): MACS's commits are never signed.
    await git(root, 'config', 'commit.gpgSign', 'true');
    await git(root, 'config', 'gpg.program', '/bin/false');
    await writeFile(path.join(root, 'old.py'), 'print("edited")\n');
    expect(await (await open()).commitHandEdits()).toMatchObject({ number: 2, kind: 'hand-edit' });
  });

  it('a version whose objects are gone: VERSION_NOT_FOUND and the folder unchanged', async () => {
    const { root, open } = await newGenerated();
    const history = await open();
    const { v1 } = await threeTurns(root, history);
    // v1's a.txt ("one\r\n") exists only in v1: remove its loose object.
    const oid = (await git(root, 'rev-parse', `${v1.id}:a.txt`)).trim();
    await unlink(path.join(root, '.git', 'objects', oid.slice(0, 2), oid.slice(2)));
    const before = await fingerprint(root);
    const head = (await git(root, 'rev-parse', 'HEAD')).trim();
    const err = await history.restore(v1.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MacsError);
    expect((err as MacsError).code).toBe('VERSION_NOT_FOUND');
    expect((err as MacsError).message).toMatch(/Version 1 cannot be restored.*no file was changed/);
    expect(await fingerprint(root)).toEqual(before);
    expect((await git(root, 'rev-parse', 'HEAD')).trim()).toBe(head);
    await expect(history.restore('not-a-version')).rejects.toMatchObject({ code: 'VERSION_NOT_FOUND' });
  });
});

describe('generated project: a damaged repository falls back to copies in the data dir', () => {
  const damages: Array<[string, (root: string) => Promise<void>]> = [
    ['.git deleted', (root) => rm(path.join(root, '.git'), { recursive: true, force: true })],
    ['HEAD corrupt', (root) => writeFile(path.join(root, '.git', 'HEAD'), 'garbage\n')],
    [
      'an object of the newest version missing',
      async (root) => {
        const oid = (await git(root, 'rev-parse', 'HEAD:a.txt')).trim();
        await unlink(path.join(root, '.git', 'objects', oid.slice(0, 2), oid.slice(2)));
      },
    ],
  ];
  for (const [name, damage] of damages) {
    it(`${name}: backend "snapshots" with a notice, and versions keep working`, async () => {
      const { root, open } = await newGenerated();
      await threeTurns(root, await open());
      await damage(root);
      const history = await open();
      expect(history.backend).toBe('snapshots');
      expect(history.notice).toMatch(/damaged or was deleted.*copies/);
      const [initial] = await history.list();
      expect(initial).toMatchObject({ number: 1, kind: 'initial', current: true });
      const atStart = await fingerprint(root);

      await writeFile(path.join(root, 'a.txt'), 'by hand\n');
      expect(await history.commitHandEdits()).toMatchObject({ number: 2, kind: 'hand-edit', filesChanged: 1 });
      await writeFile(path.join(root, 'bin.dat'), BINARY_V1);
      await writeFile(path.join(root, 'extra.txt'), 'new\n');
      const turn = await history.commitTurn({ taskId: 't4', prompt: 'More', model: 'm' });
      expect(turn).toMatchObject({ number: 3, kind: 'turn', taskId: 't4', message: 'More', filesChanged: 2 });
      expect(await history.commitTurn({ taskId: 't5', prompt: 'none', model: 'm' })).toBeNull();

      // The choice is remembered: a later open stays on copies even though .git may look fine again.
      const again = await open();
      expect(again.backend).toBe('snapshots');
      const restored = await again.restore(initial!.id);
      expect(restored).toMatchObject({ number: 4, kind: 'restore', message: 'Restore version 1' });
      expect(await fingerprint(root, ['.git'])).toEqual(atStart);
      expect((await again.list()).map((v) => v.undone)).toEqual([false, true, true, false]);
      expect((await again.diff(turn!.id)).map((d) => [d.path, d.status, d.binary])).toEqual([
        ['bin.dat', 'modified', true],
        ['extra.txt', 'added', false],
      ]);
    });
  }

  it('a repository deleted while its history is open: the next turn is kept as copies instead of failing', async () => {
    const { root, open } = await newGenerated();
    const history = await open();
    await threeTurns(root, history);
    await rm(path.join(root, '.git'), { recursive: true, force: true });
    await writeFile(path.join(root, 'a.txt'), 'after the repository went\n');
    const version = await history.commitTurn({ taskId: 't4', prompt: 'Go on', model: 'm' });
    expect(history.backend).toBe('snapshots');
    expect(history.notice).toMatch(/damaged or was deleted/);
    // The files as they are become the first copy version; the turn's changes are in it.
    expect(version).toBeNull();
    expect(await history.list()).toMatchObject([{ number: 1, kind: 'initial' }]);
    expect((await open()).backend).toBe('snapshots');
  });

  it('a copy that is gone: VERSION_NOT_FOUND and the folder unchanged', async () => {
    const { root, open } = await newGenerated();
    await threeTurns(root, await open());
    await rm(path.join(root, '.git'), { recursive: true, force: true });
    const history = await open();
    const [initial] = await history.list();
    await writeFile(path.join(root, 'a.txt'), 'changed\n');
    await history.commitTurn({ taskId: 't4', prompt: 'change', model: 'm' });
    // The initial version's a.txt ("three\n") is only kept as a copy: remove it.
    const copy = sha(Buffer.from('three\n'));
    await unlink(path.join(dataDir, 'project-versions', 'snapshots', 'blobs', copy.slice(0, 2), copy));
    const before = await fingerprint(root);
    await expect(history.restore(initial!.id)).rejects.toMatchObject({ code: 'VERSION_NOT_FOUND', message: expect.stringMatching(/"a.txt".*no file was changed/) });
    expect(await fingerprint(root)).toEqual(before);
    expect(await history.list()).toHaveLength(2);
  });
});

describe('opened folder: versions from the turns\' snapshots, the user\'s git state untouched', () => {
  async function userRepo(): Promise<string> {
    const root = path.join(base, 'user-repo');
    await mkdir(root);
    await git(root, 'init', '-q');
    await writeFile(path.join(root, 'readme.md'), 'v0\n');
    await writeFile(path.join(root, 'app.py'), 'print("v0")\n');
    await git(root, 'add', '.');
    await git(root, 'commit', '-qm', 'user commit');
    await writeFile(path.join(root, 'stashed.txt'), 'stash me\n');
    await git(root, 'add', 'stashed.txt');
    await git(root, 'stash', 'push', '-q');
    await writeFile(path.join(root, 'staged.txt'), 'staged\n');
    await git(root, 'add', 'staged.txt');
    await writeFile(path.join(root, 'untracked.txt'), 'untracked\n');
    return root;
  }

  /** Everything of the user's git except the work tree's contents (which a restore changes on purpose). */
  async function gitState(root: string) {
    return {
      staged: await git(root, 'diff', '--cached', '--name-status'),
      stash: await git(root, 'stash', 'list'),
      head: await git(root, 'rev-parse', 'HEAD'),
      branch: await git(root, 'symbolic-ref', 'HEAD'),
      index: await git(root, 'ls-files', '--stage'),
      config: await readFile(path.join(root, '.git', 'config'), 'utf8'),
    };
  }

  /** A turn as the engine runs it: each file's before state recorded, then written (null: deleted). */
  async function turn(root: string, taskId: string, writes: Record<string, string | null>): Promise<HistoryTurn> {
    const snapshot = await openTaskSnapshot({ root, taskId, dataDir });
    for (const [file, content] of Object.entries(writes)) {
      await snapshot.recordBeforeWrite(file);
      if (content === null) await unlink(path.join(root, file));
      else {
        await mkdir(path.dirname(path.join(root, file)), { recursive: true });
        await writeFile(path.join(root, file), content);
      }
    }
    const now = Date.now();
    return { id: taskId, prompt: `prompt of ${taskId}`, createdAt: now, startedAt: now, finishedAt: now, fileCount: Object.keys(writes).length };
  }

  it('lists the turns that changed files, restores to a turn by undoing the later ones, and never touches branch, index, stash or config', async () => {
    const root = await userRepo();
    const before = await gitState(root);
    const turns: HistoryTurn[] = [];
    turns.push(await turn(root, 'ft1', { 'app.py': 'print("t1")\n', 'lib/util.py': 'x = 1\n' }));
    const afterT1 = await fingerprint(root);
    turns.push(await turn(root, 'ft2', {}));
    turns.push({ ...(await turn(root, 'ft3', { 'app.py': 'print("t3")\n', 'readme.md': null, 'lib/more.py': 'y = 2\n' })) });
    const afterT3 = await fingerprint(root);
    const statusAfterT3 = await git(root, 'status', '--porcelain');
    const open = () => openProjectHistory({ root, kind: 'folder', dataDir, projectId: 'folder1', turns });
    const history = await open();
    expect(history.backend).toBe('snapshots');
    expect(await history.commitHandEdits()).toBeNull();

    const versions = await history.list();
    expect(versions.map((v) => [v.id, v.number, v.kind, v.message, v.filesChanged, v.current])).toEqual([
      ['ft1', 1, 'turn', 'prompt of ft1', 2, false],
      ['ft3', 2, 'turn', 'prompt of ft3', 3, true],
    ]);
    const diff = await history.diff('ft3');
    expect(diff.map((d) => [d.path, d.status, d.before, d.after])).toEqual([
      ['app.py', 'modified', 'print("t1")\n', 'print("t3")\n'],
      ['lib/more.py', 'added', null, 'y = 2\n'],
      ['readme.md', 'deleted', 'v0\n', null],
    ]);

    const restored = await history.restore('ft1');
    expect(restored).toMatchObject({ number: 3, kind: 'restore', message: 'Restore version 1', current: true });
    expect(await fingerprint(root)).toEqual(afterT1);
    expect((await history.list()).map((v) => v.undone)).toEqual([false, true, false]);
    expect(await gitState(root)).toEqual(before);

    // Restoring the restore away: version 2's files come back.
    const back = await (await open()).restore('ft3');
    expect(back).toMatchObject({ number: 4, message: 'Restore version 2' });
    expect(await fingerprint(root)).toEqual(afterT3);
    expect((await history.list()).map((v) => v.undone)).toEqual([false, false, true, false]);
    expect(await gitState(root)).toEqual(before);
    expect(await git(root, 'status', '--porcelain')).toBe(statusAfterT3);
    // The restores' own snapshots are named for the undo-snapshot pruning to keep.
    const kept = await restoreSnapshotIds(dataDir);
    expect(kept).toEqual([restored.id, back.id]);
  });

  it('a hand edit to a later turn\'s file is kept in the restore\'s snapshot and comes back when the restore is taken back', async () => {
    const root = await userRepo();
    const turns = [await turn(root, 'h1', { 'app.py': 'print("t1")\n' })];
    turns.push(await turn(root, 'h2', { 'app.py': 'print("t2")\n' }));
    await writeFile(path.join(root, 'app.py'), 'print("by hand")\n');
    const history = await openProjectHistory({ root, kind: 'folder', dataDir, projectId: 'folder2', turns });
    await history.restore('h1');
    expect(await readFile(path.join(root, 'app.py'), 'utf8')).toBe('print("t1")\n');
    await history.restore('h2');
    expect(await readFile(path.join(root, 'app.py'), 'utf8')).toBe('print("by hand")\n');
  });

  it('undo last turn, and a later turn whose snapshot is gone: VERSION_NOT_FOUND, folder unchanged', async () => {
    const root = await userRepo();
    const turns = [await turn(root, 'u1', { 'app.py': 'print("t1")\n' })];
    const afterU1 = await fingerprint(root);
    turns.push(await turn(root, 'u2', { 'app.py': 'print("t2")\n', 'new.py': 'n\n' }));
    const history = await openProjectHistory({ root, kind: 'folder', dataDir, projectId: 'folder3', turns });
    expect(await history.undoLastTurn()).toMatchObject({ kind: 'restore', message: 'Restore version 1' });
    expect(await fingerprint(root)).toEqual(afterU1);

    // A turn that wrote files but whose snapshot was discarded cannot be stepped over.
    const lost = await turn(root, 'u3', { 'app.py': 'print("t3")\n' });
    await (await openTaskSnapshot({ root, taskId: 'u3', dataDir })).discard();
    const withGap = await openProjectHistory({ root, kind: 'folder', dataDir, projectId: 'folder3', turns: [...turns, lost] });
    const before = await fingerprint(root);
    await expect(withGap.restore('u1')).rejects.toMatchObject({ code: 'VERSION_NOT_FOUND', message: expect.stringMatching(/u3.*no file was changed/) });
    expect(await fingerprint(root)).toEqual(before);
    await expect(withGap.restore('u3')).rejects.toMatchObject({ code: 'VERSION_NOT_FOUND' });
  });
});
