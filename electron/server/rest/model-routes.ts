// GET /v1/models[?fits=gpu|partial|cpu|too_big|unknown[,…]][&language=python]: the catalog's
// verdicts (the same as the Models screen and `macs models`), filtered. The fields /v1/models
// had before the catalog (name, size, digest, modified_at, family, parameter_size,
// quantization_level) are kept as they were.
import type { CatalogModel, CuratedModel, ModelFit, ModelSpeed } from '../../../shared/index.js';
import { FitVerdictSchema, MacsError } from '../../../shared/index.js';
import { filterCatalog, isCodingModel, languagesFor, parseFitsList, type CatalogFilter } from '../../core/models/index.js';
import { call, type RestEngine } from './engine-api.js';
import { invalidInput, sendJson } from './http.js';
import type { Route } from './router.js';
import { modelView } from './task-view.js';

function fitView(fit: ModelFit) {
  const e = fit.estimate;
  return {
    verdict: fit.verdict,
    gpu_layers_percent: fit.gpuLayersPercent,
    max_gpu_context: fit.maxGpuContext,
    explanation: fit.explanation,
    estimate: e && {
      num_ctx: e.numCtx,
      weights_bytes: e.weightsBytes,
      kv_cache_bytes: e.kvCacheBytes,
      graph_bytes: e.graphBytes,
      overhead_bytes: e.overheadBytes,
      total_bytes: e.totalBytes,
      // Built without the model's attention numbers (a sparse /api/show): a safe-side guess.
      rough: e.rough,
      rough_reason: e.roughReason,
    },
  };
}

/** Expected speed (or measured, once the model has run on that host); null when unknown. */
function speedView(speed: ModelSpeed | null | undefined) {
  if (!speed) return null;
  return {
    tokens_per_second: speed.tokensPerSecond,
    prompt_tokens_per_second: speed.promptTokensPerSecond,
    small_project_seconds: speed.smallProjectSeconds,
    source: speed.source,
    rough: speed.rough,
    basis: speed.basis,
  };
}

function installedView(m: CatalogModel) {
  return {
    ...modelView(m),
    host: m.host,
    context_length: m.contextLength,
    languages: languagesFor(m.name),
    coding: isCodingModel(m.name),
    fit: fitView(m.fit),
    speed: speedView(m.speed),
    // What Ollama reports for a loaded model, beside the estimate in fit.
    loaded: m.loaded && {
      size: m.loaded.sizeBytes,
      size_vram: m.loaded.sizeVramBytes,
      context_length: m.loaded.contextLength,
      expires_at: m.loaded.expiresAt,
    },
  };
}

function curatedView(c: CuratedModel) {
  return {
    name: c.name,
    family: c.family,
    parameter_size: c.parameterSize,
    quantization_level: c.quantizationLevel,
    size: c.sizeBytes,
    context_length: c.contextLength,
    languages: c.languages,
    coding: c.coding,
    description: c.description,
    installed: c.installed,
    fit: fitView(c.fit),
    speed: speedView(c.speed),
  };
}

function parseFilter(url: URL): CatalogFilter {
  const filter: CatalogFilter = {};
  const fitsRaw = url.searchParams.get('fits');
  if (fitsRaw !== null) {
    const { fits, bad } = parseFitsList(fitsRaw);
    if (fits.length === 0 || bad.length > 0) {
      throw invalidInput(`fits must be one or more of ${FitVerdictSchema.options.join(', ')} (comma-separated).`, [
        { path: 'fits', message: `unknown verdict: ${bad.join(', ') || '(empty)'}` },
      ]);
    }
    filter.fits = fits;
  }
  const language = url.searchParams.get('language')?.trim();
  if (language) filter.language = language;
  return filter;
}

export function modelsRoute(engine: RestEngine): Route {
  return {
    method: 'GET',
    pattern: '/v1/models',
    access: 'read',
    async handle({ res, url }) {
      const filter = parseFilter(url);
      const catalog = await call(engine, 'models.catalog', {});
      if (!catalog.hosts.some((h) => h.reachable)) {
        const first = catalog.hosts[0];
        throw new MacsError('OLLAMA_UNREACHABLE', first?.error ?? 'No Ollama host is reachable.', { hosts: catalog.hosts });
      }
      const { installed, curated } = filterCatalog(catalog, filter);
      sendJson(res, 200, {
        models: installed.map(installedView),
        curated: curated.map(curatedView),
        recommended: catalog.recommended,
        num_ctx: catalog.numCtx,
        hardware: catalog.hardware.summary,
        hosts: catalog.hosts,
      });
    },
  };
}
