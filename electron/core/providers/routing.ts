import type { LlmConfig, ProviderConfig, RoleRoute, RouteTarget, RoutingRole } from '../../../shared/index.js';
import { formatModelRef, MacsError, OLLAMA_PROVIDER_ID, parseModelRef, providerLeavesMachine } from '../../../shared/index.js';
import type { RouteCandidate } from './types.js';

/** What routing needs besides the configuration: where Ollama is, and its default model. */
export interface RoutingFacts {
  config: LlmConfig;
  /** Settings.defaultModel: Ollama's model when a route names Ollama without one and the task's model is another provider's. */
  ollamaDefaultModel: string | null;
  /** Ollama's own host is judged like any other (a public OLLAMA_HOST leaves the machine), but "local only" does not refuse it: the user set it. */
}

/** Why a target was left out of a route, to name in the next candidate's reason. */
type Skipped = { ref: string; why: string };

/**
 * The order a role's route is tried in, by its strategy. Round-robin starts one further on each
 * call (`turn` counts calls per role); weighted draws the start by weight (`random` in [0, 1)).
 * The rest follow in the configured order: each is a fallback for the one before.
 */
export function orderTargets(route: RoleRoute, turn: number, random: () => number = Math.random): RouteTarget[] {
  const targets = route.targets;
  if (targets.length < 2) return [...targets];
  let start = 0;
  if (route.strategy === 'round-robin') start = turn % targets.length;
  else if (route.strategy === 'weighted') {
    const total = targets.reduce((n, t) => n + Math.max(0, t.weight), 0);
    if (total > 0) {
      let draw = random() * total;
      start = targets.findIndex((t) => (draw -= Math.max(0, t.weight)) < 0);
      if (start < 0) start = targets.length - 1;
    }
  }
  return [...targets.slice(start), ...targets.slice(0, start)];
}

/** A provider other than Ollama, by id; null when not configured. */
export function configuredProvider(config: LlmConfig, id: string): ProviderConfig | null {
  return config.providers.find((p) => p.id === id) ?? null;
}

/** A route target as a model reference; null when neither it nor its provider names a model. */
export function targetRef(target: RouteTarget, config: LlmConfig, taskModel: string, ollamaDefault: string | null): string | null {
  if (target.provider === OLLAMA_PROVIDER_ID) {
    if (target.model) return target.model;
    // Ollama without a model: the task's model when it is Ollama's, else the default one.
    return parseModelRef(taskModel).provider === OLLAMA_PROVIDER_ID ? taskModel : ollamaDefault;
  }
  const model = target.model ?? configuredProvider(config, target.provider)?.model ?? null;
  return model ? formatModelRef(target.provider, model) : null;
}

/**
 * Why `ref` cannot be used under this configuration, or null. "Local only" (and mode local)
 * keeps prompts off providers that leave the machine; a disabled or unknown provider is no route.
 */
export function refusal(ref: string, config: LlmConfig): { code: 'PROVIDER_NOT_FOUND' | 'LOCAL_ONLY'; why: string } | null {
  return providerRefusal(parseModelRef(ref).provider, config);
}

