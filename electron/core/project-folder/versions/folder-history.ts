// An opened folder's versions: the turns that changed files, kept by the per-turn undo
// snapshots (each recorded every file's state before the turn wrote it), plus the
// restores made here. The user's branch, index, stash and config are never touched.
//
// Going back to version V undoes every later event, newest first: undoing a turn puts
// its files back as they were before it, undoing a restore puts back what the restore
// replaced. Before anything is undone, the current state of every file about to change
// is kept in a new snapshot (the restore's own), so hand edits are never lost and the
// restore itself can be taken back by restoring the version before it.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { MacsError } from '../../../../shared/errors.js';
import type { ProjectVersion, VersionFileDiff } from '../../../../shared/project.js';
import { listWorkspace } from '../tree/index.js';
import { openTaskSnapshot, type FileChange, type TaskSnapshot } from '../snapshots/index.js';
import { taskFilePath } from '../snapshots/locations.js';
import { parseTaskFile } from '../snapshots/manifest.js';
import { readFile } from 'node:fs/promises';
import { mapLimit } from '../snapshots/concurrency.js';
import { readState as readFileState } from '../snapshots/file-state.js';
import { fileDiff } from './file-diff.js';
import { readState, writeState, type FolderRestore, type HistoryState } from './state-file.js';
import type { HistoryBackend, HistoryTurn, ProjectHistory, VersionFile } from './types.js';
import { numberVersions, restoreLabel, subjectOf, undoTarget, type RawVersion } from './version-list.js';
import { isVersioned } from './work-tree.js';

/** A turn's or a restore's snapshot, in the order they happened. */
interface HistoryEvent {
  id: string;
  kind: 'turn' | 'restore';
  time: number;
  message: string;
  restoreOf: string | null;
  snapshot: TaskSnapshot;
  changes: FileChange[];
}

/** Snapshot ids of folder restores start with this (the undo snapshots' pruning must keep them). */
export const RESTORE_SNAPSHOT_PREFIX = 'restore-';

type Absent = null;
type StateKey = { sha256: string; mode: number } | Absent;

const IO_PARALLELISM = 8;
const sameKey = (a: StateKey, b: StateKey) => (a === null || b === null ? a === b : a.sha256 === b.sha256 && a.mode === b.mode);

export class FolderProjectHistory implements ProjectHistory {
  readonly backend: HistoryBackend = 'snapshots';
  readonly notice = null;

  constructor(
    private readonly root: string,
    private readonly dataDir: string,
    private readonly projectId: string,
    private readonly turns: HistoryTurn[],
  ) {}

  // Folders are versioned by the turns' own snapshots: nothing to commit.
  async commitHandEdits(): Promise<null> {
    return null;
  }
  async commitTurn(): Promise<null> {
    return null;
  }

  async list(): Promise<ProjectVersion[]> {
    const events = await this.events();
    return numberVersions(this.raw(events));
  }

  async diff(versionId: string): Promise<VersionFileDiff[]> {
    const events = await this.events();
    const index = this.indexOf(events, versionId);
    const event = events[index]!;
    const diffs = await mapLimit(event.changes, IO_PARALLELISM, async (change): Promise<VersionFileDiff | null> => {
      const [before, after] = await Promise.all([event.snapshot.readBefore(change.path), this.readAfter(events, index, change.path)]);
      if (before === null && after === null) return null;
      if (before !== null && after !== null && before.equals(after) && sameKey(keyOf(change.before), this.afterKey(events, index, change))) return null;
      return fileDiff(change.path, before === null ? 'added' : after === null ? 'deleted' : 'modified', before, after);
    });
    return diffs.filter((diff): diff is VersionFileDiff => diff !== null);
  }

  async restore(versionId: string): Promise<ProjectVersion> {
    const events = await this.events();
    const index = this.indexOf(events, versionId);
    const number = numberVersions(this.raw(events)).find((version) => version.id === versionId)!.number;
    return this.restoreAfter(events, index, number);
  }

  async undoLastTurn(): Promise<ProjectVersion> {
    const events = await this.events();
    const found = undoTarget(numberVersions(this.raw(events)));
    if (!found) throw new MacsError('VERSION_NOT_FOUND', 'There is no turn to undo: no turn that changed files is left that is not already undone.');
    const target = numberVersions(this.raw(events))[found.targetNumber - 1];
    return this.restoreAfter(events, target ? events.findIndex((event) => event.id === target.id) : -1, found.targetNumber);
  }

