import type { LlmConfig, ProviderConfig, ProviderModel, ProviderStatus, RoutingRole, Settings } from '../../../shared/index.js';
import { formatModelRef, MacsError, OLLAMA_PROVIDER_ID, parseModelRef, providerLeavesMachine, toErrorPayload } from '../../../shared/index.js';
import type { ChatProvider, EndpointStatus, ModelProvider } from '../llm/index.js';
import { configuredProvider, providerRefusal, refusal, routeCandidates } from './routing.js';
import type { ProviderRegistry, RemoteProviderOptions, RouteCandidate } from './types.js';

const STATUS_TTL_MS = 10_000;
const CONTEXT_TIMEOUT_MS = 4_000;

/** The Ollama side the registry needs: its hosts (HostRouter) and its catalog (memory fit per model). */
export interface OllamaSide {
  providerFor(host: string | null | undefined): ModelProvider;
  allHosts(): string[];
  /** Installed models on the default host with their memory verdict and trained context (models.catalog). */
  installed(): Promise<{ name: string; contextLength: number | null; fit: ProviderModel['fit'] }[]>;
}

export interface RegistryDeps {
  ollama: OllamaSide;
  config: () => LlmConfig;
  settings: () => Settings;
  /** The key a provider's requests carry now (stored, else its api_key_env), or null. */
  keyFor: (provider: ProviderConfig) => string | null;
  /** Builds an OpenAI-compatible or Anthropic provider (by kind). */
  createRemote: (kind: ProviderConfig['kind'], options: RemoteProviderOptions) => ChatProvider;
}

/** Every provider the engine can call, and the routes between them (see ProviderRegistry). */
export class Providers implements ProviderRegistry {
  private readonly remote = new Map<string, { signature: string; provider: ChatProvider }>();
  private readonly statusCache = new Map<string, { at: number; status: Promise<EndpointStatus> }>();
  /** Calls per role, for round-robin routes. */
  private readonly turns = new Map<RoutingRole, number>();

  constructor(private readonly d: RegistryDeps) {}

  chat(ref: string, taskHost?: string | null): { provider: ChatProvider; model: string } {
    const { provider: id, model } = parseModelRef(ref);
    const config = this.d.config();
    if (id === OLLAMA_PROVIDER_ID) {
      const provider = this.d.ollama.providerFor(taskHost);
      // The Ollama hosts in Settings (and OLLAMA_HOST) are the user's own choice; a host named only by a
      // task (an API client's "host") is held to "local only" like any other provider.
      const configured = this.d.ollama.allHosts().includes(provider.host);
      if (!configured && provider.leavesMachine && (config.localOnly || config.mode === 'local')) {
        const why = config.localOnly ? '"Local only" is on' : 'the mode is "local"';
        throw new MacsError('LOCAL_ONLY', `The task names the Ollama host ${provider.host}, which is not this machine or its network, and ${why}. Add the host in Settings (extra Ollama hosts) or turn Local only off in Settings → Providers.`, {
          model: ref,
          host: provider.host,
        });
      }
      return { provider, model };
    }
    const no = refusal(ref, config);
    if (no) throw new MacsError(no.code, `"${ref}" cannot be used: ${no.why}.`, { model: ref, provider: id });
    return { provider: this.remoteProvider(configuredProvider(config, id) as ProviderConfig), model };
  }

  candidates(role: RoutingRole, taskModel: string, opts: { override?: string | null } = {}): RouteCandidate[] {
    const turn = this.turns.get(role) ?? 0;
    this.turns.set(role, turn + 1);
    return routeCandidates(role, taskModel, { config: this.d.config(), ollamaDefaultModel: this.d.settings().defaultModel }, { override: opts.override, turn });
  }

  async remoteFacts(taskModel: string): Promise<Map<string, { digest: string; contextLength: number | null; maxGpuContext: null }>> {
    const config = this.d.config();
    const refs = new Set<string>();
    const add = (provider: string, model: string | null | undefined) => {
      if (provider !== OLLAMA_PROVIDER_ID && model) refs.add(formatModelRef(provider, model));
    };
    for (const p of config.providers) if (p.enabled) add(p.id, p.model);
    for (const route of Object.values(config.routing)) for (const t of route?.targets ?? []) add(t.provider, t.model ?? configuredProvider(config, t.provider)?.model);
    if (taskModel && parseModelRef(taskModel).provider !== OLLAMA_PROVIDER_ID) refs.add(taskModel);
    const out = new Map<string, { digest: string; contextLength: number | null; maxGpuContext: null }>();
    await Promise.all(
      [...refs].map(async (ref) => {
        let target: { provider: ChatProvider; model: string };
        try {
          target = this.chat(ref);
        } catch {
          return; // refused or unknown: the call itself says so
        }
        const window = await withTimeout(target.provider.contextWindow(target.model), CONTEXT_TIMEOUT_MS).catch(() => null);
        // The cache key knows another provider's model by where it is served and its name (no digest to ask for).
        const digest = `${target.provider.kind}:${target.provider.host}:${target.model}`;
        out.set(ref, { digest, contextLength: window?.loadedContextLength ?? window?.contextLength ?? null, maxGpuContext: null });
      }),
    );
    return out;
  }

