import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ContextChoice, ContextSelection, TreeEntry, WorkspaceInfo } from '../../../../shared/index.js';
import { MacsError } from '../../../../shared/index.js';
import { Workspace, type ReadResult, type WrittenFile } from '../guard/index.js';
import { checkWorkspaceFolder, workspaceFolderError } from '../checks/index.js';
import { listWorkspace } from '../tree/index.js';
import { watchWorkspace, type WatchBatch, type WorkspaceWatcher } from '../watch/index.js';
import { FolderContextIndex } from './context-index.js';
import { betweenHistoryOperations } from '../versions/index.js';
import { completeFolder, createFile, createFolder, moveEntry, ProjectTrash, requireEntry, type FolderCompletion, type TrashedEntry } from '../file-ops/index.js';

/** Watchers held at once; the least recently opened folder stops being watched first. */
const MAX_WATCHED = 8;

export interface FolderServiceOptions {
  /** MACS's own data folder: never opened as a workspace. */
  dataDir: string;
  /** Is this the root of a project (a folder MACS made, or one the user opened)? Only those are served. */
  isProjectRoot: (root: string) => boolean;
  /** A batch of changes in a project folder (the tree and editors follow it). */
  onChange: (root: string, batch: WatchBatch) => void;
  onWatchError?: (root: string, err: MacsError) => void;
  home?: string;
  platform?: NodeJS.Platform;
}

/**
 * Project folders on disk: a folder the user opens is checked once (a real folder, not a
 * system folder); the folders of projects (and only those) are listed, read, written,
 * watched while shown, and indexed for context retrieval.
 */
export class FolderService {
  private readonly watchers = new Map<string, Promise<WorkspaceWatcher | null>>();
  private readonly indexes = new Map<string, FolderContextIndex>();
  private closed = false;
  private readonly trashCan: ProjectTrash;

  constructor(private readonly o: FolderServiceOptions) {
    this.trashCan = new ProjectTrash(o.dataDir);
  }

  /** Check a folder the user wants to open: its real path and what the project list shows of it. */
  async check(input: string): Promise<WorkspaceInfo> {
    const check = await checkWorkspaceFolder(input, {
      home: this.o.home ?? os.homedir(),
      platform: this.o.platform ?? process.platform,
      reserved: [{ path: this.o.dataDir, what: "MACS's data folder" }],
    });
    if (!check.ok) throw workspaceFolderError(check, input);
    const root = check.realPath;
    // Watching starts with the first tree listing, not here: the native watcher's initial
    // crawl of a large folder would compete with the listing the first paint waits for.
    return { root, name: path.basename(root) || root, isGitRepo: fs.existsSync(path.join(root, '.git')), openedAt: Date.now(), exists: true };
  }

  /** The root of a project, or an error: nothing outside project folders is served. */
  requireOpened(root: string): string {
    if (!this.o.isProjectRoot(root)) throw new MacsError('FOLDER_NOT_OPENED', `${root} is not the folder of a project; open it first.`, { root });
    if (!fs.existsSync(root)) throw new MacsError('FOLDER_MISSING', `The project folder ${root} no longer exists. Locate it, or forget the project.`, { root });
    return root;
  }

  isOpened(root: string): boolean {
    return this.o.isProjectRoot(root);
  }

  /** Stop watching and indexing a folder (its project was forgotten or deleted). */
  release(root: string): Promise<void> {
    return this.unwatch(root);
  }

  async tree(root: string, showIgnored: boolean, depth?: number): Promise<{ entries: TreeEntry[]; truncated: boolean; ignoredCount: number }> {
    const listing = await listWorkspace(this.requireOpened(root), { showIgnored, maxDepth: depth });
    if (depth === undefined) this.watch(root);
    return { entries: listing.entries, truncated: listing.truncated, ignoredCount: listing.ignoredCount };
  }

  async read(root: string, rel: string): Promise<ReadResult> {
    return (await Workspace.open(this.requireOpened(root))).readFile(rel);
  }

  /** The user saves a file; never in the middle of a restore of the project's files. */
  async write(root: string, rel: string, content: string): Promise<WrittenFile> {
    const folder = this.requireOpened(root);
    return betweenHistoryOperations(folder, async () => (await Workspace.open(folder)).writeFile(rel, content));
  }

  // The file tree's actions: each between restores of the project's files, like a save.
  async createFile(root: string, rel: string): Promise<{ path: string }> {
    const folder = this.requireOpened(root);
    return betweenHistoryOperations(folder, () => createFile(folder, rel));
  }

