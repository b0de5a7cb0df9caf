// Hardware and model-fit types: what this machine has, and whether a model fits it.
import { z } from 'zod';
import { ModelInfoSchema } from './domain.js';

/** Where a figure came from, so the UI can say why it trusts it. */
export const FigureSourceSchema = z.enum(['systeminformation', 'nvidia-smi', 'sysfs', 'sysctl', 'apple-unified', 'registry', 'os', 'ollama-ps', 'none']);

/**
 * Memory bandwidth: what bounds token generation (every weight is read once per token).
 * measured: a timed copy on this machine; memLayout: DIMM clock × channels; spec-table: the
 * vendor's figure for a known GPU; assumed: nothing could be read, a cautious guess.
 */
export const BandwidthSchema = z.object({
  bytesPerSecond: z.number(),
  source: z.enum(['measured', 'memLayout', 'spec-table', 'assumed']),
  /** One sentence: "RTX 4090: 1008 GB/s (vendor spec)", "measured: 6.1 GB/s copying 64 MiB …". */
  detail: z.string(),
});
export type Bandwidth = z.infer<typeof BandwidthSchema>;

export const GpuSchema = z.object({
  name: z.string(),
  vendor: z.enum(['nvidia', 'amd', 'apple', 'intel', 'other']),
  /** Runtime Ollama would use on it. */
  backend: z.enum(['cuda', 'rocm', 'metal', 'vulkan', 'none']),
  vramTotalBytes: z.number(),
  vramFreeBytes: z.number().nullable(),
  /** Integrated GPUs count as CPU + system RAM, as Ollama does. */
  integrated: z.boolean(),
  source: FigureSourceSchema,
  /** What was corrected and why, e.g. "systeminformation reported a 256 MiB PCI BAR; sysfs says 16 GiB". */
  note: z.string().nullable(),
  /** Memory bandwidth from the table of known cards; null: not a card we know. Absent in older results. */
  bandwidth: BandwidthSchema.nullable().optional(),
});
export type Gpu = z.infer<typeof GpuSchema>;

export const HardwareInfoSchema = z.object({
  gpus: z.array(GpuSchema),
  ram: z.object({
    totalBytes: z.number(),
    freeBytes: z.number(),
    /** RAM bandwidth, for what runs on the CPU. Absent in results from before it was probed. */
    bandwidth: BandwidthSchema.optional(),
  }),
  cpu: z.object({ brand: z.string(), cores: z.number().int(), threads: z.number().int() }),
  platform: z.string(),
  /** One line: "NVIDIA RTX 4070 12 GiB (11.2 free) · 32 GiB RAM · Ryzen 7 7700X". */
  summary: z.string(),
  probedAt: z.number(),
});
export type HardwareInfo = z.infer<typeof HardwareInfoSchema>;

export const FitVerdictSchema = z.enum(['gpu', 'partial', 'cpu', 'too_big', 'unknown']);
export type FitVerdict = z.infer<typeof FitVerdictSchema>;

export const MemoryEstimateSchema = z.object({
  numCtx: z.number().int(),
  weightsBytes: z.number(),
  kvCacheBytes: z.number(),
  graphBytes: z.number(),
  overheadBytes: z.number(),
  totalBytes: z.number(),
  /**
   * /api/show lacked the architecture numbers, so the KV cache and graph are sized from a
   * conservative stand-in (the largest common model of this size): an upper bound, not a figure.
   */
  rough: z.boolean(),
  /** Why it is rough, for the UI's tooltip; null when exact. */
  roughReason: z.string().nullable(),
});
export type MemoryEstimate = z.infer<typeof MemoryEstimateSchema>;

export const ModelFitSchema = z.object({
  verdict: FitVerdictSchema,
  /** partial: estimated share of layers on the GPU (0–100). */
  gpuLayersPercent: z.number().nullable(),
  estimate: MemoryEstimateSchema.nullable(),
  /** Largest context that still fits fully on the GPU (null: none / unknown). */
  maxGpuContext: z.number().int().nullable(),
  /** "needs ~9.8 GB at 8k context; this GPU has 8 GB free". */
  explanation: z.string(),
});
export type ModelFit = z.infer<typeof ModelFitSchema>;

/**
 * "A small project", the unit the speed column speaks in: a prompt of 8k tokens (the request,
 * project files, instructions) and 4k generated tokens (a few files). Ten minutes is what the
 * recommendation calls reasonable for it.
 */
export const SMALL_PROJECT = { promptTokens: 8000, generatedTokens: 4000, reasonableSeconds: 600 } as const;

/** Expected speed of a model on a host: estimated from bandwidth, or measured once it has run. */
export const ModelSpeedSchema = z.object({
  /** Generation (eval) tokens per second. */
  tokensPerSecond: z.number(),
  /** Prompt evaluation tokens per second. */
  promptTokensPerSecond: z.number(),
  /** Seconds for SMALL_PROJECT. */
  smallProjectSeconds: z.number(),
  /** measured: eval_count / eval_duration of this model's past runs on this host. */
  source: z.enum(['estimate', 'measured']),
  /** Built on an assumed bandwidth or a rough memory estimate: a guess, said as one. */
  rough: z.boolean(),
  /** How it was reckoned, one or two sentences for a tooltip. */
  basis: z.string(),
});
export type ModelSpeed = z.infer<typeof ModelSpeedSchema>;

export const LoadedModelSchema = z.object({
  name: z.string(),
  sizeBytes: z.number(),
  sizeVramBytes: z.number(),
  contextLength: z.number().int().nullable(),
  expiresAt: z.string().nullable(),
});

export const CatalogModelSchema = ModelInfoSchema.extend({
  host: z.string(),
  contextLength: z.number().int().nullable(),
  fit: ModelFitSchema,
  loaded: LoadedModelSchema.nullable(),
  /** null: the host's hardware is unknown and the model has not run there. */
  speed: ModelSpeedSchema.nullable().optional(),
});
export type CatalogModel = z.infer<typeof CatalogModelSchema>;

/** A model from the curated list in resources/ (may not be installed). */
export const CuratedModelSchema = z.object({
  name: z.string(),
  family: z.string(),
  parameterSize: z.string(),
  quantizationLevel: z.string(),
  sizeBytes: z.number(),
  contextLength: z.number().int(),
  languages: z.array(z.string()),
  coding: z.boolean(),
  description: z.string(),
  installed: z.boolean(),
  fit: ModelFitSchema,
  speed: ModelSpeedSchema.nullable().optional(),
});
export type CuratedModel = z.infer<typeof CuratedModelSchema>;

export const PullProgressSchema = z.object({
  pullId: z.string(),
  name: z.string(),
  host: z.string(),
  status: z.string(),
  completedBytes: z.number(),
  totalBytes: z.number(),
  bytesPerSecond: z.number(),
  done: z.boolean(),
  cancelled: z.boolean(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type PullProgress = z.infer<typeof PullProgressSchema>;
