import crypto from 'node:crypto';
import { mapDiskFull, type Db } from '../db/index.js';
import type { ChatMessage } from '../llm/index.js';

export interface CachedAnswer {
  text: string;
  doneReason: string | null;
  promptTokens: number;
  evalTokens: number;
}

export interface CacheKeyInput {
  /** The model's digest (a re-pulled tag with new weights must not hit old answers); its name when unknown. */
  modelDigest: string;
  messages: readonly ChatMessage[];
  options: Record<string, unknown>;
}

/** Stable JSON: keys sorted, so {a,b} and {b,a} address the same answer. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function cacheKey(input: CacheKeyInput): string {
  return crypto.createHash('sha256').update(canonical({ m: input.modelDigest, msg: input.messages, o: input.options })).digest('hex');
}

/**
 * Content-addressed model answers in SQLite: replays and reruns of an identical call are
 * instant and give the same answer. Only complete answers are stored (a cancelled or
 * dropped stream never is), so a hit is always something the model really finished.
 */
export class ResponseCache {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      get: db.prepare(`SELECT response, usage_json FROM llm_cache WHERE key = ?`),
      hit: db.prepare(`UPDATE llm_cache SET hits = hits + 1, last_hit_at = ? WHERE key = ?`),
      put: db.prepare(
        `INSERT INTO llm_cache (key, model, response, usage_json, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET response = excluded.response, usage_json = excluded.usage_json, created_at = excluded.created_at`,
      ),
      prune: db.prepare(`DELETE FROM llm_cache WHERE COALESCE(last_hit_at, created_at) < ?`),
    };
  }

  get(key: string): CachedAnswer | null {
    const row = this.stmts.get.get(key) as { response: string; usage_json: string } | undefined;
    if (!row) return null;
    this.stmts.hit.run(Date.now(), key);
    const usage = JSON.parse(row.usage_json) as Omit<CachedAnswer, 'text'>;
    return { text: row.response, ...usage };
  }

  put(key: string, model: string, answer: CachedAnswer): void {
    const { text, ...usage } = answer;
    mapDiskFull({ path: this.stmts.put.database.name, what: 'the LLM response cache', neededBytes: text.length }, () => this.stmts.put.run(key, model, text, JSON.stringify(usage), Date.now()));
  }

  /** Entries unused for this long go (the cache must not grow without bound). */
  prune(maxAgeMs: number, now = Date.now()): number {
    return this.stmts.prune.run(now - maxAgeMs).changes;
  }
}
