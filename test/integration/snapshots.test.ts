// Undo snapshots, both backends, against real folders: a git work tree (git backend) and
// a plain folder (copy backend). Every test changes real files the way a task would
// (record, then write/delete) and checks what the review and undo see and do.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, realpath, rm, stat, symlink, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MacsError } from '../../shared/errors.js';
import { openTaskSnapshot, pruneBlobs, SnapshotRegistry, type TaskSnapshot } from '../../electron/core/project-folder/snapshots/index.js';

const run = promisify(execFile);
const REPO_ROOT = path.resolve(__dirname, '../..');
const sha = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** Setup-only git calls (the code under test brings its own identity and config). */
async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd });
  return stdout;
}

/** Every file and directory under `dir` (except .git): bytes (hex) and permission bits. */
async function capture(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (abs: string, rel: string) => {
    for (const entry of await readdir(abs, { withFileTypes: true })) {
      if (entry.name === '.git') continue;
      const childAbs = path.join(abs, entry.name);
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      const info = await lstat(childAbs);
      if (entry.isDirectory()) {
        out[`${childRel}/`] = 'dir';
        await walk(childAbs, childRel);
      } else {
        out[childRel] = `${(info.mode & 0o7777).toString(8)} ${(await readFile(childAbs)).toString('hex')}`;
      }
    }
  };
  await walk(dir, '');
  return out;
}

async function expectRefused(promise: Promise<unknown>, code = 'PATH_OUTSIDE_WORKSPACE'): Promise<void> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MacsError);
  expect((err as MacsError).code).toBe(code);
}

const BINARY = Buffer.concat([Buffer.from([0, 1, 2, 0xff, 0xfe, 0, 0x0d, 0x0a]), randomBytes(4096)]);
const CRLF = 'line one\r\nline two\r\n\r\nend without newline';

/** The fixture project a task will change. */
async function writeFixture(root: string): Promise<void> {
  await mkdir(path.join(root, 'src/lib'), { recursive: true });
  await writeFile(path.join(root, 'README.md'), '# fixture\n');
  await writeFile(path.join(root, 'src/main.ts'), 'export const main = 1;\n');
  await writeFile(path.join(root, 'src/lib/util.ts'), 'export const util = 2;\n');
  await writeFile(path.join(root, 'crlf.txt'), CRLF);
  await writeFile(path.join(root, 'image.bin'), BINARY);
  await writeFile(path.join(root, 'run.sh'), '#!/bin/sh\necho hi\n');
  await chmod(path.join(root, 'run.sh'), 0o755);
  await writeFile(path.join(root, 'secret.env'), 'TOKEN=1\n');
  await chmod(path.join(root, 'secret.env'), 0o600);
}

let base: string;
let root: string;
let dataDir: string;
let taskSeq = 0;
let taskId: string;

type Backend = 'git' | 'copy';

async function setUp(backend: Backend): Promise<void> {
  base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'macs-snap-'))); // snapshots report realpaths
  root = path.join(base, 'project');
  dataDir = path.join(base, 'data');
  await mkdir(root);
  await writeFixture(root);
  if (backend === 'git') {
    await git(root, 'init', '-q');
    await git(root, 'add', '-A');
    await git(root, 'commit', '-q', '-m', 'fixture');
  }
  taskId = `task-${process.pid}-${++taskSeq}`;
}

const open = () => openTaskSnapshot({ root, taskId, dataDir });
const at = (rel: string) => path.join(root, rel);

/** A task's typical work: modify, create (in new dirs), delete, rewrite binary and CRLF, edit an executable. */
async function doTask(snap: TaskSnapshot): Promise<void> {
  for (const rel of ['src/main.ts', 'src/new/deep/added.ts', 'README.md', 'image.bin', 'crlf.txt', 'run.sh', 'secret.env']) {
    await snap.recordBeforeWrite(rel);
  }
  await writeFile(at('src/main.ts'), 'export const main = 42;\n');
  await mkdir(at('src/new/deep'), { recursive: true });
  await writeFile(at('src/new/deep/added.ts'), 'export {};\n');
  await unlink(at('README.md'));
  await writeFile(at('image.bin'), Buffer.concat([BINARY, Buffer.from([0])]));
  await writeFile(at('crlf.txt'), CRLF.replace(/\r\n/g, '\n'));
  await writeFile(at('run.sh'), '#!/bin/sh\necho changed\n'); // keeps its mode, like the workspace writer
  await unlink(at('secret.env'));
}

