// The cheap paths of a generated project's versions (issue 11, "Speed"): a repository
// found sound is not checked in full again while it is unchanged on disk, yet damage done
// after MACS's own commits is still seen at the next open; hand edits are found by one
// `git status` and only the paths it names are staged, which must give the same version
// as staging the whole folder (odd names, deletions, modes, new folders, glob characters).
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, realpath, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeEach, describe, expect, it } from 'vitest';
import { isolateGitHome } from '../fixtures/isolated-git-home.js';
import { openProjectHistory } from '../../electron/core/project-folder/index.js';
import { knownSound } from '../../electron/core/project-folder/versions/repo-health.js';

const run = promisify(execFile);
let dataDir: string;
let seq = 0;

isolateGitHome('macs-versions-fast-home-');
beforeEach(async () => {
  dataDir = path.join(await realpath(await mkdtemp(path.join(os.tmpdir(), 'macs-versions-fast-'))), 'data');
});

async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd });
  return stdout;
}

async function generated() {
  const projectId = `p${++seq}`;
  const root = path.join(dataDir, 'projects', projectId);
  await mkdir(root, { recursive: true });
  const open = () => openProjectHistory({ root, kind: 'generated', dataDir, projectId });
  await writeFile(path.join(root, 'a.txt'), 'one\n');
  await writeFile(path.join(root, 'b.txt'), 'bee\n');
  await (await open()).commitTurn({ taskId: 't1', prompt: 'first', model: 'm' });
  await writeFile(path.join(root, 'a.txt'), 'two\n');
  await (await open()).commitTurn({ taskId: 't2', prompt: 'second', model: 'm' });
  return { root, open };
}

describe('a sound repository is remembered while it is unchanged', () => {
  it('is known sound after an open and after MACS commits, stays so when objects are only added, and not once one is deleted', async () => {
    const { root, open } = await generated();
    const history = await open();
    expect(history.backend).toBe('git');
    expect(await knownSound(root)).toBe(true);
    await writeFile(path.join(root, 'c.txt'), 'sea\n');
    await history.commitTurn({ taskId: 't3', prompt: 'third', model: 'm' });
    expect(await knownSound(root)).toBe(true); // MACS's own commit keeps it known

    const oid = (await git(root, 'rev-parse', 'HEAD:b.txt')).trim();
    // Objects only added (as the undo snapshot does) keep the verdict; one deleted drops it.
    await writeFile(path.join(root, 'extra.bin'), 'an object nobody refers to\n');
    await git(root, 'hash-object', '-w', 'extra.bin');
    expect(await knownSound(root)).toBe(true);
    await unlink(path.join(root, '.git', 'objects', oid.slice(0, 2), oid.slice(2)));
    expect(await knownSound(root)).toBe(false);
    expect((await open()).backend).toBe('snapshots');
  });

  it('HEAD moved by the user (a detached checkout) drops the verdict', async () => {
    const { root, open } = await generated();
    expect((await open()).backend).toBe('git');
    expect(await knownSound(root)).toBe(true);
    await git(root, 'checkout', '-q', '--detach');
    expect(await knownSound(root)).toBe(false);
    expect((await open()).backend).toBe('git'); // a detached HEAD is not damage
    expect(await knownSound(root)).toBe(true);
  });

  it('a branch moved by the user to a commit whose files are gone is seen at the next open', async () => {
    const { root, open } = await generated();
    expect((await open()).backend).toBe('git');
    // The user commits by hand, then that commit's new blob disappears.
    await writeFile(path.join(root, 'user.txt'), 'by the user\n');
    await git(root, 'add', 'user.txt');
    await git(root, 'commit', '-qm', 'user commit');
    const oid = (await git(root, 'rev-parse', 'HEAD:user.txt')).trim();
    await unlink(path.join(root, '.git', 'objects', oid.slice(0, 2), oid.slice(2)));
    const history = await open();
    expect(history.backend).toBe('snapshots');
  });

  it('objects packed by the user (git gc) and a pack then deleted: seen at the next open', async () => {
    const { root, open } = await generated();
    expect((await open()).backend).toBe('git');
    await git(root, 'gc', '-q', '--prune=now');
    expect((await open()).backend).toBe('git'); // packed is fine
    const packs = (await git(root, 'count-objects', '-v')).match(/^packs: (\d+)/m)?.[1];
    expect(Number(packs)).toBeGreaterThan(0);
    await rm(path.join(root, '.git', 'objects', 'pack'), { recursive: true, force: true });
    expect((await open()).backend).toBe('snapshots');
  });
});

