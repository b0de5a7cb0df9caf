// The open workspace's file tree in the renderer: built once from the engine's flat
// listing (workspaces.tree), patched in place by watcher batches (workspace.changed),
// and flattened to the rows the virtualised tree draws (only expanded folders are
// walked, so 100,000 files with collapsed folders cost a few hundred rows).
//
// Mutable on purpose: copying maps of 100,000 entries per watcher batch would cost
// more than the batch. `version` changes whenever the rows could have changed, so
// React memoises on it.
import { compareNames, type TreeEntry } from '../../../shared/index.js';

export interface WsEntry {
  path: string;
  name: string;
  kind: 'file' | 'dir';
  size: number;
  ignored: boolean;
  /** 0 for the root's children. */
  depth: number;
  /** Known to be binary (the engine said so on read). */
  binary?: boolean;
}

export interface ChangeBatch {
  created: readonly string[];
  updated: readonly string[];
  deleted: readonly string[];
}

export interface ApplyOutcome {
  /** The rows may differ (something was added or removed). */
  changed: boolean;
  added: string[];
  removed: string[];
  /** Paths whose content changed (updated, or created over an existing entry). */
  touched: string[];
}

/** Siblings: folders first, then natural, case-insensitive names; ties by code point. */
export function compareEntries(a: Pick<WsEntry, 'kind' | 'name'>, b: Pick<WsEntry, 'kind' | 'name'>): number {
  if (a.kind !== b.kind) return a.kind === 'dir' ? -1 : 1;
  return compareNames(a.name, b.name);
}

const parentOf = (path: string) => {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
};
const nameOf = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const depthOf = (path: string) => {
  let d = 0;
  for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === 47) d++;
  return d;
};

export class WorkspaceTree {
  readonly byPath = new Map<string, WsEntry>();
  /** Folder path ('' = the root) → its children in tree order. */
  readonly children = new Map<string, WsEntry[]>([['', []]]);
  version = 0;
  fileCount = 0;

  /**
   * From the engine's listing. It comes in tree order (folders first, natural names), so
   * siblings are appended as they come; only a folder listed after a file is out of
   * place (a listing from an older engine), and only those sibling lists are sorted.
   * No name comparisons here: at 100,000 entries they were most of the time.
   */
  static fromEntries(entries: readonly TreeEntry[]): WorkspaceTree {
    const tree = new WorkspaceTree();
    const unsorted = new Set<string>();
    const byPath = tree.byPath;
    const children = tree.children;
    let files = 0;
    // Runs of siblings are the common case: look their parent up once per run.
    let lastParent: string | null = null;
    let siblings: WsEntry[] = [];
    for (const e of entries) {
      const p = e.path;
      if (!p || byPath.has(p)) continue;
      const slash = p.lastIndexOf('/');
      const parent = slash < 0 ? '' : p.slice(0, slash);
      if (parent !== lastParent) {
        if (parent && !byPath.has(parent)) tree.ensureDir(parent, e.ignored);
        let list = children.get(parent);
        if (!list) {
          list = [];
          children.set(parent, list);
        }
        siblings = list;
        lastParent = parent;
      }
      const entry: WsEntry = { path: p, name: slash < 0 ? p : p.slice(slash + 1), kind: e.kind, size: e.size, ignored: e.ignored, depth: depthOf(p) };
      if (entry.kind === 'dir' && siblings.length > 0 && siblings[siblings.length - 1].kind === 'file') unsorted.add(parent);
      siblings.push(entry);
      byPath.set(p, entry);
      if (entry.kind === 'dir') {
        if (!children.has(p)) children.set(p, []);
      } else files++;
    }
    tree.fileCount += files;
    for (const dir of unsorted) children.get(dir)?.sort(compareEntries);
    return tree;
  }

  get size(): number {
    return this.byPath.size;
  }

  get(path: string): WsEntry | undefined {
    return this.byPath.get(path);
  }

