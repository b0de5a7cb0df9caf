// The workspace tree in the renderer: flat listing → rows with expand/collapse, and
// watcher batches patched in place (no refetch).
import { describe, expect, it } from 'vitest';
import type { TreeEntry } from '../../shared/index.js';
import { ancestorsOf, compareEntries, WorkspaceTree } from '../../renderer/src/lib/workspace-tree.js';

const dir = (path: string, ignored = false): TreeEntry => ({ path, kind: 'dir', size: 0, ignored });
const file = (path: string, size = 10, ignored = false): TreeEntry => ({ path, kind: 'file', size, ignored });

/** A listing in the engine's tree order: folders first, natural names. */
const LISTING: TreeEntry[] = [
  dir('src'),
  dir('src/auth'),
  file('src/auth/login.js'),
  file('src/auth/token.js'),
  file('src/file2.js'),
  file('src/file10.js'),
  file('src/index.js'),
  dir('test'),
  file('test/app.test.js'),
  file('.gitignore'),
  file('README.md'),
];

const paths = (rows: { path: string }[]) => rows.map((r) => r.path);

describe('workspace tree: rows', () => {
  it('shows only top-level entries while every folder is collapsed (the default)', () => {
    const tree = WorkspaceTree.fromEntries(LISTING);
    expect(paths(tree.visibleRows(new Set()))).toEqual(['src', 'test', '.gitignore', 'README.md']);
    expect(tree.fileCount).toBe(8);
    expect(tree.size).toBe(11);
  });

  it('expanding a folder shows its children right under it, in tree order, with depth', () => {
    const tree = WorkspaceTree.fromEntries(LISTING);
    const rows = tree.visibleRows(new Set(['src']));
    expect(paths(rows)).toEqual(['src', 'src/auth', 'src/file2.js', 'src/file10.js', 'src/index.js', 'test', '.gitignore', 'README.md']);
    expect(rows.find((r) => r.path === 'src/file2.js')?.depth).toBe(1);
    const nested = tree.visibleRows(new Set(['src', 'src/auth']));
    expect(paths(nested).slice(0, 4)).toEqual(['src', 'src/auth', 'src/auth/login.js', 'src/auth/token.js']);
    expect(nested[2].depth).toBe(2);
  });

  it('an expanded folder inside a collapsed one stays hidden (and comes back with its parent)', () => {
    const tree = WorkspaceTree.fromEntries(LISTING);
    expect(paths(tree.visibleRows(new Set(['src/auth'])))).toEqual(['src', 'test', '.gitignore', 'README.md']);
    expect(paths(tree.visibleRows(new Set(['src/auth', 'src'])))).toContain('src/auth/login.js');
  });

  it('sorts siblings that arrive out of order, and creates missing parent folders', () => {
    const tree = WorkspaceTree.fromEntries([file('b.txt'), dir('lib'), file('a.txt'), file('deep/x/y.ts')]);
    expect(paths(tree.visibleRows(new Set()))).toEqual(['deep', 'lib', 'a.txt', 'b.txt']);
    expect(tree.get('deep/x')?.kind).toBe('dir');
    expect(paths(tree.visibleRows(new Set(['deep', 'deep/x'])))).toEqual(['deep', 'deep/x', 'deep/x/y.ts', 'lib', 'a.txt', 'b.txt']);
  });

  it('orders names naturally and case-insensitively, folders first', () => {
    const names = ['b', 'A', 'file10', 'file2', 'a'].map((name) => ({ kind: 'file' as const, name }));
    expect([...names].sort(compareEntries).map((n) => n.name)).toEqual(['A', 'a', 'b', 'file2', 'file10']);
    expect(compareEntries({ kind: 'dir', name: 'z' }, { kind: 'file', name: 'a' })).toBeLessThan(0);
  });

  it('handles 100,000 files quickly: build, collapsed rows, all expanded', () => {
    const entries: TreeEntry[] = [];
    for (let d = 0; d < 2000; d++) {
      const folder = `dir${String(d).padStart(4, '0')}`;
      entries.push(dir(folder));
      for (let f = 0; f < 50; f++) entries.push(file(`${folder}/file${f}.txt`, 0));
    }
    const t0 = performance.now();
    const tree = WorkspaceTree.fromEntries(entries);
    const collapsed = tree.visibleRows(new Set());
    const built = performance.now() - t0;
    expect(collapsed).toHaveLength(2000);
    const all = new Set(entries.filter((e) => e.kind === 'dir').map((e) => e.path));
    const t1 = performance.now();
    expect(tree.visibleRows(all)).toHaveLength(102_000);
    const expanded = performance.now() - t1;
    expect(built).toBeLessThan(1000);
    expect(expanded).toBeLessThan(500);
  });

  it('ancestorsOf lists the folders to expand to reveal a path', () => {
    expect(ancestorsOf('a/b/c.ts')).toEqual(['a', 'a/b']);
    expect(ancestorsOf('top.ts')).toEqual([]);
  });
});

