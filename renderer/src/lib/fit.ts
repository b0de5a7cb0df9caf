// Words and numbers for model-fit verdicts: group labels, badges, loaded-vs-estimate lines.
import type { CatalogModel, FitVerdict, HardwareInfo } from '../../../shared/index.js';
import { formatBytes } from './format.js';
import { speedTitle } from './speed.js';

type Loaded = NonNullable<CatalogModel['loaded']>;

/** Picker and list order: what runs best first, what cannot run last. */
export const VERDICT_ORDER: readonly FitVerdict[] = ['gpu', 'partial', 'cpu', 'unknown', 'too_big'];

/** "8k", "32k", "128k", "1M"; below 1024 the plain number. */
export function formatCtx(n: number): string {
  if (n >= 1_048_576 && n % 1_048_576 === 0) return `${n / 1_048_576}M`;
  // Cloud windows are decimal (1,000,000 tokens): "1M", not "1000k".
  if (n >= 1_000_000) return `${Number((n / 1_000_000).toFixed(1))}M`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024}k`;
  if (n >= 1000) return `${Math.round(n / 1000)}k`;
  return String(n);
}

/** A short badge: "GPU", "≈62% GPU", "CPU only", "Too big", "Fit unknown". */
export function verdictBadge(verdict: FitVerdict, gpuLayersPercent: number | null): string {
  switch (verdict) {
    case 'gpu':
      return 'Fits on GPU';
    case 'partial':
      return gpuLayersPercent !== null ? `≈${Math.round(gpuLayersPercent)}% on GPU` : 'Partial offload';
    case 'cpu':
      return 'CPU only';
    case 'too_big':
      return 'Too big';
    default:
      return 'Fit unknown';
  }
}

/** The picker's group heading for a verdict, given the models in the group. */
export function groupLabel(verdict: FitVerdict, models: CatalogModel[], hasGpu: boolean): string {
  switch (verdict) {
    case 'gpu':
      return 'Fits on GPU';
    case 'partial': {
      const pcts = models.map((m) => m.fit.gpuLayersPercent).filter((p): p is number => p !== null).map(Math.round);
      if (pcts.length === 0) return 'Partial offload';
      const lo = Math.min(...pcts);
      const hi = Math.max(...pcts);
      return `Partial offload (≈${lo === hi ? lo : `${lo}–${hi}`}% on GPU)`;
    }
    case 'cpu':
      return hasGpu ? 'CPU only — too big for the GPU, runs from RAM (slower)' : 'CPU only — no usable GPU, runs from RAM (slower)';
    case 'too_big':
      return 'Too big for this machine';
    default:
      return 'Fit unknown';
  }
}

/** A discrete GPU Ollama would use (integrated ones count as CPU + RAM). */
export function hasUsableGpu(hw: HardwareInfo | null | undefined): boolean {
  return !!hw && hw.gpus.some((g) => !g.integrated && g.backend !== 'none');
}

/** Share of a loaded model that sits in VRAM, 0–100. */
export function loadedGpuPercent(l: Loaded): number {
  return l.sizeBytes > 0 ? Math.round((Math.min(l.sizeVramBytes, l.sizeBytes) / l.sizeBytes) * 100) : 0;
}

/** "100% GPU", "45% GPU / 55% CPU", "CPU" — how Ollama's `ollama ps` puts it. */
export function loadedSplit(l: Loaded): string {
  const gpu = loadedGpuPercent(l);
  if (gpu >= 100) return '100% GPU';
  if (gpu <= 0) return '100% CPU';
  return `${gpu}% GPU / ${100 - gpu}% CPU`;
}

/** "loaded: 9.6 GB, 100% GPU". */
export function loadedLine(l: Loaded): string {
  return `loaded: ${formatBytes(l.sizeBytes)}, ${loadedSplit(l)}`;
}

/** Host URL without the scheme, for badges: "10.0.0.5:11434". */
export function hostLabel(url: string): string {
  return url.replace(/^https?:\/\//, '').replace(/\/+$/, '');
}

export function sameHost(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  return a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase();
}

/** The estimate, when it is for the context the model is loaded with (else comparing them misleads). */
export function comparableEstimate(m: CatalogModel): CatalogModel['fit']['estimate'] {
  const est = m.fit.estimate;
  if (!est || !m.loaded) return null;
  return m.loaded.contextLength === null || m.loaded.contextLength === est.numCtx ? est : null;
}

/** The hover text of a model: the verdict's reason, then the estimate against what Ollama reports when loaded. */
export function fitTitle(m: CatalogModel): string {
  const lines = [m.fit.explanation];
  const est = m.fit.estimate;
  if (est) lines.push(`Estimate${est.rough ? ' (rough, erring high)' : ''}: ${formatBytes(est.totalBytes)} at ${formatCtx(est.numCtx)} context.`);
  if (m.fit.maxGpuContext) lines.push(`Fits fully on the GPU up to ${formatCtx(m.fit.maxGpuContext)} context.`);
  const same = comparableEstimate(m);
  if (m.loaded) lines.push(`${loadedLine(m.loaded)}${same ? ` (estimate ${formatBytes(same.totalBytes)})` : ''}.`);
  if (m.speed) lines.push(speedTitle(m.speed));
  return lines.join('\n');
}

/**
 * The context a model really runs with when asked for `requested`: Ollama caps num_ctx at the
 * trained context (server/sched.go effectiveContext), and /api/ps reports what a loaded model
 * runs with. null when it is the requested one (or nothing is known to say otherwise).
 */
export function effectiveContext(m: Pick<CatalogModel, 'contextLength' | 'loaded'> | null | undefined, requested: number): { ctx: number; note: string } | null {
  if (!m) return null;
  if (m.contextLength !== null && m.contextLength < requested) {
    return { ctx: m.contextLength, note: `Ollama runs this model with ${formatCtx(m.contextLength)}, the most it was trained for: num_ctx ${formatCtx(requested)} is capped.` };
  }
  const loaded = m.loaded?.contextLength;
  if (loaded && loaded !== requested) {
    return { ctx: loaded, note: `Loaded now with ${formatCtx(loaded)} context (Ollama's /api/ps), not the ${formatCtx(requested)} asked for.` };
  }
  return null;
}

/** Badges of a model: parameters, quantization, size on disk. */
export function modelFacts(m: { parameterSize: string | null; quantizationLevel: string | null; size: number }): string[] {
  return [m.parameterSize, m.quantizationLevel, formatBytes(m.size)].filter((x): x is string => !!x);
}