  /** Rows to draw: depth-first, entering only the folders in `expanded`. */
  visibleRows(expanded: ReadonlySet<string>): WsEntry[] {
    const out: WsEntry[] = [];
    const stack: Array<{ list: WsEntry[]; next: number }> = [{ list: this.children.get('') ?? [], next: 0 }];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      if (frame.next >= frame.list.length) {
        stack.pop();
        continue;
      }
      const entry = frame.list[frame.next++];
      out.push(entry);
      if (entry.kind === 'dir' && expanded.has(entry.path)) {
        const kids = this.children.get(entry.path);
        if (kids && kids.length > 0) stack.push({ list: kids, next: 0 });
      }
    }
    return out;
  }

  /**
   * Apply one watcher batch. The watcher does not say whether a created path is a
   * folder: it is one when other created paths lie under it, else a file (a file that
   * later gets children becomes a folder). Paths whose parent folder is not in the
   * tree are skipped: they live under a hidden folder (ignored, or node_modules).
   */
  apply(batch: ChangeBatch): ApplyOutcome {
    const added: string[] = [];
    const removed: string[] = [];
    const touched: string[] = [];
    for (const path of batch.deleted) {
      if (this.remove(path)) removed.push(path);
    }
    // Parents before children, so a new folder is in place before what it holds.
    const created = [...batch.created].sort((a, b) => depthOf(a) - depthOf(b));
    const createdSet = new Set(created);
    const createdDirs = new Set<string>();
    for (const path of created) for (let p = parentOf(path); p; p = parentOf(p)) if (createdSet.has(p)) createdDirs.add(p);
    for (const path of [...created, ...batch.updated]) {
      const existing = this.byPath.get(path);
      if (existing) {
        if (createdDirs.has(path) && existing.kind === 'file') this.makeDir(existing);
        touched.push(path);
        continue;
      }
      const parent = parentOf(path);
      const parentEntry = parent ? this.byPath.get(parent) : undefined;
      if (parent && !parentEntry) continue;
      // A file that turned out to hold things is a folder.
      if (parentEntry && parentEntry.kind === 'file') this.makeDir(parentEntry);
      this.insert({
        path,
        name: nameOf(path),
        kind: createdDirs.has(path) ? 'dir' : 'file',
        size: 0,
        ignored: parentEntry?.ignored ?? false,
        depth: depthOf(path),
      });
      added.push(path);
    }
    const changed = added.length > 0 || removed.length > 0;
    if (changed) this.version++;
    return { changed, added, removed, touched };
  }

  /** The engine told us more about a file (read: its size, binary or not). */
  describe(path: string, info: { size?: number; binary?: boolean }): void {
    const e = this.byPath.get(path);
    if (!e) return;
    if (info.size !== undefined) e.size = info.size;
    if (info.binary !== undefined && e.binary !== info.binary) {
      e.binary = info.binary;
      this.version++;
    }
  }

  /** A path the tree holds as a file turned out to be a folder (reading it failed that way). */
  markDir(path: string): void {
    const e = this.byPath.get(path);
    if (e && e.kind === 'file') {
      this.makeDir(e);
      this.version++;
    }
  }

  private childList(dir: string): WsEntry[] {
    let list = this.children.get(dir);
    if (!list) {
      list = [];
      this.children.set(dir, list);
    }
    return list;
  }

  private makeDir(entry: WsEntry): void {
    const list = this.childList(parentOf(entry.path));
    const i = list.indexOf(entry);
    if (i >= 0) list.splice(i, 1);
    entry.kind = 'dir';
    entry.size = 0;
    this.fileCount--;
    this.children.set(entry.path, this.children.get(entry.path) ?? []);
    this.placeSorted(list, entry);
  }

  private ensureDir(path: string, ignored: boolean, added?: string[]): void {
    const existing = this.byPath.get(path);
    if (existing) {
      if (existing.kind === 'file') this.makeDir(existing);
      return;
    }
    const parent = parentOf(path);
    if (parent) this.ensureDir(parent, ignored, added);
    this.insert({ path, name: nameOf(path), kind: 'dir', size: 0, ignored: ignored || (this.byPath.get(parent)?.ignored ?? false), depth: depthOf(path) });
    added?.push(path);
  }

  private insert(entry: WsEntry): void {
    this.byPath.set(entry.path, entry);
    if (entry.kind === 'dir') this.children.set(entry.path, this.children.get(entry.path) ?? []);
    else this.fileCount++;
    this.placeSorted(this.childList(parentOf(entry.path)), entry);
  }

  private placeSorted(list: WsEntry[], entry: WsEntry): void {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareEntries(list[mid], entry) < 0) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, entry);
  }

  private remove(path: string): boolean {
    const entry = this.byPath.get(path);
    if (!entry) return false;
    const list = this.children.get(parentOf(path));
    if (list) {
      const i = list.indexOf(entry);
      if (i >= 0) list.splice(i, 1);
    }
    // The whole subtree goes with it (the watcher may report only the folder).
    const stack = [entry];
    while (stack.length > 0) {
      const e = stack.pop()!;
      this.byPath.delete(e.path);
      if (e.kind === 'dir') {
        for (const child of this.children.get(e.path) ?? []) stack.push(child);
        this.children.delete(e.path);
      } else {
        this.fileCount--;
      }
    }
    return true;
  }
}

/** The folders that hold `path` ("a/b/c.ts" → ["a", "a/b"]): expand them to reveal it. */
export function ancestorsOf(path: string): string[] {
  const out: string[] = [];
  for (let p = parentOf(path); p; p = parentOf(p)) out.unshift(p);
  return out;
}
