// How much memory a model needs at a context length, the way Ollama's scheduler reckons it
// (llm/memory.go + fs/ggml GraphSize): weights + KV cache + compute graph + a per-GPU minimum.
import type { MemoryEstimate } from '../../../shared/index.js';
import type { ModelArchitecture } from './architecture.js';
import { computeGraphSize, headCountKvMax } from './graph-size.js';
import { roughArchitecture } from './rough-architecture.js';

export type KvCacheType = 'f16' | 'q8_0' | 'q4_0';
export type GpuBackend = 'cuda' | 'rocm' | 'metal' | 'vulkan' | 'none';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

/** Ollama's default num_batch; the graph and sliding-window caches scale with it. */
export const NUM_BATCH = 512;

/** discover/: what the driver and runtime take on each GPU before any layer is loaded. */
export function gpuMinimumBytes(backend: GpuBackend): number {
  switch (backend) {
    case 'cuda':
    case 'rocm':
    case 'vulkan':
      return 457 * MIB;
    case 'metal':
      return 512 * MIB;
    default:
      return 0;
  }
}

/** Bytes per cached K or V element (Ollama's kvCacheBytesPerElement). */
export function kvBytesPerElement(type: KvCacheType): number {
  return type === 'q8_0' ? 1 : type === 'q4_0' ? 0.5 : 2;
}

/**
 * Ollama's num_ctx when the request sets none (docs/context-length): by total VRAM,
 * < 24 GiB → 4k, 24–48 GiB → 32k, ≥ 48 GiB → 256k; never more than the model was trained on.
 */
export function ollamaDefaultContext(totalVramBytes: number, trainedContext?: number): number {
  const byVram = totalVramBytes >= 48 * GIB ? 262_144 : totalVramBytes >= 24 * GIB ? 32_768 : 4096;
  return trainedContext && trainedContext > 0 ? Math.min(byVram, trainedContext) : byVram;
}

/**
 * Flash attention needs equal key and value widths, and Ollama turns it off for gemma2.
 * Without it Ollama ignores OLLAMA_KV_CACHE_TYPE and caches in f16.
 */
export function supportsFlashAttention(arch: ModelArchitecture): boolean {
  if (arch.architecture === 'gemma2') return false;
  const eh = Math.floor(arch.embeddingLength / arch.headCount);
  return (arch.keyLength ?? eh) === (arch.valueLength ?? eh);
}

function kvHeadsAt(arch: ModelArchitecture, layer: number): number {
  if (!Array.isArray(arch.headCountKv)) return arch.headCountKv;
  // Shorter arrays repeat their single value, as Ollama's HeadCountKV does.
  return arch.headCountKv[layer] ?? (arch.headCountKv.length === 1 ? arch.headCountKv[0] : headCountKvMax(arch));
}

/**
 * KV cache = Σ over layers of cached tokens × KV heads × (key + value width) × bytes per element.
 * A sliding-window layer caches at most window + one batch (what Ollama allocates for gemma3),
 * unless the runtime keeps full context there (gemma2: slidingWindowFullCache).
 */
export function kvCacheBytes(arch: ModelArchitecture, numCtx: number, type: KvCacheType): number {
  const eh = Math.floor(arch.embeddingLength / arch.headCount);
  const width = (arch.keyLength ?? eh) + (arch.valueLength ?? eh);
  const perElement = kvBytesPerElement(type);
  const windowed = arch.slidingWindow && arch.slidingWindowPattern && !arch.slidingWindowFullCache;
  let total = 0;
  for (let layer = 0; layer < arch.blockCount; layer++) {
    const tokens = windowed && arch.slidingWindowPattern![layer] ? Math.min(numCtx, arch.slidingWindow! + NUM_BATCH) : numCtx;
    total += tokens * kvHeadsAt(arch, layer) * width * perElement;
  }
  return total;
}