  async createFolder(root: string, rel: string): Promise<{ path: string }> {
    const folder = this.requireOpened(root);
    return betweenHistoryOperations(folder, () => createFolder(folder, rel));
  }

  async move(root: string, from: string, to: string): Promise<{ from: string; to: string }> {
    const folder = this.requireOpened(root);
    return betweenHistoryOperations(folder, () => moveEntry(folder, from, to));
  }

  /** Delete to MACS's trash (under the data folder): restore(trashId) puts it back. */
  async trash(root: string, rel: string): Promise<TrashedEntry> {
    const folder = this.requireOpened(root);
    return betweenHistoryOperations(folder, () => this.trashCan.trash(folder, rel));
  }

  /** Where a trashed item came from (TRASH_ITEM_NOT_FOUND when it is not in the trash). */
  trashNote(trashId: string): Promise<{ root: string; path: string }> {
    return this.trashCan.note(trashId);
  }

  async restore(trashId: string): Promise<{ root: string; path: string }> {
    const note = await this.trashCan.note(trashId);
    const folder = this.requireOpened(note.root);
    const restored = await betweenHistoryOperations(folder, () => this.trashCan.restore(trashId));
    return { root: restored.root, path: restored.path };
  }

  /** The absolute path of an entry inside a project folder (to show it in the file manager). */
  async locate(root: string, rel: string): Promise<string> {
    return (await requireEntry(this.requireOpened(root), rel)).absPath;
  }

  /** Folder suggestions for a path being typed in Open folder (folders only; refusals marked). */
  complete(partial: string): Promise<FolderCompletion> {
    return completeFolder(partial, { home: this.o.home ?? os.homedir(), platform: this.o.platform ?? process.platform, reserved: [{ path: this.o.dataDir, what: "MACS's data folder" }] });
  }

  /** `scope`: TaskV1.1 repo.include / repo.exclude globs. */
  async context(
    root: string,
    prompt: string,
    budgetTokens: number,
    count: (s: string) => number,
    choice: ContextChoice = {},
    scope: { include?: string[]; exclude?: string[] } = {},
  ): Promise<ContextSelection> {
    const index = this.indexFor(this.requireOpened(root));
    const selection = await index.select(prompt, budgetTokens, count, choice, scope);
    const pinned = new Set(choice.pinned ?? []);
    return {
      files: selection.files.map((f) => ({ path: f.path, tokens: f.tokens, reason: f.reason, pinned: pinned.has(f.path) })),
      totalTokens: selection.totalTokens,
      budgetTokens: selection.budgetTokens,
      candidates: index.candidates,
    };
  }

  /**
   * Files that changed on disk, told by whoever knows (a turn: its writes and the hand edits since
   * the last one): the folder's retrieval index re-reads them. A folder nobody watches (no tree
   * open: the CLI, REST) keeps a current index this way; before the index exists this is a no-op.
   */
  async refreshIndex(root: string, batch: { created: string[]; updated: string[]; deleted: string[] }): Promise<void> {
    await this.indexes.get(root)?.apply(batch);
  }

  /** A context file's text as indexed (what the model is shown). */
  indexedContent(root: string, rel: string): string | undefined {
    return this.indexes.get(root)?.content(rel);
  }

  private indexFor(root: string): FolderContextIndex {
    let index = this.indexes.get(root);
    if (!index) {
      index = new FolderContextIndex(root);
      this.indexes.set(root, index);
    }
    return index;
  }

  /** Resolves when the folder's watcher runs (false: it could not start); for tests and benchmarks. */
  async whenWatching(root: string): Promise<boolean> {
    return (await this.watchers.get(root)) != null;
  }

  private watch(root: string): void {
    if (this.closed || this.watchers.has(root)) return;
    this.watchers.set(
      root,
      watchWorkspace(
        root,
        (batch) => {
          void this.indexes.get(root)?.apply(batch);
          this.o.onChange(root, batch);
        },
        { onError: (err) => this.o.onWatchError?.(root, err) },
      ).catch((err: unknown) => {
        this.o.onWatchError?.(root, err instanceof MacsError ? err : new MacsError('INTERNAL', `Cannot watch ${root}: ${(err as Error).message}`));
        return null;
      }),
    );
    // Oldest first in insertion order: stop watching beyond the limit.
    while (this.watchers.size > MAX_WATCHED) void this.unwatch(this.watchers.keys().next().value as string);
  }

  private async unwatch(root: string): Promise<void> {
    const w = this.watchers.get(root);
    this.watchers.delete(root);
    this.indexes.delete(root);
    await (await w)?.close();
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.watchers.keys()].map((r) => this.unwatch(r)));
  }
}
