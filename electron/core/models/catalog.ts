// The models.catalog answer: every host's installed models with a fit verdict and what
// /api/ps says is loaded, the curated list marked by fit, and the recommended default.
// A host that is down is reported unreachable; the others still answer.
import { SMALL_PROJECT, type CatalogModel, type CuratedModel, type HardwareInfo, type MethodResult, type ModelFit } from '../../../shared/index.js';
import type { LoadedModelInfo, ModelProvider } from '../llm/index.js';
import { parseArchitecture, parseParameterSize, type ModelArchitecture } from './architecture.js';
import { findCurated, loadCuratedModels, type CuratedEntry } from './curated.js';
import { gib } from './format.js';
import { ollamaDefaultContext, type KvCacheType } from './memory-estimate.js';
import type { ModelMetadataCache } from './metadata-cache.js';
import { fitModel } from './model-fit.js';
import { looksLikeCodingModel, normalizeModelName } from './model-names.js';
import { applyMeasured, estimateSpeed, type MeasuredSpeed } from './speed-estimate.js';

export type ModelCatalog = MethodResult<'models.catalog'>;

export interface CatalogHost {
  host: string;
  provider: ModelProvider;
  /** undefined: the catalog's (local) hardware; null: unknown (a remote box), verdicts then come from /api/ps or are 'unknown'. */
  hardware?: HardwareInfo | null;
}

export interface CatalogSettings {
  /** The context tasks run with; undefined: Ollama's default for the machine. */
  numCtx?: number;
  kvCacheType: KvCacheType;
  flashAttention: boolean;
}

export interface BuildCatalogOptions {
  hosts: CatalogHost[];
  hardware: HardwareInfo;
  settings: CatalogSettings;
  cache: ModelMetadataCache;
  curated?: CuratedEntry[];
  /** Speeds measured on past runs (SpeedStore.get); they replace the estimate. */
  measuredSpeed?: (host: string, model: string) => MeasuredSpeed | null;
}

/** /api/show calls at once per host: enough to be quick, few enough not to stall a busy Ollama. */
const SHOW_CONCURRENCY = 4;

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function vramOf(hw: HardwareInfo): number {
  return hw.gpus.filter((g) => !g.integrated && g.backend !== 'none').reduce((s, g) => s + g.vramTotalBytes, 0);
}

/** A remote host's hardware is unknown, but /api/ps says where a loaded model actually sits. */
function fitFromPs(fit: ModelFit, loaded: LoadedModelInfo, host: string): ModelFit {
  const share = loaded.sizeBytes > 0 ? loaded.sizeVramBytes / loaded.sizeBytes : 0;
  const percent = Math.round(share * 100);
  const verdict = share >= 0.999 ? 'gpu' : share <= 0 ? 'cpu' : 'partial';
  return {
    ...fit,
    verdict,
    gpuLayersPercent: percent,
    explanation: `loaded on ${host}: ${gib(loaded.sizeBytes)}, ${percent}% of it in GPU memory (from /api/ps; the host's hardware is otherwise unknown)`,
  };
}

interface HostScan {
  status: ModelCatalog['hosts'][number];
  models: CatalogModel[];
}

async function scanHost(h: CatalogHost, opts: BuildCatalogOptions): Promise<HostScan> {
  const down = (error: string): HostScan => ({ status: { host: h.host, reachable: false, error }, models: [] });
  const status = await h.provider.status();
  if (!status.reachable) return down(status.error?.message ?? `Ollama is not reachable at ${h.host}.`);
  let installed;
  let loaded: LoadedModelInfo[];
  try {
    // /api/ps is only a bonus: a failure there leaves "loaded" empty rather than hiding the host.
    [installed, loaded] = await Promise.all([h.provider.listModels(), h.provider.ps().catch(() => [])]);
  } catch (err) {
    return down((err as Error).message);
  }
  const hardware = h.hardware === undefined ? opts.hardware : h.hardware;
  const { numCtx, kvCacheType, flashAttention } = opts.settings;
  const models = await mapLimit(installed, SHOW_CONCURRENCY, async (m): Promise<CatalogModel> => {
    const show = await opts.cache.resolve(m, (verbose) => h.provider.show(m.name, { verbose })).catch(() => null);
    const parsed = show ? parseArchitecture(show, m.size) : null;
    const ps = loaded.find((l) => normalizeModelName(l.name) === normalizeModelName(m.name)) ?? null;
    const quantizationLevel = m.quantizationLevel ?? parsed?.quantizationLevel ?? null;
    const arch = installedArchitecture(m.name, m.size, parsed?.arch ?? null, opts.curated ?? loadCuratedModels());
    let fit = fitModel({ sizeBytes: m.size, arch, quantizationLevel, numCtx, kvCacheType, flashAttention }, hardware);
    if (!hardware && ps) fit = fitFromPs(fit, ps, h.host);
    const estimate = estimateSpeed({ sizeBytes: m.size, arch, parameterCount: parsed?.parameterCount ?? parseParameterSize(m.parameterSize), quantizationLevel, fit }, hardware);
    return {
      ...m,
      quantizationLevel,
      host: h.host,
      contextLength: arch?.contextLength ?? null,
      fit,
      loaded: ps && { name: ps.name, sizeBytes: ps.sizeBytes, sizeVramBytes: ps.sizeVramBytes, contextLength: ps.contextLength, expiresAt: ps.expiresAt },
      speed: applyMeasured(estimate, opts.measuredSpeed?.(h.host, m.name) ?? null),
    };
  });
  return { status: { host: h.host, reachable: true, error: null }, models };
}

