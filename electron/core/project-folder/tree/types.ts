// The shapes the file tree is built from. Kept free of Node types so the contract
// (shared/) can mirror them without importing the engine.

export type TreeEntryKind = 'file' | 'dir';

export interface TreeEntry {
  /** Relative to the workspace root, POSIX separators, never empty. */
  path: string;
  kind: TreeEntryKind;
  /** Bytes for files (of the target, for a symlinked file); 0 for folders. */
  size: number;
  /** Hidden by default: matched by a .gitignore / .git/info/exclude rule, inside an ignored folder, or node_modules / .git. */
  ignored: boolean;
  /**
   * Present (true) only for symlinks. A symlinked folder is listed but never
   * descended (cycles, and trees that live elsewhere); a dangling link is a file of size 0.
   */
  symlink?: true;
}

export interface ListWorkspaceOptions {
  /** List ignored entries too, flagged `ignored: true`. `.git` is still one entry, never descended. */
  showIgnored?: boolean;
  /** Stop after this many entries (folders and files) and say so with `truncated`. Default 200,000. */
  maxEntries?: number;
  /**
   * Enter folders only this many levels deep (1: the root's own entries). Deeper folders are
   * listed but not read: a quick first paint of a huge tree while the full listing runs.
   */
  maxDepth?: number;
  signal?: AbortSignal;
}

export interface WorkspaceListing {
  /** Tree order: each folder is followed by its subtree; per folder, folders first, then natural name order. */
  entries: TreeEntry[];
  /** True when maxEntries cut the listing short (some folders are then incomplete). */
  truncated: boolean;
  /**
   * Ignored entries met during the walk. Without showIgnored an ignored folder is
   * not entered, so it counts once however much it holds.
   */
  ignoredCount: number;
  /** Folders that exist but could not be read (permissions, deleted mid-walk): shown empty. */
  unreadable: string[];
  tookMs: number;
}
