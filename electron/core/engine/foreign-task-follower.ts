import type { Task, TaskEvent } from '../../../shared/index.js';
import { TERMINAL_STATUSES } from '../../../shared/index.js';
import type { Db } from '../db/index.js';
import type { TaskStore } from '../tasks/index.js';

export interface ForeignTaskFollowerOptions {
  db: Db;
  store: TaskStore;
  /** This process's worker id: its own tasks are published live already. */
  self: string;
  publishFrame: (taskId: string, events: TaskEvent[]) => void;
  publishTask: (task: Task) => void;
  intervalMs?: number;
}

/**
 * Several processes share one database (the app, `macs serve`, the CLI). A task that
 * another process runs would look frozen to this process's clients, so its new events
 * are tailed from the database and published here too. Clients resync on a gap, so
 * starting from "now" when a task is first noticed is enough.
 */
export class ForeignTaskFollower {
  private readonly followed = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private readonly foreignRunning;

  constructor(private readonly o: ForeignTaskFollowerOptions) {
    this.foreignRunning = o.db.prepare(
      `SELECT id, last_seq FROM tasks WHERE status = 'running' AND lease_owner IS NOT NULL AND lease_owner != ?`,
    );
  }

  start(): void {
    this.timer ??= setInterval(() => this.tick(), this.o.intervalMs ?? 500);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  tick(): void {
    try {
      for (const row of this.foreignRunning.all(this.o.self) as { id: string; last_seq: number }[]) {
        if (!this.followed.has(row.id)) {
          this.followed.set(row.id, row.last_seq);
          const task = this.o.store.getTask(row.id);
          if (task) this.o.publishTask(task);
        }
      }
      for (const [taskId, lastSeq] of this.followed) {
        const events = this.o.store.listEvents(taskId, lastSeq, 5_000);
        if (events.length) {
          this.followed.set(taskId, events[events.length - 1].seq);
          this.o.publishFrame(taskId, events);
        }
        const task = this.o.store.getTask(taskId);
        if (!task || TERMINAL_STATUSES.includes(task.status) || task.status === 'queued') {
          this.followed.delete(taskId);
          if (task) this.o.publishTask(task);
        }
      }
    } catch {
      // A busy database skips one tick; the next one catches up from the stored seq.
    }
  }
}
