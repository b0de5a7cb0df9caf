// Providers beside Ollama (issue 17): the configuration as the UI sees it (keys masked),
// each provider's reachability (providers.status + its topic) and the models each serves.
// Its own small store: the app store stays Ollama's, and this slice can be absent (an engine
// without providers answers NOT_SUPPORTED / UNKNOWN_METHOD: then nothing here is shown).
import {
  OLLAMA_PROVIDER_ID,
  parseModelRef,
  type LlmConfigView,
  type LlmMode,
  type MethodParams,
  type ProviderModel,
  type ProviderStatus,
  type ProviderView,
} from '../../../shared/index.js';
import { toClientError, type ClientError } from '../client/index.js';
import { client } from './app-state.js';
import { useSyncExternalStore } from 'react';
import { createStore } from './create-store.js';

export interface ProvidersState {
  /** 'unsupported': the engine has no providers (yet); the UI then shows Ollama alone, as before. */
  state: 'idle' | 'loading' | 'ready' | 'unsupported' | 'error';
  config: LlmConfigView | null;
  error: ClientError | null;
  statuses: ProviderStatus[];
  /** By provider id (Ollama's are the catalog's, not kept here). */
  models: Record<string, ProviderModel[]>;
  modelErrors: Record<string, ClientError>;
}

export const providersStore = createStore<ProvidersState>({ state: 'idle', config: null, error: null, statuses: [], models: {}, modelErrors: {} });

export function useProviders<T>(selector: (s: ProvidersState) => T): T {
  const get = () => selector(providersStore.getState());
  // The server snapshot too, so these views also render to static markup (the unit tests do).
  return useSyncExternalStore(providersStore.subscribe, get, get);
}

function unsupported(err: ClientError): boolean {
  return err.code === 'NOT_SUPPORTED' || err.code === 'UNKNOWN_METHOD';
}

/** The providers other than Ollama that are switched on (their models go in the pickers). */
export function otherEnabled(config: LlmConfigView | null): ProviderView[] {
  return (config?.providers ?? []).filter((p) => p.id !== OLLAMA_PROVIDER_ID && p.enabled);
}

/** Read the configuration, then every enabled provider's models and everyone's status. */
export async function loadProviders(): Promise<void> {
  providersStore.setState((s) => ({ state: s.state === 'ready' ? 'ready' : 'loading' }));
  try {
    const config = await client().call('providers.get', {});
    providersStore.setState({ config, state: 'ready', error: null });
  } catch (err) {
    const e = toClientError(err);
    providersStore.setState({ state: unsupported(e) ? 'unsupported' : 'error', error: e });
    return;
  }
  await Promise.all([checkProviders(false), loadAllProviderModels()]);
}

export async function checkProviders(refresh: boolean): Promise<void> {
  try {
    const { providers } = await client().call('providers.status', refresh ? { refresh: true } : {});
    providersStore.setState({ statuses: providers });
  } catch (err) {
    console.warn('[macs] providers.status failed', err);
  }
}

export function applyProvidersStatus(p: { providers: ProviderStatus[] }): void {
  const { statuses: before, models, modelErrors } = providersStore.getState();
  providersStore.setState({ statuses: p.providers });
  // A server that came up (LM Studio started after MACS): list its models now, as Ollama's are on its return.
  for (const s of cameBack(before, p.providers)) if (s.id in modelErrors || !(s.id in models)) void loadProviderModels(s.id);
}

/** Providers reachable now that were not (or were not known) before; Ollama's catalog reloads on its own. */
export function cameBack(before: ProviderStatus[], now: ProviderStatus[]): ProviderStatus[] {
  return now.filter((s) => s.id !== OLLAMA_PROVIDER_ID && s.enabled && s.reachable && !before.some((b) => b.id === s.id && b.reachable));
}

export async function loadProviderModels(id: string, refresh = false): Promise<void> {
  try {
    const { models } = await client().call('providers.models', refresh ? { id, refresh: true } : { id });
    providersStore.setState((s) => {
      const modelErrors = { ...s.modelErrors };
      delete modelErrors[id];
      return { models: { ...s.models, [id]: models }, modelErrors };
    });
  } catch (err) {
    providersStore.setState((s) => ({ modelErrors: { ...s.modelErrors, [id]: toClientError(err) } }));
  }
}

async function loadAllProviderModels(): Promise<void> {
  await Promise.all(otherEnabled(providersStore.getState().config).map((p) => loadProviderModels(p.id)));
}

/** After any change: keep the new view, and re-read models and status (a provider may have been added or switched on). */
function applied(config: LlmConfigView): LlmConfigView {
  providersStore.setState({ config, state: 'ready', error: null });
  void loadAllProviderModels();
  void checkProviders(true);
  return config;
}

/** Rejects with the engine's ClientError (CONFIG_INVALID with details.fields, …): the caller shows it by the field. */
export async function updateProviders(patch: MethodParams<'providers.update'>): Promise<LlmConfigView> {
  try {
    return applied(await client().call('providers.update', patch));
  } catch (err) {
    throw toClientError(err);
  }
}

export async function setProviderKey(id: string, key: string, allowPlaintext: boolean): Promise<LlmConfigView> {
  try {
    return applied(await client().call('providers.setKey', allowPlaintext ? { id, key, allowPlaintext: true } : { id, key }));
  } catch (err) {
    throw toClientError(err);
  }
}

export async function deleteProviderKey(id: string): Promise<LlmConfigView> {
  try {
    return applied(await client().call('providers.deleteKey', { id }));
  } catch (err) {
    throw toClientError(err);
  }
}

export async function exportProvidersYaml(): Promise<string> {
  try {
    return (await client().call('providers.exportYaml', {})).yaml;
  } catch (err) {
    throw toClientError(err);
  }
}

export async function importProvidersYaml(yaml: string): Promise<LlmConfigView> {
  try {
    return applied(await client().call('providers.importYaml', { yaml }));
  } catch (err) {
    throw toClientError(err);
  }
}

// ---- where a model ref goes ----------------------------------------------------------

/** The provider a model ref names, as configured; null for Ollama's (or an unknown provider). */
export function providerOfRef(config: LlmConfigView | null, ref: string | null): ProviderView | null {
  if (!ref) return null;
  const { provider } = parseModelRef(ref);
  if (provider === OLLAMA_PROVIDER_ID) return null;
  return config?.providers.find((p) => p.id === provider) ?? null;
}

/** Host part of a base URL for tooltips ("api.openai.com"); the URL itself when it does not parse. */
export function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

/**
 * Why a cloud model cannot be picked right now; null when it can. The engine refuses a cloud
 * model while Local only is on, and also in mode "local" (only this machine's providers answer).
 */
export function localOnlyBlock(localOnly: boolean, leavesMachine: boolean, mode: LlmMode = 'hybrid'): string | null {
  if (!leavesMachine) return null;
  if (localOnly) return 'Local only is on — turn it off in Settings → Providers';
  if (mode === 'local') return 'The mode is Local — choose Hybrid (or Claude / OpenAI) in Settings → Providers';
  return null;
}
