// providers.*: the provider configuration, keys and Software Maker's YAML. Every change forgets
// the built providers (ctx.providers.invalidate) and tells subscribers the new reachability.
// A key goes from params into the key store and nowhere else: results are views (masked hints).
import type { ContractHandlers, LlmConfig, LlmConfigView } from '../../../shared/index.js';
import { MacsError, OLLAMA_PROVIDER_ID, toErrorPayload } from '../../../shared/index.js';
import { buildLlmConfigView, exportLlmYaml, parseLlmYaml } from '../providers/index.js';
import type { EngineContext } from './engine-context.js';

type ProviderHandlers = Pick<
  ContractHandlers,
  'providers.get' | 'providers.update' | 'providers.setKey' | 'providers.deleteKey' | 'providers.status' | 'providers.models' | 'providers.exportYaml' | 'providers.importYaml'
>;

type ProviderContext = Pick<EngineContext, 'llmConfig' | 'keys' | 'settings' | 'providers' | 'publish' | 'onHostsChanged'>;

export function createProviderHandlers(ctx: ProviderContext): ProviderHandlers {
  const view = (): LlmConfigView => buildLlmConfigView({ config: ctx.llmConfig.get(), settings: ctx.settings.get(), keys: ctx.keys });

  /** After any change: rebuild providers on next use; the status bar hears the new reachability (in the background: probes may be slow). */
  const changed = (): LlmConfigView => {
    ctx.providers.invalidate();
    void ctx.providers
      .statuses(true)
      .then((providers) => ctx.publish('providers.status', { providers }))
      .catch((err: unknown) => console.warn(`providers.status after a change: ${toErrorPayload(err).message}`));
    return view();
  };

  /** A provider removed from the configuration takes its stored key with it: no orphaned secret stays on disk. */
  const keepingKeysOfConfigured = (change: () => LlmConfig): void => {
    const gone = new Set(ctx.llmConfig.get().providers.map((p) => p.id));
    for (const p of change().providers) gone.delete(p.id);
    for (const id of gone) ctx.keys.delete(id);
  };

  const configured = (id: string) => {
    const provider = ctx.llmConfig.get().providers.find((p) => p.id === id);
    if (provider) return provider;
    const ids = ctx.llmConfig.get().providers.map((p) => p.id);
    throw new MacsError(
      'PROVIDER_NOT_FOUND',
      id === OLLAMA_PROVIDER_ID
        ? 'Ollama needs no key.'
        : `No provider "${id}" is configured (${ids.length ? `configured: ${ids.join(', ')}` : 'none yet: add one in Settings → Providers'}).`,
      { id, configured: ids },
    );
  };

  return {
    'providers.get': async () => view(),
    'providers.update': async (patch) => {
      // The params' input type (label may be left out): the store parses it with LlmConfigSchema, defaults and all.
      keepingKeysOfConfigured(() => ctx.llmConfig.update(patch as Partial<LlmConfig>));
      return changed();
    },
    'providers.setKey': async ({ id, key, allowPlaintext }) => {
      const provider = configured(id);
      try {
        ctx.keys.set(id, key, { allowPlaintext });
      } catch (err) {
        // The store suggests an env name from the id; the provider's own api_key_env is the one to name.
        if (err instanceof MacsError && err.code === 'KEY_STORE_NEEDS_CONSENT' && provider.apiKeyEnv) {
          const env = provider.apiKeyEnv;
          throw new MacsError('KEY_STORE_NEEDS_CONSENT', err.message.replace(/set \S+ and leave/, `set ${env} and leave`), { ...err.details, env });
        }
        throw err;
      }
      return changed();
    },
    'providers.deleteKey': async ({ id }) => {
      // Any valid id: a removed provider's key can still be cleaned away.
      ctx.keys.delete(id);
      return changed();
    },
    'providers.status': async ({ refresh }) => ({ providers: await ctx.providers.statuses(refresh ?? false) }),
    'providers.models': async ({ id, refresh }) => ({ models: await ctx.providers.models(id, refresh ?? false) }),
    'providers.exportYaml': async () => ({ yaml: exportLlmYaml({ config: ctx.llmConfig.get(), settings: ctx.settings.get() }) }),
    'providers.importYaml': async ({ yaml }) => {
      const { config, ollama } = parseLlmYaml(yaml);
      const before = ctx.settings.get();
      keepingKeysOfConfigured(() => ctx.llmConfig.update(config));
      const patch = { ...(ollama.host !== undefined ? { ollamaHost: ollama.host } : {}), ...(ollama.model !== undefined ? { defaultModel: ollama.model } : {}) };
      if (Object.keys(patch).length > 0) {
        const after = ctx.settings.update(patch);
        if (after.ollamaHost !== before.ollamaHost) ctx.onHostsChanged();
      }
      return changed();
    },
  };
}
