import { Counter, Gauge, Registry } from 'prom-client';
import { TaskStatusSchema } from '../../../shared/index.js';
import type { EngineStats, RestEngine } from './engine-api.js';

/**
 * The build pipeline's counters in the stats snapshot. Read as optional so this compiles
 * (and reports 0) against an engine whose snapshot does not have them yet.
 */
function buildCounts(stats: EngineStats & { compilePasses?: number; smokePasses?: number }): { compilePasses: number; smokePasses: number } {
  return { compilePasses: stats.compilePasses ?? 0, smokePasses: stats.smokePasses ?? 0 };
}

/**
 * Who may read GET /metrics (MACS_METRICS for `macs serve`): `key` (the default) needs the
 * API key like task data (the counts, models and speeds describe what this machine works
 * on); `open` for a scraper that cannot send a credential; `off` removes the route.
 */
export const METRICS_ACCESS = ['key', 'open', 'off'] as const;
export type MetricsAccess = (typeof METRICS_ACCESS)[number];
export const DEFAULT_METRICS_ACCESS: MetricsAccess = 'key';

/** undefined or empty: the default; anything else must be one of METRICS_ACCESS (null: not). */
export function parseMetricsAccess(raw: string | undefined): MetricsAccess | null {
  const value = (raw ?? '').trim().toLowerCase();
  if (value === '') return DEFAULT_METRICS_ACCESS;
  return (METRICS_ACCESS as readonly string[]).includes(value) ? (value as MetricsAccess) : null;
}

export interface Metrics {
  contentType: string;
  render(): Promise<string>;
}

/**
 * Prometheus metrics for GET /metrics. A Registry per server, never prom-client's global
 * one: several servers in one process (tests, a future multi-engine host) would otherwise
 * register the same names twice. Values are read from engine.stats() once per scrape,
 * so the database is the single source of truth and nothing drifts.
 */
export function createMetrics(engine: RestEngine): Metrics {
  const registry = new Registry();
  let stats: EngineStats | null = null;
  const current = () => (stats ??= engine.stats());

  new Gauge({
    name: 'macs_tasks',
    help: 'Tasks in the database by status.',
    labelNames: ['status'],
    registers: [registry],
    collect() {
      const byStatus = current().byStatus;
      for (const status of TaskStatusSchema.options) this.set({ status }, byStatus[status] ?? 0);
    },
  });
  new Gauge({
    name: 'macs_queue_depth',
    help: 'Tasks waiting to run (queued, including retries waiting for their backoff).',
    registers: [registry],
    collect() {
      this.set(current().queueDepth);
    },
  });
  new Counter({
    name: 'macs_tokens_generated_total',
    help: 'Tokens the models have generated for all tasks.',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(current().tokensGenerated);
    },
  });
  new Gauge({
    name: 'macs_tokens_per_second',
    help: 'Tokens generated per second over the last minute, across all tasks (from the start of the first of those answers when that is more recent).',
    registers: [registry],
    collect() {
      this.set(current().tokensPerSecond);
    },
  });
  new Gauge({
    name: 'router_route_count',
    help: 'Tasks routed to each model.',
    labelNames: ['model'],
    registers: [registry],
    collect() {
      // reset() first so a model that is gone does not linger with its old count.
      this.reset();
      for (const [model, count] of Object.entries(current().routeCounts)) this.set({ model }, count);
    },
  });
  new Counter({
    name: 'compile_pass_total',
    help: 'Build tasks whose generated project built and whose tests ran to a result (passed or failed, not a build error or timeout).',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(buildCounts(current()).compilePasses);
    },
  });
  new Counter({
    name: 'test_smoke_pass_total',
    help: 'Build tasks whose oracle smoke tests (TaskV1.1 oracle.smoke) passed.',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(buildCounts(current()).smokePasses);
    },
  });

  return {
    contentType: registry.contentType,
    async render() {
      stats = null;
      try {
        return await registry.metrics();
      } finally {
        stats = null;
      }
    },
  };
}
