// Compute-graph memory: the scratch buffers llama.cpp allocates once per load. Shapes follow
// Ollama's GGML.GraphSize (fs/ggml/ggml.go), which is what its scheduler uses to decide
// whether a model fits. Two figures: "full" (every layer on the GPU) and "partial" (some
// on the CPU: the GPU also holds copies of the output projection).
//
// The context-dependent terms are the attention scores, batch × context × heads floats:
// the reason a long context costs more than its KV cache. Flash attention never
// materialises that matrix, so with it on the score terms drop out (`s` below is 0).
import type { ModelArchitecture } from './architecture.js';

export interface GraphSize {
  fullOffload: number;
  partialOffload: number;
}

export interface GraphInputs {
  arch: ModelArchitecture;
  context: number;
  batch: number;
  flashAttention: boolean;
  /** The KV cache total, for the fallback formula of architectures without their own. */
  kvBytes: number;
}

export function headCountKvMax(arch: ModelArchitecture): number {
  return Array.isArray(arch.headCountKv) ? Math.max(0, ...arch.headCountKv) : arch.headCountKv;
}

export function computeGraphSize({ arch, context: c, batch: b, flashAttention, kvBytes }: GraphInputs): GraphSize {
  const e = arch.embeddingLength;
  const h = arch.headCount;
  const hkv = Math.max(1, headCountKvMax(arch));
  const vocab = arch.vocabSize ?? 128_256;
  const eh = Math.floor(e / h);
  const ehk = arch.keyLength ?? eh;
  // Context length as it enters the attention-score terms.
  const s = flashAttention ? 0 : c;
  const logits = 4 * b * (e + vocab);
  const outputCopy = (e * vocab * 105) / 128;

  switch (arch.architecture) {
    case 'llama':
    case 'llama4':
      return {
        fullOffload: Math.max(4 * b * (1 + 4 * e + s * (1 + h)), logits),
        partialOffload:
          4 * b * e +
          Math.max(4 * b * (1 + e + Math.max(c, e)) + (e * e * 9) / 16 + 4 * c * eh * hkv + 4 * s * b * h, logits + outputCopy),
      };
    case 'gemma':
    case 'gemma2':
    case 'gemma3':
    case 'gemma3n': {
      const mult = arch.architecture === 'gemma3n' ? 4 : 1;
      return {
        fullOffload: mult * Math.max(logits, 4 * b * (2 + s + s * h + 2 * e + 2 * ehk * h)),
        partialOffload:
          mult *
          Math.max(4 * e * b + outputCopy + 4 * vocab * b, 4 * b * (2 * e + 1 + 2 * ehk * h + s + s * h) + 4 * ehk * c * 8 + (e * ehk * h * 9) / 16),
      };
    }
    case 'command-r':
      return {
        fullOffload: Math.max(logits, 4 * b * (2 + 4 * e + s * (1 + h))),
        partialOffload: Math.max(logits + outputCopy, 4 * b * (1 + 2 * e + s * (1 + h)) + 4 * e * c + (e * e * 9) / 16),
      };
    case 'qwen2':
      return {
        fullOffload: Math.max(logits, 4 * b * (1 + 2 * e + s + s * h)),
        partialOffload: Math.max(logits + outputCopy, 4 * (b * (1 + 2 * e + s * (1 + h)) + e * (1 + c))),
      };
    case 'phi2':
      return {
        fullOffload: Math.max(logits, 4 * b * (1 + 4 * e + s + s * h)),
        partialOffload: Math.max(4 * b * (2 * e + vocab) + outputCopy, 4 * b * (2 + 3 * e + s + s * h)),
      };
    case 'stablelm': {
      const full = 4 * b * (s * (1 + h) + 3 * e + 2);
      return { fullOffload: full, partialOffload: Math.max(4 * b * (vocab + 2 * e), full) };
    }
    case 'deepseek2':
      return {
        fullOffload: Math.max(4 * b * (3 * e + vocab), 4 * b * (3 * e + 2 + s * (1 + hkv) + 2 * ehk * hkv)),
        partialOffload: Math.max(
          4 * b * (3 * e + vocab) + outputCopy,
          4 * b * (2 * e + 1 + 2 * ehk * hkv + s + s * hkv) + 4 * ehk * c * hkv + (e * ehk * hkv * 9) / 16,
        ),
      };
    default: {
      // Ollama's fallback for architectures without a formula: GQA × KV / 6, same for both.
      const gqa = h / hkv;
      const g = (gqa * kvBytes) / 6;
      return { fullOffload: g, partialOffload: g };
    }
  }
}