  async statuses(refresh = false): Promise<ProviderStatus[]> {
    const [defaultHost, ...extras] = this.d.ollama.allHosts();
    const ollama = [defaultHost, ...extras].map(async (host, i): Promise<ProviderStatus> => {
      const provider = this.d.ollama.providerFor(i === 0 ? null : host);
      const s = await this.cachedStatus(`ollama ${host}`, provider, refresh);
      return { id: OLLAMA_PROVIDER_ID, kind: 'ollama', label: i === 0 ? 'Ollama' : `Ollama (${hostOf(host)})`, enabled: true, leavesMachine: provider.leavesMachine, ...s };
    });
    const config = this.d.config();
    const others = config.providers.map(async (p): Promise<ProviderStatus> => {
      const base = { id: p.id, kind: p.kind, label: p.label || p.id, enabled: p.enabled, leavesMachine: providerLeavesMachine(p.kind, p.baseUrl) };
      if (!p.enabled) return { ...base, host: p.baseUrl, reachable: false, version: null, error: null, checkedAt: Date.now() };
      // Not even a reachability check goes to a provider "local only" (or mode local) rules out: it would carry the key off the machine.
      const no = providerRefusal(p.id, config);
      if (no?.code === 'LOCAL_ONLY') {
        const error = new MacsError('LOCAL_ONLY', `Not checked: ${no.why}.`, { provider: p.id });
        return { ...base, host: p.baseUrl, reachable: false, version: null, error: error.toPayload(), checkedAt: Date.now() };
      }
      return { ...base, ...(await this.cachedStatus(`${p.id} ${p.baseUrl}`, this.remoteProvider(p), refresh)) };
    });
    return Promise.all([...ollama, ...others]);
  }

  async models(id: string, refresh = false): Promise<ProviderModel[]> {
    if (id === OLLAMA_PROVIDER_ID) {
      const leaves = this.d.ollama.providerFor(null).leavesMachine;
      return (await this.d.ollama.installed()).map((m) => ({
        ref: m.name,
        provider: OLLAMA_PROVIDER_ID,
        name: m.name,
        contextLength: m.contextLength,
        contextSource: m.contextLength === null ? null : 'server',
        loadedContextLength: null,
        leavesMachine: leaves,
        fit: m.fit,
      }));
    }
    const config = configuredProvider(this.d.config(), id);
    if (!config) throw new MacsError('PROVIDER_NOT_FOUND', `There is no provider "${id}". Configured: ${[OLLAMA_PROVIDER_ID, ...this.d.config().providers.map((p) => p.id)].join(', ')}.`, { provider: id });
    // Listing a cloud provider's models sends the key there: not while "local only" (or mode local) rules it out.
    // The models its configuration names are listed instead (the picker shows them, disabled), asked of no one.
    const no = providerRefusal(id, this.d.config());
    if (no?.code === 'LOCAL_ONLY') return this.configuredModels(config);
    if (refresh) this.remote.delete(id);
    const provider = this.remoteProvider(config);
    const listed = await provider.listModels();
    const leavesMachine = providerLeavesMachine(config.kind, config.baseUrl);
    return Promise.all(
      listed.map(async (m): Promise<ProviderModel> => {
        const window = await withTimeout(provider.contextWindow(m.name), CONTEXT_TIMEOUT_MS).catch(() => null);
        return {
          ref: `@${id}/${m.name}`,
          provider: id,
          name: m.name,
          contextLength: window?.contextLength ?? null,
          contextSource: config.contextLength !== null ? 'override' : window?.contextLength ? 'server' : null,
          loadedContextLength: window?.loadedContextLength ?? null,
          leavesMachine,
          // Memory is known only for Ollama's models (its catalog); elsewhere we say so rather than guess.
          fit: 'unknown',
        };
      }),
    );
  }

  /** The models a provider's configuration names (its default, the routes' targets), without asking its server. */
  private configuredModels(p: ProviderConfig): ProviderModel[] {
    const names = new Set<string>();
    if (p.model) names.add(p.model);
    for (const route of Object.values(this.d.config().routing)) for (const t of route?.targets ?? []) if (t.provider === p.id && t.model) names.add(t.model);
    return [...names].map((name) => ({
      ref: formatModelRef(p.id, name),
      provider: p.id,
      name,
      contextLength: p.contextLength,
      contextSource: p.contextLength === null ? null : 'override',
      loadedContextLength: null,
      leavesMachine: providerLeavesMachine(p.kind, p.baseUrl),
      fit: 'unknown',
    }));
  }


  invalidate(): void {
    this.remote.clear();
    this.statusCache.clear();
  }

  private remoteProvider(config: ProviderConfig): ChatProvider {
    // Rebuilt when what it is made of changes; the key is read per request, so it is not part of this.
    const signature = JSON.stringify([config.kind, config.baseUrl, config.contextLength]);
    const cached = this.remote.get(config.id);
    if (cached?.signature === signature) return cached.provider;
    const provider = this.d.createRemote(config.kind, {
      id: config.id,
      baseUrl: config.baseUrl,
      apiKey: () => {
        const current = configuredProvider(this.d.config(), config.id);
        return current ? this.d.keyFor(current) : null;
      },
      leavesMachine: providerLeavesMachine(config.kind, config.baseUrl),
      contextOverride: config.contextLength,
    });
    this.remote.set(config.id, { signature, provider });
    return provider;
  }

  private cachedStatus(key: string, provider: ChatProvider, refresh: boolean): Promise<EndpointStatus> {
    const cached = this.statusCache.get(key);
    if (!refresh && cached && Date.now() - cached.at < STATUS_TTL_MS) return cached.status;
    const status = provider.status().catch(
      (err: unknown): EndpointStatus => ({ host: provider.host, reachable: false, version: null, error: toErrorPayload(err), checkedAt: Date.now() }),
    );
    this.statusCache.set(key, { at: Date.now(), status });
    return status;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
}
