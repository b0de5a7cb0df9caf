// Settings → Providers, the logic without React: presets, a card's draft ⇄ the stored config,
// checks before sending, and the engine's field errors (details.fields) sorted to their card.
import {
  OLLAMA_PROVIDER_ID,
  ProviderConfigSchema,
  type LlmConfigView,
  type ProviderConfig,
  type ProviderView,
  type RoleRoute,
  type RoutingRole,
} from '../../../shared/index.js';
import type { FieldError } from './error-text.js';

export interface ProviderPreset {
  key: string;
  /** The button's text. */
  name: string;
  id: string;
  kind: 'openai' | 'anthropic';
  baseUrl: string;
  apiKeyEnv: string | null;
}

/** Each server's documented default address (LM Studio, llama.cpp's llama-server, vLLM) or public API base. */
export const PROVIDER_PRESETS: ProviderPreset[] = [
  { key: 'lmstudio', name: 'LM Studio', id: 'lmstudio', kind: 'openai', baseUrl: 'http://127.0.0.1:1234/v1', apiKeyEnv: null },
  { key: 'llama-server', name: 'llama-server', id: 'llama-server', kind: 'openai', baseUrl: 'http://127.0.0.1:8080/v1', apiKeyEnv: null },
  { key: 'vllm', name: 'vLLM', id: 'vllm', kind: 'openai', baseUrl: 'http://127.0.0.1:8000/v1', apiKeyEnv: null },
  { key: 'openrouter', name: 'OpenRouter', id: 'openrouter', kind: 'openai', baseUrl: 'https://openrouter.ai/api/v1', apiKeyEnv: 'OPENROUTER_API_KEY' },
  { key: 'openai', name: 'OpenAI', id: 'openai', kind: 'openai', baseUrl: 'https://api.openai.com/v1', apiKeyEnv: 'OPENAI_API_KEY' },
  { key: 'anthropic', name: 'Anthropic', id: 'anthropic', kind: 'anthropic', baseUrl: 'https://api.anthropic.com', apiKeyEnv: 'ANTHROPIC_API_KEY' },
  { key: 'custom', name: 'Other OpenAI-compatible', id: 'custom', kind: 'openai', baseUrl: 'http://127.0.0.1:8000/v1', apiKeyEnv: null },
];

/** A card's fields as typed (strings, so a half-typed number or URL stays on screen). */
export interface ProviderDraft {
  id: string;
  kind: 'openai' | 'anthropic';
  label: string;
  enabled: boolean;
  baseUrl: string;
  model: string;
  apiKeyEnv: string;
  contextLength: string;
}

/** The configured providers other than Ollama, as providers.update takes them (view-only fields dropped). */
export function storedProviders(config: LlmConfigView): ProviderConfig[] {
  return config.providers.filter((p) => p.id !== OLLAMA_PROVIDER_ID && p.kind !== 'ollama').map(toConfig);
}

function toConfig(p: ProviderView): ProviderConfig {
  return {
    id: p.id,
    kind: p.kind === 'anthropic' ? 'anthropic' : 'openai',
    label: p.label,
    enabled: p.enabled,
    baseUrl: p.baseUrl,
    model: p.model,
    apiKeyEnv: p.apiKeyEnv,
    contextLength: p.contextLength,
  };
}

export function draftOf(p: ProviderView | ProviderConfig): ProviderDraft {
  return {
    id: p.id,
    kind: p.kind === 'anthropic' ? 'anthropic' : 'openai',
    label: p.label,
    enabled: p.enabled,
    baseUrl: p.baseUrl,
    model: p.model ?? '',
    apiKeyEnv: p.apiKeyEnv ?? '',
    contextLength: p.contextLength === null ? '' : String(p.contextLength),
  };
}

/** A new card from a preset; its id made unique among the ids in use ("lmstudio-2"). */
export function draftFromPreset(preset: ProviderPreset, takenIds: readonly string[]): ProviderDraft {
  let id = preset.id;
  for (let n = 2; takenIds.includes(id) || id === OLLAMA_PROVIDER_ID; n++) id = `${preset.id}-${n}`;
  return {
    id,
    kind: preset.kind,
    label: preset.key === 'custom' ? '' : preset.name,
    enabled: true,
    baseUrl: preset.baseUrl,
    model: '',
    apiKeyEnv: preset.apiKeyEnv ?? '',
    contextLength: '',
  };
}

