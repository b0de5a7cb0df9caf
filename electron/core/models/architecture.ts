// The architecture numbers the memory estimate needs, read from /api/show model_info
// (GGUF metadata, keys "<arch>.block_count" etc.), with the defaults Ollama itself applies.
import type { ShowResponse } from '../llm/index.js';

export interface ModelArchitecture {
  /** general.architecture: "llama", "qwen2", "gemma2" … (selects the compute-graph formula). */
  architecture: string;
  blockCount: number;
  embeddingLength: number;
  /** Attention heads (the largest, when per layer). */
  headCount: number;
  /** KV heads: one number, or one per layer (0 = a layer without attention, e.g. recurrent). */
  headCountKv: number | number[];
  /** Per-head key/value width; Ollama's default is embeddingLength / headCount. */
  keyLength?: number;
  valueLength?: number;
  /** The trained context (the most num_ctx Ollama will use). */
  contextLength: number;
  /** Output vocabulary; the logits buffer in the compute graph scales with it. */
  vocabSize?: number;
  /** Tokens a sliding-window layer attends to. */
  slidingWindow?: number;
  /** true at index i: layer i is a sliding-window layer (holds at most the window + one batch). */
  slidingWindowPattern?: boolean[];
  /**
   * The runtime keeps the full context on sliding-window layers anyway. Ollama runs gemma2 on
   * its llama.cpp runner and estimates it that way ("we only have an optimized implementation
   * in the Ollama engine", fs/ggml GraphSize), so for gemma2 the window saves nothing.
   */
  slidingWindowFullCache?: boolean;
}

export interface ParsedShow {
  arch: ModelArchitecture;
  quantizationLevel: string | null;
  parameterCount: number | null;
  /** A per-layer array came back blanked (non-verbose /api/show empties arrays longer than 5): ask again with verbose. */
  needsVerbose: boolean;
}

/** Vocabulary sizes by architecture, for when model_info does not carry one (non-verbose show blanks the token list). */
const DEFAULT_VOCAB: Record<string, number> = {
  llama: 128_256, // Llama 3; Llama 2 / Code Llama / Mistral are smaller, so this errs high
  qwen2: 152_064,
  qwen3: 151_936,
  qwen2moe: 151_936,
  qwen3moe: 151_936,
  gemma: 256_000,
  gemma2: 256_000,
  gemma3: 262_144,
  deepseek2: 102_400,
  starcoder2: 49_152,
  phi3: 32_064,
  command_r: 256_000,
};
const FALLBACK_VOCAB = 128_256;

/** Gemma 2 alternates local/global layers (even layers local); Gemma 3 has 5 local then 1 global. */
const SWA_EVERY: Record<string, number> = { gemma2: 2, gemma3: 6, gemma3n: 5 };

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function numOrArray(v: unknown): number | number[] | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number')) return v as number[];
  return undefined;
}

function maxOf(v: number | number[]): number {
  return Array.isArray(v) ? Math.max(...v) : v;
}

/** "7.6B" → 7.6e9, "494.03M" → 4.94e8; null when it is not a size. */
export function parseParameterSize(s: string | null | undefined): number | null {
  const m = /^\s*([\d.]+)\s*([KMBT])?\s*$/i.exec(s ?? '');
  if (!m) return null;
  const mult = { K: 1e3, M: 1e6, B: 1e9, T: 1e12 }[(m[2] ?? '').toUpperCase() as 'K' | 'M' | 'B' | 'T'] ?? 1;
  const n = Number(m[1]) * mult;
  return Number.isFinite(n) && n > 0 ? n : null;
}

function slidingPattern(arch: string, blocks: number, raw: unknown): boolean[] | undefined {
  if (Array.isArray(raw) && raw.length === blocks && raw.every((x) => typeof x === 'boolean')) return raw as boolean[];
  const every = num(raw) ?? SWA_EVERY[arch];
  if (!every || every < 2) return undefined;
  // llama.cpp's swa pattern n: layer il is sliding when il % n < n - 1.
  return Array.from({ length: blocks }, (_, i) => i % every < every - 1);
}

/** The architecture from an /api/show answer; null when the essential numbers are missing. */
export function parseArchitecture(show: Pick<ShowResponse, 'model_info' | 'details'>): ParsedShow | null {
  const info = show.model_info ?? {};
  const arch = typeof info['general.architecture'] === 'string' ? (info['general.architecture'] as string) : '';
  if (!arch) return null;
  const key = (k: string): unknown => info[`${arch}.${k}`];
  const blockCount = num(key('block_count'));
  const embeddingLength = num(key('embedding_length'));
  const headsRaw = numOrArray(key('attention.head_count'));
  if (!blockCount || !embeddingLength || headsRaw === undefined) return null;
  const headCount = maxOf(headsRaw);
  if (!headCount) return null;

  let needsVerbose = false;
  const blanked = (v: unknown) => Array.isArray(v) && v.length === 0;
  if (blanked(key('attention.head_count')) || blanked(key('attention.head_count_kv'))) needsVerbose = true;
  // Ollama: no head_count_kv means as many KV heads as heads (no grouped-query attention).
  const headCountKv = numOrArray(key('attention.head_count_kv')) ?? headCount;

  const tokens = info['tokenizer.ggml.tokens'];
  const vocabSize =
    num(key('vocab_size')) ?? (Array.isArray(tokens) && tokens.length > 0 ? tokens.length : undefined) ?? DEFAULT_VOCAB[arch] ?? FALLBACK_VOCAB;

  const result: ModelArchitecture = {
    architecture: arch,
    blockCount,
    embeddingLength,
    headCount,
    headCountKv,
    contextLength: num(key('context_length')) ?? 2048,
    vocabSize,
  };
  const keyLength = num(key('attention.key_length'));
  const valueLength = num(key('attention.value_length'));
  if (keyLength) result.keyLength = keyLength;
  if (valueLength) result.valueLength = valueLength;

  const window = num(key('attention.sliding_window'));
  if (window && window > 0) {
    const pattern = slidingPattern(arch, blockCount, key('attention.sliding_window_pattern'));
    // A window without a known layer pattern is ignored: counting every layer at full context errs safe.
    if (pattern) {
      result.slidingWindow = window;
      result.slidingWindowPattern = pattern;
      if (arch === 'gemma2') result.slidingWindowFullCache = true;
    }
  }

  const quant = show.details?.quantization_level;
  const paramCount = num(info['general.parameter_count']) ?? parseParameterSize(show.details?.parameter_size);
  return {
    arch: result,
    quantizationLevel: quant ? quant : null,
    parameterCount: paramCount ?? null,
    needsVerbose,
  };
}
