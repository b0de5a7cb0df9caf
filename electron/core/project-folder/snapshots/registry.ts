// Which tasks have an undo snapshot: one file per task in <dataDir>/snapshots/tasks/
// (a copy manifest or a git pointer), so listing never has to visit the repositories.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { errnoCode } from './durable-write.js';
import { snapshotsDir } from './locations.js';
import { parseTaskFile, type SnapshotBackend } from './manifest.js';
import { openTaskSnapshot } from './open.js';
import type { TaskSnapshot } from './task-snapshot.js';

export interface SnapshotSummary {
  taskId: string;
  backend: SnapshotBackend;
  root: string;
  /** Last save, ms since the epoch. */
  updatedAt: number;
}

export interface SnapshotListing {
  snapshots: SnapshotSummary[];
  /** Entries that could not be read (kept, never deleted silently), with the reason. */
  unreadable: Array<{ file: string; reason: string }>;
}

export class SnapshotRegistry {
  constructor(readonly dataDir: string) {}

  /** Every snapshot, most recently saved first. */
  async list(): Promise<SnapshotListing> {
    const dir = path.join(snapshotsDir(this.dataDir), 'tasks');
    const names = await readdir(dir).catch((err: unknown) => {
      if (errnoCode(err) === 'ENOENT') return [] as string[];
      throw err;
    });
    const listing: SnapshotListing = { snapshots: [], unreadable: [] };
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      const file = path.join(dir, name);
      try {
        const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
        const parsed = parseTaskFile(text, file);
        const { taskId, root } = parsed.kind === 'git-pointer' ? parsed.pointer : parsed.manifest;
        const backend = parsed.kind === 'git-pointer' ? 'git' : 'copy';
        listing.snapshots.push({ taskId, backend, root, updatedAt: info.mtimeMs });
      } catch (err) {
        if (errnoCode(err) === 'ENOENT') continue; // discarded while listing
        listing.unreadable.push({ file, reason: err instanceof Error ? err.message : String(err) });
      }
    }
    listing.snapshots.sort((a, b) => b.updatedAt - a.updatedAt);
    return listing;
  }

  async get(taskId: string): Promise<SnapshotSummary | null> {
    return (await this.list()).snapshots.find((s) => s.taskId === taskId) ?? null;
  }

  /** Open a listed task's snapshot on the folder it was taken of. */
  async open(summary: Pick<SnapshotSummary, 'taskId' | 'root'>): Promise<TaskSnapshot> {
    return openTaskSnapshot({ root: summary.root, taskId: summary.taskId, dataDir: this.dataDir });
  }
}
