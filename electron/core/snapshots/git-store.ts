// Git backend: the before-bytes are blobs in the user's own object database, kept alive
// by a private ref refs/macs/snapshots/<taskId>. Each save is one commit (parent: the
// previous save) whose tree is
//   .macs-snapshot.json   the manifest (which paths did not exist, modes, review state)
//   files/<path>          the before-bytes of each file that existed
// built through a private index file in the data dir. The user's HEAD, branch, index,
// stash and working tree are never read or written.
import { mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MacsError } from '../../../shared/errors.js';
import { firstLine, runGit, type GitRepo } from './git.js';
import { gitIndexPath, snapshotRef, taskFilePath } from './locations.js';
import { parseManifest, serializeGitPointer, serializeManifest, type SnapshotManifest } from './manifest.js';
import type { SnapshotStore } from './store.js';

const MANIFEST_NAME = '.macs-snapshot.json';

export class GitSnapshotStore implements SnapshotStore {
  readonly backend = 'git' as const;
  private readonly ref: string;
  private readonly indexFile: string;
  /** The snapshot commit the ref points at (null: no ref yet). update-ref checks it, so a concurrent writer fails loudly. */
  private head: string | null = null;
  /** tree path → blob id already in the private index. */
  private readonly indexed = new Map<string, string>();
  private pointerWritten = false;

  constructor(
    private readonly repo: GitRepo,
    private readonly dataDir: string,
    private readonly taskId: string,
    private readonly root: string,
  ) {
    this.ref = snapshotRef(taskId);
    this.indexFile = gitIndexPath(dataDir, taskId);
  }

  private git(args: string[], call: Parameters<typeof runGit>[2] = {}) {
    return runGit(this.repo.gitDir, args, call);
  }

  async load(): Promise<SnapshotManifest | null> {
    const found = await this.git(['rev-parse', '--verify', '--quiet', `${this.ref}^{commit}`], { okCodes: [1] });
    await mkdir(path.dirname(this.indexFile), { recursive: true });
    if (found.code !== 0) {
      await rm(this.indexFile, { force: true }); // left by a discarded snapshot of the same id
      return null;
    }
    this.head = firstLine(found);
    const text = (await this.git(['cat-file', 'blob', `${this.head}:${MANIFEST_NAME}`])).stdout.toString('utf8');
    const manifest = parseManifest(text, `${this.ref} in ${this.repo.gitDir}`);
    // The private index is only a cache of the snapshot's tree: rebuild it from the ref.
    await this.git(['read-tree', `${this.head}^{tree}`], { indexFile: this.indexFile });
    for (const [treePath, blob] of treeEntries(manifest)) this.indexed.set(treePath, blob);
    this.pointerWritten = true;
    return manifest;
  }

  async putBlob(data: Uint8Array): Promise<string> {
    // --stdin without --path: raw bytes, no clean/eol filters, exactly what is on disk.
    return firstLine(await this.git(['hash-object', '-w', '--stdin'], { input: data }));
  }

  async getBlob(id: string): Promise<Buffer> {
    return (await this.git(['cat-file', 'blob', id])).stdout;
  }

  async save(manifest: SnapshotManifest): Promise<void> {
    // Everything is read from the manifest before the first await (see SnapshotStore.save).
    const json = serializeManifest(manifest);
    const added = [...treeEntries(manifest)].filter(([treePath, blob]) => this.indexed.get(treePath) !== blob);
    const count = manifest.files.size;
    const manifestBlob = await this.putBlob(Buffer.from(json, 'utf8'));
    // -z: paths may contain newlines or tabs; each record is "mode SP id TAB path NUL".
    const lines = [...added.map(([treePath, blob, mode]) => `${mode} ${blob}\t${treePath}\0`), `100644 ${manifestBlob}\t${MANIFEST_NAME}\0`];
    await this.git(['update-index', '-z', '--add', '--index-info'], { input: lines.join(''), indexFile: this.indexFile });
    const tree = firstLine(await this.git(['write-tree'], { indexFile: this.indexFile }));
    const message = `MACS undo snapshot of task ${this.taskId}: ${count} file(s)`;
    const commit = firstLine(await this.git(['commit-tree', tree, ...(this.head ? ['-p', this.head] : []), '-m', message]));
    // The old value makes this a compare-and-swap ("" = must not exist yet).
    const swap = await this.git(['update-ref', '-m', message, this.ref, commit, this.head ?? ''], { okCodes: [1, 128] });
    if (swap.code !== 0) {
      throw new MacsError('INTERNAL', `The undo snapshot ${this.ref} was changed by someone else; not overwriting it.`, {
        ref: this.ref,
        stderr: swap.stderr,
      });
    }
    this.head = commit;
    for (const [treePath, blob] of added) this.indexed.set(treePath, blob);
    await this.writePointer();
  }

  /** The tasks-folder entry that lets the registry list this snapshot (written once, touched after). */
  private async writePointer(): Promise<void> {
    const file = taskFilePath(this.dataDir, this.taskId);
    if (this.pointerWritten) {
      const now = new Date();
      await utimes(file, now, now).catch(() => this.writePointerFile(file));
      return;
    }
    await this.writePointerFile(file);
    this.pointerWritten = true;
  }

  private async writePointerFile(file: string): Promise<void> {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, serializeGitPointer({ taskId: this.taskId, root: this.root, gitDir: this.repo.gitDir, ref: this.ref }));
  }

  async remove(): Promise<void> {
    await deleteSnapshotRef(this.repo.gitDir, this.taskId, this.head);
    this.head = null;
    this.indexed.clear();
    await rm(this.indexFile, { force: true });
    await rm(taskFilePath(this.dataDir, this.taskId), { force: true });
  }
}

/** Delete refs/macs/snapshots/<taskId> (checking it still points at `expected` when given). */
export async function deleteSnapshotRef(gitDir: string, taskId: string, expected: string | null = null): Promise<void> {
  await runGit(gitDir, ['update-ref', '-d', snapshotRef(taskId), ...(expected ? [expected] : [])]);
}

/**
 * [tree path, blob id, git mode] of every file that existed before. Normally
 * files/<path>; a path that collides with another as file vs directory (possible only if
 * something outside the task swapped them between two records) goes to
 * conflicts/<blob id> instead, which keeps the blob reachable. The manifest is the
 * authority on which blob belongs to which path, so placement never matters for undo.
 */
function* treeEntries(manifest: SnapshotManifest): Generator<[string, string, string]> {
  const existing = [...manifest.files].filter(([, record]) => record.before !== null).map(([filePath]) => filePath);
  const files = new Set<string>();
  const dirs = new Set<string>();
  for (const filePath of existing) {
    const before = manifest.files.get(filePath)!.before!;
    const mode = before.mode & 0o111 ? '100755' : '100644';
    const ancestors = filePath.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'));
    const collides = dirs.has(filePath) || ancestors.some((dir) => files.has(dir));
    if (collides) {
      yield [`conflicts/${before.blob}`, before.blob, mode];
      continue;
    }
    files.add(filePath);
    for (const dir of ancestors) dirs.add(dir);
    yield [`files/${filePath}`, before.blob, mode];
  }
}
