// How fast a model will run here, before it ever has: generation is memory-bound (each token
// reads every active weight once), so tokens/s ≈ effective bandwidth ÷ bytes read per token
// (vllm-project/vllm#7379: "MEM_BW GB/s / MODEL_WEIGHTS GB = TOKENS/SEC"; llmfit PR #137
// measures 50–70 % of the peak in practice). A partial offload adds the GPU's and the CPU's
// share of the time per token. On small CPUs the arithmetic can bind before memory does, so
// the CPU part is the slower of the two limits. Prompt evaluation is compute-bound and batched:
// a multiple of generation on GPUs, the CPU's arithmetic rate on CPUs.
import { SMALL_PROJECT, type Bandwidth, type HardwareInfo, type ModelFit, type ModelSpeed } from '../../../shared/index.js';
import type { ModelArchitecture } from './architecture.js';
import { parametersFromSize } from './rough-architecture.js';

const GB = 1e9;

/** Share of the peak bandwidth generation achieves (RTX 4090 + llama3 8B Q6_K: 93 tok/s × 6.6 GB ≈ 61 % of 1008 GB/s). */
const GPU_EFFICIENCY: Record<string, number> = { cuda: 0.6, rocm: 0.55, metal: 0.65, vulkan: 0.5 };
/** A measured copy already is effective bandwidth; a DIMM peak is not reached (≈ 55 %); an assumption is kept as is. */
const RAM_EFFICIENCY: Record<Bandwidth['source'], number> = { measured: 1, memLayout: 0.55, 'spec-table': 0.6, assumed: 1 };
/**
 * The copy is measured on one thread; llama.cpp streams on every physical core, which draws
 * more, sub-linearly, until the memory channels saturate: × √min(cores, 4).
 */
const measuredThreadGain = (cores: number) => Math.sqrt(Math.min(Math.max(1, cores), 4));
/** A discrete GPU we have no figure for: the slow end of current cards (an RTX 3050 has 224 GB/s). */
const UNKNOWN_GPU_BANDWIDTH = 200 * GB;
/**
 * Effective arithmetic per physical core, FLOP/s: quantized matrix-vector products for
 * generation, batched matrix-matrix for prompts (AVX2-class cores; a 2-core 2013 i5 ran a 7B
 * Q4_0 at 604 ms/token, llama.cpp#34, which 2 × 10 GFLOP/s ÷ 13.4 GFLOP/token predicts).
 */
const CPU_GEN_FLOPS_PER_CORE = 10e9;
const CPU_PROMPT_FLOPS_PER_CORE = 50e9;
/** Prompt tokens per generated token on GPUs (RTX 4090: 4668 vs 93 tok/s on llama3 8B; M-series ≈ 10×): kept low, it errs slow. */
const GPU_PROMPT_MULTIPLE: Record<string, number> = { cuda: 20, rocm: 15, metal: 8, vulkan: 10 };
/** Mixture-of-experts: attention and shared experts are read every token besides the routed ones. */
const MOE_SHARED = 0.1;

export interface SpeedInputs {
  /** The weights file (/api/tags size). */
  sizeBytes: number;
  arch: ModelArchitecture | null;
  parameterCount: number | null;
  quantizationLevel: string | null;
  fit: ModelFit;
}

interface Side {
  bytesPerSecond: number;
  detail: string;
  assumed: boolean;
}

function gpuSide(hw: HardwareInfo): (Side & { backend: string }) | null {
  const usable = hw.gpus.filter((g) => !g.integrated && g.backend !== 'none');
  if (usable.length === 0) return null;
  // Layers split across GPUs run one after another: the per-token rate is the slowest card's.
  const rated = usable.map((g) => ({ g, bw: g.bandwidth?.bytesPerSecond ?? UNKNOWN_GPU_BANDWIDTH }));
  const slowest = rated.sort((a, b) => a.bw - b.bw)[0];
  const eff = GPU_EFFICIENCY[slowest.g.backend] ?? 0.5;
  const known = slowest.g.bandwidth;
  return {
    backend: slowest.g.backend,
    bytesPerSecond: slowest.bw * eff,
    detail: known
      ? `${known.detail} × ${eff} efficiency`
      : `${slowest.g.name}: bandwidth not in our table, assumed ${UNKNOWN_GPU_BANDWIDTH / GB} GB/s × ${eff} efficiency`,
    assumed: !known,
  };
}

function cpuSide(hw: HardwareInfo): Side {
  const bw: Bandwidth = hw.ram.bandwidth ?? { bytesPerSecond: 19.2 * GB, source: 'assumed', detail: 'RAM bandwidth not probed: assumed 19.2 GB/s' };
  const gain = bw.source === 'measured' ? measuredThreadGain(hw.cpu.cores) : RAM_EFFICIENCY[bw.source];
  const factor = gain === 1 ? '' : bw.source === 'measured' ? ` × ${gain.toFixed(2)} for ${hw.cpu.cores} cores` : ` × ${gain} efficiency`;
  return { bytesPerSecond: bw.bytesPerSecond * gain, detail: `RAM ${bw.detail}${factor}`, assumed: bw.source === 'assumed' };
}

