// A finished chat task written straight into a data dir's database, as a worker would have
// recorded it (status events from the real queue, coalesced deltas and file chunks of ~4 KB),
// without running a model: for tests that need a log far larger than a stand-in can stream
// in reasonable time (paging, the memory of GET /final).
import crypto from 'node:crypto';
import path from 'node:path';
import type { TaskEventDraft } from '../../shared/index.js';
import { openDatabase } from '../../electron/core/db/index.js';
import { TaskQueue } from '../../electron/core/queue/index.js';
import { TaskStore } from '../../electron/core/tasks/index.js';

export interface RecordedAttempt {
  /** The answer text, stored as `delta` events of at most chunkBytes each (the coalescer's frame size). */
  text: string;
  /** Also store each delta once more as a `file.chunk` (what a file-writing answer records today). */
  fileChunks?: boolean;
  /** Characters per delta event (default 4096). */
  chunkChars?: number;
}

const CHUNK = 4096;

function chunks(text: string, size = CHUNK): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/**
 * Writes a task whose attempts ran in order, each but the last ending in a retry. Returns its id.
 * Events go in batches of 500 per transaction, as a long answer would have been committed.
 */
export function recordFinishedTask(dataDir: string, attempts: RecordedAttempt[]): string {
  const db = openDatabase(path.join(dataDir, 'macs.db'));
  try {
    const store = new TaskStore(db);
    const queue = new TaskQueue(db, store);
    const id = crypto.randomUUID();
    const owner = 'recorded-task-fixture';
    store.createTask({
      id,
      kind: 'chat',
      title: 'recorded',
      prompt: 'recorded',
      model: 'qwen2.5-coder:7b',
      numCtx: 8192,
      workspacePath: path.join(dataDir, 'workspaces', id),
      priority: 0,
      maxAttempts: attempts.length,
      metadata: { mode_hint: 'chat' },
    });
    attempts.forEach((attempt, i) => {
      if (!queue.claimTask(id, owner, 60_000)) throw new Error('could not claim the recorded task');
      let batch: TaskEventDraft[] = [];
      for (const text of chunks(attempt.text, attempt.chunkChars)) {
        batch.push({ type: 'delta', data: { text } });
        if (attempt.fileChunks) batch.push({ type: 'file.chunk', data: { path: 'big.txt', text } });
        if (batch.length >= 500) {
          store.appendEvents(id, batch, owner);
          batch = [];
        }
      }
      if (batch.length > 0) store.appendEvents(id, batch, owner);
      const last = i === attempts.length - 1;
      if (last) queue.finish(id, owner, { status: 'succeeded' });
      else queue.requeueForRetry(id, owner, { code: 'STREAM_DROPPED', message: 'dropped' }, 0);
    });
    return id;
  } finally {
    db.close();
  }
}
