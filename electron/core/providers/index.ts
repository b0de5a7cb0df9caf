export type { KeyStore, LlmConfigStore, ProviderRegistry, RemoteProviderOptions, ResolvedKey, RouteCandidate, SecretCipher } from './types.js';
export { createLlmConfigStore, configProblems, validateLlmConfig, LLM_SETTINGS_KEY } from './config-store.js';
export { createKeyStore, KEY_FILE_NAME, suggestedEnvName } from './key-store.js';
export { resolveProviderKey } from './resolve-key.js';
export { buildLlmConfigView } from './view.js';
export { exportLlmYaml, parseLlmYaml, type ParsedLlmYaml } from './yaml.js';
export { createProviders, type ProvidersWiring } from './create-providers.js';
export { Providers, type OllamaSide, type RegistryDeps } from './registry.js';
export { routeCandidates, orderTargets, refusal, overrideProvider } from './routing.js';
