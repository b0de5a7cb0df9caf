import type { ProviderConfig } from '../../../shared/index.js';
import type { KeyStore, ResolvedKey } from './types.js';

/**
 * A provider's key at call time: the stored one (keychain or consented file), else its
 * environment variable (Software Maker's api_key_env), else none. Read per request, never cached.
 */
export function resolveProviderKey(provider: ProviderConfig, keys: KeyStore, env: NodeJS.ProcessEnv = process.env): ResolvedKey {
  const stored = keys.get(provider.id);
  if (stored) return { key: stored, source: keys.backend };
  const fromEnv = provider.apiKeyEnv ? env[provider.apiKeyEnv]?.trim() : undefined;
  if (fromEnv) return { key: fromEnv, source: 'env' };
  return { key: null, source: null };
}
