// The undo snapshot of one task in one workspace folder. The task calls
// recordBeforeWrite before each write or delete; the first state of each path is kept
// (blob + manifest, durable before the call returns), so the review can diff, revert
// or accept per file, and "Undo task" can put everything back exactly.
//
// Review semantics, as a user expects them:
// - acceptFile marks the file's *current* state as accepted: it leaves the pending
//   review (changes() flags it `accepted`, changes({pendingOnly}) leaves it out). If the
//   task writes the file again later, the state no longer matches what was accepted and
//   it is pending again.
// - revertFile restores the before state; the path stays in the snapshot (status
//   "unchanged"), so a later write by the task shows up for review again.
// - undoTask restores *every* file the task touched, accepted or not: "Undo task" means
//   the folder as it was before the task. The snapshot is kept (undo is idempotent);
//   discard() forgets it.
import { MacsError } from '../../../../shared/errors.js';
import { normalizeWorkspacePath } from '../../files/index.js';
import type { Workspace } from '../guard/index.js';
import { sha256Of } from './blob-files.js';
import { mapLimit, Mutex, SaveCoalescer } from './concurrency.js';
import { missingParents, readState, removeEmptyDirs, removeEntry, sameState, writeExactly, type FileState } from './file-state.js';
import type { BeforeState, FileRecord, SnapshotBackend, SnapshotManifest } from './manifest.js';
import type { SnapshotStore } from './store.js';
import { undoFiles, type UndoPaths } from './undo.js';

export type ChangeStatus = 'added' | 'modified' | 'deleted' | 'unchanged';
export type FileVersion = FileState;

export interface FileChange {
  path: string;
  status: ChangeStatus;
  before: FileVersion | null;
  after: FileVersion | null;
  /** The user accepted exactly this state: no longer pending review (still undone by undoTask). */
  accepted: boolean;
}

export type RevertOutcome = 'restored' | 'deleted' | 'recreated' | 'unchanged';

/** Counts (what the contract's tasks.undo returns) and the paths behind them. */
export interface UndoSummary {
  /** Existed before and after: content or mode put back. */
  restored: number;
  /** Created by the task: removed. */
  deleted: number;
  /** Deleted by the task: written back. */
  recreated: number;
  /** Already in their before state: not touched. */
  unchanged: number;
  /** The paths behind the counts, and the directories the task created that were left empty (removed). */
  paths: UndoPaths;
}

