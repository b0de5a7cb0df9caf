// The provider configuration as the UI, the REST API and the CLI see it: Ollama's entry first
// (from Settings), every configured provider with where its key comes from and a masked hint.
// The key itself never leaves resolveProviderKey's caller.
import type { LlmConfig, LlmConfigView, ProviderView, Settings } from '../../../shared/index.js';
import { OLLAMA_PROVIDER_ID, maskKey, providerLeavesMachine, urlLeavesMachine } from '../../../shared/index.js';
import { resolveProviderKey } from './resolve-key.js';
import type { KeyStore } from './types.js';

export interface LlmConfigViewInputs {
  config: LlmConfig;
  settings: Pick<Settings, 'ollamaHost' | 'defaultModel'>;
  keys: KeyStore;
  env?: NodeJS.ProcessEnv;
}

export function buildLlmConfigView({ config, settings, keys, env = process.env }: LlmConfigViewInputs): LlmConfigView {
  const ollama: ProviderView = {
    id: OLLAMA_PROVIDER_ID,
    kind: 'ollama',
    label: 'Ollama',
    enabled: true,
    baseUrl: settings.ollamaHost,
    model: settings.defaultModel,
    apiKeyEnv: null,
    contextLength: null,
    keySource: null,
    keyHint: null,
    leavesMachine: urlLeavesMachine(settings.ollamaHost),
  };
  const configured = config.providers.map((p): ProviderView => {
    const { key, source } = resolveProviderKey(p, keys, env);
    return {
      id: p.id,
      kind: p.kind,
      label: p.label || p.id,
      enabled: p.enabled,
      baseUrl: p.baseUrl,
      model: p.model,
      apiKeyEnv: p.apiKeyEnv,
      contextLength: p.contextLength,
      keySource: source,
      keyHint: key === null ? null : maskKey(key),
      leavesMachine: providerLeavesMachine(p.kind, p.baseUrl),
    };
  });
  return {
    mode: config.mode,
    localOnly: config.localOnly,
    providers: [ollama, ...configured],
    routing: config.routing,
    keyStore: { backend: keys.backend, plaintext: keys.plaintext, consented: keys.consented() },
  };
}
