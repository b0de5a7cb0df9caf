// The models.* methods in one place, so the engine's handlers stay one-liners:
//   'models.catalog': (p) => service.catalog(p), 'models.pull': (p) => service.pull(p), …
import type { HardwareInfo, MethodParams, MethodResult, PullProgress, Settings } from '../../../shared/index.js';
import type { Db } from '../db/index.js';
import type { ModelProvider } from '../llm/index.js';
import { buildCatalog, type ModelCatalog } from './catalog.js';
import { ModelMetadataCache } from './metadata-cache.js';
import { PullManager } from './pull-manager.js';
import { SpeedStore } from './speed-store.js';

export interface ModelServiceOptions {
  db: Db;
  settings(): Pick<Settings, 'ollamaHost' | 'extraOllamaHosts' | 'numCtx' | 'kvCacheType' | 'flashAttention'>;
  providerFor(host: string): ModelProvider;
  hardware(refresh?: boolean): Promise<HardwareInfo>;
  publishPullProgress(progress: PullProgress): void;
  /** A pull or delete changed a host's model list (e.g. HostRouter.invalidate). */
  onModelsChanged?(host: string): void;
  /** Whether this machine's hardware applies to a host. Default: loopback addresses only. */
  isLocalHost?(host: string): boolean;
}

export function isLoopbackHost(host: string): boolean {
  try {
    const h = new URL(host).hostname.replace(/^\[|\]$/g, '');
    return h === 'localhost' || h === '::1' || h === '0.0.0.0' || /^127\./.test(h);
  } catch {
    return false;
  }
}

export class ModelService {
  readonly cache: ModelMetadataCache;
  readonly pulls: PullManager;
  /** Measured generation speeds; the engine wraps task providers with recordingSpeed(provider, speeds). */
  readonly speeds: SpeedStore;

  constructor(private readonly opts: ModelServiceOptions) {
    this.cache = new ModelMetadataCache(opts.db);
    this.speeds = new SpeedStore(opts.db);
    this.pulls = new PullManager({
      providerFor: (host) => opts.providerFor(host),
      defaultHost: () => opts.settings().ollamaHost,
      onProgress: (p) => opts.publishPullProgress(p),
      onFinished: (p) => opts.onModelsChanged?.(p.host),
    });
  }

  hosts(): string[] {
    const { ollamaHost, extraOllamaHosts } = this.opts.settings();
    return [ollamaHost, ...extraOllamaHosts.filter((h) => h !== ollamaHost)];
  }

  async catalog(params: MethodParams<'models.catalog'> = {}): Promise<ModelCatalog> {
    const s = this.opts.settings();
    const hardware = await this.opts.hardware(params.refresh ?? false);
    const local = this.opts.isLocalHost ?? isLoopbackHost;
    return buildCatalog({
      hosts: this.hosts().map((host) => ({ host, provider: this.opts.providerFor(host), hardware: local(host) ? undefined : null })),
      hardware,
      settings: { numCtx: params.numCtx ?? s.numCtx, kvCacheType: s.kvCacheType, flashAttention: s.flashAttention },
      cache: this.cache,
      measuredSpeed: (host, model) => this.speeds.get(host, model),
    });
  }

  pull(params: MethodParams<'models.pull'>): MethodResult<'models.pull'> {
    return { pullId: this.pulls.start(params.name, params.host) };
  }

  pullCancel(params: MethodParams<'models.pullCancel'>): MethodResult<'models.pullCancel'> {
    return { cancelled: this.pulls.cancel(params.pullId) };
  }

  async delete(params: MethodParams<'models.delete'>): Promise<MethodResult<'models.delete'>> {
    const host = params.host ?? this.opts.settings().ollamaHost;
    await this.opts.providerFor(host).delete(params.name);
    this.opts.onModelsChanged?.(host);
    return { deleted: true };
  }

  close(): void {
    this.pulls.cancelAll();
  }
}
