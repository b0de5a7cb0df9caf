import type { ProviderStatus } from '../../../shared/index.js';
import type { ProviderRegistry } from './types.js';

/**
 * Polls the configured providers' reachability in the background (the status bar's dots) and
 * reports only changes: a provider coming up, going away, or its error changing. Ollama has its
 * own faster monitor; this one runs only while another provider is enabled, so a plain
 * Ollama setup sends nothing anywhere.
 */
export class ProviderMonitor {
  private last = '';
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly providers: ProviderRegistry,
    private readonly hasOthers: () => boolean,
    private readonly onChange: (statuses: ProviderStatus[]) => void,
  ) {}

  async check(): Promise<void> {
    if (!this.hasOthers()) return;
    const statuses = await this.providers.statuses(true);
    const signature = JSON.stringify(statuses.map((s) => [s.id, s.host, s.enabled, s.reachable, s.error?.code ?? null]));
    if (signature === this.last) return;
    this.last = signature;
    this.onChange(statuses);
  }

  start(intervalMs = 15_000): void {
    this.timer ??= setInterval(() => void this.check().catch(() => undefined), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
