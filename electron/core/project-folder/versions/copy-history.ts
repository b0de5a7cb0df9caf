// A generated project whose git repository is damaged or gone keeps its versions as
// content-addressed copies in the data dir: each version is the full file table
// (path, sha256, size, mode), the bytes are stored once. Same operations as the git
// history; a restore checks every copy before it touches a file.
import { randomBytes } from 'node:crypto';
import { MacsError } from '../../../../shared/errors.js';
import type { ProjectVersion, VersionFileDiff } from '../../../../shared/project.js';
import { Workspace } from '../guard/index.js';
import { fileDiff } from './file-diff.js';
import { readBlobFile, sha256Of } from '../snapshots/blob-files.js';
import { mapLimit } from '../snapshots/concurrency.js';
import { removeEmptyDirs, removeEntry, writeExactly } from '../snapshots/file-state.js';
import { readState, versionBlobsBase, writeState, type CopyVersion, type FileRow, type HistoryState } from './state-file.js';
import type { HistoryBackend, ProjectHistory, TurnInfo, VersionFile } from './types.js';
import { HAND_EDIT_MESSAGE, numberVersions, restoreLabel, subjectOf, undoTarget } from './version-list.js';
import { captureWorkTree, changedPaths } from './work-tree.js';

const IO_PARALLELISM = 8;

export class CopyProjectHistory implements ProjectHistory {
  readonly backend: HistoryBackend = 'snapshots';
  private readonly blobs: string;

  constructor(
    private readonly root: string,
    private readonly dataDir: string,
    private readonly projectId: string,
    readonly notice: string,
  ) {
    this.blobs = versionBlobsBase(dataDir);
  }

  /** Start keeping copies: the files as they are now (if any) become the first version, named `firstMessage`. */
  static async begin(root: string, dataDir: string, projectId: string, why: { reason: string; notice: string; firstMessage: string }): Promise<CopyProjectHistory> {
    const history = new CopyProjectHistory(root, dataDir, projectId, why.notice);
    const files = await captureWorkTree(root, history.blobs);
    const first = newVersion({ kind: 'initial', taskId: null, message: why.firstMessage, restoreOf: null }, [], files);
    await writeState(dataDir, projectId, { version: 1, backend: 'snapshots', reason: why.reason, versions: files.length > 0 ? [first] : [] });
    return history;
  }

  commitHandEdits(): Promise<ProjectVersion | null> {
    return this.commitWorkTree({ kind: 'hand-edit', taskId: null, message: HAND_EDIT_MESSAGE, restoreOf: null });
  }

  commitTurn(turn: TurnInfo): Promise<ProjectVersion | null> {
    const prompt = turn.prompt.trim();
    return this.commitWorkTree({ kind: 'turn', taskId: turn.taskId, message: prompt || subjectOf(prompt), restoreOf: null });
  }

  async list(): Promise<ProjectVersion[]> {
    return numberVersions((await this.load()).versions ?? []);
  }

  async diff(versionId: string): Promise<VersionFileDiff[]> {
    const versions = (await this.load()).versions ?? [];
    const index = this.indexOf(versions, versionId);
    const before = new Map((versions[index - 1]?.files ?? []).map((row) => [row[0], row]));
    const after = new Map(versions[index]!.files.map((row) => [row[0], row]));
    return mapLimit(changedPaths([...before.values()], [...after.values()]), IO_PARALLELISM, async (change) => {
      const old = before.get(change.path);
      const now = after.get(change.path);
      const [oldData, newData] = await Promise.all([old ? this.readCopy(old) : null, now ? this.readCopy(now) : null]);
      return fileDiff(change.path, change.status, oldData, newData);
    });
  }

  async restore(versionId: string): Promise<ProjectVersion> {
    await this.commitHandEdits();
    const versions = (await this.load()).versions ?? [];
    const index = this.indexOf(versions, versionId);
    return this.restoreTo(versions[index]!.id, index + 1, versions[index]!.files);
  }

  async undoLastTurn(): Promise<ProjectVersion> {
    await this.commitHandEdits();
    const state = await this.load();
    const found = undoTarget(numberVersions(state.versions ?? []));
    if (!found) throw new MacsError('VERSION_NOT_FOUND', 'There is no turn to undo: no version was made by a turn that is not already undone.');
    const target = state.versions![found.targetNumber - 1];
    return this.restoreTo(target?.id ?? '', found.targetNumber, target?.files ?? []);
  }

