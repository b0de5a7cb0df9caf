import type { TaskEvent, TaskEventDraft } from '../../../shared/index.js';

export interface EventCoalescerOptions {
  /** A pending frame is sent at most this long after its first event. */
  intervalMs?: number;
  /** A frame is sent early once it holds this many bytes of text... */
  maxBytes?: number;
  /** ...but never sooner than this after the previous frame, which caps frames/s per task. */
  minGapMs?: number;
  /** Numbers and stores the drafts (one transaction), returning the stored events. */
  commit: (taskId: string, drafts: TaskEventDraft[]) => TaskEvent[];
  /** Sends one frame of stored events to live clients. */
  publish: (taskId: string, events: TaskEvent[]) => void;
  /**
   * A frame could not be stored (a full disk: DISK_FULL). Called once per task; the task's
   * later events are dropped until close(), since nothing can number them. The owner fails
   * the task. Without this, the error would escape from a timer and end the process.
   */
  onError?: (taskId: string, err: unknown) => void;
}

interface PendingFrame {
  drafts: TaskEventDraft[];
  bytes: number;
  timer: NodeJS.Timeout | null;
  lastFlushAt: number;
  /** Mergeable text events since the last structural event (open/close/status...). */
  /** Per step ('' for chat): steps streaming side by side each keep one open delta. */
  openDeltas: Map<string, Extract<TaskEventDraft, { type: 'delta' | 'thinking' }>>;
  openChunks: Map<string, Extract<TaskEventDraft, { type: 'file.chunk' }>>;
  /** Set when a commit failed: the task is being failed, its events go nowhere. */
  failed: boolean;
}

function textOf(draft: TaskEventDraft): string | null {
  if (draft.type === 'delta' || draft.type === 'thinking' || draft.type === 'file.chunk') return draft.data.text;
  return null;
}

/**
 * Coalesces a task's fine-grained events (one per token) into frames. Within a run of
 * text between two structural events (file.open, file.close, status...), all deltas
 * merge into one delta and all chunks of a file into one chunk: a token that is both
 * chat text and file content costs two events per frame, not two per token. Text never
 * moves across a structural event, so "the file opened after this text" still holds.
 * Seqs are given at flush time, so stored events and wire frames are the same
 * units and a client can resume from any seq. Cost per token is O(token length).
 */
export class EventCoalescer {
  private readonly pending = new Map<string, PendingFrame>();
  private readonly intervalMs: number;
  private readonly maxBytes: number;
  private readonly minGapMs: number;

  constructor(private readonly options: EventCoalescerOptions) {
    this.intervalMs = options.intervalMs ?? 25;
    this.maxBytes = options.maxBytes ?? 4096;
    this.minGapMs = options.minGapMs ?? 16;
  }

  push(taskId: string, draft: TaskEventDraft): void {
    const frame = this.frameFor(taskId);
    if (frame.failed) return;
    const text = textOf(draft);
    if (draft.type === 'delta' || draft.type === 'thinking') {
      // Text of different steps (implement and docs stream side by side) never merges;
      // reasoning merges with reasoning, answer with answer (a model thinks, then answers).
      const key = `${draft.type}:${draft.data.step ?? ''}`;
      const open = frame.openDeltas.get(key);
      if (open) open.data = { ...open.data, text: open.data.text + draft.data.text };
      else {
        const delta = { type: draft.type, data: { ...draft.data } };
        frame.openDeltas.set(key, delta);
        frame.drafts.push(delta);
      }
    } else if (draft.type === 'file.chunk') {
      const open = frame.openChunks.get(draft.data.path);
      if (open) open.data = { path: open.data.path, text: open.data.text + draft.data.text };
      else {
        const chunk = { type: 'file.chunk' as const, data: { ...draft.data } };
        frame.openChunks.set(draft.data.path, chunk);
        frame.drafts.push(chunk);
      }
    } else {
      frame.drafts.push(draft);
      frame.openDeltas.clear();
      frame.openChunks.clear();
    }
    frame.bytes += text?.length ?? 64;

    if (frame.bytes >= this.maxBytes && Date.now() - frame.lastFlushAt >= this.minGapMs) {
      this.flush(taskId);
    } else if (!frame.timer) {
      frame.timer = setTimeout(() => this.flush(taskId), this.intervalMs);
    }
  }

  /** Store and publish what is pending for the task now (e.g. before a status change). */
  flush(taskId: string): TaskEvent[] {
    const frame = this.pending.get(taskId);
    if (!frame || frame.failed || frame.drafts.length === 0) return [];
    if (frame.timer) clearTimeout(frame.timer);
    const drafts = frame.drafts;
    frame.drafts = [];
    frame.openDeltas.clear();
    frame.openChunks.clear();
    frame.bytes = 0;
    frame.timer = null;
    frame.lastFlushAt = Date.now();
    let events: TaskEvent[];
    try {
      events = this.options.commit(taskId, drafts);
    } catch (err) {
      // Called from a timer too: a throw here would be uncaught. The owner fails the task.
      frame.failed = true;
      if (!this.options.onError) throw err;
      this.options.onError(taskId, err);
      return [];
    }
    this.options.publish(taskId, events);
    return events;
  }

  /** Flush and forget a finished task. */
  close(taskId: string): TaskEvent[] {
    const frame = this.pending.get(taskId);
    if (frame?.failed && frame.timer) clearTimeout(frame.timer);
    const events = frame?.failed ? [] : this.flush(taskId);
    this.pending.delete(taskId);
    return events;
  }

  private frameFor(taskId: string): PendingFrame {
    let frame = this.pending.get(taskId);
    if (!frame) {
      frame = { drafts: [], bytes: 0, timer: null, lastFlushAt: 0, openDeltas: new Map(), openChunks: new Map(), failed: false };
      this.pending.set(taskId, frame);
    }
    return frame;
  }
}
