import type { PipelineRole, RoleModels } from '../../../shared/index.js';
import type { ContextLimits } from './context-budget.js';

/** What the pipeline needs to know about one installed model on the task's host. */
export interface ModelFacts {
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
  ) {}

  facts(model: string): ModelFacts | null {
    return this.installed?.get(model) ?? null;
  }

  isInstalled(model: string): boolean | null {
    return this.installed === null ? null : this.installed.has(model);
  }

  limits(model: string, floor: number): ContextLimits {
    const facts = this.facts(model);
    return { floor, trained: facts?.contextLength ?? null, gpuMax: facts?.maxGpuContext ?? null };
  }

  candidates(role: PipelineRole, roleModels: RoleModels, taskModel: string): ModelCandidate[] {
    const wanted: ModelCandidate[] = [];
    const configured = roleModels[role];
    if (configured) wanted.push({ model: configured, reason: `role setting for ${role}` });
    wanted.push({ model: taskModel, reason: "the task's model" });
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
