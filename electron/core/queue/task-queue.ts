import type { ErrorPayload, Task, TaskEvent, TaskEventDraft } from '../../../shared/index.js';
import { MacsError } from '../../../shared/index.js';
import type { Db } from '../db/index.js';
import { TASK_COLUMNS, type TaskRow, type TaskStore } from '../tasks/index.js';
import { ownerIsDeadHere } from './owner.js';

/** The status event reason of a task queued again because its Ollama host is not answering. */
export const WAITING_FOR_OLLAMA = 'waiting for Ollama';

/**
 * A task that is a turn of a project runs only when its project is not paused and every
 * earlier turn of it has finished: turns of one project run one at a time, in order (a
 * second turn waits behind the first, durably); projects run side by side. Part of the
 * claim itself, so no process (app, CLI, server) can jump a project's queue.
 */
const TURN_IS_NEXT = `(tasks.project_id IS NULL OR (
      NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = tasks.project_id AND p.paused = 1)
      AND NOT EXISTS (SELECT 1 FROM tasks e WHERE e.project_id = tasks.project_id AND e.id <> tasks.id
                        AND e.status IN ('queued', 'running', 'interrupted')
                        AND (e.status <> 'queued' OR e.created_at < tasks.created_at OR (e.created_at = tasks.created_at AND e.rowid < tasks.rowid)))))`;

/** A change the queue made: the task as it is now and the events it appended (to publish). */
export interface QueueChange {
  task: Task;
  events: TaskEvent[];
}

export interface ClaimLimits {
  maxRunning: number;
  maxPerModel: number;
  leaseMs: number;
}

/** A success may carry a warning (CONTEXT_OVERFLOW): kept as the task's error and on its status event. */
export type FinishOutcome = { status: 'succeeded'; warning?: ErrorPayload } | { status: 'cancelled'; error?: ErrorPayload } | { status: 'failed'; error: ErrorPayload };

/**
 * The queue is the database: every state change is one IMMEDIATE transaction, so
 * several processes sharing the file each see a consistent queue and a task is
 * claimed by exactly one of them. Writes by a worker are fenced by its lease_owner.
 */
export class TaskQueue {
  private readonly stmts;