/** The draft as a stored provider, or the fields that are wrong (checked with the contract's own schema). */
export function configFromDraft(d: ProviderDraft, takenIds: readonly string[]): { config: ProviderConfig } | { fields: FieldError[] } {
  const fields: FieldError[] = [];
  const ctx = d.contextLength.trim();
  // Said before the schema's "letters, digits and _": the user pasted the key, and should learn where it goes.
  if (looksLikeKey(d.apiKeyEnv.trim())) fields.push({ field: 'apiKeyEnv', message: KEY_IN_ENV_FIELD });
  if (ctx !== '' && !/^\d+$/.test(ctx)) fields.push({ field: 'contextLength', message: 'A whole number of tokens from 512, or empty to use what the server reports.' });
  if (takenIds.includes(d.id.trim()) || d.id.trim() === OLLAMA_PROVIDER_ID) fields.push({ field: 'id', message: `The id "${d.id.trim()}" is taken: pick another.` });
  const parsed = ProviderConfigSchema.safeParse({
    id: d.id.trim(),
    kind: d.kind,
    label: d.label.trim(),
    enabled: d.enabled,
    baseUrl: d.baseUrl.trim(),
    model: d.model.trim() || null,
    apiKeyEnv: d.apiKeyEnv.trim() || null,
    contextLength: ctx === '' ? null : Number(ctx),
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? '');
      if ((field === 'contextLength' || field === 'apiKeyEnv') && fields.some((f) => f.field === field)) continue;
      fields.push({ field, message: FRIENDLY[field] ?? issue.message });
    }
  }
  if (fields.length > 0 || !parsed.success) return { fields };
  return { config: parsed.data };
}

export const KEY_IN_ENV_FIELD =
  'That looks like the key itself (cleared here): put it in “API key”. This field only names a variable holding it, e.g. OPENAI_API_KEY.';

/**
 * A value typed as a variable name that is really a key: the engine's own test (config-store.ts
 * looksLikeKey: ≥ 20 characters mixing letters and ≥ 4 digits), plus the usual key prefixes and
 * a "-", which no variable name has (sk-…, sk-ant-…, gsk_…).
 */
export function looksLikeKey(value: string): boolean {
  const v = value.trim();
  if (v === '') return false;
  if (/^(sk-|sk_|gsk_|xai-|hf_|AIza)/.test(v) && v.length >= 12 && /\d/.test(v)) return true;
  if (v.includes('-') && v.length >= 16 && /\d/.test(v)) return true;
  return v.length >= 20 && /[a-z]/.test(v) && (v.match(/\d/g)?.length ?? 0) >= 4 && /[a-z]\d|\d[a-z]/i.test(v);
}

/** The roles whose route names this provider: it cannot be removed while they do (the engine refuses). */
export function rolesRoutedTo(routing: Partial<Record<RoutingRole, RoleRoute>>, providerId: string): RoutingRole[] {
  return (Object.entries(routing) as [RoutingRole, RoleRoute | undefined][]).filter(([, r]) => r?.targets.some((t) => t.provider === providerId)).map(([role]) => role);
}

export function removalBlockedText(label: string, roles: RoutingRole[]): string {
  const which = roles.length === 1 ? `the ${roles[0]} route` : `the ${roles.slice(0, -1).join(', ')} and ${roles[roles.length - 1]} routes`;
  return `${label} is still in ${which}: take it out under “Routing per role” below and save the routing, then remove the provider.`;
}

const FRIENDLY: Record<string, string> = {
  baseUrl: 'A full URL, e.g. http://127.0.0.1:1234/v1 (OpenAI-compatible: up to and including /v1).',
  contextLength: 'A whole number of tokens from 512 to 10,000,000, or empty to use what the server reports.',
  apiKeyEnv: 'An environment variable name: letters, digits and "_", e.g. OPENAI_API_KEY.',
  id: 'An id is 1–32 lowercase letters, digits, "-" or "_", starting with a letter.',
};

/** "providers[2].baseUrl" / "providers.2.baseUrl" / ["providers", 2, "baseUrl"] → "providers.2.baseUrl". */
export function normalizeField(field: string): string {
  return field.replace(/\[(\w+)\]/g, '.$1').replace(/^\./, '');
}

/** The engine's field errors for the provider at `index` of the list sent, keyed by its field name. */
export function fieldsForProvider(fields: FieldError[], index: number): FieldError[] {
  const prefix = `providers.${index}.`;
  return fields.flatMap((f) => {
    const name = normalizeField(f.field);
    return name.startsWith(prefix) ? [{ field: name.slice(prefix.length).split('.')[0], message: f.message }] : [];
  });
}

/** The routes as providers.update takes them: roles without targets left out. */
export function cleanRouting(routing: Partial<Record<RoutingRole, RoleRoute>>): Partial<Record<RoutingRole, RoleRoute>> {
  const out: Partial<Record<RoutingRole, RoleRoute>> = {};
  for (const [role, route] of Object.entries(routing) as [RoutingRole, RoleRoute | undefined][]) {
    if (route && route.targets.length > 0) out[role] = { strategy: route.strategy, targets: route.targets.map((t) => ({ provider: t.provider, model: t.model, weight: t.weight })) };
  }
  return out;
}
