// Settings, the model choice and Ollama status (with 5 s polling while unreachable).
import type { OllamaStatus, Settings } from '../../../shared/index.js';
import { toClientError } from '../client/index.js';
import { errorLine } from '../lib/error-text.js';
import { appStore, client } from './app-state.js';
import { loadModels } from './catalog.js';
import { pushToast } from './toasts.js';

export const OLLAMA_RETRY_MS = 5_000;

export async function loadAppInfo(): Promise<void> {
  try {
    const [appInfo, sandbox] = await Promise.all([client().call('app.info', {}), client().call('sandbox.status', {})]);
    appStore.setState({ appInfo, sandbox });
  } catch (err) {
    console.warn('[macs] app.info failed', err);
  }
}

export async function loadSettings(): Promise<void> {
  try {
    const settings = await client().call('settings.get', {});
    appStore.setState((s) => ({ settings, selectedModel: s.selectedModel ?? settings.defaultModel }));
  } catch (err) {
    pushToast({ kind: 'error', text: `Could not read settings: ${errorLine(toClientError(err))}` });
  }
}

/** Throws ClientError (INVALID_INPUT carries field messages) for the dialog to show. */
export async function updateSettings(patch: Partial<Settings>): Promise<Settings> {
  try {
    const settings = await client().call('settings.update', patch);
    appStore.setState({ settings });
    if (patch.ollamaHost !== undefined) void checkOllama(true);
    // Hosts, context and KV cache settings change which models are listed and how they fit.
    const affectsFit: (keyof Settings)[] = ['ollamaHost', 'extraOllamaHosts', 'numCtx', 'kvCacheType', 'flashAttention'];
    if (affectsFit.some((k) => patch[k] !== undefined)) void loadModels();
    return settings;
  } catch (err) {
    throw toClientError(err);
  }
}

export async function selectModel(name: string): Promise<void> {
  appStore.setState({ selectedModel: name, composerError: null });
  try {
    const settings = await client().call('settings.update', { defaultModel: name });
    appStore.setState({ settings });
  } catch (err) {
    pushToast({ kind: 'error', text: `Could not remember the model choice: ${errorLine(toClientError(err))}` });
  }
}

// ---- Ollama reachability ----

let pollTimer: ReturnType<typeof setTimeout> | null = null;

export function applyOllamaStatus(status: OllamaStatus): void {
  const prev = appStore.getState().ollama;
  appStore.setState({ ollama: status });
  const cameBack = status.reachable && (!prev || !prev.reachable);
  if (cameBack && prev) void loadModels();
  schedulePoll();
}

function schedulePoll(): void {
  const status = appStore.getState().ollama;
  if (status && !status.reachable) {
    if (!pollTimer) {
      pollTimer = setTimeout(() => {
        pollTimer = null;
        void checkOllama(true);
      }, OLLAMA_RETRY_MS);
    }
  } else if (pollTimer) {
    clearTimeout(pollTimer);
    pollTimer = null;
  }
}

export async function checkOllama(refresh: boolean): Promise<void> {
  try {
    applyOllamaStatus(await client().call('ollama.status', refresh ? { refresh: true } : {}));
  } catch (err) {
    console.warn('[macs] ollama.status failed', err);
    schedulePoll();
  }
}