describe.each<Backend>(['git', 'copy'])('TaskSnapshot (%s backend)', (backend) => {
  beforeEach(() => setUp(backend));
  afterEach(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('picks the backend from the folder', async () => {
    const snap = await open();
    expect(snap.backend).toBe(backend);
    expect(snap.taskId).toBe(taskId);
    expect(snap.root).toBe(root);
    expect(await snap.changes()).toEqual([]);
  });

  it('lists what the task changed, with sizes and hashes on both sides', async () => {
    const snap = await open();
    await doTask(snap);
    const changes = await snap.changes();
    const byPath = Object.fromEntries(changes.map((c) => [c.path, c]));
    expect(changes.map((c) => c.path)).toEqual(['README.md', 'crlf.txt', 'image.bin', 'run.sh', 'secret.env', 'src/main.ts', 'src/new/deep/added.ts']);
    expect(Object.fromEntries(changes.map((c) => [c.path, c.status]))).toEqual({
      'README.md': 'deleted',
      'crlf.txt': 'modified',
      'image.bin': 'modified',
      'run.sh': 'modified',
      'secret.env': 'deleted',
      'src/main.ts': 'modified',
      'src/new/deep/added.ts': 'added',
    });
    expect(byPath['README.md']!.before).toEqual({ sha256: sha('# fixture\n'), size: 10, mode: expect.any(Number) });
    expect(byPath['README.md']!.after).toBeNull();
    expect(byPath['src/new/deep/added.ts']!.before).toBeNull();
    expect(byPath['src/new/deep/added.ts']!.after).toMatchObject({ sha256: sha('export {};\n'), size: 11 });
    expect(byPath['image.bin']!.before).toMatchObject({ sha256: sha(BINARY), size: BINARY.length });
    expect(byPath['image.bin']!.after!.size).toBe(BINARY.length + 1);
    expect(byPath['run.sh']!.before!.mode).toBe(0o755);
    expect(changes.every((c) => c.accepted === false)).toBe(true);
  });

  it('reads the before side byte for byte (binary, CRLF) and null for a created file', async () => {
    const snap = await open();
    await doTask(snap);
    expect((await snap.readBefore('image.bin'))!.equals(BINARY)).toBe(true);
    expect((await snap.readBefore('crlf.txt'))!.toString('utf8')).toBe(CRLF);
    expect(await snap.readBefore('src/new/deep/added.ts')).toBeNull();
    await expectRefused(snap.readBefore('src/never-touched.ts'), 'FILE_NOT_FOUND');
  });

  it('reverts each kind of change exactly, one file at a time', async () => {
    const original = await capture(root);
    const snap = await open();
    await doTask(snap);

    expect(await snap.revertFile('src/main.ts')).toBe('restored');
    expect(await readFile(at('src/main.ts'), 'utf8')).toBe('export const main = 1;\n');
    expect(await snap.revertFile('image.bin')).toBe('restored');
    expect((await readFile(at('image.bin'))).equals(BINARY)).toBe(true);
    expect(await snap.revertFile('crlf.txt')).toBe('restored');
    expect(await readFile(at('crlf.txt'), 'utf8')).toBe(CRLF);

    // Created: deleted, and the directories it needed go too (src/ existed, so it stays).
    expect(await snap.revertFile('src/new/deep/added.ts')).toBe('deleted');
    await expect(stat(at('src/new'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await stat(at('src'))).isDirectory()).toBe(true);

    // Deleted: recreated with its mode (a 0600 file comes back 0600).
    expect(await snap.revertFile('secret.env')).toBe('recreated');
    expect((await stat(at('secret.env'))).mode & 0o777).toBe(0o600);
    expect(await snap.revertFile('README.md')).toBe('recreated');
    expect(await snap.revertFile('run.sh')).toBe('restored');

    // Reverting again changes nothing.
    expect(await snap.revertFile('src/main.ts')).toBe('unchanged');
    expect(await capture(root)).toEqual(original);
    expect((await snap.changes()).map((c) => c.status)).toEqual(Array(7).fill('unchanged'));
  });

  it('undoes the whole task byte for byte, with modes, and says what it did', async () => {
    const original = await capture(root);
    const snap = await open();
    await doTask(snap);
    // A mode-only change by the task is undone too.
    await snap.recordBeforeWrite('src/lib/util.ts');
    await chmod(at('src/lib/util.ts'), 0o755);

    const summary = await snap.undoTask();
    expect(await capture(root)).toEqual(original);
    expect(summary).toMatchObject({ restored: 5, deleted: 1, recreated: 2, unchanged: 0 });
    expect(summary.paths.deleted).toEqual(['src/new/deep/added.ts']);
    expect(summary.paths.recreated).toEqual(['README.md', 'secret.env']);
    expect(summary.paths.removedDirs).toEqual(['src/new/deep', 'src/new']);
    expect((await stat(at('run.sh'))).mode & 0o777).toBe(0o755);

    // Idempotent: a second undo finds everything in place.
    expect(await snap.undoTask()).toMatchObject({ restored: 0, deleted: 0, recreated: 0, unchanged: 8 });
  });

  it('undoes a file replaced by a directory and a directory replaced by a file', async () => {
    const original = await capture(root);
    const snap = await open();
    // README.md (a file) becomes a directory with a file inside.
    await snap.recordBeforeWrite('README.md');
    await unlink(at('README.md'));
    await snap.recordBeforeWrite('README.md/index.md');
    await mkdir(at('README.md'));
    await writeFile(at('README.md/index.md'), 'moved\n');
    // src/lib (a directory) becomes a file.
    await snap.recordBeforeWrite('src/lib/util.ts');
    await rm(at('src/lib'), { recursive: true });
    await snap.recordBeforeWrite('src/lib');
    await writeFile(at('src/lib'), 'now a file\n');

    await snap.undoTask();
    expect(await capture(root)).toEqual(original);
  });

  it('undo tries every file and reports, with a typed error, the ones it could not restore', async () => {
    const snap = await open();
    await snap.recordBeforeWrite('src/main.ts');
    await snap.recordBeforeWrite('made-dir');
    await writeFile(at('src/main.ts'), 'changed\n');
    await mkdir(at('made-dir'));
    await writeFile(at('made-dir/inner.txt'), 'not recorded\n');

    const err = await snap.undoTask().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MacsError);
    expect((err as MacsError).code).toBe('NOT_SUPPORTED');
    expect((err as MacsError).details).toMatchObject({
      failures: [{ path: 'made-dir', code: 'NOT_SUPPORTED' }],
      summary: { restored: 1, paths: { restored: ['src/main.ts'] } },
    });
    expect(await readFile(at('src/main.ts'), 'utf8')).toBe('export const main = 1;\n');
    expect(await readFile(at('made-dir/inner.txt'), 'utf8')).toBe('not recorded\n');
  });

  it('keeps the first state when a path is recorded again', async () => {
    const snap = await open();
    await snap.recordBeforeWrite('src/main.ts');
    await writeFile(at('src/main.ts'), 'second\n');
    await snap.recordBeforeWrite('src/main.ts');
    await snap.recordBeforeWrite('./src//main.ts'); // another spelling of the same path
    await writeFile(at('src/main.ts'), 'third\n');
    // A created file recorded again after it exists is still "did not exist".
    await snap.recordBeforeWrite('fresh.txt');
    await writeFile(at('fresh.txt'), 'one\n');
    await snap.recordBeforeWrite('fresh.txt');

    expect((await snap.readBefore('src/main.ts'))!.toString()).toBe('export const main = 1;\n');
    expect(await snap.readBefore('fresh.txt')).toBeNull();
    await snap.undoTask();
    expect(await readFile(at('src/main.ts'), 'utf8')).toBe('export const main = 1;\n');
    await expect(stat(at('fresh.txt'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('shares one record between concurrent calls for the same path', async () => {
    const snap = await open();
    const paths = Array.from({ length: 40 }, (_, i) => `gen/file-${i}.txt`);
    await Promise.all([...paths, ...paths, 'src/main.ts', 'src/main.ts'].map((p) => snap.recordBeforeWrite(p)));
    expect((await snap.changes()).length).toBe(41);
  });

  it('refuses paths outside the root, including through a symlink', async () => {
    const outside = path.join(base, 'outside');
    await mkdir(outside);
    await writeFile(path.join(outside, 'victim.txt'), 'keep me\n');
    await symlink(outside, at('escape'));
    const snap = await open();
    await expectRefused(snap.recordBeforeWrite('../outside/victim.txt'));
    await expectRefused(snap.recordBeforeWrite(path.join(outside, 'victim.txt')));
    await expectRefused(snap.recordBeforeWrite('escape/victim.txt'));
    await expectRefused(snap.revertFile('../outside/victim.txt'));
    await expectRefused(snap.recordBeforeWrite('.git/config'));
    expect(await snap.changes()).toEqual([]);
    expect(await readFile(path.join(outside, 'victim.txt'), 'utf8')).toBe('keep me\n');
  });

  it('refuses to restore into a directory that was swapped for an outward symlink', async () => {
    const outside = path.join(base, 'outside');
    await mkdir(outside);
    const snap = await open();
    await snap.recordBeforeWrite('src/lib/util.ts');
    await rm(at('src/lib'), { recursive: true });
    await symlink(outside, at('src/lib'));
    await expectRefused(snap.revertFile('src/lib/util.ts'));
    expect(await readdir(outside)).toEqual([]);
  });

  it('refuses to snapshot a directory', async () => {
    const snap = await open();
    await expectRefused(snap.recordBeforeWrite('src'), 'NOT_SUPPORTED');
  });

  it('accept leaves the pending review, a later write brings it back, undo still restores it', async () => {
    const snap = await open();
    await doTask(snap);
    await snap.acceptFile('src/main.ts');
    await snap.acceptFile('README.md'); // accepting a deletion
    const all = await snap.changes();
    expect(all.filter((c) => c.accepted).map((c) => c.path)).toEqual(['README.md', 'src/main.ts']);
    expect((await snap.changes({ pendingOnly: true })).map((c) => c.path)).not.toContain('src/main.ts');

    await writeFile(at('src/main.ts'), 'the task wrote it again\n');
    expect((await snap.changes({ pendingOnly: true })).map((c) => c.path)).toContain('src/main.ts');

    await snap.undoTask();
    expect(await readFile(at('src/main.ts'), 'utf8')).toBe('export const main = 1;\n');
    expect(await readFile(at('README.md'), 'utf8')).toBe('# fixture\n');
    expect((await snap.changes()).every((c) => !c.accepted && c.status === 'unchanged')).toBe(true);
  });

  it('survives a new process: another process re-opens the snapshot and undoes the task', async () => {
    const original = await capture(root);
    const snap = await open();
    await doTask(snap);

    const script = path.join(base, 'undo-in-child.mts');
    const entry = path.join(REPO_ROOT, 'electron/core/project-folder/snapshots/index.ts');
    await writeFile(
      script,
      `import { openTaskSnapshot } from ${JSON.stringify(entry)};
const [root, taskId, dataDir] = process.argv.slice(2);
const snap = await openTaskSnapshot({ root, taskId, dataDir });
const changes = await snap.changes();
const summary = await snap.undoTask();
process.stdout.write(JSON.stringify({ backend: snap.backend, changes: changes.map((c) => c.status), summary }));
`,
    );
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script, root, taskId, dataDir], { cwd: REPO_ROOT });
    const child = JSON.parse(stdout) as { backend: string; changes: string[]; summary: { restored: number; deleted: number; recreated: number } };
    expect(child.backend).toBe(backend);
    expect(child.changes.filter((s) => s !== 'unchanged')).toHaveLength(7);
    expect(child.summary).toMatchObject({ restored: 4, deleted: 1, recreated: 2 });
    expect(await capture(root)).toEqual(original);
  });

  it('discard forgets the snapshot; the registry lists what is left', async () => {
    const snap = await open();
    await doTask(snap);
    const registry = new SnapshotRegistry(dataDir);
    expect((await registry.list()).snapshots).toEqual([{ taskId, backend, root, updatedAt: expect.any(Number) }]);
    expect(await registry.get(taskId)).toMatchObject({ backend });

    await snap.discard();
    await expectRefused(snap.changes(), 'INVALID_INPUT');
    expect((await registry.list()).snapshots).toEqual([]);
    const reopened = await open();
    expect(reopened).not.toBe(snap);
    expect(await reopened.changes()).toEqual([]);
    // The task's changes stay on disk: discarding is not undoing.
    expect(await readFile(at('src/main.ts'), 'utf8')).toBe('export const main = 42;\n');
  });

  it('refuses to open the same task on another folder', async () => {
    const snap = await open();
    await snap.recordBeforeWrite('src/main.ts');
    const other = path.join(base, 'other');
    await mkdir(other);
    await expectRefused(openTaskSnapshot({ root: other, taskId, dataDir }), 'INVALID_INPUT');
  });

  it('refuses task ids that cannot name a file or a ref', async () => {
    for (const bad of ['', '../x', 'a/b', '.hidden', 'x.lock', 'a..b', 'a b']) {
      await expectRefused(openTaskSnapshot({ root, taskId: bad, dataDir }), 'INVALID_INPUT');
    }
  });
});

describe('copy backend storage', () => {
  beforeEach(() => setUp('copy'));
  afterEach(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('keeps content-addressed blobs (deduplicated) and a per-task manifest', async () => {
    await writeFile(at('copy-of-main.ts'), 'export const main = 1;\n'); // same bytes as src/main.ts
    const snap = await open();
    await snap.recordBeforeWrite('src/main.ts');
    await snap.recordBeforeWrite('copy-of-main.ts');
    await snap.recordBeforeWrite('created.txt');

    const digest = sha('export const main = 1;\n');
    const blob = path.join(dataDir, 'snapshots/blobs', digest.slice(0, 2), digest);
    expect(await readFile(blob, 'utf8')).toBe('export const main = 1;\n');
    expect(await readdir(path.join(dataDir, 'snapshots/blobs', digest.slice(0, 2)))).toEqual([digest]);

    const manifest = JSON.parse(await readFile(path.join(dataDir, 'snapshots/tasks', `${taskId}.json`), 'utf8'));
    expect(manifest).toMatchObject({
      backend: 'copy',
      root,
      files: {
        'src/main.ts': { before: digest, beforeSize: 23, beforeMode: expect.any(Number) },
        'copy-of-main.ts': { before: digest },
        'created.txt': { before: null },
      },
    });
  });

  it('refuses to restore from a damaged copy and leaves the file as it is', async () => {
    const snap = await open();
    await snap.recordBeforeWrite('src/main.ts');
    await writeFile(at('src/main.ts'), 'task version\n');
    const digest = sha('export const main = 1;\n');
    const blob = path.join(dataDir, 'snapshots/blobs', digest.slice(0, 2), digest);
    await writeFile(blob, 'bit rot\n');
    await expectRefused(snap.revertFile('src/main.ts'), 'INTERNAL');
    await expectRefused(snap.undoTask(), 'INTERNAL');
    expect(await readFile(at('src/main.ts'), 'utf8')).toBe('task version\n');
  });

  it('pruneBlobs removes what no live task needs, and orphaned task snapshots', async () => {
    const snap = await open();
    await snap.recordBeforeWrite('src/main.ts');
    const other = await openTaskSnapshot({ root, taskId: `${taskId}-b`, dataDir });
    await other.recordBeforeWrite('src/lib/util.ts');
    const blobs = async () => (await readdir(path.join(dataDir, 'snapshots/blobs'), { recursive: true })).filter((n) => n.includes('/')).length;
    expect(await blobs()).toBe(2);

    // Within the grace period nothing is removed, even for a task that is gone.
    const early = await pruneBlobs(dataDir, [taskId]);
    expect(early).toMatchObject({ discardedTasks: [`${taskId}-b`], removedBlobs: 0 });
    expect(await blobs()).toBe(2);

    const late = await pruneBlobs(dataDir, [taskId], { graceMs: -1 });
    expect(late.removedBlobs).toBe(1);
    expect(await blobs()).toBe(1);
    // The live task can still undo.
    await writeFile(at('src/main.ts'), 'changed\n');
    await snap.undoTask();
    expect(await readFile(at('src/main.ts'), 'utf8')).toBe('export const main = 1;\n');
  });

  it('stays a copy snapshot when the folder becomes a git repository mid-task', async () => {
    const snap = await open();
    await snap.recordBeforeWrite('src/main.ts');
    await writeFile(at('src/main.ts'), 'changed\n');
    await git(root, 'init', '-q');
    const script = path.join(base, 'reopen.mts');
    const entry = path.join(REPO_ROOT, 'electron/core/project-folder/snapshots/index.ts');
    await writeFile(
      script,
      `import { openTaskSnapshot } from ${JSON.stringify(entry)};
const [root, taskId, dataDir] = process.argv.slice(2);
const snap = await openTaskSnapshot({ root, taskId, dataDir });
await snap.undoTask();
process.stdout.write(snap.backend);
`,
    );
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script, root, taskId, dataDir], { cwd: REPO_ROOT });
    expect(stdout).toBe('copy');
    expect(await readFile(at('src/main.ts'), 'utf8')).toBe('export const main = 1;\n');
  });
});
