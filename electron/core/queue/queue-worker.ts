import type { ErrorPayload, Task } from '../../../shared/index.js';
import { toErrorPayload } from '../../../shared/index.js';
import type { RunOutcome } from '../tasks/index.js';
import { OllamaWaits } from './ollama-wait.js';
import { backoffMs, isTransient } from './retry-policy.js';
import type { QueueChange, TaskQueue } from './task-queue.js';

export interface WorkerLimits {
  maxRunning: number;
  maxPerModel: number;
}

export interface QueueWorkerOptions {
  queue: TaskQueue;
  owner: string;
  limits: () => WorkerLimits;
  /** Run one attempt; must end promptly when the signal aborts. */
  execute: (task: Task, signal: AbortSignal) => Promise<RunOutcome>;
  /** Flush the task's pending (coalesced) events before its final transition is written. */
  beforeTransition: (taskId: string) => void;
  publish: (change: QueueChange) => void;
  /**
   * Writing the final transition failed (a full disk). Return true to try once more
   * (e.g. after freeing the space reserve); the task is otherwise left to lease recovery.
   */
  onTransitionError?: (taskId: string, err: unknown) => boolean;
  /** false: run only tasks handed to runNow (the CLI), never claim others. */
  claimQueued?: boolean;
  leaseMs?: number;
  heartbeatMs?: number;
  cancelPollMs?: number;
  pollMs?: number;
  recoverEveryMs?: number;
  retryBaseMs?: number;
  /** Ollama stopped or restarting: how long a task waits for its host (ms; 0: fail as any transient fault). */
  ollamaWaitMs?: () => number;
  /** Probe a host while tasks wait for it. */
  isHostReachable?: (host: string) => Promise<boolean>;
  ollamaWaitFirstMs?: number;
  ollamaWaitMaxMs?: number;
}

type StopReason = 'cancel' | 'lost' | 'shutdown' | 'failed';

interface Running {
  task: Task;
  controller: AbortController;
  reason: StopReason | null;
  /** Why the engine failed the run from outside (reason 'failed'), e.g. its events could not be stored. */
  failure?: ErrorPayload;
  done: Promise<void>;
}

/**
 * Claims and runs tasks for this process. Wakes on local enqueue/finish at once; polls
 * slowly only for what other processes enqueue; sleeps exactly until a backoff ends.
 */
export class QueueWorker {
  private readonly running = new Map<string, Running>();
  private readonly o: Required<Omit<QueueWorkerOptions, 'limits' | 'execute' | 'beforeTransition' | 'publish' | 'queue' | 'owner' | 'onTransitionError' | 'isHostReachable'>> &
    QueueWorkerOptions;
  private pumpScheduled = false;
  private stopped = false;
  private timers: NodeJS.Timeout[] = [];
  private backoffTimer: NodeJS.Timeout | null = null;
  private readonly waits: OllamaWaits;

  constructor(options: QueueWorkerOptions) {
    this.o = {
      claimQueued: true,
      leaseMs: 15_000,
      heartbeatMs: 3_000,
      cancelPollMs: 200,
      pollMs: 1_000,
      recoverEveryMs: 5_000,
      retryBaseMs: 1_000,
      ollamaWaitMs: () => 0,
      ollamaWaitFirstMs: 2_000,
      ollamaWaitMaxMs: 20_000,
      ...options,
    };
    this.waits = new OllamaWaits({
      queue: this.o.queue,
      publish: (change) => this.o.publish(change),
      // The CLI claims only its own task: a wait it started ends with it claiming that task again.
      wake: (taskId) => (this.o.claimQueued ? this.wake() : void this.runNow(taskId)),
      budgetMs: this.o.ollamaWaitMs,
      isReachable: this.o.isHostReachable,
      firstDelayMs: this.o.ollamaWaitFirstMs,
      maxDelayMs: this.o.ollamaWaitMaxMs,
    });
  }

  /** The Ollama monitor saw `host` answer again: tasks waiting for it run now, not at their next probe. */
  hostAnswered(host: string): void {
    this.waits.hostAnswered(host);
  }

  get owner(): string {
    return this.o.owner;
  }

  start(): void {
    this.recover();
    if (this.o.claimQueued) {
      this.timers.push(setInterval(() => this.wake(), this.o.pollMs));
      this.timers.push(setInterval(() => this.recover(), this.o.recoverEveryMs));
      for (const t of this.timers) t.unref();
      this.wake();
    }
  }

