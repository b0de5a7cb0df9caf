// The model catalog: installed models with fit verdicts (models.catalog, falling back to
// models.list on an engine without it), the Models screen's context, and the default pick.
import { OLLAMA_PROVIDER_ID, parseModelRef, type CatalogModel, type ModelInfo } from '../../../shared/index.js';
import { toClientError } from '../client/index.js';
import { sameHost, VERDICT_ORDER } from '../lib/fit.js';
import { appStore, client, type AppState, type ModelCatalog } from './app-state.js';

/** One entry per model name (tasks name a model; the queue routes it to a host): the default host's copy wins. */
export function pickerModels(catalog: ModelCatalog, defaultHost: string | null): CatalogModel[] {
  const byName = new Map<string, CatalogModel>();
  for (const m of catalog.installed) {
    const seen = byName.get(m.name);
    if (!seen || (!sameHost(seen.host, defaultHost) && sameHost(m.host, defaultHost))) byName.set(m.name, m);
  }
  return [...byName.values()];
}

/**
 * Keep the user's pick while it is installed; else their saved default; else the recommended
 * model; else the first one that runs at all. With nothing installed the pick stays (shown as
 * "not available").
 */
function choose(s: AppState, models: ModelInfo[], recommended: string | null, runnable: string[]): string | null {
  const names = models.map((m) => m.name);
  if (names.length === 0) return s.selectedModel ?? (s.settings?.defaultModel && isOtherProviderRef(s.settings.defaultModel) ? s.settings.defaultModel : null);
  if (s.selectedModel && (names.includes(s.selectedModel) || isOtherProviderRef(s.selectedModel))) return s.selectedModel;
  const saved = s.settings?.defaultModel;
  if (saved && (names.includes(saved) || isOtherProviderRef(saved))) return saved;
  if (recommended && names.includes(recommended)) return recommended;
  return runnable[0] ?? names[0];
}

/** "@lmstudio/qwen…": another provider's model, listed by providers.models rather than this catalog; the pick stays. */
export function isOtherProviderRef(ref: string): boolean {
  return parseModelRef(ref).provider !== OLLAMA_PROVIDER_ID;
}

function runnableFirst(models: CatalogModel[]): string[] {
  return [...models]
    .filter((m) => m.fit.verdict !== 'too_big')
    .sort((a, b) => VERDICT_ORDER.indexOf(a.fit.verdict) - VERDICT_ORDER.indexOf(b.fit.verdict))
    .map((m) => m.name);
}

async function loadModelList(): Promise<void> {
  try {
    const { models } = await client().call('models.list', {});
    appStore.setState((s) => ({ models, modelsState: 'ready', modelsError: null, selectedModel: choose(s, models, null, []) }));
  } catch (err) {
    appStore.setState({ modelsState: 'error', modelsError: toClientError(err) });
  }
}

let loadSeq = 0;

/** The picker's models: the catalog at the default context; models.list if the catalog fails. */
export async function loadModels(opts: { refresh?: boolean } = {}): Promise<void> {
  const seq = ++loadSeq;
  appStore.setState((s) => ({ modelsState: s.modelsState === 'ready' ? 'ready' : 'loading' }));
  try {
    const catalog = await client().call('models.catalog', opts.refresh ? { refresh: true } : {});
    if (seq !== loadSeq) return; // a newer load (after a pull, a delete, new settings) wins
    appStore.setState((s) => {
      const models = pickerModels(catalog, s.settings?.ollamaHost ?? catalog.hosts[0]?.host ?? null);
      return {
        catalog,
        catalogError: null,
        models,
        modelsState: 'ready',
        modelsError: null,
        selectedModel: choose(s, models, catalog.recommended, runnableFirst(models)),
      };
    });
  } catch (err) {
    if (seq !== loadSeq) return;
    console.warn('[macs] models.catalog failed; falling back to models.list', err);
    appStore.setState({ catalog: null, catalogError: toClientError(err) });
    await loadModelList();
  }
  const { modelsOpen, screenNumCtx } = appStore.getState();
  if (modelsOpen && screenNumCtx !== null) await loadScreenCatalog(screenNumCtx);
}

/** The Models screen at another context: verdicts change with num_ctx. null = the default context. */
export async function loadScreenCatalog(numCtx: number | null): Promise<void> {
  if (numCtx === null || numCtx === appStore.getState().catalog?.numCtx) {
    appStore.setState({ screenCatalog: null, screenNumCtx: null });
    return;
  }
  appStore.setState({ screenNumCtx: numCtx, screenLoading: true });
  try {
    const catalog = await client().call('models.catalog', { numCtx });
    // A newer choice may have been made while this one was in flight.
    if (appStore.getState().screenNumCtx === numCtx) appStore.setState({ screenCatalog: catalog, catalogError: null });
  } catch (err) {
    appStore.setState({ catalogError: toClientError(err) });
  } finally {
    appStore.setState({ screenLoading: false });
  }
}

/**
 * Probe the hardware again (a GPU freed memory, a model was unloaded) and re-judge every
 * model: models.catalog {refresh} re-probes (the same probe hardware.get {refresh} runs).
 */
export async function refreshHardware(): Promise<void> {
  appStore.setState({ screenLoading: true });
  // Reloads the Models screen's own context too.
  await loadModels({ refresh: true });
  appStore.setState({ screenLoading: false });
}

export function openModelsScreen(): void {
  appStore.setState({ modelsOpen: true });
  void loadModels();
}

export function closeModelsScreen(): void {
  appStore.setState({ modelsOpen: false, screenNumCtx: null, screenCatalog: null });
}
