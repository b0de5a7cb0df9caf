// Model downloads: one per (host, name), progress summed over layers, throttled to ~4 updates
// a second (Ollama sends hundreds), speed over a sliding window, cancel by pullId.
import crypto from 'node:crypto';
import type { PullProgress } from '../../../shared/index.js';
import { toErrorPayload } from '../../../shared/index.js';
import { isAbortError, type ModelProvider, type PullEvent } from '../llm/index.js';
import { normalizeModelName } from './model-names.js';

export interface PullManagerOptions {
  providerFor(host: string): ModelProvider;
  defaultHost(): string;
  /** Every (throttled) update and always the final one; the engine publishes it as models.pull.progress. */
  onProgress(progress: PullProgress): void;
  /** When a pull ends (success, error or cancel): e.g. forget cached model lists. */
  onFinished?(progress: PullProgress): void;
  throttleMs?: number;
  speedWindowMs?: number;
  now?: () => number;
}

interface ActivePull {
  key: string;
  progress: PullProgress;
  controller: AbortController;
  finished: Promise<PullProgress> | null;
  layers: Map<string, { total: number; completed: number }>;
  samples: Array<{ t: number; bytes: number }>;
  lastEmitAt: number;
  lastEmittedStatus: string;
  trailing: NodeJS.Timeout | null;
}

/** Finished pulls stay queryable this long (a late pullCancel or get still gets an answer). */
const KEEP_FINISHED_MS = 60_000;

export class PullManager {
  private readonly pulls = new Map<string, ActivePull>();
  private readonly throttleMs: number;
  private readonly speedWindowMs: number;
  private readonly now: () => number;

  constructor(private readonly opts: PullManagerOptions) {
    this.throttleMs = opts.throttleMs ?? 250;
    this.speedWindowMs = opts.speedWindowMs ?? 3000;
    this.now = opts.now ?? Date.now;
  }

  /** Starts (or joins, when the same model is already coming to the same host) a pull; returns its id. */
  start(name: string, host?: string): string {
    const target = (host ?? this.opts.defaultHost()).replace(/\/+$/, '');
    const key = `${target} ${normalizeModelName(name)}`;
    for (const [id, p] of this.pulls) if (p.key === key && !p.progress.done) return id;

    const pullId = crypto.randomUUID();
    const pull: ActivePull = {
      key,
      progress: { pullId, name, host: target, status: 'starting', completedBytes: 0, totalBytes: 0, bytesPerSecond: 0, done: false, cancelled: false, error: null },
      controller: new AbortController(),
      finished: null,
      layers: new Map(),
      samples: [],
      lastEmitAt: 0,
      lastEmittedStatus: '',
      trailing: null,
    };
    this.pulls.set(pullId, pull);
    pull.finished = this.run(pull);
    return pullId;
  }

  /** false when there is no such pull or it already ended. */
  cancel(pullId: string): boolean {
    const pull = this.pulls.get(pullId);
    if (!pull || pull.progress.done) return false;
    pull.controller.abort();
    return true;
  }

  get(pullId: string): PullProgress | undefined {
    return this.pulls.get(pullId)?.progress;
  }

  /** Resolves with the final progress (done: true). */
  wait(pullId: string): Promise<PullProgress> {
    const pull = this.pulls.get(pullId);
    if (!pull) return Promise.reject(new Error(`No pull ${pullId}`));
    return pull.finished ?? Promise.resolve(pull.progress);
  }

  cancelAll(): void {
    for (const id of this.pulls.keys()) this.cancel(id);
  }

  private async run(pull: ActivePull): Promise<PullProgress> {
    const { progress } = pull;
    try {
      const provider = this.opts.providerFor(progress.host);
      for await (const event of provider.pull(progress.name, pull.controller.signal)) this.apply(pull, event);
      this.finish(pull, { status: 'success' });
    } catch (err) {
      if (pull.controller.signal.aborted || isAbortError(err)) this.finish(pull, { status: 'cancelled', cancelled: true });
      else {
        const { code, message } = toErrorPayload(err);
        this.finish(pull, { status: 'error', error: { code, message } });
      }
    }
    return pull.progress;
  }

  private apply(pull: ActivePull, event: PullEvent): void {
    if (event.digest && typeof event.total === 'number') {
      const layer = pull.layers.get(event.digest) ?? { total: 0, completed: 0 };
      layer.total = event.total;
      // Ollama omits completed while it is 0, and it never goes backwards within a layer.
      if (typeof event.completed === 'number') layer.completed = Math.max(layer.completed, event.completed);
      pull.layers.set(event.digest, layer);
    }
    let total = 0;
    let completed = 0;
    for (const l of pull.layers.values()) {
      total += l.total;
      completed += l.completed;
    }
    const t = this.now();
    pull.samples.push({ t, bytes: completed });
    while (pull.samples.length > 2 && t - pull.samples[0].t > this.speedWindowMs) pull.samples.shift();
    const first = pull.samples[0];
    const dt = (t - first.t) / 1000;
    pull.progress = {
      ...pull.progress,
      status: event.status,
      totalBytes: total,
      completedBytes: completed,
      bytesPerSecond: dt > 0 ? Math.max(0, (completed - first.bytes) / dt) : pull.progress.bytesPerSecond,
    };
    this.maybeEmit(pull);
  }

  /** A new step ("verifying sha256 digest") goes out at once; byte counts at most every throttleMs, the last one trailing. */
  private maybeEmit(pull: ActivePull): void {
    const t = this.now();
    const stepChanged = pull.progress.status !== pull.lastEmittedStatus;
    if (stepChanged || t - pull.lastEmitAt >= this.throttleMs) {
      this.emit(pull);
      return;
    }
    pull.trailing ??= setTimeout(() => {
      pull.trailing = null;
      if (!pull.progress.done) this.emit(pull);
    }, this.throttleMs - (t - pull.lastEmitAt));
  }

  private emit(pull: ActivePull): void {
    if (pull.trailing) clearTimeout(pull.trailing);
    pull.trailing = null;
    pull.lastEmitAt = this.now();
    pull.lastEmittedStatus = pull.progress.status;
    try {
      this.opts.onProgress(pull.progress);
    } catch {
      // A broken listener must not stop the download (the engine's publish has the same rule).
    }
  }

  private finish(pull: ActivePull, patch: Partial<PullProgress>): void {
    const success = patch.status === 'success';
    pull.progress = {
      ...pull.progress,
      ...patch,
      completedBytes: success ? pull.progress.totalBytes : pull.progress.completedBytes,
      bytesPerSecond: 0,
      done: true,
    };
    this.emit(pull);
    this.opts.onFinished?.(pull.progress);
    const id = pull.progress.pullId;
    setTimeout(() => this.pulls.delete(id), KEEP_FINISHED_MS).unref();
  }
}
