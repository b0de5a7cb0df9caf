import type { TaskStatus } from '../../../shared/index.js';
import type { Db } from '../db/index.js';

export interface EngineStatsSnapshot {
  byStatus: Record<TaskStatus, number>;
  queueDepth: number;
  tokensGenerated: number;
  /** Tokens generated per second of the last minute (or less, since the first of those answers began), in this process. */
  tokensPerSecond: number;
  /** Tasks routed (claimed) per model by this process. */
  routeCounts: Record<string, number>;
  /** Build tasks whose generated project's tests ran to a result (it built and loaded), pass or fail. */
  compilePasses: number;
  /** Build tasks whose TaskV1.1 oracle smoke tests passed. */
  smokePasses: number;
}

const WINDOW_MS = 60_000;
/** The rate is over at least a second: a burst of answers in a few ms is not millions of tokens a second. */
const MIN_SPAN_MS = 1000;

interface Generation {
  /** When the answer ended. */
  at: number;
  tokens: number;
  /** How long it generated (Ollama's eval_duration). */
  ms: number;
}

/**
 * Tokens per second of wall-clock time over the window, across everything this process ran:
 * each answer's tokens spread over the time it generated, the part inside the window counted,
 * divided by the time from the earliest counted generation to now. Wall-clock time bounds it:
 * an answer whose reported eval_duration is 1 ns (a stand-in's burst, a one-token answer) can
 * no longer turn 80 tokens into 80 billion tokens a second.
 */
export function recentTokensPerSecond(generations: readonly Generation[], now: number): number {
  const windowStart = now - WINDOW_MS;
  let tokens = 0;
  let earliest = now;
  for (const g of generations) {
    if (g.at < windowStart) continue;
    const ms = Math.max(g.ms, 0);
    const whole = g.at - ms >= windowStart;
    // (Shares from the window's edge, never from `at - start`: epoch ms minus 1e-6 is epoch ms again.)
    tokens += whole ? g.tokens : (g.tokens * (g.at - windowStart)) / ms;
    earliest = Math.min(earliest, whole ? g.at - ms : windowStart);
  }
  if (tokens === 0) return 0;
  return tokens / (Math.max(MIN_SPAN_MS, now - earliest) / 1000);
}

/** Counters for /metrics: totals from the database, rates from this process. */
export class EngineStats {
  private readonly recent: Generation[] = [];
  private readonly routes = new Map<string, number>();

  constructor(private readonly db: Db) {}

  recordGeneration(tokens: number, evalMs: number, at = Date.now()): void {
    this.recent.push({ at, tokens, ms: evalMs });
  }

  recordRoute(model: string): void {
    this.routes.set(model, (this.routes.get(model) ?? 0) + 1);
  }

  snapshot(now = Date.now()): EngineStatsSnapshot {
    while (this.recent.length && now - this.recent[0].at > WINDOW_MS) this.recent.shift();
    const byStatus = { queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0, interrupted: 0 } as Record<TaskStatus, number>;
    for (const row of this.db.prepare('SELECT status, COUNT(*) AS n FROM tasks GROUP BY status').all() as { status: TaskStatus; n: number }[]) {
      byStatus[row.status] = row.n;
    }
    return {
      byStatus,
      queueDepth: byStatus.queued,
      tokensGenerated: (this.db.prepare('SELECT COALESCE(SUM(eval_tokens), 0) FROM tasks').pluck().get() as number) ?? 0,
      tokensPerSecond: recentTokensPerSecond(this.recent, now),
      routeCounts: Object.fromEntries(this.routes),
      compilePasses: this.db
        .prepare(`SELECT COUNT(DISTINCT task_id) FROM task_steps WHERE step = 'test' AND json_extract(output_json, '$.result.compiled') = 1`)
        .pluck()
        .get() as number,
      smokePasses: this.db
        .prepare(`SELECT COUNT(DISTINCT task_id) FROM task_steps WHERE step = 'test' AND json_extract(output_json, '$.result.smokePassed') = 1`)
        .pluck()
        .get() as number,
    };
  }
}