  constructor(
    private readonly db: Db,
    private readonly store: TaskStore,
  ) {
    this.stmts = {
      runningCount: db.prepare(`SELECT COUNT(*) FROM tasks WHERE status = 'running'`).pluck(),
      // Per host and model: each Ollama host serialises its own generations.
      runningByModel: db.prepare(
        `SELECT COALESCE(host, '') || char(10) || model AS slot, COUNT(*) AS n FROM tasks WHERE status = 'running' GROUP BY slot`,
      ),
      nextQueued: db.prepare(
        // INDEXED BY: without statistics the planner picks tasks_status and sorts all queued rows.
        `SELECT id FROM tasks INDEXED BY tasks_queue
          WHERE status = 'queued' AND (not_before IS NULL OR not_before <= @now)
            AND COALESCE(host, '') || char(10) || model NOT IN (SELECT value FROM json_each(@saturated))
            AND ${TURN_IS_NEXT}
          ORDER BY priority DESC, created_at, rowid LIMIT 1`,
      ).pluck(),
      claim: db.prepare(
        `UPDATE tasks SET status = 'running', lease_owner = @owner, lease_expires_at = @now + @leaseMs,
                attempts = attempts + 1, started_at = COALESCE(started_at, @now), not_before = NULL,
                finished_at = NULL, error_json = NULL, cancel_requested = 0
          WHERE id = @id AND status = 'queued' AND ${TURN_IS_NEXT} RETURNING attempts`,
      ).pluck(),
      insertAttempt: db.prepare(
        `INSERT INTO task_attempts (task_id, attempt, worker, started_at, outcome) VALUES (?, ?, ?, ?, 'running')`,
      ),
      endAttempt: db.prepare(
        `UPDATE task_attempts SET finished_at = ?, outcome = ?, error_json = ? WHERE task_id = ? AND attempt = ?`,
      ),
      renew: db.prepare(
        `UPDATE tasks SET lease_expires_at = @now + @leaseMs
          WHERE id = @id AND lease_owner = @owner AND status = 'running' RETURNING cancel_requested`,
      ).pluck(),
      cancelFlag: db.prepare(`SELECT cancel_requested FROM tasks WHERE id = ? AND lease_owner = ? AND status = 'running'`).pluck(),
      finish: db.prepare(
        `UPDATE tasks SET status = @status, error_json = @error, finished_at = @now, lease_owner = NULL, lease_expires_at = NULL
          WHERE id = @id AND lease_owner = @owner AND status = 'running' RETURNING attempts`,
      ).pluck(),
      requeue: db.prepare(
        `UPDATE tasks SET status = 'queued', error_json = @error, not_before = @notBefore, lease_owner = NULL, lease_expires_at = NULL
          WHERE id = @id AND lease_owner = @owner AND status = 'running' RETURNING attempts`,
      ).pluck(),
      leases: db.prepare(`SELECT id, lease_owner, lease_expires_at, attempts, max_attempts FROM tasks WHERE status = 'running'`),
      setStatus: db.prepare(
        `UPDATE tasks SET status = @status, error_json = @error, finished_at = @finishedAt, lease_owner = NULL,
                lease_expires_at = NULL, not_before = NULL WHERE id = @id`,
      ),
      settleRetrying: db.prepare(`UPDATE task_attempts SET outcome = 'failed' WHERE task_id = ? AND attempt = ? AND outcome = 'retrying'`),
      giveBackAttempt: db.prepare(`UPDATE tasks SET max_attempts = max_attempts + 1 WHERE id = ?`),
      requestCancel: db.prepare(`UPDATE tasks SET cancel_requested = 1 WHERE id = ? AND status = 'running'`),
      cancelQueued: db.prepare(
        `UPDATE tasks SET status = 'cancelled', finished_at = @now, not_before = NULL WHERE id = @id AND status = 'queued'`,
      ),
      retry: db.prepare(
        `UPDATE tasks SET status = 'queued', error_json = NULL, finished_at = NULL, not_before = NULL,
                max_attempts = attempts + @extra WHERE id = @id AND status IN ('failed', 'cancelled')`,
      ),
      requeueFinished: db.prepare(
        `UPDATE tasks SET status = 'queued', error_json = NULL, finished_at = NULL, not_before = NULL,
                max_attempts = attempts + @extra WHERE id = @id AND status IN ('succeeded', 'failed', 'cancelled')`,
      ),
      // Waiting for Ollama does not use up an attempt: the one that found it down is given back.
      requeueWaiting: db.prepare(
        `UPDATE tasks SET status = 'queued', error_json = @error, not_before = @notBefore, lease_owner = NULL, lease_expires_at = NULL,
                max_attempts = max_attempts + 1
          WHERE id = @id AND lease_owner = @owner AND status = 'running' RETURNING attempts`,
      ).pluck(),
      setNotBefore: db.prepare(`UPDATE tasks SET not_before = @notBefore WHERE id = @id AND status = 'queued' AND not_before IS NOT NULL`),
      getRow: db.prepare(`SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.id = ?`),
      attempts: db.prepare(`SELECT * FROM task_attempts WHERE task_id = ? ORDER BY attempt`),
      nextWake: db.prepare(`SELECT MIN(not_before) FROM tasks WHERE status = 'queued' AND not_before IS NOT NULL`).pluck(),
      queueDepth: db.prepare(`SELECT COUNT(*) FROM tasks WHERE status = 'queued'`).pluck(),
    };
  }

  private change(taskId: string, drafts: TaskEventDraft[]): QueueChange {
    const events = this.store.appendEvents(taskId, drafts);
    return { task: this.store.requireTask(taskId), events };
  }

  /** Claim the best runnable task for `owner`, honouring global and per-model limits across processes. */
  claimNext(owner: string, limits: ClaimLimits, now = Date.now()): QueueChange | null {
    return this.db.transaction(() => {
      if ((this.stmts.runningCount.get() as number) >= limits.maxRunning) return null;
      const saturated = (this.stmts.runningByModel.all() as { slot: string; n: number }[])
        .filter((r) => r.n >= limits.maxPerModel)
        .map((r) => r.slot);
      const id = this.stmts.nextQueued.get({ now, saturated: JSON.stringify(saturated) }) as string | undefined;
      return id ? this.claimLocked(id, owner, limits.leaseMs, now) : null;
    }).immediate();
  }

  /** Claim one specific queued task (the CLI runs its own task, whatever the limits). */
  claimTask(taskId: string, owner: string, leaseMs: number, now = Date.now()): QueueChange | null {
    return this.db.transaction(() => this.claimLocked(taskId, owner, leaseMs, now)).immediate();
  }

  private claimLocked(id: string, owner: string, leaseMs: number, now: number): QueueChange | null {
    const attempt = this.stmts.claim.get({ id, owner, now, leaseMs }) as number | undefined;
    if (attempt === undefined) return null;
    this.stmts.insertAttempt.run(id, attempt, owner, now);
    return this.change(id, [{ type: 'status', data: { status: 'running', attempt } }]);
  }

  /** Renew the lease. `held: false` means another process recovered the task: stop and write nothing. */
  heartbeat(taskId: string, owner: string, leaseMs: number, now = Date.now()): { held: boolean; cancelRequested: boolean } {
    const flag = this.stmts.renew.get({ id: taskId, owner, now, leaseMs }) as number | undefined;
    return { held: flag !== undefined, cancelRequested: flag === 1 };
  }