describe('workspace tree: watcher batches', () => {
  it('adds a created file in its sorted place and bumps the version', () => {
    const tree = WorkspaceTree.fromEntries(LISTING);
    const v = tree.version;
    const out = tree.apply({ created: ['src/file3.js'], updated: [], deleted: [] });
    expect(out.changed).toBe(true);
    expect(out.added).toEqual(['src/file3.js']);
    expect(tree.version).toBe(v + 1);
    expect(paths(tree.visibleRows(new Set(['src']))).slice(1, 6)).toEqual(['src/auth', 'src/file2.js', 'src/file3.js', 'src/file10.js', 'src/index.js']);
    expect(tree.fileCount).toBe(9);
  });

  it('a created folder (things created under it) becomes a folder, with its files', () => {
    const tree = WorkspaceTree.fromEntries(LISTING);
    tree.apply({ created: ['lib/deep/x.js', 'lib', 'lib/util.js', 'lib/deep'], updated: [], deleted: [] });
    expect(tree.get('lib')?.kind).toBe('dir');
    expect(tree.get('lib/deep')?.kind).toBe('dir');
    // Folders before files at the top level.
    expect(paths(tree.visibleRows(new Set()))).toEqual(['lib', 'src', 'test', '.gitignore', 'README.md']);
    expect(paths(tree.visibleRows(new Set(['lib', 'lib/deep'])))).toEqual(['lib', 'lib/deep', 'lib/deep/x.js', 'lib/util.js', 'src', 'test', '.gitignore', 'README.md']);
  });

  it('a path first seen as a file becomes a folder when something appears under it', () => {
    const tree = WorkspaceTree.fromEntries(LISTING);
    tree.apply({ created: ['newdir'], updated: [], deleted: [] });
    expect(tree.get('newdir')?.kind).toBe('file');
    tree.apply({ created: ['newdir/a.txt'], updated: [], deleted: [] });
    expect(tree.get('newdir')?.kind).toBe('dir');
    expect(paths(tree.visibleRows(new Set()))[0]).toBe('newdir');
    expect(tree.fileCount).toBe(9);
  });

  it('deleting a folder removes its whole subtree', () => {
    const tree = WorkspaceTree.fromEntries(LISTING);
    const out = tree.apply({ created: [], updated: [], deleted: ['src'] });
    expect(out.removed).toEqual(['src']);
    expect(tree.get('src/auth/login.js')).toBeUndefined();
    expect(tree.children.has('src/auth')).toBe(false);
    expect(paths(tree.visibleRows(new Set(['src'])))).toEqual(['test', '.gitignore', 'README.md']);
    expect(tree.fileCount).toBe(3);
  });

  it('updates change no rows (the version stays) but are reported for open editors', () => {
    const tree = WorkspaceTree.fromEntries(LISTING);
    const v = tree.version;
    const out = tree.apply({ created: [], updated: ['README.md'], deleted: [] });
    expect(out).toEqual({ changed: false, added: [], removed: [], touched: ['README.md'] });
    expect(tree.version).toBe(v);
  });

  it('skips paths under folders the tree does not list (ignored, node_modules)', () => {
    const tree = WorkspaceTree.fromEntries(LISTING);
    const out = tree.apply({ created: ['dist/bundle.js'], updated: ['build/x.o'], deleted: ['gone/file'] });
    expect(out.changed).toBe(false);
    expect(tree.get('dist/bundle.js')).toBeUndefined();
  });

  it('new entries under an ignored folder are ignored too', () => {
    const tree = WorkspaceTree.fromEntries([dir('out', true), file('out/a.js', 1, true), file('x.js')]);
    tree.apply({ created: ['out/b.js'], updated: [], deleted: [] });
    expect(tree.get('out/b.js')?.ignored).toBe(true);
  });

  it('a delete then a re-create in later batches ends with the file present once', () => {
    const tree = WorkspaceTree.fromEntries(LISTING);
    tree.apply({ created: [], updated: [], deleted: ['README.md'] });
    tree.apply({ created: ['README.md'], updated: [], deleted: [] });
    expect(paths(tree.visibleRows(new Set())).filter((p) => p === 'README.md')).toHaveLength(1);
    expect(tree.fileCount).toBe(8);
  });

  it('markDir and describe patch entries in place', () => {
    const tree = WorkspaceTree.fromEntries(LISTING);
    tree.apply({ created: ['empty'], updated: [], deleted: [] });
    tree.markDir('empty');
    expect(tree.get('empty')?.kind).toBe('dir');
    const v = tree.version;
    tree.describe('README.md', { size: 99, binary: true });
    expect(tree.get('README.md')).toMatchObject({ size: 99, binary: true });
    expect(tree.version).toBe(v + 1);
  });
});