  async filesAt(versionId?: string): Promise<VersionFile[]> {
    const events = await this.events();
    const index = versionId === undefined ? events.length - 1 : this.indexOf(events, versionId);
    // The folder now, with every path a later event touched put back as that event found it.
    const earlier = new Map<string, { snapshot: TaskSnapshot; change: FileChange }>();
    for (let i = events.length - 1; i > index; i--) for (const change of events[i]!.changes) earlier.set(change.path, { snapshot: events[i]!.snapshot, change });
    const listing = await listWorkspace(this.root);
    const files: VersionFile[] = [];
    for (const entry of listing.entries) {
      if (entry.kind !== 'file' || entry.ignored || entry.symlink || !isVersioned(entry.path) || earlier.has(entry.path)) continue;
      files.push(await this.diskFile(entry.path));
    }
    for (const [filePath, { snapshot, change }] of earlier) {
      if (!change.before) continue;
      files.push({ path: filePath, size: change.before.size, mode: change.before.mode, read: async () => (await snapshot.readBefore(filePath))! });
    }
    return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /**
   * Undo every event after `events[index]` (index -1: all of them), newest first, after
   * checking each saved copy and keeping the files' current state in the restore's own
   * snapshot. `targetNumber` names the version in the message.
   */
  private async restoreAfter(events: HistoryEvent[], index: number, targetNumber: number): Promise<ProjectVersion> {
    const later = events.slice(index + 1);
    if (later.length === 0) return (await this.list()).at(-1)!;
    const targetId = index >= 0 ? events[index]!.id : '';
    this.refuseGaps(events, index >= 0 ? events[index]!.time : -Infinity, targetNumber);
    // Every saved copy is read (and checked against its sha256) before a file is touched.
    for (const event of later) {
      await mapLimit(
        event.changes.filter((change) => change.before !== null),
        IO_PARALLELISM,
        (change) =>
          event.snapshot.readBefore(change.path).catch((err: unknown) => {
            throw new MacsError('VERSION_NOT_FOUND', `${restoreLabel(targetNumber)} is not possible: the saved copy of "${change.path}" from a later turn is gone; no file was changed.`, {
              path: change.path,
              eventId: event.id,
              cause: err instanceof Error ? err.message : String(err),
            });
          }),
      );
    }
    const snapshotId = `${RESTORE_SNAPSHOT_PREFIX}${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;
    const keep = await openTaskSnapshot({ root: this.root, taskId: snapshotId, dataDir: this.dataDir });
    const paths = new Set(later.flatMap((event) => event.changes.map((change) => change.path)));
    for (const filePath of [...paths].sort()) await keep.recordBeforeWrite(filePath);
    const state = await this.state();
    const record: FolderRestore = { snapshotId, targetId, targetNumber, createdAt: Date.now() };
    // Recorded before the files change: a crash part-way still shows the restore, whose snapshot holds what was there.
    await writeState(this.dataDir, this.projectId, { ...state, restores: [...(state.restores ?? []), record] });
    for (const event of [...later].reverse()) await event.snapshot.undoTask();
    return (await this.list()).at(-1)!;
  }

  /** A later turn that wrote files but has no snapshot cannot be stepped over. */
  private refuseGaps(events: HistoryEvent[], afterTime: number, targetNumber: number): void {
    const known = new Set(events.map((event) => event.id));
    const gaps = this.turns.filter((turn) => turn.fileCount > 0 && !known.has(turn.id) && turnTime(turn) > afterTime);
    if (gaps.length > 0) {
      throw new MacsError(
        'VERSION_NOT_FOUND',
        `${restoreLabel(targetNumber)} is not possible: the snapshot of later turn ${gaps.map((turn) => turn.id).join(', ')} is gone, so its changes cannot be taken back; no file was changed.`,
        { taskIds: gaps.map((turn) => turn.id) },
      );
    }
  }

  private async events(): Promise<HistoryEvent[]> {
    const state = await this.state();
    const ids = [...this.turns.map((turn) => turn.id), ...(state.restores ?? []).map((restore) => restore.snapshotId)];
    const roots = await Promise.all(ids.map((id) => snapshotRootOf(this.dataDir, id)));
    // Snapshots of this folder only: one taken where the folder used to be (before Locate…) is not a version here.
    const has = new Set(ids.filter((_, i) => roots[i] === this.root));
    const pending: Array<Omit<HistoryEvent, 'snapshot' | 'changes'>> = [];
    for (const turn of this.turns) {
      if (!has.has(turn.id)) continue;
      pending.push({ id: turn.id, kind: 'turn', time: turnTime(turn), message: turn.prompt?.trim() || subjectOf(`Turn ${turn.id}`), restoreOf: null });
    }
    for (const restore of state.restores ?? []) {
      if (!has.has(restore.snapshotId)) continue;
      pending.push({ id: restore.snapshotId, kind: 'restore', time: restore.createdAt, message: restoreLabel(restore.targetNumber), restoreOf: restore.targetId });
    }
    pending.sort((a, b) => a.time - b.time);
    return Promise.all(
      pending.map(async (event) => {
        const snapshot = await openTaskSnapshot({ root: this.root, taskId: event.id, dataDir: this.dataDir });
        return { ...event, snapshot, changes: await snapshot.changes() };
      }),
    );
  }

  /** Versions in order; a turn whose files all ended as they began is not one (a restore always is). */
  private raw(events: HistoryEvent[]): RawVersion[] {
    const raw: RawVersion[] = [];
    events.forEach((event, index) => {
      const filesChanged = event.changes.filter((change) => !sameKey(keyOf(change.before), this.afterKey(events, index, change))).length;
      if (event.kind === 'turn' && filesChanged === 0) return;
      raw.push({ id: event.id, kind: event.kind, taskId: event.kind === 'turn' ? event.id : null, message: event.message, createdAt: event.time, filesChanged, restoreOf: event.restoreOf });
    });
    return raw;
  }

  /** The state `change.path` was left in by events[index]: what the next event touching it found, else the disk now. */
  private afterKey(events: HistoryEvent[], index: number, change: FileChange): StateKey {
    for (let i = index + 1; i < events.length; i++) {
      const next = events[i]!.changes.find((c) => c.path === change.path);
      if (next) return keyOf(next.before);
    }
    return keyOf(change.after);
  }

  private async readAfter(events: HistoryEvent[], index: number, filePath: string): Promise<Buffer | null> {
    for (let i = index + 1; i < events.length; i++) {
      if (events[i]!.changes.some((c) => c.path === filePath)) return events[i]!.snapshot.readBefore(filePath);
    }
    const now = await readFileState(path.join(this.root, filePath));
    return now.kind === 'file' ? now.data : null;
  }

  private async diskFile(filePath: string): Promise<VersionFile> {
    const now = await readFileState(path.join(this.root, filePath));
    const size = now.kind === 'file' ? now.state.size : 0;
    const mode = now.kind === 'file' ? now.state.mode : 0o644;
    return {
      path: filePath,
      size,
      mode,
      read: async () => {
        const again = await readFileState(path.join(this.root, filePath));
        if (again.kind !== 'file') throw new MacsError('FILE_NOT_FOUND', `"${filePath}" is gone from the folder.`, { path: filePath });
        return again.data;
      },
    };
  }

  private indexOf(events: HistoryEvent[], versionId: string): number {
    const listed = new Set(this.raw(events).map((version) => version.id));
    const index = events.findIndex((event) => event.id === versionId);
    if (index < 0 || !listed.has(versionId)) {
      throw new MacsError('VERSION_NOT_FOUND', `The folder has no version ${versionId} (no turn with that id changed files, or its snapshot is gone).`, { versionId });
    }
    return index;
  }

  private async state(): Promise<HistoryState> {
    return (await readState(this.dataDir, this.projectId)) ?? { version: 1, backend: 'folder-snapshots' };
  }
}

function keyOf(state: { sha256: string; mode: number } | null): StateKey {
  return state ? { sha256: state.sha256, mode: state.mode } : null;
}

function turnTime(turn: HistoryTurn): number {
  return turn.finishedAt ?? turn.startedAt ?? turn.createdAt;
}

/** The folder a task's undo snapshot was taken of, or null when it has none (never made, discarded, unreadable). */
async function snapshotRootOf(dataDir: string, taskId: string): Promise<string | null> {
  const file = taskFilePath(dataDir, taskId);
  try {
    const parsed = parseTaskFile(await readFile(file, 'utf8'), file);
    return parsed.kind === 'git-pointer' ? parsed.pointer.root : parsed.manifest.root;
  } catch {
    return null;
  }
}
