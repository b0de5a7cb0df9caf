// /api/show answers cached in SQLite by digest: a digest names exact bytes, so its
// architecture never changes, and a catalog refresh asks Ollama only about new digests.
import type { Db } from '../db/index.js';
import type { ShowResponse } from '../llm/index.js';
import { showNeedsVerbose } from './architecture.js';

/** Arrays longer than this (token lists, merges) are dropped before storing: only per-layer arrays matter here. */
const MAX_STORED_ARRAY = 4096;

interface Row {
  show_json: string;
}

/** model_info without the tokenizer's big arrays; a verbose answer can be megabytes of tokens. */
function trimForStorage(show: ShowResponse): ShowResponse {
  const info: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(show.model_info ?? {})) {
    if (Array.isArray(v) && (v.length > MAX_STORED_ARRAY || k.startsWith('tokenizer.'))) {
      // Keep the vocabulary size the graph estimate needs, without the tokens themselves.
      if (k === 'tokenizer.ggml.tokens' && v.length > 0) info['tokenizer.ggml.tokens_count'] = v.length;
      continue;
    }
    info[k] = v;
  }
  if (typeof info['tokenizer.ggml.tokens_count'] === 'number') {
    const arch = info['general.architecture'];
    if (typeof arch === 'string' && info[`${arch}.vocab_size`] === undefined) info[`${arch}.vocab_size`] = info['tokenizer.ggml.tokens_count'];
  }
  const { details, parameters, capabilities, modified_at } = show;
  return { model_info: info, details: details ?? {}, parameters, capabilities, modified_at };
}

export class ModelMetadataCache {
  /** Digests being fetched right now, so two catalog builds at once ask Ollama once. */
  private readonly inflight = new Map<string, Promise<ShowResponse>>();

  constructor(private readonly db: Db) {}

  get(digest: string): ShowResponse | null {
    const row = this.db.prepare('SELECT show_json FROM model_meta WHERE digest = ?').get(digest) as Row | undefined;
    if (!row) return null;
    try {
      return JSON.parse(row.show_json) as ShowResponse;
    } catch {
      return null; // a damaged row is refetched
    }
  }

  put(digest: string, name: string, show: ShowResponse): void {
    this.db
      .prepare(
        `INSERT INTO model_meta (digest, name, show_json, fetched_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (digest) DO UPDATE SET name = excluded.name, show_json = excluded.show_json, fetched_at = excluded.fetched_at`,
      )
      .run(digest, name, JSON.stringify(trimForStorage(show)), Date.now());
  }

  /**
   * The cached answer for this digest, or fetch it (once more verbosely when Ollama blanked a
   * per-layer array). A failed /api/show throws and stores nothing, so the next build retries.
   */
  async resolve(model: { name: string; digest: string }, fetchShow: (verbose: boolean) => Promise<ShowResponse>): Promise<ShowResponse> {
    const cached = this.get(model.digest);
    if (cached) return cached;
    let pending = this.inflight.get(model.digest);
    if (!pending) {
      pending = this.fetchAndStore(model, fetchShow).finally(() => this.inflight.delete(model.digest));
      this.inflight.set(model.digest, pending);
    }
    return pending;
  }

  private async fetchAndStore(model: { name: string; digest: string }, fetchShow: (verbose: boolean) => Promise<ShowResponse>): Promise<ShowResponse> {
    let show = await fetchShow(false);
    if (showNeedsVerbose(show)) show = await fetchShow(true);
    this.put(model.digest, model.name, show);
    return trimForStorage(show);
  }
}