export interface EstimateInputs {
  /** The model file size (/api/tags size): the weights. */
  sizeBytes: number;
  /** null: /api/show failed; the estimate then uses a conservative shape sized from the file (rough). */
  arch: ModelArchitecture | null;
  /** For the rough shape when arch is null: the quantization (bits per weight) of the file. */
  quantizationLevel?: string | null;
  /** undefined: Ollama's default for the machine (needs totalVramBytes). Capped at the trained context. */
  numCtx?: number;
  kvCacheType: KvCacheType;
  flashAttention: boolean;
  backend: GpuBackend;
  /** Sum of the GPUs' total VRAM, for Ollama's default context. */
  totalVramBytes?: number;
}

/** The estimate plus what fitting needs beyond the contract's MemoryEstimate. */
export interface DetailedEstimate extends MemoryEstimate {
  /** Graph when some layers stay on the CPU (the GPU also buffers the output projection). */
  graphPartialBytes: number;
  /** Weights + KV per repeating layer, the unit of partial offload. */
  layerBytes: number;
  /** Whether flash attention and the quantized cache type actually apply to this model. */
  flashAttentionUsed: boolean;
  kvCacheTypeUsed: KvCacheType;
}

export function effectiveContext(inputs: Pick<EstimateInputs, 'arch' | 'numCtx' | 'totalVramBytes'>): number {
  const trained = inputs.arch?.contextLength ?? undefined;
  const requested = inputs.numCtx ?? ollamaDefaultContext(inputs.totalVramBytes ?? 0, trained);
  // Ollama (llama runner) clamps a larger request to what the model was trained on.
  return trained && trained > 0 ? Math.min(requested, trained) : requested;
}

const NO_SHOW_REASON = 'Ollama did not describe this model (/api/show failed), so the KV cache is sized for the largest common model of this size';

export function estimateDetailed(inputs: EstimateInputs): DetailedEstimate {
  const numCtx = effectiveContext(inputs);
  const overheadBytes = gpuMinimumBytes(inputs.backend);
  const weightsBytes = inputs.sizeBytes;
  // Never weights only: without an architecture, a conservative shape from the file size.
  const arch =
    inputs.arch ??
    roughArchitecture({ sizeBytes: inputs.sizeBytes, quantizationLevel: inputs.quantizationLevel, reason: NO_SHOW_REASON }) ??
    // A model of unknown size (0 bytes listed): the smallest shape, still not weights only.
    roughArchitecture({ parameterCount: 1, reason: NO_SHOW_REASON })!;
  const rough = arch.rough !== undefined;
  const flashAttentionUsed = inputs.flashAttention && supportsFlashAttention(arch);
  const kvCacheTypeUsed: KvCacheType = flashAttentionUsed ? inputs.kvCacheType : 'f16';
  const kv = kvCacheBytes(arch, numCtx, kvCacheTypeUsed);
  const graph = computeGraphSize({ arch, context: numCtx, batch: Math.min(numCtx, NUM_BATCH), flashAttention: flashAttentionUsed, kvBytes: kv });
  // Metal has no partial-offload overhead (unified memory): Ollama uses the full figure for both.
  const graphPartial = inputs.backend === 'metal' ? graph.fullOffload : graph.partialOffload;
  const graphBytes = Math.round(graph.fullOffload);
  return {
    numCtx,
    weightsBytes,
    kvCacheBytes: Math.round(kv),
    graphBytes,
    overheadBytes,
    totalBytes: Math.round(weightsBytes + kv + graphBytes + overheadBytes),
    graphPartialBytes: Math.round(graphPartial),
    layerBytes: (weightsBytes + kv) / arch.blockCount,
    flashAttentionUsed,
    kvCacheTypeUsed,
    rough,
    roughReason: arch.rough ?? null,
  };
}

/** Weights + KV cache + compute graph + per-GPU minimum, at the effective context. */
export function estimateModelMemory(inputs: EstimateInputs): MemoryEstimate {
  const { numCtx, weightsBytes, kvCacheBytes: kv, graphBytes, overheadBytes, totalBytes, rough, roughReason } = estimateDetailed(inputs);
  return { numCtx, weightsBytes, kvCacheBytes: kv, graphBytes, overheadBytes, totalBytes, rough, roughReason };
}
