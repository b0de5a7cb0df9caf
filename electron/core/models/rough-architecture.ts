// When /api/show lacks the attention numbers (imported GGUFs, remote models, some architectures,
// a failed show), the memory estimate still needs a KV cache: counting weights only would say
// "fits" for a model that then runs out of memory at load. This builds a stand-in shape that
// errs high: per-token KV of the largest popular model of that parameter size, flagged rough.

import type { ModelArchitecture } from './architecture.js';

/** Bits per weight by quantization (GGUF file types); unknown → 4.5, which overstates parameters, so the shape errs large. */
const BITS_PER_WEIGHT: Record<string, number> = {
  F32: 32,
  F16: 16,
  BF16: 16,
  Q8_0: 8.5,
  Q6_K: 6.6,
  Q5_K_M: 5.7,
  Q5_K_S: 5.5,
  Q5_0: 5.5,
  Q4_K_M: 4.85,
  Q4_K_S: 4.6,
  Q4_0: 4.5,
  Q3_K_M: 3.9,
  Q2_K: 3.35,
};
const DEFAULT_BITS = 4.5;

/**
 * Shapes by parameter class, each the worst per-token KV cache (f16) among common models of
 * that size, from their GGUF metadata:
 *   ≤ 2.5B  deepseek-coder:1.3b  24 layers × 16 KV heads × 128 × 2 × 2 B = 192 KiB/token
 *   ≤ 4.5B  phi3:3.8b            32 × 32 × 96  × 4 B = 384 KiB (no grouped-query attention)
 *   ≤ 9.5B  codellama:7b         32 × 32 × 128 × 4 B = 512 KiB (no GQA; mistral 128, qwen2.5 56)
 *   ≤ 16B   codellama:13b        40 × 40 × 128 × 4 B = 800 KiB (no GQA)
 *   ≤ 40B   command-r:35b        40 × 64 × 128 × 4 B = 1.25 MiB (no GQA)
 *   larger  llama3.1:70b         80 × 8  × 128 × 4 B = 320 KiB (GQA is universal at this size)
 */
const SHAPES: Array<{ maxParams: number; blocks: number; embedding: number; heads: number; kvHeads: number }> = [
  { maxParams: 2.5e9, blocks: 24, embedding: 2048, heads: 16, kvHeads: 16 },
  { maxParams: 4.5e9, blocks: 32, embedding: 3072, heads: 32, kvHeads: 32 },
  { maxParams: 9.5e9, blocks: 32, embedding: 4096, heads: 32, kvHeads: 32 },
  { maxParams: 16e9, blocks: 40, embedding: 5120, heads: 40, kvHeads: 40 },
  { maxParams: 40e9, blocks: 40, embedding: 8192, heads: 64, kvHeads: 64 },
  { maxParams: Infinity, blocks: 80, embedding: 8192, heads: 64, kvHeads: 8 },
];

/** Parameters implied by a file size at a quantization (more when the quantization is unknown: errs large). */
export function parametersFromSize(sizeBytes: number, quantizationLevel?: string | null): number {
  const bits = BITS_PER_WEIGHT[(quantizationLevel ?? '').toUpperCase()] ?? DEFAULT_BITS;
  return (sizeBytes * 8) / bits;
}

export interface RoughInputs {
  architecture?: string;
  parameterCount?: number | null;
  sizeBytes?: number;
  quantizationLevel?: string | null;
  /** Whatever model_info did carry. */
  blockCount?: number;
  embeddingLength?: number;
  contextLength?: number | null;
  vocabSize?: number;
  /** Why the numbers are rough, for the UI's tooltip. */
  reason: string;
}

/**
 * A conservative architecture. With the layer count and width known, every layer is assumed to
 * cache K and V at the full width (no grouped-query attention): the most KV a transformer of
 * that shape can hold. Otherwise the parameter class decides (SHAPES). null when neither the
 * parameters nor the size are known.
 */
export function roughArchitecture(inputs: RoughInputs): ModelArchitecture | null {
  const params = inputs.parameterCount ?? (inputs.sizeBytes ? parametersFromSize(inputs.sizeBytes, inputs.quantizationLevel) : null);
  const { blockCount, embeddingLength } = inputs;
  let shape: { blocks: number; embedding: number; heads: number; kvHeads: number };
  if (blockCount && embeddingLength) {
    const heads = Math.max(1, Math.round(embeddingLength / 128));
    shape = { blocks: blockCount, embedding: embeddingLength, heads, kvHeads: heads };
  } else if (params) {
    shape = SHAPES.find((s) => params <= s.maxParams) ?? SHAPES[SHAPES.length - 1];
  } else {
    return null;
  }
  const headDim = Math.floor(shape.embedding / shape.heads);
  return {
    architecture: inputs.architecture || 'unknown',
    blockCount: shape.blocks,
    embeddingLength: shape.embedding,
    headCount: shape.heads,
    headCountKv: shape.kvHeads,
    keyLength: headDim,
    valueLength: headDim,
    contextLength: inputs.contextLength ?? null,
    vocabSize: inputs.vocabSize,
    rough: inputs.reason,
  };
}
