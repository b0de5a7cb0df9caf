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
  const single = est.weightsBytes + est.kvCacheBytes + est.graphBytes + min <= best.freeBytes;
  // Split across GPUs, each needs its minimum and the (partial) graph; layers fill the rest.
  const spread = group.gpus.reduce((sum, g) => sum + Math.max(0, g.freeBytes - min - est.graphPartialBytes), 0);
  const multi = group.gpus.length > 1 && spread >= est.weightsBytes + est.kvCacheBytes;
  const capacity = Math.max(spread, best.freeBytes - min - est.graphPartialBytes, 0);
  return { group, est, fits: single || multi, single, capacity };
}

function gpuLayers(ev: GroupEval, arch: ModelArchitecture | null): { layers: number; fraction: number } {
  if (!arch) {
    const fraction = Math.min(1, ev.capacity / Math.max(1, ev.est.weightsBytes));
    return { layers: fraction > 0 ? 1 : 0, fraction };
  }
  const layers = Math.min(arch.blockCount, Math.floor(ev.capacity / ev.est.layerBytes));
  return { layers, fraction: layers / arch.blockCount };
}

/** Largest context (1k steps, or the trained context itself) that still fits fully on the group's GPUs. */
function maxGpuContext(group: GpuGroup, inputs: FitInputs, vram: number): number | null {
  const trained = inputs.arch?.contextLength;
  if (!inputs.arch || !trained) return null;
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

function cpuFit(inputs: FitInputs, hw: HardwareInfo, vram: number, prefix: string, note: string): ModelFit {
  const est = estimateDetailed({ ...inputs, backend: 'none', totalVramBytes: vram });
  const needs = `needs ~${gib(est.totalBytes)} at ${ctxLabel(est.numCtx)} context`;
  const estimate = strip(est);
  if (est.totalBytes <= hw.ram.freeBytes) {
    return { verdict: 'cpu', gpuLayersPercent: 0, estimate, maxGpuContext: null, explanation: `${prefix}runs on the CPU in ~${gib(est.totalBytes)} of RAM at ${ctxLabel(est.numCtx)} context (slow)${note}` };
  }
  return { verdict: 'too_big', gpuLayersPercent: 0, estimate, maxGpuContext: null, explanation: `${needs}; only ${gib(hw.ram.freeBytes)} of RAM is free${prefix ? ' and no GPU can take it' : ''}${note}` };
}

function strip(est: DetailedEstimate) {
  const { numCtx, weightsBytes, kvCacheBytes, graphBytes, overheadBytes, totalBytes } = est;
  return { numCtx, weightsBytes, kvCacheBytes, graphBytes, overheadBytes, totalBytes };
}

/** The verdict for one model on one machine; hardware null (a host we know nothing about) → 'unknown'. */
export function fitModel(inputs: FitInputs, hardware: HardwareInfo | null): ModelFit {
  const note = inputs.arch ? '' : ' (architecture unknown: only the weights are counted)';
  if (!hardware) {
    const est = estimateDetailed({ ...inputs, backend: 'cuda' });
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
  if (groups.length === 0) return cpuFit(inputs, hardware, vram, 'no GPU: ', note);

  const evals = groups.map((g) => evaluate(g, inputs, inputs.numCtx, vram));
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
  const { layers, fraction } = gpuLayers(best, inputs.arch);
  const gpus = best.group.gpus;
  const holder = gpus.length > 1 ? `the ${gpus.length} GPUs have` : `${gpus[0].name} has`;
  const needs = `needs ~${gib(best.est.totalBytes)} at ${ctxLabel(best.est.numCtx)} context; ${holder} ${gib(gpus.reduce((s, g) => s + g.freeBytes, 0))} free`;
  if (layers < 1) return cpuFit(inputs, hardware, vram, `${needs}, too little for one layer: `, note);

  const onCpu = (best.est.weightsBytes + best.est.kvCacheBytes) * (1 - fraction);
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