describe('hand edits: one status, only its paths staged', () => {
  it('gives the same tree as staging the whole folder, with odd names, deletions, modes and new folders', async () => {
    const { root, open } = await generated();
    await writeFile(path.join(root, 'with space.txt'), 'spaced\n');
    await writeFile(path.join(root, '[x]*.md'), 'glob characters, taken literally\n');
    await writeFile(path.join(root, ':!bang.txt'), 'read as "exclude bang.txt" unless pathspecs are literal\n');
    await (await open()).commitTurn({ taskId: 't3', prompt: 'names', model: 'm' });
    await writeFile(path.join(root, '.gitignore'), 'ignored.log\n');
    await writeFile(path.join(root, 'ignored.log'), 'never versioned\n');
    await writeFile(path.join(root, ':!bang.txt'), 'edited by hand\n');

    await writeFile(path.join(root, 'with space.txt'), 'edited by hand\n');
    await writeFile(path.join(root, '[x]*.md'), 'edited too\n');
    await unlink(path.join(root, 'b.txt'));
    await chmod(path.join(root, 'a.txt'), 0o755);
    await mkdir(path.join(root, 'deep', 'new dir'), { recursive: true });
    await writeFile(path.join(root, 'deep', 'new dir', 'file.ts'), 'export {};\n');
    await mkdir(path.join(root, 'node_modules', 'pkg'), { recursive: true });
    await writeFile(path.join(root, 'node_modules', 'pkg', 'index.js'), 'never versioned\n');

    const version = await (await open()).commitHandEdits();
    expect(version).toMatchObject({ kind: 'hand-edit', number: 4, filesChanged: 7 });
    const changed = (await git(root, 'diff-tree', '-r', '-z', '--no-renames', '--name-status', 'HEAD^', 'HEAD')).split('\0').filter(Boolean);
    const pairs = Array.from({ length: changed.length / 2 }, (_, i) => `${changed[2 * i]} ${changed[2 * i + 1]}`).sort();
    expect(pairs).toEqual(['A .gitignore', 'A deep/new dir/file.ts', 'D b.txt', 'M :!bang.txt', 'M [x]*.md', 'M a.txt', 'M with space.txt']);
    expect(await git(root, 'status', '--porcelain', '--untracked-files=all')).toBe('');
    expect((await git(root, 'log', '-1', '--format=%H')).trim()).toBe(version!.id);
  });

  it('no version when nothing changed, or when a file was written back as it was', async () => {
    const { root, open } = await generated();
    expect(await (await open()).commitHandEdits()).toBeNull();
    await writeFile(path.join(root, 'a.txt'), 'two\n'); // same bytes, new mtime
    expect(await (await open()).commitHandEdits()).toBeNull();
    const head = (await git(root, 'rev-parse', 'HEAD')).trim();
    await writeFile(path.join(root, 'a.txt'), 'three\n');
    const version = await (await open()).commitHandEdits();
    expect(version).toMatchObject({ kind: 'hand-edit', number: 3, filesChanged: 1, current: true });
    expect((await git(root, 'rev-parse', 'HEAD^')).trim()).toBe(head);
    expect((await (await open()).list()).at(-1)).toMatchObject({ id: version!.id, number: 3, filesChanged: 1 });
  });
});
