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
}

interface PendingFrame {
  drafts: TaskEventDraft[];
  bytes: number;
  timer: NodeJS.Timeout | null;
  lastFlushAt: number;
}

function textOf(draft: TaskEventDraft): string | null {
  if (draft.type === 'delta' || draft.type === 'file.chunk') return draft.data.text;
  return null;
}

/**
 * Coalesces a task's fine-grained events (one per token) into frames: adjacent
 * deltas merge into one delta, adjacent chunks of the same file into one chunk.
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
    const text = textOf(draft);
    const last = frame.drafts[frame.drafts.length - 1];
    if (text !== null && last && last.type === draft.type) {
      if (last.type === 'delta') {
        last.data = { text: last.data.text + text };
      } else if (last.type === 'file.chunk' && draft.type === 'file.chunk' && last.data.path === draft.data.path) {
        last.data = { path: last.data.path, text: last.data.text + text };
      } else {
        frame.drafts.push(draft);
      }
    } else {
      frame.drafts.push(draft);
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
    if (!frame || frame.drafts.length === 0) return [];
    if (frame.timer) clearTimeout(frame.timer);
    const drafts = frame.drafts;
    frame.drafts = [];
    frame.bytes = 0;
    frame.timer = null;
    frame.lastFlushAt = Date.now();
    const events = this.options.commit(taskId, drafts);
    this.options.publish(taskId, events);
    return events;
  }

  /** Flush and forget a finished task. */
  close(taskId: string): TaskEvent[] {
    const events = this.flush(taskId);
    this.pending.delete(taskId);
    return events;
  }

  private frameFor(taskId: string): PendingFrame {
    let frame = this.pending.get(taskId);
    if (!frame) {
      frame = { drafts: [], bytes: 0, timer: null, lastFlushAt: 0 };
      this.pending.set(taskId, frame);
    }
    return frame;
  }
}
