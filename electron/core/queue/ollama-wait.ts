import type { ErrorPayload, Task } from '../../../shared/index.js';
import type { QueueChange, TaskQueue } from './task-queue.js';

export interface OllamaWaitOptions {
  queue: TaskQueue;
  publish: (change: QueueChange) => void;
  /** Wake the worker: this waiting task may be claimed now. */
  wake: (taskId: string) => void;
  /** How long a task may wait for its Ollama host (Settings → ollamaWaitMinutes); 0: not at all. */
  budgetMs: () => number;
  /** Does the host answer? (GET /api/version with a short timeout.) */
  isReachable?: (host: string) => Promise<boolean>;
  /** First look again after this long, doubling up to maxDelayMs. */
  firstDelayMs: number;
  maxDelayMs: number;
}

interface Waiting {
  host: string;
  since: number;
  tries: number;
  timer: NodeJS.Timeout | null;
}

/**
 * Tasks whose Ollama host is stopped or restarting. Instead of burning their attempts in a
 * couple of seconds, they go back to the queue (the attempt given back) and this process
 * looks at the host with backoff (2 s … 20 s) while the wait lasts; the moment the host
 * answers (a probe here, or the engine's Ollama monitor) they are claimable again.
 *
 * The row's not_before is always set a little past the next probe, so a task is still
 * tried by whichever process is alive if this one dies (its wait then starts over).
 */
export class OllamaWaits {
  private readonly waiting = new Map<string, Waiting>();

  constructor(private readonly o: OllamaWaitOptions) {}

  /**
   * The attempt failed with OLLAMA_UNREACHABLE. Returns the change when the task now waits,
   * or the error to fail it with when the wait is over (null: not a wait at all).
   */
  onUnreachable(task: Task, owner: string, error: ErrorPayload, now = Date.now()): { change: QueueChange | null } | { giveUp: ErrorPayload } | null {
    const budget = this.o.budgetMs();
    if (budget <= 0) return null;
    const host = typeof error.details?.host === 'string' ? error.details.host : task.host;
    if (!host) return null;
    const prev = this.waiting.get(task.id);
    const since = prev?.since ?? now;
    if (now - since >= budget) {
      this.forget(task.id);
      const minutes = Math.round((now - since) / 6000) / 10;
      return {
        giveUp: { ...error, message: `${error.message} MACS waited ${minutes} min for it to come back, then gave up.`, details: { ...error.details, waitedMs: now - since } },
      };
    }
    const tries = prev ? prev.tries + 1 : 0;
    const delayMs = this.delay(tries);
    const waitError: ErrorPayload = { ...error, details: { ...error.details, host, waitingSince: since, waitUntil: since + budget } };
    const change = this.o.queue.requeueToWaitForOllama(task.id, owner, waitError, delayMs + PROBE_GRACE_MS, now);
    if (change) this.track(task.id, { host, since, tries, timer: null }, delayMs);
    return { change };
  }

  /**
   * A stream that dropped because Ollama itself went away (stopped, restarting) is the same
   * fault as finding it down: when the host no longer answers, the attempt ends as
   * OLLAMA_UNREACHABLE, so the task waits instead of using up (perhaps its last) attempt.
   */
  async explainDrop(task: Task, error: ErrorPayload): Promise<ErrorPayload> {
    if (error.code !== 'STREAM_DROPPED' || this.o.budgetMs() <= 0 || !this.o.isReachable) return error;
    const host = typeof error.details?.host === 'string' ? error.details.host : task.host;
    if (!host || (await this.o.isReachable(host).catch(() => false))) return error;
    return {
      code: 'OLLAMA_UNREACHABLE',
      message: `Ollama at ${host} went away in the middle of the answer and is not answering now.`,
      details: { ...error.details, host, cause: 'STREAM_DROPPED' },
    };
  }

  /** The host answers again (the Ollama monitor saw it come back): every task waiting for it may run now. */
  hostAnswered(host: string): void {
    for (const [taskId, w] of this.waiting) if (sameHost(w.host, host)) this.release(taskId);
  }

  stop(): void {
    for (const w of this.waiting.values()) if (w.timer) clearTimeout(w.timer);
    this.waiting.clear();
  }

  /** A wait that ended (the task ran, was cancelled or finished): its next failure starts a new wait. */
  forget(taskId: string): void {
    const w = this.waiting.get(taskId);
    if (w?.timer) clearTimeout(w.timer);
    this.waiting.delete(taskId);
  }

  private delay(tries: number): number {
    return Math.min(this.o.maxDelayMs, this.o.firstDelayMs * 2 ** tries);
  }

  private track(taskId: string, w: Waiting, delayMs: number): void {
    const old = this.waiting.get(taskId);
    if (old?.timer) clearTimeout(old.timer);
    // From a timer: a failed write (a full disk) must not be an unhandled rejection, which ends the process.
    // The task stays queued with its not_before, so the worker's poll still finds it.
    w.timer = setTimeout(() => void this.probe(taskId).catch(() => this.forget(taskId)), delayMs);
    w.timer.unref();
    this.waiting.set(taskId, w);
  }

  private async probe(taskId: string): Promise<void> {
    const w = this.waiting.get(taskId);
    if (!w) return;
    w.timer = null;
    const reachable = this.o.isReachable ? await this.o.isReachable(w.host).catch(() => false) : true;
    if (this.waiting.get(taskId) !== w) return;
    if (reachable) {
      this.release(taskId);
      return;
    }
    const now = Date.now();
    if (now - w.since >= this.o.budgetMs()) {
      // Out of time: let the worker try once more and give up with the attempt's own error.
      this.release(taskId);
      return;
    }
    w.tries += 1;
    const delayMs = this.delay(w.tries);
    const task = this.o.queue.rescheduleWaiting(taskId, now + delayMs + PROBE_GRACE_MS);
    if (!task) {
      this.forget(taskId); // no longer waiting (cancelled, or claimed elsewhere)
      return;
    }
    this.o.publish({ task, events: [] });
    this.track(taskId, w, delayMs);
  }

  /** Claimable now; the wait's start is kept so that a failure right after still counts against it. */
  private release(taskId: string): void {
    const w = this.waiting.get(taskId);
    if (!w) return;
    if (w.timer) clearTimeout(w.timer);
    w.timer = null;
    const task = this.o.queue.rescheduleWaiting(taskId, Date.now());
    if (!task) {
      this.forget(taskId); // cancelled while it waited, or already claimed elsewhere
      return;
    }
    this.o.publish({ task, events: [] });
    this.o.wake(taskId);
  }
}

/** The row's next try is this much after the next probe, so the probe decides first. */
const PROBE_GRACE_MS = 3_500;

function sameHost(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}
