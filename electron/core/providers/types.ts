import type { KeySource, LlmConfig, ProviderConfig } from '../../../shared/index.js';

/**
 * What an OpenAI-compatible or Anthropic provider is built from. The key is read through
 * `apiKey()` at each request (never copied into the provider, so a key changed in Settings
 * applies at once and no provider object holds one to leak through a log of itself).
 */
export interface RemoteProviderOptions {
  id: string;
  baseUrl: string;
  /** The key for this request, or null (local servers usually need none). */
  apiKey: () => string | null;
  /** Prompts sent here leave this machine (shared/providers.ts providerLeavesMachine). */
  leavesMachine: boolean;
  /** The user's context size for every model of this provider (ProviderConfig.contextLength); null: ask the server. */
  contextOverride: number | null;
  /** Tests and the bench inject a fetch; production uses the global one. */
  fetch?: typeof fetch;
}

/**
 * Where provider keys live. The desktop app: the OS keychain through Electron safeStorage
 * (the encrypted blob in a 0600 file under the data dir). `macs serve`, or no keychain: a 0600
 * file of plaintext keys, used only after the user consents. A provider's `apiKeyEnv` is read
 * when nothing is stored.
 */
export interface KeyStore {
  readonly backend: 'keychain' | 'file';
  /** The stored keys are readable by anyone who can read the file (no keychain). */
  readonly plaintext: boolean;
  /** The user agreed to plaintext storage (asked once; stored beside the keys). */
  consented(): boolean;
  /** KEY_STORE_NEEDS_CONSENT when plaintext and not consented and !allowPlaintext. */
  set(id: string, key: string, opts?: { allowPlaintext?: boolean }): void;
  get(id: string): string | null;
  delete(id: string): void;
}

/** Electron's safeStorage, injected by electron/main.ts (the engine never imports electron). */
export interface SecretCipher {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/** The provider configuration as stored (SQLite settings key "llm"), with change notification. */
export interface LlmConfigStore {
  get(): LlmConfig;
  update(patch: Partial<LlmConfig>): LlmConfig;
  onChange(listener: (config: LlmConfig) => void): () => void;
}

/** A configured provider's key: the stored one, else its environment variable. */
export interface ResolvedKey {
  key: string | null;
  source: KeySource;
}

export type { ProviderConfig };

/** One model a role may call, in the order the route gives (see ProviderRegistry.candidates). */
export interface RouteCandidate {
  /** The model reference as tasks store it ("qwen2.5-coder:7b", "@lmstudio/qwen2.5-coder-7b-instruct"). */
  ref: string;
  /** "route for plan (fallback, 1 of 2)", "the task's model", "PROVIDER=openai" … */
  reason: string;
}

/**
 * Every provider the engine can call, built from the configuration (Ollama's hosts from Settings,
 * the others from the "llm" config with their keys), and the routes between them.
 */
export interface ProviderRegistry {
  /**
   * The provider and its own model name for a model reference. PROVIDER_NOT_FOUND for an unknown
   * or disabled provider; LOCAL_ONLY when "local only" is on and the provider leaves this machine.
   */
  chat(ref: string, taskHost?: string | null): { provider: import('../llm/types.js').ChatProvider; model: string };
  /**
   * The models a role tries, in order: the role's route (ordered by its strategy; in mode openai /
   * claude that provider's model) then the task's model. `override` (PROVIDER=<id or kind>) puts
   * that provider's model first and drops the rest of the route. Cloud targets are left out while
   * "local only" is on (and in mode local), each named in the reason of the next candidate.
   */
  candidates(role: import('../../../shared/index.js').RoutingRole, taskModel: string, opts?: { override?: string | null }): RouteCandidate[];
  /**
   * The context window of every other provider's model a task may route to (the routes' targets,
   * each provider's default model, and the task's own model when it is another provider's), as
   * their servers report it (or the user's override): keyed by model reference. A server that
   * does not answer is left out (unknown).
   */
  remoteFacts(taskModel: string): Promise<Map<string, { digest: string; contextLength: number | null; maxGpuContext: null }>>;
  /** Reachability of Ollama's hosts and each enabled provider. */
  statuses(refresh?: boolean): Promise<import('../../../shared/index.js').ProviderStatus[]>;
  /** A provider's models with context sizes from its server (and, for Ollama, memory fit). */
  models(id: string, refresh?: boolean): Promise<import('../../../shared/index.js').ProviderModel[]>;
  /** Forget built providers and cached statuses (after a configuration or key change). */
  invalidate(): void;
}
