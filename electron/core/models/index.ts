export { parseArchitecture, parseParameterSize, modelfileNumCtx, showNeedsVerbose, type ModelArchitecture, type ParsedShow } from './architecture.js';
export { roughArchitecture, parametersFromSize } from './rough-architecture.js';
export { estimateSpeed, applyMeasured, smallProjectSeconds, MIN_MEASURED_TOKENS, type MeasuredSpeed, type SpeedInputs } from './speed-estimate.js';
export { SpeedStore, recordingSpeed } from './speed-store.js';
export {
  estimateModelMemory,
  estimateDetailed,
  kvCacheBytes,
  ollamaDefaultContext,
  gpuMinimumBytes,
  supportsFlashAttention,
  NUM_BATCH,
  type DetailedEstimate,
  type EstimateInputs,
  type GpuBackend,
  type KvCacheType,
} from './memory-estimate.js';
export { computeGraphSize, type GraphSize } from './graph-size.js';
export { fitModel, ROUGH_MARGIN, UNKNOWN_CONTEXT_SIZING, type FitInputs } from './model-fit.js';
export { ModelMetadataCache } from './metadata-cache.js';
export { loadCuratedModels, parseCuratedList, findCurated, languagesFor, normalizeLanguage, type CuratedEntry } from './curated.js';
export { buildCatalog, pickRecommended, isCodingModel, type BuildCatalogOptions, type CatalogHost, type CatalogSettings, type ModelCatalog } from './catalog.js';
export { PullManager, type PullManagerOptions } from './pull-manager.js';
export { ModelService, isLoopbackHost, type ModelServiceOptions } from './model-service.js';
export { normalizeModelName, baseName, looksLikeCodingModel } from './model-names.js';
export { gib, ctxLabel } from './format.js';
export { filterCatalog, parseFitsList, type CatalogFilter } from './catalog-filter.js';
