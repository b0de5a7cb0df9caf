// Wiring only: the provider configuration, the key store and the registry over them, built once
// per engine (create-engine.ts calls this; the business is in the modules it joins).
import type { ProviderConfig } from '../../../shared/index.js';
import type { Db } from '../db/index.js';
import { AnthropicProvider, OpenAICompatibleProvider, type ChatProvider } from '../llm/index.js';
import type { SettingsStore } from '../settings/index.js';
import { createLlmConfigStore } from './config-store.js';
import { createKeyStore } from './key-store.js';
import { Providers, type OllamaSide } from './registry.js';
import { resolveProviderKey } from './resolve-key.js';
import type { KeyStore, LlmConfigStore, ProviderRegistry, RemoteProviderOptions, SecretCipher } from './types.js';

export interface ProvidersWiring {
  db: Db;
  dataDir: string;
  settings: SettingsStore;
  ollama: OllamaSide;
  env?: NodeJS.ProcessEnv;
  /** Electron's safeStorage in the desktop app; absent: keys go to a 0600 file after consent. */
  cipher?: SecretCipher | null;
  /** Tests: build other providers their own way (an injected fetch, say). */
  createRemote?: (kind: ProviderConfig['kind'], options: RemoteProviderOptions) => ChatProvider;
}

export function createProviders(w: ProvidersWiring): { llmConfig: LlmConfigStore; keys: KeyStore; providers: ProviderRegistry } {
  const env = w.env ?? process.env;
  const llmConfig = createLlmConfigStore(w.db);
  const keys = createKeyStore({ dataDir: w.dataDir, cipher: w.cipher ?? null });
  const providers = new Providers({
    ollama: w.ollama,
    config: () => llmConfig.get(),
    settings: () => w.settings.get(),
    keyFor: (p) => resolveProviderKey(p, keys, env).key,
    createRemote: w.createRemote ?? ((kind, options) => (kind === 'anthropic' ? new AnthropicProvider(options) : new OpenAICompatibleProvider(options))),
  });
  // A changed configuration rebuilds providers at their next use.
  llmConfig.onChange(() => providers.invalidate());
  return { llmConfig, keys, providers };
}
