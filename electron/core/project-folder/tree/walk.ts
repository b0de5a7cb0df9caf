// The directory walk behind listWorkspace: breadth-first, a bounded number of
// readdir calls in flight (they run on libuv's thread pool, so a slow or network
// disk does not block the event loop), one readdir per folder with file types so
// no entry needs a stat to know what it is. Sizes are read beside the walk
// (file-sizes.ts). Breadth-first so that when maxEntries cuts the walk short,
// what is missing is deep down rather than whole top-level folders.
import type { Dirent, Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { readOptionalRegularText } from '../guard/index.js';
import { IgnoreStack, isAlwaysHidden } from './ignore-rules.js';
import { isAtomicWriteTemp } from '../guard/atomic-write.js';
import type { TreeNode } from './tree-order.js';
import type { TreeEntry } from './types.js';

/** readdir calls in flight. More only queues on libuv's 4 threads; fewer leaves them idle. */
const READDIR_CONCURRENCY = 8;

export interface WalkOptions {
  showIgnored: boolean;
  maxEntries: number;
  rules: IgnoreStack;
  /** Levels of folders to read (undefined: all). */
  maxDepth?: number;
  signal?: AbortSignal;
  /** Called with each folder's plain files, whose size is still to be read (symlinked files are sized here). */
  onUnsizedFiles: (files: TreeEntry[]) => void;
}

export interface WalkResult {
  /** Folder path ('' = root) → its listed entries, unsorted. */
  childrenOf: Map<string, TreeNode[]>;
  truncated: boolean;
  ignoredCount: number;
  unreadable: string[];
}

interface Described {
  entry: TreeEntry;
  descend: boolean;
}

interface FolderJob {
  rel: string;
  /** Inside an ignored folder: everything below is ignored too, whatever the rules say. */
  ignored: boolean;
  rules: IgnoreStack;
}

function joinRel(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

/** Thrown for the root only; below it an unreadable folder is listed empty and reported. */
export class RootUnreadableError extends Error {
  constructor(override readonly cause: unknown) {
    super('The workspace root could not be read.');
  }
}

/** `prefix` is the absolute root ending in a separator; entry paths are appended to it. */
export function walkWorkspace(prefix: string, opts: WalkOptions): Promise<WalkResult> {
  const abs = (rel: string) => prefix + rel;
  const result: WalkResult = { childrenOf: new Map(), truncated: false, ignoredCount: 0, unreadable: [] };
  const queue: Array<FolderJob | undefined> = [{ rel: '', ignored: false, rules: opts.rules }];
  let head = 0;
  let active = 0;
  let listed = 0;

  // What one directory entry becomes, or null when it is not listed. `linkTarget`
  // is the stat of a symlink's target (null when dangling), fetched beforehand.
  function describe(job: FolderJob, rules: IgnoreStack, dirent: Dirent, linkTarget: Stats | null | undefined): Described | null {
    // An atomic write in flight (ours or a turn's): not a file of the project, ever.
    if (isAtomicWriteTemp(dirent.name)) return null;
    const rel = joinRel(job.rel, dirent.name);
    let kind: TreeEntry['kind'];
    let size = 0;
    const symlink = linkTarget !== undefined;
    if (dirent.isDirectory()) kind = 'dir';
    else if (dirent.isFile()) kind = 'file';
    else if (symlink) {
      // The target decides file or folder; a dangling link is shown as an empty file.
      kind = linkTarget?.isDirectory() ? 'dir' : 'file';
      size = linkTarget?.isFile() ? linkTarget.size : 0;
    } else return null; // sockets, FIFOs, devices: nothing an editor can open (reading a FIFO blocks)

    const isDir = kind === 'dir';
    // As git: a symlink is a file to the rules, so `build/` does not match a link named build.
    const ignored = job.ignored || isAlwaysHidden(dirent.name) || (!rules.isEmpty && rules.ignores(rel, isDir && !symlink));
    if (ignored) {
      result.ignoredCount++;
      if (!opts.showIgnored) return null;
    }
    const entry: TreeEntry = { path: rel, kind, size, ignored };
    if (symlink) entry.symlink = true;
    // Never into .git (objects, packs: huge and meaningless), never through a symlinked folder (cycles).
    return { entry, descend: isDir && !symlink && dirent.name !== '.git' };
  }

  /** Targets of the folder's symlinks, by name. Symlinks are rare, so this is usually no work at all. */
  async function statLinks(job: FolderJob, dirents: Dirent[]): Promise<Map<string, Stats | null>> {
    const links = dirents.filter((d) => d.isSymbolicLink());
    const targets = await Promise.all(links.map((d) => stat(abs(joinRel(job.rel, d.name))).catch(() => null)));
    return new Map(links.map((d, i) => [d.name, targets[i]]));
  }

  async function readFolder(job: FolderJob): Promise<void> {
    opts.signal?.throwIfAborted();
    let dirents: Dirent[];
    try {
      dirents = await readdir(abs(job.rel), { withFileTypes: true });
    } catch (err) {
      if (job.rel === '') throw new RootUnreadableError(err);
      result.unreadable.push(job.rel);
      return;
    }
    let rules = job.rules;
    // A folder's own .gitignore applies to its entries, so it is read before they are judged.
    const gitignore = job.ignored ? undefined : dirents.find((d) => d.name === '.gitignore' && !d.isDirectory());
    if (gitignore) {
      // A FIFO named .gitignore would block this read forever: regular files only.
      const text = await readOptionalRegularText(abs(joinRel(job.rel, '.gitignore')));
      rules = rules.withRules(job.rel, text);
    }

    const linkTargets = await statLinks(job, dirents);
    const depth = job.rel === '' ? 0 : job.rel.split('/').length;
    const enterChildren = opts.maxDepth === undefined || depth + 1 < opts.maxDepth;
    const nodes: TreeNode[] = [];
    const unsized: TreeEntry[] = [];
    for (const dirent of dirents) {
      const item = describe(job, rules, dirent, dirent.isSymbolicLink() ? (linkTargets.get(dirent.name) ?? null) : undefined);
      if (!item) continue;
      if (listed >= opts.maxEntries) {
        result.truncated = true;
        break;
      }
      listed++;
      nodes.push({ name: dirent.name, key: dirent.name.toLowerCase(), entry: item.entry });
      if (item.entry.kind === 'file' && !item.entry.symlink) unsized.push(item.entry);
      if (item.descend && enterChildren) queue.push({ rel: item.entry.path, ignored: item.entry.ignored, rules });
    }
    if (nodes.length > 0) result.childrenOf.set(job.rel, nodes);
    if (unsized.length > 0) opts.onUnsizedFiles(unsized);
  }

  return new Promise((resolve, reject) => {
    let failed = false;
    const pump = () => {
      if (failed) return;
      while (active < READDIR_CONCURRENCY && head < queue.length && !result.truncated) {
        const job = queue[head] as FolderJob;
        // Drop the reference so finished jobs (and their rule stacks) can be collected.
        queue[head++] = undefined;
        active++;
        readFolder(job).then(
          () => {
            active--;
            if (active === 0 && (head >= queue.length || result.truncated)) resolve(result);
            else pump();
          },
          (err: unknown) => {
            failed = true;
            reject(err);
          },
        );
      }
    };
    pump();
  });
}
