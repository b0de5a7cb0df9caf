// listWorkspace on small temp folders: tree order, gitignore rules (root, nested,
// negation, folder patterns, .git/info/exclude), the default hides, showIgnored,
// symlinks, limits and errors.
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MacsError } from '../../shared/errors.js';
import { listWorkspace, type TreeEntry, type WorkspaceListing } from '../../electron/core/project-folder/tree/index.js';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'macs-tree-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Write files (content string) and empty folders (null) under root. */
async function layout(files: Record<string, string | null>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    if (content === null) {
      await mkdir(abs, { recursive: true });
    } else {
      await mkdir(path.dirname(abs), { recursive: true });
      await writeFile(abs, content);
    }
  }
}

const paths = (listing: WorkspaceListing) => listing.entries.map((e) => e.path);
const byPath = (listing: WorkspaceListing) => new Map(listing.entries.map((e) => [e.path, e]));

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
}

describe('listWorkspace: tree order', () => {
  it('puts each folder before its subtree, folders before files, names in natural case-insensitive order', async () => {
    await layout({
      'b.txt': 'b',
      'A.txt': 'a',
      'file10.ts': '',
      'file2.ts': '',
      'src/z.ts': '',
      'src/lib/util.ts': '',
      'src/Alpha.ts': '',
      'docs/readme.md': '',
      'Zeta/inner.txt': '',
      'empty': null,
    });
    const listing = await listWorkspace(root);
    expect(paths(listing)).toEqual([
      'docs',
      'docs/readme.md',
      'empty',
      'src',
      'src/lib',
      'src/lib/util.ts',
      'src/Alpha.ts',
      'src/z.ts',
      'Zeta',
      'Zeta/inner.txt',
      'A.txt',
      'b.txt',
      'file2.ts',
      'file10.ts',
    ]);
    expect(listing.truncated).toBe(false);
    expect(listing.ignoredCount).toBe(0);
    expect(listing.unreadable).toEqual([]);
    expect(listing.tookMs).toBeGreaterThanOrEqual(0);
  });

  it('reports kinds and file sizes, folders with size 0', async () => {
    await layout({ 'src/a.ts': 'hello', 'big.bin': 'x'.repeat(4096) });
    const entries = byPath(await listWorkspace(root));
    expect(entries.get('src')).toEqual({ path: 'src', kind: 'dir', size: 0, ignored: false });
    expect(entries.get('src/a.ts')).toEqual({ path: 'src/a.ts', kind: 'file', size: 5, ignored: false });
    expect(entries.get('big.bin')?.size).toBe(4096);
  });
});