const IO_PARALLELISM = 8;
const byPath = (a: [string, FileRecord], b: [string, FileRecord]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

export class TaskSnapshot {
  private readonly recording = new Map<string, Promise<void>>();
  private readonly saver: SaveCoalescer;
  private readonly mutex = new Mutex();
  private discarded = false;

  constructor(
    private readonly ws: Workspace,
    private readonly store: SnapshotStore,
    private readonly manifest: SnapshotManifest,
    private readonly onDiscard: () => void = () => undefined,
  ) {
    this.saver = new SaveCoalescer(() => this.store.save(this.manifest));
  }

  get backend(): SnapshotBackend {
    return this.store.backend;
  }
  get taskId(): string {
    return this.manifest.taskId;
  }
  get root(): string {
    return this.manifest.root;
  }

  /**
   * Save the state of `relPath` before the task changes it. Only the first call per path
   * counts; later ones cost a map lookup. Concurrent calls share one durable save.
   */
  async recordBeforeWrite(relPath: string): Promise<void> {
    this.assertOpen();
    const key = this.keyOf(relPath);
    const inFlight = this.recording.get(key);
    if (inFlight) return inFlight;
    if (this.manifest.files.has(key)) return;
    const pending = this.record(key).finally(() => this.recording.delete(key));
    this.recording.set(key, pending);
    return pending;
  }

  private async record(key: string): Promise<void> {
    const now = await readState(await this.ws.resolveInside(key));
    if (now.kind === 'not-a-file') {
      throw new MacsError('NOT_SUPPORTED', `"${key}" is not a regular file; only files are kept in the undo snapshot.`, { path: key });
    }
    let record: FileRecord;
    if (now.kind === 'file') {
      const blob = await this.store.putBlob(now.data, now.state.sha256);
      record = { before: { ...now.state, blob }, accepted: null };
    } else {
      record = { before: null, accepted: null };
      for (const dir of await missingParents(this.ws.root, key)) this.manifest.newDirs.add(dir);
    }
    this.manifest.files.set(key, record);
    try {
      await this.saver.request();
    } catch (err) {
      // Not durable, so not recorded: a retry must snapshot again.
      if (this.manifest.files.get(key) === record) this.manifest.files.delete(key);
      throw err;
    }
  }

  /** Every path the task touched, compared with the disk now (pendingOnly: without the accepted ones). */
  async changes(options: { pendingOnly?: boolean } = {}): Promise<FileChange[]> {
    this.assertOpen();
    await this.settleRecords();
    const entries = [...this.manifest.files].sort(byPath);
    const all = await mapLimit(entries, IO_PARALLELISM, async ([filePath, record]): Promise<FileChange> => {
      const after = await this.currentState(filePath);
      const before = record.before ? { sha256: record.before.sha256, size: record.before.size, mode: record.before.mode } : null;
      const status: ChangeStatus =
        before === null ? (after ? 'added' : 'unchanged') : after === null ? 'deleted' : sameState(before, after) ? 'unchanged' : 'modified';
      const accepted = record.accepted !== null && sameState(record.accepted, after);
      return { path: filePath, status, before, after, accepted };
    });
    return options.pendingOnly ? all.filter((change) => !change.accepted) : all;
  }

  /** The bytes before the task (the diff's left side); null if the file did not exist. */
  async readBefore(relPath: string): Promise<Buffer | null> {
    this.assertOpen();
    const record = await this.recordOf(relPath);
    return record.before ? this.readBlob(relPath, record.before) : null;
  }

  /** Put one file back as it was before the task (delete it if the task created it). */
  revertFile(relPath: string): Promise<RevertOutcome> {
    return this.exclusive(async () => {
      const key = this.keyOf(relPath);
      const record = await this.recordOf(key);
      const outcome = await this.restore(key, record);
      if (outcome === 'deleted') await removeEmptyDirs(this.ws, [...this.manifest.newDirs].filter((dir) => key.startsWith(`${dir}/`)));
      if (record.accepted) {
        record.accepted = null;
        await this.saver.request();
      }
      return outcome;
    });
  }

  /** Keep the task's current version of `relPath`: it leaves the pending review. */
  acceptFile(relPath: string): Promise<void> {
    return this.exclusive(async () => {
      const key = this.keyOf(relPath);
      const record = await this.recordOf(key);
      const now = await this.currentState(key);
      record.accepted = { sha256: now?.sha256 ?? null, mode: now?.mode ?? null };
      await this.saver.request();
    });
  }

  /**
   * Restore every file the task touched, accepted or not (see undo.ts for the order).
   * Every file is tried; if some fail, the error lists them and what was done.
   */
  undoTask(): Promise<UndoSummary> {
    return this.exclusive(async () => {
      const files = [...this.manifest.files].sort(byPath);
      const { paths, failures } = await undoFiles({
        ws: this.ws,
        files,
        newDirs: this.manifest.newDirs,
        fetch: async (wanted) => {
          const blobs = await this.store.getBlobs(wanted.map((w) => w.before.blob));
          return new Map(wanted.map((w) => [w.path, this.verified(w.path, w.before, blobs.get(w.before.blob)!)]));
        },
      });
      const { restored, deleted, recreated, unchanged } = paths;
      const summary: UndoSummary = { restored: restored.length, deleted: deleted.length, recreated: recreated.length, unchanged: unchanged.length, paths };

      // Everything is back to its before state: earlier acceptances no longer describe anything.
      const accepted = files.filter(([, record]) => record.accepted !== null);
      for (const [, record] of accepted) record.accepted = null;
      if (accepted.length) await this.saver.request();
      if (failures.length) {
        throw new MacsError(failures[0]!.code, `Undo could not restore ${failures.length} of ${files.length} file(s): ${failures.map((f) => f.path).join(', ')}`, {
          failures,
          summary,
        });
      }
      return summary;
    });
  }

  /** Forget the snapshot (the ref or the manifest). Copy blobs go with pruneBlobs. */
  discard(): Promise<void> {
    return this.exclusive(async () => {
      await this.store.remove();
      this.discarded = true;
      this.onDiscard();
    });
  }

  private async restore(key: string, record: FileRecord): Promise<RevertOutcome> {
    if (record.before === null) return (await removeEntry(this.ws, key)) ? 'deleted' : 'unchanged';
    const now = await readState(await this.ws.resolveInside(key));
    if (now.kind === 'file' && sameState(record.before, now.state)) return 'unchanged';
    await writeExactly(this.ws, key, await this.readBlob(key, record.before), record.before.mode);
    return now.kind === 'file' ? 'restored' : 'recreated';
  }

  private async readBlob(key: string, before: BeforeState): Promise<Buffer> {
    return this.verified(key, before, await this.store.getBlob(before.blob));
  }

  /** The saved bytes, checked against the recorded sha256 before anything is written with them. */
  private verified(key: string, before: BeforeState, data: Buffer): Buffer {
    if (sha256Of(data) !== before.sha256) {
      throw new MacsError('INTERNAL', `The saved copy of "${key}" in the undo snapshot is damaged; the file was not touched.`, { path: key });
    }
    return data;
  }

  private async currentState(key: string): Promise<FileState | null> {
    const now = await readState(await this.ws.resolveInside(key));
    return now.kind === 'file' ? now.state : null;
  }

  private keyOf(relPath: string): string {
    const normalized = normalizeWorkspacePath(relPath);
    if (!normalized.ok) {
      throw new MacsError('PATH_OUTSIDE_WORKSPACE', `Refused "${relPath}": ${normalized.reason}`, {
        path: relPath,
        reason: normalized.reason,
        refusal: normalized.code,
      });
    }
    return normalized.path;
  }

  private async recordOf(relPath: string): Promise<FileRecord> {
    const key = this.keyOf(relPath);
    await this.recording.get(key)?.catch(() => undefined);
    const record = this.manifest.files.get(key);
    if (!record) {
      throw new MacsError('FILE_NOT_FOUND', `"${key}" was not changed by task ${this.taskId}.`, { path: key, taskId: this.taskId });
    }
    return record;
  }

  /** Workspace-changing operations run one at a time, after the records in flight. */
  private async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    this.assertOpen();
    return this.mutex.run(async () => {
      this.assertOpen();
      await this.settleRecords();
      return fn();
    });
  }

  private async settleRecords(): Promise<void> {
    await Promise.allSettled([...this.recording.values()]);
  }

  private assertOpen(): void {
    if (this.discarded) {
      throw new MacsError('INVALID_INPUT', `The undo snapshot of task ${this.taskId} was discarded.`, { taskId: this.taskId });
    }
  }
}
