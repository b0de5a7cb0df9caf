import type { ModelProvider } from '../llm/index.js';

const MODELS_TTL_MS = 10_000;

/**
 * Several Ollama hosts (localhost and, say, a GPU box on the LAN): one provider per
 * host, and a task goes to the first host, default first, that has its model.
 */
export class HostRouter {
  private readonly providers = new Map<string, ModelProvider>();
  private readonly modelCache = new Map<string, { at: number; names: Set<string> }>();

  constructor(
    private readonly createProvider: (host: string) => ModelProvider,
    private readonly hosts: () => { defaultHost: string; extraHosts: string[] },
  ) {}

  providerFor(host: string | null | undefined): ModelProvider {
    const target = host ?? this.hosts().defaultHost;
    let provider = this.providers.get(target);
    if (!provider) {
      provider = this.createProvider(target);
      this.providers.set(target, provider);
    }
    return provider;
  }

  allHosts(): string[] {
    const { defaultHost, extraHosts } = this.hosts();
    return [defaultHost, ...extraHosts.filter((h) => h !== defaultHost)];
  }

  /** null: the default host (also when no host has the model, so the error names the default host). */
  async route(model: string): Promise<string | null> {
    const [defaultHost, ...extras] = this.allHosts();
    if (extras.length === 0) return null;
    for (const host of [defaultHost, ...extras]) {
      if ((await this.modelsOn(host)).has(model)) return host === defaultHost ? null : host;
    }
    return null;
  }

  private async modelsOn(host: string): Promise<Set<string>> {
    const cached = this.modelCache.get(host);
    if (cached && Date.now() - cached.at < MODELS_TTL_MS) return cached.names;
    let names = new Set<string>();
    try {
      names = new Set((await this.providerFor(host).listModels()).map((m) => m.name));
    } catch {
      // A host that is down has no models for routing purposes.
    }
    this.modelCache.set(host, { at: Date.now(), names });
    return names;
  }

  /** Forget cached model lists (after a pull or delete). */
  invalidate(host?: string): void {
    if (host) this.modelCache.delete(host);
    else this.modelCache.clear();
  }
}