/**
 * The architecture to size an installed model by. /api/show can lack the attention numbers
 * (an old or remote Ollama, a stand-in, an imported GGUF); then the parsed shape is a rough
 * stand-in that errs high (qwen2.5-coder:1.5b sized as a 1.5B model without grouped-query
 * attention: 1.7 GiB at 8K where the real one needs 1.4 GiB). When the curated list holds this
 * exact tag at (nearly) this size, its real numbers are the same model's: the installed row and
 * the curated row then give the same estimate.
 */
export function installedArchitecture(name: string, sizeBytes: number, parsed: ModelArchitecture | null, curated: CuratedEntry[]): ModelArchitecture | null {
  if (parsed && !parsed.rough) return parsed;
  const known = findCurated(name, curated);
  // Another tag of the family or a re-tagged import of another size is not the same model.
  if (!known?.exact || Math.abs(known.entry.sizeBytes - sizeBytes) > known.entry.sizeBytes * 0.02) return parsed;
  const arch: ModelArchitecture = { ...known.entry.arch };
  if (parsed?.sizingContext) arch.sizingContext = parsed.sizingContext;
  return arch;
}

/** A dedicated code model: as the curated list says, else by its name. */
export function isCodingModel(name: string, curated: CuratedEntry[] = loadCuratedModels()): boolean {
  return findCurated(name, curated)?.entry.coding ?? looksLikeCodingModel(name);
}

const TIER: Record<ModelFit['verdict'], number> = { gpu: 4, partial: 3, cpu: 2, unknown: 1, too_big: 0 };

/** Finishes a small project in reasonable time, or its speed is unknown (a remote host nobody measured). */
function quickEnough(m: CatalogModel): boolean {
  return !m.speed || m.speed.smallProjectSeconds <= SMALL_PROJECT.reasonableSeconds;
}

function rankBy<T>(items: T[], key: (t: T) => number[]): T[] {
  return items
    .map((t) => ({ t, k: key(t) }))
    .sort((a, b) => {
      for (let i = 0; i < a.k.length; i++) if (a.k[i] !== b.k[i]) return b.k[i] - a.k[i];
      return 0;
    })
    .map((x) => x.t);
}

/**
 * The default for new tasks: among the models that run here and finish a small project in
 * reasonable time (SMALL_PROJECT: ≤ 10 min), the largest coding model that fits fully on the
 * GPU, else the best of the rest (more of it on the GPU first, coding before general, then
 * size). When none is quick enough (a small CPU-only machine), the quickest coding model:
 * a 32B that fits in RAM but writes one token a second is no default.
 */
export function pickRecommended(installed: CatalogModel[], curated: CuratedEntry[] = loadCuratedModels()): string | null {
  const runnable = installed.filter((m) => m.fit.verdict !== 'too_big');
  const coding = (m: CatalogModel) => (isCodingModel(m.name, curated) ? 1 : 0);
  const quick = runnable.filter(quickEnough);
  if (quick.length > 0) {
    return rankBy(quick, (m) => [m.fit.verdict === 'gpu' ? 1 : 0, coding(m), TIER[m.fit.verdict], parseParameterSize(m.parameterSize) ?? 0])[0].name;
  }
  const fastest = rankBy(runnable, (m) => [coding(m), -(m.speed?.smallProjectSeconds ?? Infinity)]);
  return fastest[0]?.name ?? null;
}

export async function buildCatalog(opts: BuildCatalogOptions): Promise<ModelCatalog> {
  const curated = opts.curated ?? loadCuratedModels();
  const scans = await Promise.all(opts.hosts.map((h) => scanHost(h, opts)));
  const installed = scans.flatMap((s) => s.models);
  const installedNames = new Set(installed.map((m) => normalizeModelName(m.name)));
  const { numCtx, kvCacheType, flashAttention } = opts.settings;
  const curatedOut: CuratedModel[] = curated.map((c) => {
    // Installed here (the local host): the same fit and speed the installed row shows (speed measured once it ran).
    const local = installed.find((m) => m.host === opts.hosts[0]?.host && normalizeModelName(m.name) === normalizeModelName(c.name));
    const fit = local && opts.hosts[0]?.hardware === undefined ? local.fit : fitModel({ sizeBytes: c.sizeBytes, arch: c.arch, numCtx, kvCacheType, flashAttention }, opts.hardware);
    const speed = local?.speed ?? estimateSpeed({ sizeBytes: c.sizeBytes, arch: c.arch, parameterCount: c.parameterCount, quantizationLevel: c.quantizationLevel, fit }, opts.hardware);
    return {
      name: c.name,
      family: c.family,
      parameterSize: c.parameterSize,
      quantizationLevel: c.quantizationLevel,
      sizeBytes: c.sizeBytes,
      contextLength: c.contextLength,
      languages: c.languages,
      coding: c.coding,
      description: c.description,
      installed: installedNames.has(normalizeModelName(c.name)),
      fit,
      speed,
    };
  });
  return {
    hardware: opts.hardware,
    numCtx: numCtx ?? ollamaDefaultContext(vramOf(opts.hardware)),
    installed,
    curated: curatedOut,
    recommended: pickRecommended(installed, curated),
    hosts: scans.map((s) => s.status),
  };
}
