// The snapshot commit's tree, kept in memory so a save only writes the trees on the
// path from a changed entry up to the root (each through `git mktree`), instead of
// rebuilding every directory each time.
interface Entry {
  mode: string;
  type: 'blob' | 'tree';
  oid: string;
}

/** Writes one tree from `mktree -z` input and returns its id. */
export type MakeTree = (mktreeInput: string) => Promise<string>;

export class SnapshotTree {
  /** Directory ('' = the root) → name → entry. */
  private readonly dirs = new Map<string, Map<string, Entry>>([['', new Map()]]);
  private readonly dirty = new Set<string>(['']);
  private rootOid = '';

  /** Put a blob at `treePath` (parent directories are created). A no-op when it is already there. */
  setBlob(treePath: string, mode: string, oid: string): void {
    const parts = treePath.split('/');
    const name = parts.pop()!;
    const dir = parts.join('/');
    const entries = this.dirFor(dir);
    const current = entries.get(name);
    if (current && current.type === 'blob' && current.oid === oid && current.mode === mode) return;
    entries.set(name, { mode, type: 'blob', oid });
    this.markDirty(dir);
  }

  /** Write the changed trees, deepest first; returns the root tree id. */
  async write(makeTree: MakeTree): Promise<string> {
    const order = [...this.dirty].sort((a, b) => depth(b) - depth(a));
    for (const dir of order) {
      const entries = this.dirs.get(dir)!;
      // -z: one NUL-terminated "mode SP type SP id TAB name" per entry, an empty record ends the tree.
      const input = [...entries].map(([name, e]) => `${e.mode} ${e.type} ${e.oid}\t${name}\0`).join('') + '\0';
      const oid = await makeTree(input);
      if (dir === '') this.rootOid = oid;
      else this.parentOf(dir).set(basename(dir), { mode: '040000', type: 'tree', oid });
      this.dirty.delete(dir);
    }
    return this.rootOid;
  }

  private dirFor(dir: string): Map<string, Entry> {
    let entries = this.dirs.get(dir);
    if (!entries) {
      entries = new Map();
      this.dirs.set(dir, entries);
      // A placeholder until the directory's tree is written (write() replaces it, deepest first).
      if (dir !== '') this.dirFor(parentName(dir)).set(basename(dir), { mode: '040000', type: 'tree', oid: '' });
    }
    return entries;
  }

  private parentOf(dir: string): Map<string, Entry> {
    return this.dirs.get(parentName(dir))!;
  }

  private markDirty(dir: string): void {
    for (let d: string | null = dir; d !== null; d = d === '' ? null : parentName(d)) this.dirty.add(d);
  }
}

function depth(dir: string): number {
  return dir === '' ? 0 : dir.split('/').length;
}

function parentName(dir: string): string {
  const slash = dir.lastIndexOf('/');
  return slash < 0 ? '' : dir.slice(0, slash);
}

function basename(dir: string): string {
  return dir.slice(dir.lastIndexOf('/') + 1);
}