describe('listWorkspace: ignore rules', () => {
  it('hides node_modules and .git at any depth even without a .gitignore', async () => {
    await layout({
      'index.js': '',
      'node_modules/left-pad/index.js': '',
      '.git/HEAD': 'ref: refs/heads/main\n',
      'packages/app/node_modules/x/y.js': '',
      'packages/app/main.js': '',
    });
    const listing = await listWorkspace(root);
    expect(paths(listing)).toEqual(['packages', 'packages/app', 'packages/app/main.js', 'index.js']);
    // Each hidden folder counts once: it is not entered.
    expect(listing.ignoredCount).toBe(3);
  });

  it('applies the root .gitignore: globs, negation, folder-only patterns, anchored paths', async () => {
    await layout({
      '.gitignore': '# build output\n*.log\n!keep.log\nbuild/\n/dist\n',
      'app.log': '',
      'keep.log': '',
      'build/out.js': '',
      'docs/build': 'a file named build is not the build/ folder',
      'dist/x.js': '',
      'src/dist/y.js': '',
      'src/deep/debug.log': '',
      'src/main.ts': '',
    });
    const listing = await listWorkspace(root);
    expect(paths(listing)).toEqual([
      'docs',
      'docs/build',
      'src',
      'src/deep', // kept, shown empty: only its file is ignored
      'src/dist',
      'src/dist/y.js',
      'src/main.ts',
      '.gitignore',
      'keep.log',
    ]);
    // app.log, build/, dist/, src/deep/debug.log
    expect(listing.ignoredCount).toBe(4);
  });

  it('applies nested .gitignore files relative to their folder, overriding their parents', async () => {
    await layout({
      '.gitignore': '*.log\n',
      'secret.txt': 'root one is kept',
      'pkg/.gitignore': 'secret.txt\n!important.log\n/generated/\n',
      'pkg/secret.txt': '',
      'pkg/important.log': '',
      'pkg/other.log': '',
      'pkg/generated/g.ts': '',
      'pkg/src/generated/kept.ts': '',
      'pkg/src/secret.txt': '',
    });
    const listing = await listWorkspace(root);
    expect(paths(listing)).toEqual([
      'pkg',
      'pkg/src',
      'pkg/src/generated',
      'pkg/src/generated/kept.ts',
      'pkg/.gitignore',
      'pkg/important.log',
      '.gitignore',
      'secret.txt',
    ]);
  });

  it('applies .git/info/exclude, below .gitignore in precedence', async () => {
    await layout({
      '.git/info/exclude': 'notes.md\nscratch/\ntodo.txt\n',
      '.gitignore': '!todo.txt\n',
      'notes.md': '',
      'scratch/a.txt': '',
      'todo.txt': '',
      'README.md': '',
    });
    expect(paths(await listWorkspace(root))).toEqual(['.gitignore', 'README.md', 'todo.txt']);
  });

  it('cannot re-include a file inside an ignored folder (as git)', async () => {
    await layout({ '.gitignore': 'out/\n!out/keep.txt\n', 'out/keep.txt': '', 'a.txt': '' });
    expect(paths(await listWorkspace(root))).toEqual(['.gitignore', 'a.txt']);
  });

  const hasGit = spawnSync('git', ['--version']).status === 0;
  it.skipIf(!hasGit)('agrees with git ls-files --others --exclude-standard on a tangle of rules', async () => {
    await layout({
      '.gitignore': '*.log\n!keep.log\nbuild/\n/dist\nlogs/*\n!logs/keep/\n**/tmp-*\na/**/c/\n',
      'pkg/.gitignore': 'secret.txt\n!important.log\n/generated/\n',
    });
    expect(spawnSync('git', ['init', '-q'], { cwd: root }).status).toBe(0);
    await layout({ '.git/info/exclude': 'notes.md\n' });
    const files = ['app.log', 'keep.log', 'build/o.js', 'docs/build', 'dist', 'src/dist.txt', 'src/deep/debug.log', 'src/main.ts',
      'secret.txt', 'pkg/secret.txt', 'pkg/important.log', 'pkg/other.log', 'pkg/generated/g.ts', 'pkg/src/generated/k.ts',
      'pkg/src/secret.txt', 'logs/a.txt', 'logs/keep/b.txt', 'notes.md', 'src/tmp-x.ts', 'a/b/c/d.txt', 'a/b/e.txt', 'Notes.MD'];
    await layout(Object.fromEntries(files.map((f) => [f, ''])));
    const git = spawnSync('git', ['ls-files', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
    const gitFiles = git.stdout.split('\n').filter(Boolean).sort();
    const ours = (await listWorkspace(root)).entries.filter((e) => e.kind === 'file').map((e) => e.path).sort();
    expect(ours).toEqual(gitFiles);
  });

  it.skipIf(process.platform !== 'linux')('matches case-sensitively on Linux, like git there', async () => {
    await layout({ '.gitignore': 'build/\n', 'Build/x.txt': '', 'build/y.txt': '' });
    expect(paths(await listWorkspace(root))).toEqual(['Build', 'Build/x.txt', '.gitignore']);
  });
});

describe('listWorkspace: showIgnored', () => {
  it('lists ignored entries flagged, marks everything inside an ignored folder, lists .git as one folder', async () => {
    await layout({
      '.gitignore': '*.log\nbuild/\n',
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.git/objects/ab/cdef': 'blob',
      'node_modules/pkg/index.js': '',
      'build/out.js': '',
      'app.log': '',
      'src/main.ts': '',
    });
    const listing = await listWorkspace(root, { showIgnored: true });
    expect(listing.entries.map((e: TreeEntry) => [e.path, e.ignored])).toEqual([
      ['.git', true],
      ['build', true],
      ['build/out.js', true],
      ['node_modules', true],
      ['node_modules/pkg', true],
      ['node_modules/pkg/index.js', true],
      ['src', false],
      ['src/main.ts', false],
      ['.gitignore', false],
      ['app.log', true],
    ]);
    expect(listing.ignoredCount).toBe(7);
  });
});

describe('listWorkspace: symlinks', () => {
  it.skipIf(process.platform === 'win32')('lists a symlinked folder without entering it, so a cycle cannot loop', async () => {
    await layout({ 'src/a.ts': 'abc' });
    await symlink(root, path.join(root, 'src', 'loop'));
    await symlink(path.join(root, 'src'), path.join(root, 'src-link'));
    const listing = await listWorkspace(root);
    expect(paths(listing)).toEqual(['src', 'src/loop', 'src/a.ts', 'src-link']);
    expect(byPath(listing).get('src/loop')).toEqual({ path: 'src/loop', kind: 'dir', size: 0, ignored: false, symlink: true });
    expect(byPath(listing).get('src-link')?.kind).toBe('dir');
  });

  it.skipIf(process.platform === 'win32')('lists symlinked files with their target size; a dangling link is an empty file', async () => {
    await layout({ 'real.txt': '12345' });
    await symlink('real.txt', path.join(root, 'alias.txt'));
    await symlink('missing.txt', path.join(root, 'dangling.txt'));
    const entries = byPath(await listWorkspace(root));
    expect(entries.get('alias.txt')).toEqual({ path: 'alias.txt', kind: 'file', size: 5, ignored: false, symlink: true });
    expect(entries.get('dangling.txt')).toEqual({ path: 'dangling.txt', kind: 'file', size: 0, ignored: false, symlink: true });
    expect(entries.get('real.txt')?.symlink).toBeUndefined();
  });

  it.skipIf(process.platform === 'win32')('judges a symlink as git does: a file to the rules, so build/ does not match it but build does', async () => {
    await layout({ '.gitignore': 'build/\nout\n', 'target/x.js': '' });
    await symlink(path.join(root, 'target'), path.join(root, 'build'));
    await symlink(path.join(root, 'target'), path.join(root, 'out'));
    expect(paths(await listWorkspace(root))).toEqual(['build', 'target', 'target/x.js', '.gitignore']);
  });
});

describe('listWorkspace: limits and errors', () => {
  it('stops at maxEntries and says so, keeping every listed entry under a listed folder', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) files[`d${i % 3}/f${i}.txt`] = '';
    await layout(files);
    const listing = await listWorkspace(root, { maxEntries: 10 });
    expect(listing.truncated).toBe(true);
    expect(listing.entries).toHaveLength(10);
    const listed = new Set(paths(listing));
    for (const p of listed) {
      const parent = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : null;
      if (parent) expect(listed.has(parent)).toBe(true);
    }
  });

  it('refuses a bad maxEntries', async () => {
    const err = await rejection(listWorkspace(root, { maxEntries: 0 }));
    expect(err).toBeInstanceOf(MacsError);
    expect((err as MacsError).code).toBe('INVALID_INPUT');
  });

  it('says FILE_NOT_FOUND for a missing folder and INVALID_INPUT for a file', async () => {
    const missing = await rejection(listWorkspace(path.join(root, 'nope')));
    expect((missing as MacsError).code).toBe('FILE_NOT_FOUND');
    await layout({ 'file.txt': '' });
    const notDir = await rejection(listWorkspace(path.join(root, 'file.txt')));
    expect((notDir as MacsError).code).toBe('INVALID_INPUT');
    expect((notDir as MacsError).details?.reason).toBe('not-a-folder');
  });

  it('stops when the signal aborts', async () => {
    await layout({ 'a/b.txt': '' });
    const controller = new AbortController();
    controller.abort();
    const err = await rejection(listWorkspace(root, { signal: controller.signal }));
    expect((err as Error).name).toBe('AbortError');
  });

  // root reads every folder regardless of its mode, so there is nothing to see as root.
  it.skipIf(process.platform === 'win32' || process.getuid?.() === 0)('lists an unreadable folder empty and reports it', async () => {
    await layout({ 'locked/secret.txt': '', 'open.txt': '' });
    await chmod(path.join(root, 'locked'), 0o000);
    try {
      const listing = await listWorkspace(root);
      expect(paths(listing)).toEqual(['locked', 'open.txt']);
      expect(listing.unreadable).toEqual(['locked']);
    } finally {
      await chmod(path.join(root, 'locked'), 0o755);
    }
  });
});

describe('listWorkspace: atomic writes in flight', () => {
  it('never lists an atomic write’s temp file, not even with ignored files shown', async () => {
    await layout({ 'csv2json/__init__.py': 'x', 'csv2json/.__init__.py.macs-tmp-3f9a2b1c0d4e': 'half', 'app.js': '' });
    for (const showIgnored of [false, true]) {
      const listing = await listWorkspace(root, { showIgnored });
      expect(paths(listing)).toEqual(['csv2json', 'csv2json/__init__.py', 'app.js']);
    }
  });
});
