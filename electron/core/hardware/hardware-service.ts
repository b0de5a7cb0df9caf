// One probe result shared by the app: cached, refreshed on demand, and concurrent callers
// share the probe in flight instead of each spawning nvidia-smi.
import type { HardwareInfo } from '../../../shared/hardware.js';
import { MacsError, isMacsError } from '../../../shared/errors.js';
import { probeHardware } from './probe.js';

export interface HardwareServiceOptions {
  probe?: () => Promise<HardwareInfo>;
  /** Re-probe when the cached result is older than this (free VRAM moves as models load). Default: never. */
  maxAgeMs?: number;
  now?: () => number;
}

export class HardwareService {
  private readonly probe: () => Promise<HardwareInfo>;
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  private cached: HardwareInfo | null = null;
  private inflight: Promise<HardwareInfo> | null = null;

  constructor(opts: HardwareServiceOptions = {}) {
    this.probe = opts.probe ?? (() => probeHardware());
    this.maxAgeMs = opts.maxAgeMs ?? Number.POSITIVE_INFINITY;
    this.now = opts.now ?? Date.now;
  }

  /** The cached result, probing first if there is none, it is stale, or `refresh` is asked. */
  get(opts: { refresh?: boolean } = {}): Promise<HardwareInfo> {
    // A probe already running is as fresh as a new one would be.
    if (this.inflight) return this.inflight;
    const fresh = this.cached && this.now() - this.cached.probedAt <= this.maxAgeMs;
    if (this.cached && fresh && !opts.refresh) return Promise.resolve(this.cached);
    const run = this.probe()
      .then((info) => {
        this.cached = info;
        return info;
      })
      .catch((err: unknown) => {
        throw isMacsError(err) ? err : new MacsError('INTERNAL', `Hardware probe failed: ${err instanceof Error ? err.message : String(err)}`);
      })
      .finally(() => {
        this.inflight = null;
      });
    this.inflight = run;
    return run;
  }

  /** The last result without probing (null before the first probe finishes). */
  peek(): HardwareInfo | null {
    return this.cached;
  }
}