/** Share of the weights read per token: all for a dense model, the routed experts plus shared parts for a MoE. */
function activeShare(arch: ModelArchitecture | null): number {
  if (!arch?.expertCount || !arch.expertUsedCount || arch.expertUsedCount >= arch.expertCount) return 1;
  return Math.min(1, MOE_SHARED + (1 - MOE_SHARED) * (arch.expertUsedCount / arch.expertCount));
}

function gpuShare(fit: ModelFit): number | null {
  switch (fit.verdict) {
    case 'gpu':
      return 1;
    case 'partial':
      return (fit.gpuLayersPercent ?? 50) / 100;
    case 'cpu':
      return 0;
    default:
      return null; // unknown hardware, or it does not run at all
  }
}

export function smallProjectSeconds(tokensPerSecond: number, promptTokensPerSecond: number): number {
  return SMALL_PROJECT.generatedTokens / tokensPerSecond + SMALL_PROJECT.promptTokens / promptTokensPerSecond;
}

const gbText = (b: number) => `${(b / GB).toFixed(1)} GB`;

/** The expected speed on this hardware; null when the verdict is unknown or too big (nothing to run). */
export function estimateSpeed(inputs: SpeedInputs, hw: HardwareInfo | null): ModelSpeed | null {
  const share = hw ? gpuShare(inputs.fit) : null;
  if (!hw || share === null || inputs.sizeBytes <= 0) return null;
  const active = activeShare(inputs.arch);
  // Weights read per token, plus the KV cache at about half its final fill (the answer grows it).
  const kv = inputs.fit.estimate?.kvCacheBytes ?? 0;
  const bytesPerToken = inputs.sizeBytes * active + kv / 2;
  const params = (inputs.parameterCount ?? parametersFromSize(inputs.sizeBytes, inputs.quantizationLevel)) * active;
  const cores = Math.max(1, hw.cpu.cores);

  const gpu = share > 0 ? gpuSide(hw) : null;
  const cpu = cpuSide(hw);
  const gpuSeconds = gpu ? (share * bytesPerToken) / gpu.bytesPerSecond : 0;
  const cpuMemSeconds = ((1 - share) * bytesPerToken) / cpu.bytesPerSecond;
  const cpuComputeSeconds = ((1 - share) * 2 * params) / (cores * CPU_GEN_FLOPS_PER_CORE);
  const computeBound = cpuComputeSeconds > cpuMemSeconds;
  const tokensPerSecond = 1 / (gpuSeconds + Math.max(cpuMemSeconds, cpuComputeSeconds));

  const cpuPrompt = (cores * CPU_PROMPT_FLOPS_PER_CORE) / (2 * params);
  const gpuPrompt = gpu ? (GPU_PROMPT_MULTIPLE[gpu.backend] ?? 8) * (gpu.bytesPerSecond / bytesPerToken) : cpuPrompt;
  // Layers on each side take their share of every batch.
  const promptTokensPerSecond = 1 / (share / gpuPrompt + (1 - share) / cpuPrompt);

  const read = `${gbText(bytesPerToken)} read per token${active < 1 ? ' (active experts only)' : ''}`;
  const where =
    share >= 1
      ? `${gpu!.detail}, ${read}`
      : share <= 0
        ? `${cpu.detail}, ${read}${computeBound ? `; bound by ${cores} core${cores > 1 ? 's' : ''} of arithmetic rather than memory` : ''}`
        : `${Math.round(share * 100)}% on the GPU (${gpu!.detail}), the rest from ${cpu.detail}; ${read}`;
  return {
    tokensPerSecond,
    promptTokensPerSecond,
    smallProjectSeconds: smallProjectSeconds(tokensPerSecond, promptTokensPerSecond),
    source: 'estimate',
    rough: (gpu?.assumed ?? false) || (share < 1 && cpu.assumed) || (inputs.fit.estimate?.rough ?? false),
    basis: `Estimated: ${where}.`,
  };
}

export interface MeasuredSpeed {
  evalTokens: number;
  evalMs: number;
  samples: number;
}

/** Fewer generated tokens than this say more about start-up than speed. */
export const MIN_MEASURED_TOKENS = 64;

/** The measured generation speed in place of the estimate; prompt speed scaled by how far the estimate was off. */
export function applyMeasured(estimate: ModelSpeed | null, measured: MeasuredSpeed | null): ModelSpeed | null {
  if (!measured || measured.evalTokens < MIN_MEASURED_TOKENS || measured.evalMs <= 0) return estimate;
  const tokensPerSecond = measured.evalTokens / (measured.evalMs / 1000);
  const promptTokensPerSecond = estimate ? estimate.promptTokensPerSecond * (tokensPerSecond / estimate.tokensPerSecond) : tokensPerSecond * 4;
  return {
    tokensPerSecond,
    promptTokensPerSecond,
    smallProjectSeconds: smallProjectSeconds(tokensPerSecond, promptTokensPerSecond),
    source: 'measured',
    rough: false,
    basis: `Measured: ${measured.evalTokens.toLocaleString('en-US')} tokens generated in ${(measured.evalMs / 1000).toFixed(1)} s over ${measured.samples} answer${measured.samples > 1 ? 's' : ''} on this host (Ollama's eval_count / eval_duration); prompt speed scaled from the estimate.`,
  };
}
