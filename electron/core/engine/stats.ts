import type { TaskStatus } from '../../../shared/index.js';
import type { Db } from '../db/index.js';

export interface EngineStatsSnapshot {
  byStatus: Record<TaskStatus, number>;
  queueDepth: number;
  tokensGenerated: number;
  /** Generation speed of the answers finished in the last minute, in this process. */
  tokensPerSecond: number;
  /** Tasks routed (claimed) per model by this process. */
  routeCounts: Record<string, number>;
  /** Build tasks whose generated project's tests ran to a result (it built and loaded), pass or fail. */
  compilePasses: number;
  /** Build tasks whose TaskV1.1 oracle smoke tests passed. */
  smokePasses: number;
}

const WINDOW_MS = 60_000;

/** Counters for /metrics: totals from the database, rates from this process. */
export class EngineStats {
  private readonly recent: { at: number; tokens: number; ms: number }[] = [];
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
    const tokens = this.recent.reduce((sum, r) => sum + r.tokens, 0);
    const ms = this.recent.reduce((sum, r) => sum + r.ms, 0);
    return {
      byStatus,
      queueDepth: byStatus.queued,
      tokensGenerated: (this.db.prepare('SELECT COALESCE(SUM(eval_tokens), 0) FROM tasks').pluck().get() as number) ?? 0,
      tokensPerSecond: ms > 0 ? tokens / (ms / 1000) : 0,
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