/** Why nothing may be sent to this provider (a prompt, a status check, a model listing), or null. Ollama is never refused here. */
export function providerRefusal(provider: string, config: LlmConfig): { code: 'PROVIDER_NOT_FOUND' | 'LOCAL_ONLY'; why: string } | null {
  if (provider === OLLAMA_PROVIDER_ID) return null;
  const p = configuredProvider(config, provider);
  if (!p) {
    const ids = [OLLAMA_PROVIDER_ID, ...config.providers.map((c) => c.id)].join(', ');
    return { code: 'PROVIDER_NOT_FOUND', why: `provider "${provider}" is not configured (configured: ${ids}); add it in Settings → Providers` };
  }
  if (!p.enabled) return { code: 'PROVIDER_NOT_FOUND', why: `provider "${provider}" is turned off in Settings → Providers` };
  if (providerLeavesMachine(p.kind, p.baseUrl)) {
    const where = hostOf(p.baseUrl);
    if (config.localOnly) return { code: 'LOCAL_ONLY', why: `it would send your prompt to ${where}, and "Local only" is on; turn it off in Settings → Providers to use cloud providers` };
    if (config.mode === 'local') return { code: 'LOCAL_ONLY', why: `it would send your prompt to ${where}, and the mode is "local"; choose hybrid (or ${p.kind === 'anthropic' ? 'claude' : 'openai'}) in Settings → Providers` };
  }
  return null;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The provider a PROVIDER= value names: a configured id, or a kind ("openai", "anthropic"/"claude", "ollama"). */
export function overrideProvider(value: string, config: LlmConfig): { id: string; model: string | null } | null {
  const v = value.trim().toLowerCase();
  if (v === OLLAMA_PROVIDER_ID) return { id: OLLAMA_PROVIDER_ID, model: null };
  const byId = configuredProvider(config, v);
  if (byId) return { id: byId.id, model: byId.model };
  const kind = v === 'claude' ? 'anthropic' : v;
  const byKind = config.providers.find((p) => p.kind === kind && p.enabled) ?? config.providers.find((p) => p.kind === kind);
  return byKind ? { id: byKind.id, model: byKind.model } : null;
}

/**
 * The models a role tries, in order (see ProviderRegistry.candidates). `turn` is this role's call
 * count (round-robin). Targets "local only" or a disabled provider rules out are left out and
 * named in the next candidate's reason; when every one is ruled out the first stays, so the
 * call fails with the refusal's clear message instead of a silent switch.
 */
export function routeCandidates(
  role: RoutingRole,
  taskModel: string,
  facts: RoutingFacts,
  opts: { override?: string | null; turn?: number; random?: () => number } = {},
): RouteCandidate[] {
  const { config, ollamaDefaultModel } = facts;
  const wanted: RouteCandidate[] = [];
  if (opts.override) {
    const o = overrideProvider(opts.override, config);
    const ref = o ? targetRef({ provider: o.id, model: o.model, weight: 1 }, config, taskModel, ollamaDefaultModel) : null;
    // An unknown PROVIDER= still becomes a candidate, so the call says what is wrong.
    wanted.push({ ref: ref ?? formatModelRef(o?.id ?? opts.override.toLowerCase(), '(no model configured)'), reason: `PROVIDER=${opts.override}` });
    return wanted;
  }
  if (config.mode === 'openai' || config.mode === 'claude') {
    // The provider named after the mode ("openai"; "claude" or "anthropic"), else the first enabled one of its kind.
    const kind = config.mode === 'claude' ? 'anthropic' : 'openai';
    const names = config.mode === 'claude' ? ['claude', 'anthropic'] : ['openai'];
    const enabled = config.providers.filter((c) => c.kind === kind && c.enabled);
    const p = enabled.find((c) => names.includes(c.id)) ?? enabled[0];
    if (p?.model) wanted.push({ ref: formatModelRef(p.id, p.model), reason: `mode ${config.mode}` });
  } else {
    const route = config.routing[role] ?? (role === 'docs' ? config.routing.implement : undefined);
    if (route) {
      const ordered = orderTargets(route, opts.turn ?? 0, opts.random);
      ordered.forEach((t, i) => {
        const ref = targetRef(t, config, taskModel, ollamaDefaultModel);
        // One target is the plain "model for this role" setting (Settings → roleModels).
        if (ref) wanted.push({ ref, reason: ordered.length === 1 ? `role setting for ${role}` : `route for ${role} (${route.strategy}, ${i + 1} of ${ordered.length})` });
      });
    }
  }
  wanted.push({ ref: taskModel, reason: "the task's model" });

  const out: RouteCandidate[] = [];
  const skipped: Skipped[] = [];
  const seen = new Set<string>();
  for (const c of wanted) {
    if (seen.has(c.ref)) continue;
    seen.add(c.ref);
    const no = refusal(c.ref, config);
    if (no) {
      skipped.push({ ref: c.ref, why: no.why });
      continue;
    }
    out.push(skipped.length ? { ref: c.ref, reason: `${c.reason}; ${skipped.map((s) => `${s.ref} skipped: ${s.why}`).join('; ')}` } : c);
    skipped.length = 0;
  }
  if (out.length === 0 && wanted.length > 0) return [wanted[0]];
  return out;
}

/** A model that cannot be used at all: the next candidate is tried. */
const FALLBACK_CODES = new Set(['MODEL_NOT_FOUND', 'MODEL_OUT_OF_MEMORY', 'PROVIDER_AUTH', 'PROVIDER_NOT_FOUND', 'CONTEXT_TOO_LONG']);
/**
 * A provider that cannot be reached (or keeps refusing for now): the next candidate is tried when
 * it is on another provider; on the same one it would fail the same way, so the task's retry (and
 * its wait for Ollama) handles it instead.
 */
const UNREACHABLE_CODES = new Set(['PROVIDER_UNREACHABLE', 'OLLAMA_UNREACHABLE', 'RATE_LIMITED', 'PROVIDER_ERROR']);

/**
 * Whether a call that failed on `from` (before any of its answer arrived) goes on to `to`. A refusal
 * ("local only", a content filter) never does: switching silently is what the user turned it on against.
 */
export function shouldFallBack(err: unknown, from: string, to: string | undefined): err is MacsError {
  if (to === undefined || !(err instanceof MacsError) || err.details?.refusal === true) return false;
  if (FALLBACK_CODES.has(err.code)) return true;
  // A model that crashes the same way every time (MODEL_CRASHED, deterministic) cannot be used either.
  if (err.code === 'MODEL_CRASHED' && err.details?.deterministic === true) return true;
  return UNREACHABLE_CODES.has(err.code) && parseModelRef(to).provider !== parseModelRef(from).provider;
}
