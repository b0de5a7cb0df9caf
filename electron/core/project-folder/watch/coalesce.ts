// Folds raw watcher events into one batch per debounce window, keeping only the net
// effect per path since the last batch, so the tree applies each path once:
//   create → update       = created   (a new file being written)
//   create → delete       = nothing   (a temp file that came and went)
//   delete → create       = updated   (an editor's atomic save: write beside, rename over)
//   update → delete       = deleted
import type { WatchBatch } from './types.js';

export type RawEventType = 'create' | 'update' | 'delete';
type NetChange = 'created' | 'updated' | 'deleted';

function fold(before: NetChange | undefined, event: RawEventType): NetChange | null {
  switch (event) {
    case 'create':
      // It existed before this window if the window began with an update or a delete.
      return before === 'deleted' || before === 'updated' ? 'updated' : 'created';
    case 'update':
      return before === 'created' ? 'created' : 'updated';
    case 'delete':
      return before === 'created' ? null : 'deleted';
  }
}

export class EventCoalescer {
  private readonly changes = new Map<string, NetChange>();

  get size(): number {
    return this.changes.size;
  }

  add(event: RawEventType, relPath: string): void {
    const next = fold(this.changes.get(relPath), event);
    if (next === null) this.changes.delete(relPath);
    else this.changes.set(relPath, next);
  }

  /** The batch so far (paths sorted, so output does not depend on event order), or null when nothing is left. */
  take(): WatchBatch | null {
    if (this.changes.size === 0) return null;
    const batch: WatchBatch = { created: [], updated: [], deleted: [] };
    for (const [relPath, change] of this.changes) batch[change].push(relPath);
    this.changes.clear();
    batch.created.sort();
    batch.updated.sort();
    batch.deleted.sort();
    return batch;
  }
}
