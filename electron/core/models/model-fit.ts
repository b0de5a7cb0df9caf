// Does a model fit this machine? gpu (all layers in VRAM), partial (some layers on the CPU),
// cpu (no usable GPU, or too small for one layer), too_big (not even RAM + VRAM), with the
// largest context that still fits fully on the GPU and one sentence saying why.
import type { HardwareInfo, ModelFit } from '../../../shared/index.js';
import type { ModelArchitecture } from './architecture.js';
import { ctxLabel, gib } from './format.js';
import { estimateDetailed, gpuMinimumBytes, type DetailedEstimate, type GpuBackend, type KvCacheType } from './memory-estimate.js';

export interface FitInputs {
  sizeBytes: number;
  arch: ModelArchitecture | null;
  /** For the rough shape when arch is null (bits per weight). */
  quantizationLevel?: string | null;
  /** undefined: Ollama's default for this machine's VRAM. */
  numCtx?: number;
  kvCacheType: KvCacheType;
  flashAttention: boolean;
}

interface GpuSlot {
  name: string;
  freeBytes: number;
  totalBytes: number;
}

/** GPUs Ollama would use together: one runtime (it never splits a model across CUDA and ROCm). */
interface GpuGroup {
  backend: GpuBackend;
  gpus: GpuSlot[];
}

interface GroupEval {
  group: GpuGroup;
  est: DetailedEstimate;
  fits: boolean;
  /** The best single GPU holds it all (else it needs the group). */
  single: boolean;
  /** Bytes of layers the group can take after minimums and graph. */
  capacity: number;
}

const CTX_STEP = 1024;

/**
 * A rough estimate (model_info lacked the numbers) must clear the free memory by this much
 * before it is called a fit: when the margin is thin, the verdict says partial / too big.
 */
export const ROUGH_MARGIN = 1.15;

/**
 * How far the "fully on the GPU up to" search goes when the trained context is unknown and the
 * Modelfile sets no num_ctx: enough for a build, without claiming a long context nobody measured.
 */
export const UNKNOWN_CONTEXT_SIZING = 32_768;

const margin = (est: DetailedEstimate) => (est.rough ? ROUGH_MARGIN : 1);

function usableGroups(hw: HardwareInfo): GpuGroup[] {
  const groups = new Map<GpuBackend, GpuSlot[]>();
  for (const g of hw.gpus) {
    // Integrated GPUs count as CPU + system RAM, as Ollama does; 'none' has no runtime.
    if (g.integrated || g.backend === 'none') continue;
    const slot = { name: g.name, freeBytes: g.vramFreeBytes ?? g.vramTotalBytes, totalBytes: g.vramTotalBytes };
    groups.set(g.backend, [...(groups.get(g.backend) ?? []), slot]);
  }
  return [...groups].map(([backend, gpus]) => ({ backend, gpus: gpus.sort((a, b) => b.freeBytes - a.freeBytes) }));
}

function totalVram(groups: GpuGroup[]): number {
  return groups.reduce((sum, g) => sum + g.gpus.reduce((s, x) => s + x.totalBytes, 0), 0);
}

function evaluate(group: GpuGroup, inputs: FitInputs, numCtx: number | undefined, vram: number): GroupEval {
  const est = estimateDetailed({ ...inputs, numCtx, backend: group.backend, totalVramBytes: vram });
  const min = gpuMinimumBytes(group.backend);
  const best = group.gpus[0];
  const m = margin(est);
  const single = (est.weightsBytes + est.kvCacheBytes + est.graphBytes) * m + min <= best.freeBytes;
  // Split across GPUs, each needs its minimum and the (partial) graph; layers fill the rest.
  const spread = group.gpus.reduce((sum, g) => sum + Math.max(0, g.freeBytes - min - est.graphPartialBytes * m), 0);
  const multi = group.gpus.length > 1 && spread >= (est.weightsBytes + est.kvCacheBytes) * m;
  const capacity = Math.max(spread, best.freeBytes - min - est.graphPartialBytes, 0);
  return { group, est, fits: single || multi, single, capacity };
}

function gpuLayers(ev: GroupEval): { layers: number; fraction: number } {
  const blocks = Math.max(1, Math.round((ev.est.weightsBytes + ev.est.kvCacheBytes) / ev.est.layerBytes));
  const layers = Math.min(blocks, Math.floor(ev.capacity / (ev.est.layerBytes * margin(ev.est))));
  return { layers, fraction: layers / blocks };
}

/** Largest context (1k steps, or the trained context itself) that still fits fully on the group's GPUs. */
function maxGpuContext(group: GpuGroup, inputs: FitInputs, vram: number): number | null {
  // Unknown trained context: search up to the Modelfile's num_ctx, else a modest ceiling.
  const trained = inputs.arch ? (inputs.arch.contextLength ?? inputs.arch.sizingContext ?? UNKNOWN_CONTEXT_SIZING) : null;
  if (!trained) return null;
  const fitsAt = (ctx: number) => evaluate(group, inputs, ctx, vram).fits;
  if (fitsAt(trained)) return trained;
  if (!fitsAt(Math.min(CTX_STEP, trained))) return null;
  // Memory grows monotonically with context, so bisect over 1k steps.
  let lo = 1;
  let hi = Math.floor(trained / CTX_STEP);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fitsAt(mid * CTX_STEP)) lo = mid;
    else hi = mid - 1;
  }
  return lo * CTX_STEP;
}

