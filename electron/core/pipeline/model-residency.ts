import type { ModelLoad, ModelLoadReason } from '../../../shared/index.js';
import type { ChatMessage } from '../llm/index.js';

/**
 * A load_duration above this is a real load (reading the weights, allocating the KV cache);
 * a model that is already loaded reports a few milliseconds of scheduling.
 */
export const LOAD_THRESHOLD_MS = 250;

/**
 * The text a call puts in the model's KV cache, in order. Chat templates differ per model,
 * but each renders the messages in order with role markers around them, so a prefix shared
 * here is (up to a few marker tokens) a prefix shared in the template.
 */
export function renderForCache(messages: readonly ChatMessage[]): string {
  return messages.map((m) => `<|${m.role}|>\n${m.content}\n`).join('');
}

export function sharedPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

interface LastCall {
  /** Prompt and answer of the previous call on this model: what its KV cache holds now. */
  cached: string;
  numCtx: number;
}

export interface CallCost {
  /** Prompt tokens estimated to come from the model's cache. */
  cachedTokens: number;
  /** Set when Ollama loaded the model for this call. */
  load: ModelLoad | null;
}

/**
 * What one build knows about the models on its Ollama host: which one ran last, with which
 * num_ctx, and what its cache holds. llama.cpp reuses the KV cache for the longest prefix a
 * request shares with the previous one on that model (runner's cache slot / llama-server's
 * cache_prompt); Ollama's prompt_eval_count still counts the whole prompt, so the cached share
 * is estimated here from the text, and a load (which empties the cache) from load_duration.
 */
export class ModelResidency {
  private readonly last = new Map<string, LastCall>();
  private lastModel: string | null = null;

  /** After a call: what it cost, given what Ollama reported. */
  record(call: { model: string; messages: readonly ChatMessage[]; output: string; numCtx: number; promptTokens: number; loadMs: number }): CallCost {
    const prompt = renderForCache(call.messages);
    const prev = this.last.get(call.model);
    const loaded = call.loadMs >= LOAD_THRESHOLD_MS;
    let load: ModelLoad | null = null;
    if (loaded) {
      const reason: ModelLoadReason = !this.lastModel
        ? 'first-use'
        : this.lastModel !== call.model
          ? 'other-model'
          : prev && prev.numCtx !== call.numCtx
            ? 'num-ctx-change'
            : prev
              ? 'expired'
              : 'first-use';
      load = { model: call.model, reason, previousModel: reason === 'other-model' ? this.lastModel : null, numCtx: call.numCtx, ms: call.loadMs };
    }
    let cachedTokens = 0;
    if (!loaded && prev && prev.numCtx === call.numCtx && prompt.length > 0) {
      const shared = sharedPrefixLength(prev.cached, prompt);
      cachedTokens = Math.min(call.promptTokens, Math.floor((call.promptTokens * shared) / prompt.length));
    }
    this.last.set(call.model, { cached: prompt + renderForCache([{ role: 'assistant', content: call.output }]), numCtx: call.numCtx });
    this.lastModel = call.model;
    return { cachedTokens, load };
  }
}
