import type { OllamaStatus } from '../../../shared/index.js';
import type { ModelProvider } from '../llm/index.js';

const CACHE_MS = 2000;

/** Caches the reachability check briefly and reports changes, so many clients don't each poll Ollama. */
export class OllamaMonitor {
  private last: OllamaStatus | null = null;
  private inflight: Promise<OllamaStatus> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private provider: () => ModelProvider,
    private readonly onChange: (status: OllamaStatus) => void,
  ) {}

  async status(refresh = false): Promise<OllamaStatus> {
    if (!refresh && this.last && Date.now() - this.last.checkedAt < CACHE_MS && this.last.host === this.provider().host) return this.last;
    this.inflight ??= this.provider()
      .status()
      .then((status) => {
        const changed = !this.last || this.last.reachable !== status.reachable || this.last.host !== status.host;
        this.last = status;
        if (changed) this.onChange(status);
        return status;
      })
      .finally(() => {
        this.inflight = null;
      });
    return this.inflight;
  }

  /** Poll in the background so the UI learns when Ollama comes up or goes away. */
  start(intervalMs = 5000): void {
    this.timer ??= setInterval(() => void this.status(true), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
