import { OLLAMA_PROVIDER_ID, parseModelRef } from '../../../shared/index.js';
import type { ContextLimits } from './context-budget.js';

/** What the pipeline needs to know about one installed model on the task's host. */
export interface ModelFacts {
  /** Ollama's digest; for another provider's model "<kind>:<base URL>:<model>" (what the cache key knows it by). */
  digest: string;
  /** Trained context from /api/show; null when unknown. */
  contextLength: number | null;
  /** Largest context that fits fully on the GPU; null: not on a GPU (or unknown). */
  maxGpuContext: number | null;
}

export interface ModelCandidate {
  model: string;
  /** "role setting for fix", "the task's model", "fallback: …" */
  reason: string;
}

/**
 * The models installed on the task's host (from the hardware-aware catalog, read once
 * per run), and the order in which a role tries them: its own setting, then the task's
 * model, then the model recommended for this machine. `installed` is null when the
 * catalog could not be read (Ollama down): candidates are then tried as configured and
 * the call itself reports what is wrong.
 */
export class ModelDirectory {
  constructor(
    private readonly installed: Map<string, ModelFacts> | null,
    private readonly recommended: string | null,
    private readonly host: string,
    /** Other providers' models ("@id/model") with the context window their server reports. */
    private readonly remote: Map<string, ModelFacts> = new Map(),
  ) {}

  facts(model: string): ModelFacts | null {
    return isOllamaRef(model) ? (this.installed?.get(model) ?? null) : (this.remote.get(model) ?? null);
  }

  /** Another provider's model: its server fixed the window, so num_ctx is read, never chosen. */
  isRemote(model: string): boolean {
    return !isOllamaRef(model);
  }

  /** Only Ollama's installed list is known; another provider's model is tried and its server answers. */
  isInstalled(model: string): boolean | null {
    if (!isOllamaRef(model)) return null;
    return this.installed === null ? null : this.installed.has(model);
  }

  limits(model: string, floor: number): ContextLimits {
    const facts = this.facts(model);
    // Another provider's server fixed the window when it loaded the model: that is the whole range (unknown: the user's setting).
    if (this.isRemote(model)) {
      const window = facts?.contextLength ?? floor;
      return { floor: window, trained: window, gpuMax: window };
    }
    return { floor, trained: facts?.contextLength ?? null, gpuMax: facts?.maxGpuContext ?? null };
  }

  /** The routed candidates (the role's route, then the task's model), then the model recommended for this machine, minus what Ollama does not have. */
  candidates(routed: ModelCandidate[]): ModelCandidate[] {
    const wanted: ModelCandidate[] = [...routed];
    if (this.recommended) wanted.push({ model: this.recommended, reason: 'recommended for this machine' });

    const seen = new Set<string>();
    const out: ModelCandidate[] = [];
    const skipped: string[] = [];
    for (const c of wanted) {
      if (seen.has(c.model)) continue;
      seen.add(c.model);
      if (this.isInstalled(c.model) === false) {
        skipped.push(`${c.model} (${c.reason}) is not installed on ${this.host}`);
        continue;
      }
      out.push(skipped.length ? { model: c.model, reason: `${c.reason}; fallback because ${skipped.join(', ')}` } : c);
    }
    // Nothing installed matches: try the configured ones anyway, so the error names the model.
    return out.length ? out : wanted.filter((c, i) => wanted.findIndex((w) => w.model === c.model) === i);
  }
}

function isOllamaRef(model: string): boolean {
  return parseModelRef(model).provider === OLLAMA_PROVIDER_ID;
}