  async filesAt(versionId?: string): Promise<VersionFile[]> {
    const versions = (await this.load()).versions ?? [];
    const version = versionId === undefined ? versions.at(-1) : versions[this.indexOf(versions, versionId)];
    return (version?.files ?? []).map((row) => ({ path: row[0], size: row[2], mode: row[3], read: () => this.readCopy(row) }));
  }

  private async restoreTo(targetId: string, targetNumber: number, target: FileRow[]): Promise<ProjectVersion> {
    const state = await this.load();
    const versions = state.versions ?? [];
    const current = versions.at(-1)?.files ?? [];
    const changes = changedPaths(current, target);
    const wanted = new Map(target.map((row) => [row[0], row]));
    // Every copy read and checked first: a missing one stops the restore before any file is touched.
    const toWrite = changes.filter((change) => change.status !== 'deleted');
    const bytes = new Map<string, Buffer>();
    await mapLimit(toWrite, IO_PARALLELISM, async ({ path: filePath }) => {
      const row = wanted.get(filePath)!;
      const data = await this.readCopy(row).catch(() => null);
      if (!data || sha256Of(data) !== row[1]) {
        throw new MacsError('VERSION_NOT_FOUND', `${restoreLabel(targetNumber)} is not possible: the saved copy of "${filePath}" is gone or damaged; no file was changed.`, {
          path: filePath,
          number: targetNumber,
        });
      }
      bytes.set(filePath, data);
    });
    const ws = await Workspace.open(this.root);
    const removed = changes.filter((change) => change.status === 'deleted').map((change) => change.path);
    for (const filePath of removed) await removeEntry(ws, filePath);
    await removeEmptyDirs(ws, parentsOf(removed));
    await mapLimit(toWrite, IO_PARALLELISM, ({ path: filePath }) => writeExactly(ws, filePath, bytes.get(filePath)!, wanted.get(filePath)![3]));
    const version = newVersion({ kind: 'restore', taskId: null, message: restoreLabel(targetNumber), restoreOf: targetId }, current, target);
    await this.save(state, [...versions, version]);
    return (await this.list()).at(-1)!;
  }

  private async commitWorkTree(meta: Pick<CopyVersion, 'kind' | 'taskId' | 'message' | 'restoreOf'>): Promise<ProjectVersion | null> {
    const state = await this.load();
    const versions = state.versions ?? [];
    const previous = versions.at(-1)?.files ?? [];
    const files = await captureWorkTree(this.root, this.blobs);
    if (changedPaths(previous, files).length === 0) return null;
    await this.save(state, [...versions, newVersion(meta, previous, files)]);
    return (await this.list()).at(-1)!;
  }

  private async readCopy(row: FileRow): Promise<Buffer> {
    return readBlobFile(this.blobs, row[1]).catch((err: unknown) => {
      throw new MacsError('VERSION_NOT_FOUND', `The saved copy of "${row[0]}" is gone.`, { path: row[0], cause: err instanceof Error ? err.message : String(err) });
    });
  }

  private indexOf(versions: CopyVersion[], versionId: string): number {
    const index = versions.findIndex((v) => v.id === versionId);
    if (index < 0) throw new MacsError('VERSION_NOT_FOUND', `The project has no version ${versionId}.`, { versionId });
    return index;
  }

  private async load(): Promise<HistoryState> {
    const state = await readState(this.dataDir, this.projectId);
    if (!state || state.backend !== 'snapshots') {
      throw new MacsError('INTERNAL', `The copies of project ${this.projectId}'s versions are gone from the data folder.`, { projectId: this.projectId });
    }
    return state;
  }

  private save(state: HistoryState, versions: CopyVersion[]): Promise<void> {
    return writeState(this.dataDir, this.projectId, { ...state, versions });
  }
}

function newVersion(meta: Pick<CopyVersion, 'kind' | 'taskId' | 'message' | 'restoreOf'>, previous: FileRow[], files: FileRow[]): CopyVersion {
  return { id: randomBytes(8).toString('hex'), createdAt: Date.now(), filesChanged: changedPaths(previous, files).length, files, ...meta };
}

function parentsOf(paths: string[]): Set<string> {
  const dirs = new Set<string>();
  for (const filePath of paths) {
    const parts = filePath.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  return dirs;
}
