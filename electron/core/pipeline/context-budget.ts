import type { ChatMessage } from '../llm/index.js';

/** Code tokenises at ~3–4 characters per token in the tokenizers of common coder models; start pessimistic. */
const DEFAULT_TOKENS_PER_CHAR = 1 / 3;
/** Chat template tokens around each message (role markers, separators). */
const PER_MESSAGE_TOKENS = 8;
const CTX_STEP = 2048;
const MIN_CALIBRATION_CHARS = 400;
/** No code tokenizer does better than ~4 characters per token: a lower reading is a cached prompt, not the model. */
const MIN_TOKENS_PER_CHAR = 1 / 4;

/**
 * Counts prompt tokens before a call. Ollama has no tokenize endpoint, so the count is
 * an estimate per model, calibrated by what Ollama reports back (prompt_eval_count)
 * after each call. After the first reading it only moves towards more tokens per character
 * (prompt caching makes Ollama report fewer tokens than the prompt had, and undercounting
 * overflows), and no reading counts for less than 4 characters per token.
 */
export class TokenCounter {
  private readonly ratio = new Map<string, number>();

  tokensPerChar(model: string): number {
    return this.ratio.get(model) ?? DEFAULT_TOKENS_PER_CHAR;
  }

  count(model: string, text: string): number {
    return Math.ceil(text.length * this.tokensPerChar(model));
  }

  countMessages(model: string, messages: readonly ChatMessage[]): number {
    return messages.reduce((sum, m) => sum + PER_MESSAGE_TOKENS + this.count(model, m.content), 0);
  }

  /** After a call: the prompt had `chars` characters and Ollama evaluated `promptTokens` tokens. */
  observe(model: string, chars: number, promptTokens: number): void {
    if (chars < MIN_CALIBRATION_CHARS || promptTokens <= 0) return;
    const seen = Math.min(Math.max(promptTokens / chars, MIN_TOKENS_PER_CHAR), 1);
    const current = this.ratio.get(model);
    if (current === undefined || seen > current) this.ratio.set(model, seen);
  }
}

export interface ContextLimits {
  /** The user's num_ctx (Settings or the task): never go below it, Ollama reloads a model when num_ctx changes. */
  floor: number;
  /** The model's trained context (from /api/show); null when unknown. */
  trained: number | null;
  /** The largest context that still fits fully on the GPU (from the model catalog); null: not on a GPU. */
  gpuMax: number | null;
}

/**
 * The largest num_ctx a call may use: up to what fits fully on the GPU when the model is
 * there (never less than the user's own setting, which they chose knowingly), and never
 * more than the model was trained for.
 */
export function contextCeiling(limits: ContextLimits): number {
  const byMemory = Math.max(limits.gpuMax ?? 0, limits.floor);
  return Math.max(512, Math.min(limits.trained ?? Number.MAX_SAFE_INTEGER, byMemory));
}

/**
 * num_ctx for a call that needs `needTokens` (prompt + room for the answer): at least
 * the user's setting, rounded up to 2k steps, and never lower than what this task
 * already used (each change of num_ctx reloads the model), capped by the ceiling.
 */
export function chooseNumCtx(needTokens: number, limits: ContextLimits, previous = 0): number {
  const ceiling = contextCeiling(limits);
  const wanted = Math.max(limits.floor, previous, Math.ceil(needTokens / CTX_STEP) * CTX_STEP);
  return Math.min(ceiling, wanted);
}

/**
 * The num_ctx sizes a build uses. Ollama reloads a model whenever num_ctx changes, so a build
 * picks one size per model and keeps it; a few fixed sizes also let the next build (or turn)
 * find the model still loaded with the same size (keep_alive).
 */
export const NUM_CTX_SIZES = [4096, 8192, 16384, 32768, 65536, 131072] as const;

/**
 * num_ctx for a whole build: the smallest fixed size that holds `needTokens` and the user's
 * setting, capped by what the model and the GPU allow (the ceiling, which may fall between sizes).
 */
export function buildNumCtx(needTokens: number, limits: ContextLimits): number {
  const ceiling = contextCeiling(limits);
  const wanted = Math.max(limits.floor, needTokens);
  const size = NUM_CTX_SIZES.find((s) => s >= wanted) ?? Math.ceil(wanted / CTX_STEP) * CTX_STEP;
  return Math.min(ceiling, size);
}

export interface ContextItem {
  /** Shown in the trim log: a file path, "test report" ... */
  label: string;
  text: string;
  /** Lower goes first when trimming; required items (Infinity) are never dropped. */
  priority: number;
  /** Larger is newer; among equal priority the oldest goes first. */
  order: number;
}

export interface FittedContext<T extends ContextItem> {
  kept: T[];
  dropped: T[];
  tokens: number;
}

/**
 * Keep what fits in `budgetTokens`: drop the least relevant, oldest items first rather
 * than overflow the context (Ollama silently cuts the front of a prompt that is too long,
 * which loses the instructions). Kept items stay in their original order.
 */
export function fitContext<T extends ContextItem>(items: readonly T[], budgetTokens: number, count: (text: string) => number): FittedContext<T> {
  const sized = items.map((item, index) => ({ item, index, tokens: count(item.text) }));
  let total = sized.reduce((s, x) => s + x.tokens, 0);
  const dropOrder = sized.filter((x) => Number.isFinite(x.item.priority)).sort((a, b) => a.item.priority - b.item.priority || a.item.order - b.item.order);
  const dropped = new Set<number>();
  for (const x of dropOrder) {
    if (total <= budgetTokens) break;
    dropped.add(x.index);
    total -= x.tokens;
  }
  return {
    kept: sized.filter((x) => !dropped.has(x.index)).map((x) => x.item),
    dropped: sized.filter((x) => dropped.has(x.index)).map((x) => x.item),
    tokens: total,
  };
}
