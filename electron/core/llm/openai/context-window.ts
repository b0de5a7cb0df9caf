import type { ContextWindow } from '../types.js';

const ASK_TIMEOUT_MS = 2000;
const CACHE_MS = 60_000;

export interface ContextAskOptions {
  baseUrl: string;
  fetch: typeof fetch;
  /** Headers for each request (Authorization when a key exists). */
  headers: () => Record<string, string>;
}

type Json = Record<string, unknown>;

function positive(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : null;
}

async function getJson(opts: ContextAskOptions, url: string, postBody?: unknown): Promise<Json | null> {
  try {
    const res = await opts.fetch(url, {
      headers: { accept: 'application/json', ...(postBody === undefined ? {} : { 'content-type': 'application/json' }), ...opts.headers() },
      ...(postBody === undefined ? {} : { method: 'POST', body: JSON.stringify(postBody) }),
      signal: AbortSignal.timeout(ASK_TIMEOUT_MS),
    });
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      return null;
    }
    const value = (await res.json()) as unknown;
    return value && typeof value === 'object' ? (value as Json) : null;
  } catch {
    // Down, slow, or not JSON: this endpoint says nothing.
    return null;
  }
}

/** The server's root: llama-server's /props and LM Studio's /api/v0 live beside /v1, not under it. */
export function originOf(baseUrl: string): string {
  return new URL(baseUrl).origin;
}

/**
 * Ask the server how large a model's context window is; never assume. Each endpoint is asked
 * only when the ones before said nothing:
 *  1. `{baseUrl}/models`, the model's entry:
 *     - vLLM: `max_model_len` (vllm/entrypoints/openai/protocol.py ModelCard.max_model_len,
 *       the --max-model-len the server runs with; it is both the most and what is loaded);
 *     - OpenRouter: `context_length` (openrouter.ai/docs, "List available models");
 *     - llama-server: `meta.n_ctx_train` (tools/server/README.md "GET /v1/models": meta has
 *       vocab_type, n_vocab, n_ctx_train, n_embd, n_params, size; the id is the model path or
 *       --alias, so a server's only entry is taken whatever name the request used), the trained window.
 *  2. llama-server `{origin}/props` (tools/server/README.md "GET /props: Get server global
 *     properties", public, no key check): `default_generation_settings.n_ctx`, the window the
 *     server was started with (-c), or a top-level `n_ctx` where a build puts it there: what the
 *     model is loaded with.
 *  3. LM Studio `{origin}/api/v0/models/{model}` (lmstudio docs, developer/rest/endpoints
 *     "GET /api/v0/models/{model}": `max_context_length`; a loaded model's entry also carries
 *     `loaded_context_length` on current builds).
 *  4. Ollama's own API beside its /v1 (an OpenAI-compatible provider at http://127.0.0.1:11434/v1):
 *     POST `{origin}/api/show` {"model"} → model_info["<general.architecture>.context_length"]
 *     (docs/api.md "Show Model Information"), and GET `{origin}/api/ps` → the loaded runner's
 *     `context_length` (Ollama ≥ 0.9). Its /v1 cannot set num_ctx (docs/openai.md: create a model
 *     with a larger num_ctx instead), so the window a prompt must fit is the one it is loaded with.
 */
export async function askContextWindow(opts: ContextAskOptions, model: string): Promise<ContextWindow | null> {
  const base = opts.baseUrl;
  const origin = originOf(base);
  const list = await getJson(opts, `${base}/models`);
  const data = Array.isArray(list?.data) ? (list.data as Json[]) : [];
  // llama-server serves one model whatever name a request gives: its only entry is that model.
  const entry = data.find((m) => m && m.id === model) ?? (data.length === 1 ? data[0] : undefined);
  const maxModelLen = positive(entry?.max_model_len);
  if (maxModelLen !== null) return { contextLength: maxModelLen, loadedContextLength: maxModelLen, source: '/v1/models max_model_len' };
  const listed = positive(entry?.context_length);
  if (listed !== null) return { contextLength: listed, loadedContextLength: null, source: '/models context_length' };
  const meta = entry?.meta && typeof entry.meta === 'object' ? (entry.meta as Json) : undefined;
  const trained = positive(meta?.n_ctx_train);

  const props = await getJson(opts, `${origin}/props`);
  const settings = props?.default_generation_settings && typeof props.default_generation_settings === 'object' ? (props.default_generation_settings as Json) : undefined;
  const loaded = positive(settings?.n_ctx) ?? positive(props?.n_ctx);
  if (trained !== null || loaded !== null) {
    const source = [trained !== null ? '/v1/models n_ctx_train' : null, loaded !== null ? '/props n_ctx' : null].filter(Boolean).join(' + ');
    return { contextLength: trained ?? loaded, loadedContextLength: loaded, source };
  }

  const lm = await getJson(opts, `${origin}/api/v0/models/${encodeURIComponent(model)}`);
  const max = positive(lm?.max_context_length);
  const lmLoaded = positive(lm?.loaded_context_length);
  if (max !== null || lmLoaded !== null) return { contextLength: max, loadedContextLength: lmLoaded, source: '/api/v0/models' };
  return askOllama(opts, origin, model);
}

async function askOllama(opts: ContextAskOptions, origin: string, model: string): Promise<ContextWindow | null> {
  const show = await getJson(opts, `${origin}/api/show`, { model });
  const info = show?.model_info && typeof show.model_info === 'object' ? (show.model_info as Json) : undefined;
  const arch = typeof info?.['general.architecture'] === 'string' ? info['general.architecture'] : null;
  const trained = arch === null ? null : positive(info?.[`${arch}.context_length`]);
  if (trained === null) return null;
  const ps = await getJson(opts, `${origin}/api/ps`);
  const running = Array.isArray(ps?.models) ? (ps.models as Json[]).find((m) => m && (m.name === model || m.model === model)) : undefined;
  const loaded = positive(running?.context_length);
  return { contextLength: trained, loadedContextLength: loaded, source: loaded === null ? 'Ollama /api/show' : 'Ollama /api/show + /api/ps' };
}

/** Answers per model for a minute: the picker and the budget ask often, the server's numbers change only on a reload. */
export class ContextWindowCache {
  private readonly entries = new Map<string, { at: number; value: Promise<ContextWindow | null> }>();

  constructor(private readonly now: () => number = Date.now) {}

  get(model: string, ask: () => Promise<ContextWindow | null>): Promise<ContextWindow | null> {
    const hit = this.entries.get(model);
    if (hit && this.now() - hit.at < CACHE_MS) return hit.value;
    const value = ask();
    this.entries.set(model, { at: this.now(), value });
    value.catch(() => this.entries.delete(model));
    return value;
  }
}