  /** A cheap read between heartbeats, so a cancel from another process lands within a second. */
  cancelRequested(taskId: string, owner: string): { held: boolean; cancelRequested: boolean } {
    const flag = this.stmts.cancelFlag.get(taskId, owner) as number | undefined;
    return { held: flag !== undefined, cancelRequested: flag === 1 };
  }

  finish(taskId: string, owner: string, outcome: FinishOutcome, now = Date.now()): QueueChange | null {
    return this.db.transaction(() => {
      const error = outcome.status === 'succeeded' ? (outcome.warning ?? null) : (outcome.error ?? null);
      const attempt = this.stmts.finish.get({ id: taskId, owner, now, status: outcome.status, error: error ? JSON.stringify(error) : null }) as
        | number
        | undefined;
      if (attempt === undefined) return null;
      this.stmts.endAttempt.run(now, outcome.status, error ? JSON.stringify(error) : null, taskId, attempt);
      return this.change(taskId, [{ type: 'status', data: error ? { status: outcome.status, error, attempt } : { status: outcome.status, attempt } }]);
    }).immediate();
  }

  /** A transient fault: back to the queue, not claimable before the backoff has passed. */
  requeueForRetry(taskId: string, owner: string, error: ErrorPayload, delayMs: number, now = Date.now()): QueueChange | null {
    return this.db.transaction(() => {
      const attempt = this.stmts.requeue.get({ id: taskId, owner, error: JSON.stringify(error), notBefore: now + delayMs }) as number | undefined;
      if (attempt === undefined) return null;
      this.stmts.endAttempt.run(now, 'retrying', JSON.stringify(error), taskId, attempt);
      return this.change(taskId, [{ type: 'status', data: { status: 'queued', error, attempt, retryInMs: delayMs, reason: 'retry' } }]);
    }).immediate();
  }

  /**
   * Ollama is not answering: back to the queue without using up the attempt; the status event
   * says whom it waits for (error.details.host) and when it looks again (retryInMs).
   */
  requeueToWaitForOllama(taskId: string, owner: string, error: ErrorPayload, delayMs: number, now = Date.now()): QueueChange | null {
    return this.db.transaction(() => {
      const attempt = this.stmts.requeueWaiting.get({ id: taskId, owner, error: JSON.stringify(error), notBefore: now + delayMs }) as number | undefined;
      if (attempt === undefined) return null;
      this.stmts.endAttempt.run(now, 'retrying', JSON.stringify(error), taskId, attempt);
      return this.change(taskId, [{ type: 'status', data: { status: 'queued', error, attempt, retryInMs: delayMs, reason: WAITING_FOR_OLLAMA } }]);
    }).immediate();
  }

  /** Move a waiting task's next try (sooner when its host answers, later when it still does not). No event: the row carries it. */
  rescheduleWaiting(taskId: string, notBefore: number): Task | null {
    const changed = this.stmts.setNotBefore.run({ id: taskId, notBefore }).changes === 1;
    return changed ? this.store.requireTask(taskId) : null;
  }

  /**
   * Running tasks whose owner is gone (lease expired, or a dead pid on this machine)
   * become `interrupted`, then go back to the queue, or fail if out of attempts.
   */
  recoverAbandoned(self: string, now = Date.now()): QueueChange[] {
    return this.db.transaction(() => {
      const changes: QueueChange[] = [];
      const rows = this.stmts.leases.all() as { id: string; lease_owner: string | null; lease_expires_at: number | null; attempts: number; max_attempts: number }[];
      for (const row of rows) {
        const expired = row.lease_expires_at === null || row.lease_expires_at < now;
        if (!expired && !(row.lease_owner && ownerIsDeadHere(row.lease_owner, self))) continue;
        const error: ErrorPayload = { code: 'TASK_INTERRUPTED', message: 'The process running this task stopped (crash, kill or shutdown) before it finished.' };
        this.stmts.setStatus.run({ id: row.id, status: 'interrupted', error: JSON.stringify(error), finishedAt: null });
        this.stmts.endAttempt.run(now, 'interrupted', JSON.stringify(error), row.id, row.attempts);
        const drafts: TaskEventDraft[] = [{ type: 'status', data: { status: 'interrupted', error, attempt: row.attempts } }];
        if (row.attempts < row.max_attempts) {
          this.stmts.setStatus.run({ id: row.id, status: 'queued', error: null, finishedAt: null });
          drafts.push({ type: 'status', data: { status: 'queued', reason: 'recovered after a crash' } });
        } else {
          const final = { ...error, message: `${error.message} No attempts left (${row.max_attempts}).` };
          this.stmts.setStatus.run({ id: row.id, status: 'failed', error: JSON.stringify(final), finishedAt: now });
          drafts.push({ type: 'status', data: { status: 'failed', error: final } });
        }
        changes.push(this.change(row.id, drafts));
      }
      return changes;
    }).immediate();
  }