  /** Something changed (enqueue, finish, retry): look for work on the next tick. */
  wake(): void {
    if (this.pumpScheduled || this.stopped || !this.o.claimQueued) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /** Claim and run one specific task now (the CLI's own task). */
  runNow(taskId: string): boolean {
    const change = this.o.queue.claimTask(taskId, this.o.owner, this.o.leaseMs);
    if (change) this.launch(change);
    return change !== null;
  }

  isRunningHere(taskId: string): boolean {
    return this.running.has(taskId);
  }

  /** Abort a task running in this process and wait until its outcome is written. */
  async cancelHere(taskId: string): Promise<boolean> {
    const run = this.running.get(taskId);
    if (!run) return false;
    this.abort(run, 'cancel');
    await run.done;
    return true;
  }

  /**
   * Fail a task running here with `error` (not retried): its run is aborted and, once it has
   * ended and kept what it wrote, the task is finished as failed with this error.
   */
  failHere(taskId: string, error: ErrorPayload): boolean {
    const run = this.running.get(taskId);
    if (!run) return false;
    if (!run.reason) run.failure = error;
    this.abort(run, 'failed');
    return true;
  }

  /** Stop claiming; abort running work and put it back in the queue for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    if (this.backoffTimer) clearTimeout(this.backoffTimer);
    this.waits.stop();
    for (const run of this.running.values()) this.abort(run, 'shutdown');
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  private recover(): void {
    try {
      for (const change of this.o.queue.recoverAbandoned(this.o.owner)) this.o.publish(change);
    } catch {
      // Runs from a timer: a full or busy database must not end the process. Next round retries.
    }
    this.wake();
  }

  private pump(): void {
    try {
      this.claimAndLaunch();
    } catch {
      // Runs from setImmediate: a full or busy database must not end the process; the poll retries.
    }
  }

  private claimAndLaunch(): void {
    if (this.stopped) return;
    const limits = this.o.limits();
    while (!this.stopped && this.running.size < limits.maxRunning) {
      const change = this.o.queue.claimNext(this.o.owner, { ...limits, leaseMs: this.o.leaseMs });
      if (!change) break;
      this.launch(change);
    }
    this.armBackoffTimer();
  }

  /** Sleep exactly until the earliest backed-off task may run. */
  private armBackoffTimer(): void {
    if (this.backoffTimer) clearTimeout(this.backoffTimer);
    this.backoffTimer = null;
    const at = this.o.queue.nextWakeAt();
    if (at === null || this.stopped) return;
    this.backoffTimer = setTimeout(() => this.wake(), Math.max(0, at - Date.now()) + 5);
    this.backoffTimer.unref();
  }

  private abort(run: Running, reason: StopReason): void {
    run.reason ??= reason;
    run.controller.abort();
  }

  private launch(change: QueueChange): void {
    this.o.publish(change);
    const task = change.task;
    const run: Running = { task, controller: new AbortController(), reason: null, done: Promise.resolve() };
    this.running.set(task.id, run);
    run.done = this.execute(run).catch(() => undefined).finally(() => {
      this.running.delete(task.id);
      this.wake();
    });
  }

  private async execute(run: Running): Promise<void> {
    const { queue, owner } = this.o;
    const taskId = run.task.id;
    let lastBeat = Date.now();
    const watch = setInterval(() => {
      try {
        const now = Date.now();
        const state = now - lastBeat >= this.o.heartbeatMs ? queue.heartbeat(taskId, owner, this.o.leaseMs, now) : queue.cancelRequested(taskId, owner);
        if (now - lastBeat >= this.o.heartbeatMs) lastBeat = now;
        if (!state.held) this.abort(run, 'lost');
        else if (state.cancelRequested) this.abort(run, 'cancel');
      } catch {
        // A busy database delays one check; the lease is long enough to absorb it.
      }
    }, this.o.cancelPollMs);

    let outcome: RunOutcome;
    try {
      outcome = await this.o.execute(run.task, run.controller.signal);
    } catch (err) {
      outcome = { status: 'failed', error: toErrorPayload(err) };
    } finally {
      clearInterval(watch);
    }

    // Another process owns the task now: anything we wrote would interleave with its attempt.
    if (run.reason === 'lost') return;
    if (run.reason === 'failed' && run.failure) outcome = { status: 'failed', error: run.failure };
    // The stream dropped: if Ollama itself went away, that is a wait, not a spent attempt.
    if (outcome.status === 'failed' && !run.reason) outcome = { status: 'failed', error: await this.waits.explainDrop(run.task, outcome.error) };
    let change: QueueChange | null = null;
    for (let tries = 0; tries < 2; tries++) {
      try {
        this.o.beforeTransition(taskId);
        change = this.transition(run, outcome);
        break;
      } catch (err) {
        // A full disk: the caller may free room (the space reserve) for this one small write.
        if (tries > 0 || !this.o.onTransitionError?.(taskId, err)) break;
      }
    }
    if (change) this.o.publish(change);
  }

  private transition(run: Running, outcome: RunOutcome): QueueChange | null {
    const { queue, owner } = this.o;
    const taskId = run.task.id;
    let change: QueueChange | null;
    const waited = outcome.status === 'failed' && outcome.error.code === 'OLLAMA_UNREACHABLE' && !run.reason ? this.waits.onUnreachable(run.task, owner, outcome.error) : null;
    if (!waited) this.waits.forget(taskId);
    if (waited && 'change' in waited) {
      change = waited.change;
    } else if (waited) {
      change = queue.finish(taskId, owner, { status: 'failed', error: waited.giveUp });
    } else if (run.reason === 'shutdown') {
      change = queue.release(taskId, owner);
    } else if (run.reason === 'cancel') {
      change = queue.finish(taskId, owner, { status: 'cancelled' });
    } else if (outcome.status === 'failed' && isTransient(outcome.error, run.task.attempts) && run.task.attempts < run.task.maxAttempts) {
      change = queue.requeueForRetry(taskId, owner, outcome.error, backoffMs(run.task.attempts, this.o.retryBaseMs));
    } else {
      change = queue.finish(taskId, owner, outcome);
    }
    return change;
  }
}
