// The architecture numbers the memory estimate needs, read from /api/show model_info
// (GGUF metadata, keys "<arch>.block_count" etc.), with the defaults Ollama itself applies.
import type { ShowResponse } from '../llm/index.js';
import { roughArchitecture } from './rough-architecture.js';

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
  /** The trained context (the most num_ctx Ollama will use); null when model_info does not say (never guessed). */
  contextLength: number | null;
  /**
   * The context to size a model by when its trained context is unknown: the Modelfile's
   * `PARAMETER num_ctx`, when it has one (else fitting falls back to UNKNOWN_CONTEXT_SIZING).
   */
  sizingContext?: number;
  /** Mixture-of-experts: experts per layer and those routed per token (only those are read per token). */
  expertCount?: number;
  expertUsedCount?: number;
  /** Set when the numbers are a conservative stand-in (model_info lacked them): why, in one sentence. */
  rough?: string;
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
  /** The architecture; `arch.rough` says when part of it is a conservative stand-in. */
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

/** `PARAMETER num_ctx 8192` of the Modelfile, as /api/show lists it in `parameters` ("num_ctx    8192"). */
export function modelfileNumCtx(parameters: string | undefined): number | undefined {
  const m = /^num_ctx\s+(\d+)\s*$/m.exec(parameters ?? '');
  const n = m ? Number(m[1]) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** Non-verbose /api/show empties arrays longer than 5 (per-layer head counts among them): ask again with verbose. */
export function showNeedsVerbose(show: Pick<ShowResponse, 'model_info'>): boolean {
  const info = show.model_info ?? {};
  const arch = info['general.architecture'];
  if (typeof arch !== 'string') return false;
  const blanked = (k: string) => {
    const v = info[`${arch}.${k}`];
    return Array.isArray(v) && v.length === 0;
  };
  return blanked('attention.head_count') || blanked('attention.head_count_kv');
}

/** The model_info keys the exact estimate needs; the names of those missing, for the rough note. */
function missingKeys(info: Record<string, unknown>, arch: string): string[] {
  const keys = ['block_count', 'embedding_length', 'attention.head_count'];
  return keys.filter((k) => numOrArray(info[`${arch}.${k}`]) === undefined).map((k) => `${arch}.${k}`);
}

/**
 * The architecture from an /api/show answer. When model_info lacks the attention numbers
 * (imported GGUFs, remote models, arrays blanked even in the verbose answer) the shape is a
 * conservative stand-in flagged `rough`, sized from the parameter count or `sizeBytes` (the
 * /api/tags size). null only when there is nothing to size it by.
 */
export function parseArchitecture(show: Pick<ShowResponse, 'model_info' | 'details'> & { parameters?: string }, sizeBytes?: number): ParsedShow | null {
  const info = show.model_info ?? {};
  const arch = typeof info['general.architecture'] === 'string' ? (info['general.architecture'] as string) : '';
  const key = (k: string): unknown => info[`${arch}.${k}`];
  const quant = show.details?.quantization_level || null;
  const paramCount = num(info['general.parameter_count']) ?? parseParameterSize(show.details?.parameter_size);
  const trained = arch ? (num(key('context_length')) ?? null) : null;
  const sizingContext = modelfileNumCtx(show.parameters);
  const blockCount = num(key('block_count'));
  const embeddingLength = num(key('embedding_length'));
  const headsRaw = numOrArray(key('attention.head_count'));
  const headCount = headsRaw === undefined ? 0 : maxOf(headsRaw);
  if (!arch || !blockCount || !embeddingLength || !headCount) {
    const missing = arch ? missingKeys(info, arch) : ['general.architecture'];
    const rough = roughArchitecture({
      architecture: arch,
      parameterCount: paramCount,
      sizeBytes,
      quantizationLevel: quant,
      blockCount,
      embeddingLength,
      contextLength: trained,
      vocabSize: num(key('vocab_size')) ?? DEFAULT_VOCAB[arch],
      reason: `/api/show lacks ${missing.join(', ')}, so the KV cache is sized for the largest common model of this size`,
    });
    if (!rough) return null;
    if (sizingContext) rough.sizingContext = sizingContext;
    return { arch: rough, quantizationLevel: quant, parameterCount: paramCount ?? null, needsVerbose: showNeedsVerbose(show) };
  }

  const needsVerbose = showNeedsVerbose(show);
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
    contextLength: trained,
    vocabSize,
  };
  if (sizingContext) result.sizingContext = sizingContext;
  const experts = num(key('expert_count'));
  const expertsUsed = num(key('expert_used_count'));
  if (experts && expertsUsed) {
    result.expertCount = experts;
    result.expertUsedCount = expertsUsed;
  }
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

  return {
    arch: result,
    quantizationLevel: quant,
    parameterCount: paramCount ?? null,
    needsVerbose,
  };
}