  /** Graceful shutdown: the attempt is interrupted, the task waits in the queue for the next start (no attempt used up). */
  release(taskId: string, owner: string, now = Date.now()): QueueChange | null {
    return this.db.transaction(() => {
      const row = this.rowOf(taskId);
      if (!row || row.status !== 'running' || row.lease_owner !== owner) return null;
      const error: ErrorPayload = { code: 'TASK_INTERRUPTED', message: 'MACS was closed while this task was running; it will run again on the next start.' };
      this.stmts.setStatus.run({ id: taskId, status: 'queued', error: null, finishedAt: null });
      this.stmts.giveBackAttempt.run(taskId);
      this.stmts.endAttempt.run(now, 'interrupted', JSON.stringify(error), taskId, row.attempts);
      return this.change(taskId, [
        { type: 'status', data: { status: 'interrupted', error, attempt: row.attempts } },
        { type: 'status', data: { status: 'queued', reason: 'app closed' } },
      ]);
    }).immediate();
  }

  /**
   * A queued task is cancelled at once; a running one gets a flag that its owner reads
   * within a second (the owner's process aborts the stream and child processes).
   */
  cancel(taskId: string, now = Date.now()): { change: QueueChange | null; requested: boolean; task: Task } {
    return this.db.transaction(() => {
      const task = this.store.requireTask(taskId);
      if (task.status === 'queued' && this.stmts.cancelQueued.run({ id: taskId, now }).changes === 1) {
        // Cancelled during a retry's backoff: the retry never comes, so the attempt before it simply failed.
        this.stmts.settleRetrying.run(taskId, task.attempts);
        const change = this.change(taskId, [{ type: 'status', data: { status: 'cancelled', reason: 'cancelled before it started' } }]);
        return { change, requested: false, task: change.task };
      }
      if (task.status === 'running') {
        this.stmts.requestCancel.run(taskId);
        return { change: null, requested: true, task };
      }
      return { change: null, requested: false, task };
    }).immediate();
  }

  retry(taskId: string, extraAttempts: number): QueueChange {
    return this.db.transaction(() => {
      const task = this.store.requireTask(taskId);
      if (this.stmts.retry.run({ id: taskId, extra: extraAttempts }).changes !== 1) {
        throw new MacsError('INVALID_INPUT', `Only failed or cancelled tasks can be retried; this one is ${task.status}.`, { status: task.status });
      }
      return this.change(taskId, [{ type: 'status', data: { status: 'queued', reason: 'manual retry' } }]);
    }).immediate();
  }

  /** A finished task goes back to the queue to run again as a new attempt (a step replay). */
  requeueFinished(taskId: string, extraAttempts: number, reason: string): QueueChange {
    return this.db.transaction(() => {
      const task = this.store.requireTask(taskId);
      if (this.stmts.requeueFinished.run({ id: taskId, extra: extraAttempts }).changes !== 1) {
        throw new MacsError('INVALID_INPUT', `The task is ${task.status}; wait until it has finished.`, { status: task.status });
      }
      return this.change(taskId, [{ type: 'status', data: { status: 'queued', reason } }]);
    }).immediate();
  }

  attempts(taskId: string) {
    const task = this.store.requireTask(taskId);
    const rows = this.stmts.attempts.all(taskId) as { attempt: number; worker: string; started_at: number; finished_at: number | null; outcome: string; error_json: string | null }[];
    // "retrying" promises another attempt; on a task that no longer waits for one (a database from before
    // cancels settled it) the last attempt simply failed.
    const noneFollows = task.status !== 'queued' && task.status !== 'running';
    return rows.map((r, i) => ({
      attempt: r.attempt,
      worker: r.worker,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      outcome: (r.outcome === 'retrying' && noneFollows && i === rows.length - 1 ? 'failed' : r.outcome) as
        | 'running'
        | 'succeeded'
        | 'failed'
        | 'cancelled'
        | 'interrupted'
        | 'retrying',
      error: r.error_json ? (JSON.parse(r.error_json) as ErrorPayload) : null,
    }));
  }

  /** When the earliest backed-off task becomes claimable (to set a timer instead of polling fast). */
  nextWakeAt(): number | null {
    return (this.stmts.nextWake.get() as number | null) ?? null;
  }

  queueDepth(): number {
    return this.stmts.queueDepth.get() as number;
  }

  rowOf(taskId: string): TaskRow | undefined {
    return this.stmts.getRow.get(taskId) as TaskRow | undefined;
  }
}
