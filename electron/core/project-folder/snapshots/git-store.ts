// Git backend: the before-bytes are blobs in the user's own object database, kept alive
// by a private ref refs/macs/snapshots/<taskId>. Each save is one commit (parent: the
// previous save) whose tree is
//   .macs-snapshot.json   the manifest (which paths did not exist, modes, review state)
//   files/<path>          the before-bytes of each file that existed
// Objects are written by git itself (hash-object, mktree, update-ref) through warm
// processes (GitPipe). The user's HEAD, branch, index, stash and working tree are never
// read or written.
import { mkdir, rm, unlink, utimes, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { MacsError } from '../../../../shared/errors.js';
import { firstLine, readObjects, runGit, type GitRepo } from './git.js';
import { GitPipe } from './git-pipe.js';
import { SnapshotTree } from './git-tree.js';
import { snapshotRef, snapshotTempDir, taskFilePath } from './locations.js';
import { parseManifest, serializeGitPointer, serializeManifest, type SnapshotManifest } from './manifest.js';
import type { SnapshotStore } from './store.js';

const MANIFEST_NAME = '.macs-snapshot.json';
const IDENTITY = 'MACS <macs@localhost>';

export class GitSnapshotStore implements SnapshotStore {
  readonly backend = 'git' as const;
  private readonly ref: string;
  /** The snapshot commit the ref points at (null: no ref yet). The ref update checks it, so a concurrent writer fails loudly. */
  private head: string | null = null;
  private tree = new SnapshotTree();
  private pointerWritten = false;
  // Raw bytes, no clean/eol filters: exactly what was on disk.
  private readonly blobs: GitPipe;
  private readonly commits: GitPipe;
  private readonly trees: GitPipe;
  private readonly refs: GitPipe;

  constructor(
    private readonly repo: GitRepo,
    private readonly dataDir: string,
    private readonly taskId: string,
    private readonly root: string,
  ) {
    this.ref = snapshotRef(taskId);
    this.blobs = new GitPipe(repo.gitDir, ['hash-object', '-w', '--no-filters', '--stdin-paths']);
    this.commits = new GitPipe(repo.gitDir, ['hash-object', '-w', '-t', 'commit', '--no-filters', '--stdin-paths']);
    this.trees = new GitPipe(repo.gitDir, ['mktree', '-z', '--batch']);
    this.refs = new GitPipe(repo.gitDir, ['update-ref', '--stdin']);
  }

  async load(): Promise<SnapshotManifest | null> {
    const found = await runGit(this.repo.gitDir, ['rev-parse', '--verify', '--quiet', `${this.ref}^{commit}`], { okCodes: [1] });
    if (found.code !== 0) return null;
    this.head = firstLine(found);
    const text = (await runGit(this.repo.gitDir, ['cat-file', 'blob', `${this.head}:${MANIFEST_NAME}`])).stdout.toString('utf8');
    const manifest = parseManifest(text, `${this.ref} in ${this.repo.gitDir}`);
    // The in-memory tree is rebuilt from the manifest; the first save rewrites its trees
    // (git finds most of them already present).
    for (const [treePath, blob, mode] of treeEntries(manifest)) this.tree.setBlob(treePath, mode, blob);
    this.pointerWritten = true;
    return manifest;
  }

  putBlob(data: Uint8Array): Promise<string> {
    return this.writeObject(this.blobs, data);
  }

  async getBlob(id: string): Promise<Buffer> {
    return (await runGit(this.repo.gitDir, ['cat-file', 'blob', id])).stdout;
  }

  /** Many blobs in one `cat-file --batch` (an undo of many files). */
  async getBlobs(ids: string[]): Promise<Map<string, Buffer>> {
    const objects = await readObjects(this.repo.gitDir, ids);
    const found = new Map<string, Buffer>();
    for (const id of new Set(ids)) {
      const object = objects.get(id);
      if (object?.type !== 'blob') throw new MacsError('INTERNAL', `The undo snapshot's blob ${id} is missing from ${this.repo.gitDir}.`, { id });
      found.set(id, object.data);
    }
    return found;
  }

  async save(manifest: SnapshotManifest): Promise<void> {
    // Everything is read from the manifest before the first await (see SnapshotStore.save).
    const json = serializeManifest(manifest);
    const entries = [...treeEntries(manifest)];
    const count = manifest.files.size;

    const manifestBlob = await this.putBlob(Buffer.from(json, 'utf8'));
    for (const [treePath, blob, mode] of entries) this.tree.setBlob(treePath, mode, blob);
    this.tree.setBlob(MANIFEST_NAME, '100644', manifestBlob);
    const tree = await this.tree.write(async (input) => (await this.trees.request(input))[0]!);

    const now = `${Math.floor(Date.now() / 1000)} +0000`;
    const message = `MACS undo snapshot of task ${this.taskId}: ${count} file(s)`;
    const commitText = [`tree ${tree}`, ...(this.head ? [`parent ${this.head}`] : []), `author ${IDENTITY} ${now}`, `committer ${IDENTITY} ${now}`, '', message, ''].join('\n');
    const commit = await this.writeObject(this.commits, Buffer.from(commitText, 'utf8'));

    // The old value makes this a compare-and-swap (all zeros: the ref must not exist yet).
    const expected = this.head ?? '0'.repeat(commit.length);
    try {
      await this.refs.request(`start\nupdate ${this.ref} ${commit} ${expected}\nprepare\ncommit\n`, 3);
    } catch (err) {
      throw new MacsError('INTERNAL', `The undo snapshot ${this.ref} could not be updated (was it changed by someone else?); not overwriting it.`, {
        ref: this.ref,
        cause: err instanceof Error ? err.message : String(err),
      });
    }
    this.head = commit;
    await this.writePointer();
  }

  /** Objects go to git as files (hash-object --stdin-paths): a temp file git reads once. */
  private async writeObject(pipe: GitPipe, data: Uint8Array): Promise<string> {
    const dir = snapshotTempDir(this.dataDir);
    const file = path.join(dir, `${this.taskId}-${randomBytes(8).toString('hex')}`);
    await mkdir(dir, { recursive: true });
    await writeFile(file, data, { flag: 'wx' });
    try {
      return (await pipe.request(`${file}\n`))[0]!;
    } finally {
      await unlink(file).catch(() => undefined);
    }
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
    this.tree = new SnapshotTree();
    for (const pipe of [this.blobs, this.commits, this.trees, this.refs]) pipe.close();
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
  const files = new Set<string>();
  const dirs = new Set<string>();
  for (const [filePath, record] of manifest.files) {
    const before = record.before;
    if (!before) continue;
    const mode = before.mode & 0o111 ? '100755' : '100644';
    const ancestors = filePath.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'));
    if (dirs.has(filePath) || ancestors.some((dir) => files.has(dir))) {
      yield [`conflicts/${before.blob}`, before.blob, mode];
      continue;
    }
    files.add(filePath);
    for (const dir of ancestors) dirs.add(dir);
    yield [`files/${filePath}`, before.blob, mode];
  }
}
