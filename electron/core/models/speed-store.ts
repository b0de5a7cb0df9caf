// Measured generation speed per model and host (migration: model_speeds), from the usage
// Ollama reports at the end of every answer (eval_count / eval_duration). Once a model has run,
// the Models screen and the recommendation use this instead of the bandwidth estimate.
import type { Db } from '../db/index.js';
import type { ChatChunk, ChatRequest, ChatProvider } from '../llm/index.js';
import { normalizeModelName } from './model-names.js';
import type { MeasuredSpeed } from './speed-estimate.js';

/** Answers shorter than this are mostly start-up; they are not counted. */
const MIN_SAMPLE_TOKENS = 16;
/**
 * Past this many tokens the totals are halved before adding, so the figure follows the machine
 * as it is now (other load, a driver update) instead of its whole history.
 */
const DECAY_AT_TOKENS = 20_000;

interface Row {
  eval_tokens: number;
  eval_ms: number;
  samples: number;
}

export class SpeedStore {
  constructor(private readonly db: Db) {}

  record(host: string, model: string, evalTokens: number, evalMs: number, now = Date.now()): void {
    if (evalTokens < MIN_SAMPLE_TOKENS || !(evalMs > 0)) return;
    const key = [host.replace(/\/+$/, ''), normalizeModelName(model)];
    const row = this.db.prepare('SELECT eval_tokens, eval_ms, samples FROM model_speeds WHERE host = ? AND model = ?').get(...key) as Row | undefined;
    const keep = row && row.eval_tokens >= DECAY_AT_TOKENS ? 0.5 : 1;
    const tokens = (row?.eval_tokens ?? 0) * keep + evalTokens;
    const ms = (row?.eval_ms ?? 0) * keep + evalMs;
    this.db
      .prepare(
        `INSERT INTO model_speeds (host, model, eval_tokens, eval_ms, samples, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (host, model) DO UPDATE SET eval_tokens = excluded.eval_tokens, eval_ms = excluded.eval_ms,
           samples = excluded.samples, updated_at = excluded.updated_at`,
      )
      .run(...key, Math.round(tokens), ms, (row?.samples ?? 0) + 1, now);
  }

  get(host: string, model: string): MeasuredSpeed | null {
    const row = this.db.prepare('SELECT eval_tokens, eval_ms, samples FROM model_speeds WHERE host = ? AND model = ?').get(host.replace(/\/+$/, ''), normalizeModelName(model)) as Row | undefined;
    return row ? { evalTokens: row.eval_tokens, evalMs: row.eval_ms, samples: row.samples } : null;
  }
}

/**
 * The same provider, recording the speed of every answer it streams. Wrapping the provider
 * (rather than each runner's usage event) catches every model a task calls, whichever step or
 * role picked it.
 */
export function recordingSpeed<P extends ChatProvider>(provider: P, store: SpeedStore): P {
  const chatStream = async function* (request: ChatRequest): AsyncIterable<ChatChunk> {
    for await (const chunk of provider.chatStream(request)) {
      if (chunk.type === 'done') {
        try {
          store.record(provider.host, request.model, chunk.evalTokens, chunk.evalDurationMs);
        } catch {
          // A busy or closed database must not fail the answer; the speed is a hint.
        }
      }
      yield chunk;
    }
  };
  return new Proxy(provider, {
    get(target, prop, receiver) {
      if (prop === 'chatStream') return chatStream;
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