function gpuLabel(ev: GroupEval): { who: string; free: number } {
  if (ev.single || ev.group.gpus.length === 1) return { who: ev.group.gpus[0].name, free: ev.group.gpus[0].freeBytes };
  return { who: `${ev.group.gpus.length} ${ev.group.backend.toUpperCase()} GPUs together`, free: ev.group.gpus.reduce((s, g) => s + g.freeBytes, 0) };
}

function cpuFit(inputs: FitInputs, hw: HardwareInfo, vram: number, prefix: string): ModelFit {
  const est = estimateDetailed({ ...inputs, backend: 'none', totalVramBytes: vram });
  const note = roughNote(est);
  const needs = `needs ~${gib(est.totalBytes)} at ${ctxLabel(est.numCtx)} context`;
  const estimate = strip(est);
  if (est.totalBytes * margin(est) <= hw.ram.freeBytes) {
    return { verdict: 'cpu', gpuLayersPercent: 0, estimate, maxGpuContext: null, explanation: `${prefix}runs on the CPU in ~${gib(est.totalBytes)} of RAM at ${ctxLabel(est.numCtx)} context (slow)${note}` };
  }
  return { verdict: 'too_big', gpuLayersPercent: 0, estimate, maxGpuContext: null, explanation: `${needs}; only ${gib(hw.ram.freeBytes)} of RAM is free${prefix ? ' and no GPU can take it' : ''}${note}` };
}

function strip(est: DetailedEstimate) {
  const { numCtx, weightsBytes, kvCacheBytes, graphBytes, overheadBytes, totalBytes, rough, roughReason } = est;
  return { numCtx, weightsBytes, kvCacheBytes, graphBytes, overheadBytes, totalBytes, rough, roughReason };
}

function roughNote(est: DetailedEstimate): string {
  return est.rough ? ` (a rough estimate, on the safe side: ${est.roughReason})` : '';
}

/** The verdict for one model on one machine; hardware null (a host we know nothing about) → 'unknown'. */
export function fitModel(inputs: FitInputs, hardware: HardwareInfo | null): ModelFit {
  if (!hardware) {
    const est = estimateDetailed({ ...inputs, backend: 'cuda' });
    const note = roughNote(est);
    return {
      verdict: 'unknown',
      gpuLayersPercent: null,
      estimate: strip(est),
      maxGpuContext: null,
      explanation: `needs ~${gib(est.totalBytes)} at ${ctxLabel(est.numCtx)} context; this host's hardware is unknown${note}`,
    };
  }
  const groups = usableGroups(hardware);
  const vram = totalVram(groups);
  if (groups.length === 0) return cpuFit(inputs, hardware, vram, 'no GPU: ');

  const evals = groups.map((g) => evaluate(g, inputs, inputs.numCtx, vram));
  const note = roughNote(evals[0].est);
  const fitting = evals.filter((e) => e.fits).sort((a, b) => b.capacity - a.capacity)[0];
  if (fitting) {
    const { who, free } = gpuLabel(fitting);
    return {
      verdict: 'gpu',
      gpuLayersPercent: 100,
      estimate: strip(fitting.est),
      maxGpuContext: maxGpuContext(fitting.group, inputs, vram),
      explanation: `fits on the GPU: needs ~${gib(fitting.est.totalBytes)} at ${ctxLabel(fitting.est.numCtx)} context; ${who} has ${gib(free)} free${note}`,
    };
  }

  const best = evals.sort((a, b) => b.capacity - a.capacity)[0];
  const { layers, fraction } = gpuLayers(best);
  const gpus = best.group.gpus;
  const holder = gpus.length > 1 ? `the ${gpus.length} GPUs have` : `${gpus[0].name} has`;
  const needs = `needs ~${gib(best.est.totalBytes)} at ${ctxLabel(best.est.numCtx)} context; ${holder} ${gib(gpus.reduce((s, g) => s + g.freeBytes, 0))} free`;
  if (layers < 1) return cpuFit(inputs, hardware, vram, `${needs}, too little for one layer: `);

  const onCpu = (best.est.weightsBytes + best.est.kvCacheBytes) * (1 - fraction) * margin(best.est);
  // All repeating layers may fit while the output layer does not: still a partial offload.
  const percent = Math.min(99, Math.max(1, Math.round(fraction * 100)));
  if (onCpu > hardware.ram.freeBytes) {
    return {
      verdict: 'too_big',
      gpuLayersPercent: percent,
      estimate: strip(best.est),
      maxGpuContext: null,
      explanation: `${needs}, and the ~${gib(onCpu)} left for the CPU is more than the ${gib(hardware.ram.freeBytes)} of free RAM${note}`,
    };
  }
  return {
    verdict: 'partial',
    gpuLayersPercent: percent,
    estimate: strip(best.est),
    maxGpuContext: maxGpuContext(best.group, inputs, vram),
    explanation: `${needs}: about ${percent}% of the layers run on the GPU, the rest on the CPU (slower)${note}`,
  };
}
