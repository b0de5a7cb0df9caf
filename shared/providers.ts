// Model providers beside Ollama: the one configuration (Software Maker's `llm:` shape, kept in
// SQLite), model references that name their provider, and where a provider sends prompts.
// Pure: zod only. Keys are never part of any shape here: a provider says only whether it has one.
import { z } from 'zod';
import { ErrorPayloadSchema } from './errors.js';
import { FitVerdictSchema } from './hardware.js';

/** ollama: the native API; openai: any OpenAI-compatible /v1 server (LM Studio, llama-server, vLLM, LocalAI, OpenRouter, OpenAI); anthropic: the Messages API. */
export const ProviderKindSchema = z.enum(['ollama', 'openai', 'anthropic']);
export type ProviderKind = z.infer<typeof ProviderKindSchema>;

/**
 * Software Maker's `llm.mode`: local = only providers on this machine or its network; openai /
 * claude = that provider answers every role with no routing of its own; hybrid = routing as configured.
 */
export const LlmModeSchema = z.enum(['local', 'openai', 'claude', 'hybrid']);
export type LlmMode = z.infer<typeof LlmModeSchema>;

/** The jobs routing knows (the build's roles, plus docs and plain chat turns). */
export const RoutingRoleSchema = z.enum(['plan', 'implement', 'fix', 'review', 'docs', 'chat']);
export type RoutingRole = z.infer<typeof RoutingRoleSchema>;
export const ROUTING_ROLES = RoutingRoleSchema.options;

/** fallback: in order, the next when one cannot answer; round-robin: rotate the start per call; weighted: start drawn by weight. */
export const RoutingStrategySchema = z.enum(['fallback', 'round-robin', 'weighted']);
export type RoutingStrategy = z.infer<typeof RoutingStrategySchema>;

/** The built-in Ollama provider's id: a model reference without a provider prefix is Ollama's. */
export const OLLAMA_PROVIDER_ID = 'ollama';

export const ProviderIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,31}$/, 'a provider id is 1–32 lowercase letters, digits, "-" or "_", starting with a letter');

/** An environment variable's name (the key is read from it at call time, never copied). */
export const EnvNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'an environment variable name (letters, digits, "_")');

/**
 * One provider as configured. Ollama's entry is not stored here: its base URL is Settings
 * `ollamaHost` (and OLLAMA_HOST), so that fact stays in one place; views add it.
 */
export const ProviderConfigSchema = z
  .object({
    id: ProviderIdSchema,
    kind: z.enum(['openai', 'anthropic']),
    /** Shown in pickers ("LM Studio", "OpenRouter"); the id when empty. */
    label: z.string().trim().max(60).default(''),
    enabled: z.boolean(),
    /** OpenAI-compatible: up to and including /v1 ("http://127.0.0.1:1234/v1"); Anthropic: "https://api.anthropic.com". */
    baseUrl: z.string().url('Not a URL: give the full address with http:// or https://, e.g. http://127.0.0.1:1234/v1').max(500),
    /** The model this provider answers with when a route names none (and in mode openai / claude). */
    model: z.string().trim().min(1).max(200).nullable(),
    /** Read the key from this environment variable when none is stored (Software Maker's api_key_env). */
    apiKeyEnv: EnvNameSchema.nullable(),
    /** The user's context size for this provider's models; null: as the server reports it. */
    contextLength: z.number().int().min(512).max(10_000_000).nullable(),
  })
  .strict();
export type ProviderConfig = z.infer<typeof ProviderConfigSchema>;

export const RouteTargetSchema = z
  .object({
    provider: ProviderIdSchema,
    /** null: the provider's own `model` (Ollama: the task's model). */
    model: z.string().trim().min(1).max(200).nullable(),
    /** weighted strategy only. */
    weight: z.number().min(0).max(1000).default(1),
  })
  .strict();
export type RouteTarget = z.infer<typeof RouteTargetSchema>;

export const RoleRouteSchema = z.object({ strategy: RoutingStrategySchema, targets: z.array(RouteTargetSchema).min(1).max(8) }).strict();
export type RoleRoute = z.infer<typeof RoleRouteSchema>;

export const LlmConfigSchema = z
  .object({
    mode: LlmModeSchema,
    /** On by default: no prompt leaves this machine (or its local network) until the user turns this off. */
    localOnly: z.boolean(),
    providers: z.array(ProviderConfigSchema).max(16),
    /** Per role; a role with no route uses the task's model (and in mode openai / claude, that provider). */
    routing: z.partialRecord(RoutingRoleSchema, RoleRouteSchema),
  })
  .strict();
export type LlmConfig = z.infer<typeof LlmConfigSchema>;

export const DEFAULT_LLM_CONFIG: LlmConfig = { mode: 'local', localOnly: true, providers: [], routing: {} };

/** Where a provider's key comes from; null: it has none (a local server usually needs none). */
export const KeySourceSchema = z.enum(['keychain', 'file', 'env']).nullable();
export type KeySource = z.infer<typeof KeySourceSchema>;

/** A provider as the UI sees it: its configuration (Ollama's included), whether it has a key (never the key), where it sends prompts. */
export const ProviderViewSchema = z.object({
  id: ProviderIdSchema,
  kind: ProviderKindSchema,
  label: z.string(),
  enabled: z.boolean(),
  baseUrl: z.string(),
  model: z.string().nullable(),
  apiKeyEnv: z.string().nullable(),
  contextLength: z.number().int().nullable(),
  keySource: KeySourceSchema,
  /** The key with all but its last 4 characters masked ("••••••••3xQz"); null without a key. */
  keyHint: z.string().nullable(),
  /** Prompts sent to it leave this machine and its local network. */
  leavesMachine: z.boolean(),
});
export type ProviderView = z.infer<typeof ProviderViewSchema>;

export const LlmConfigViewSchema = z.object({
  mode: LlmModeSchema,
  localOnly: z.boolean(),
  providers: z.array(ProviderViewSchema),
  routing: z.partialRecord(RoutingRoleSchema, RoleRouteSchema),
  /** Where stored keys go on this host: the OS keychain (desktop app), or a 0600 file (macs serve / no keychain). */
  keyStore: z.object({ backend: z.enum(['keychain', 'file']), plaintext: z.boolean(), consented: z.boolean() }),
});
export type LlmConfigView = z.infer<typeof LlmConfigViewSchema>;

/** A provider's reachability (the status bar). */
export const ProviderStatusSchema = z.object({
  id: ProviderIdSchema,
  kind: ProviderKindSchema,
  label: z.string(),
  host: z.string(),
  enabled: z.boolean(),
  leavesMachine: z.boolean(),
  reachable: z.boolean(),
  version: z.string().nullable(),
  error: ErrorPayloadSchema.nullable(),
  checkedAt: z.number(),
});
export type ProviderStatus = z.infer<typeof ProviderStatusSchema>;

/** One model a provider serves, for pickers and the Models screen. */
export const ProviderModelSchema = z.object({
  /** What tasks and routes store: "qwen2.5-coder:7b" (Ollama) or "@lmstudio/qwen2.5-coder-7b-instruct". */
  ref: z.string(),
  provider: ProviderIdSchema,
  name: z.string(),
  /** Context window as the server reports it (or the user's override); null: not reported. */
  contextLength: z.number().int().nullable(),
  contextSource: z.enum(['server', 'override']).nullable(),
  /** What the server has it loaded with now (LM Studio loaded context, llama-server n_ctx), when it says. */
  loadedContextLength: z.number().int().nullable(),
  leavesMachine: z.boolean(),
  /** Memory fit only where memory is known (Ollama's catalog has the verdicts); otherwise "unknown". */
  fit: FitVerdictSchema,
});
export type ProviderModel = z.infer<typeof ProviderModelSchema>;

// ---- model references -------------------------------------------------------------

/**
 * "@<provider>/<model>" names a model of another provider; anything else is an Ollama model
 * name. Ollama names never start with "@" (its names start with a letter or digit), and the
 * model part keeps any "/" and ":" of its own ("@openrouter/qwen/qwen3-coder:free").
 */
export function parseModelRef(ref: string): { provider: string; model: string } {
  const m = /^@([a-z][a-z0-9_-]{0,31})\/(.+)$/.exec(ref);
  return m ? { provider: m[1], model: m[2] } : { provider: OLLAMA_PROVIDER_ID, model: ref };
}

export function formatModelRef(provider: string, model: string): string {
  return provider === OLLAMA_PROVIDER_ID ? model : `@${provider}/${model}`;
}

// ---- where prompts go -------------------------------------------------------------

/**
 * True when a base URL points beyond this machine and its local network: not loopback, not a
 * private or link-local address, not a single-label or .local/.lan/.home.arpa/.internal name.
 * A public name that happens to resolve locally still counts as leaving: we judge what the user wrote.
 */
export function urlLeavesMachine(baseUrl: string): boolean {
  let host: string;
  try {
    host = new URL(baseUrl).hostname.toLowerCase().replace(/^\[|\]$/g, '');
  } catch {
    return true;
  }
  if (host === 'localhost' || host.endsWith('.localhost')) return false;
  if (!host.includes('.') && !host.includes(':')) return false; // "gpu-box": a LAN name
  if (/\.(local|lan|home\.arpa|internal)$/.test(host)) return false;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return !(a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || a === 0);
  }
  if (host.includes(':')) {
    return !(host === '::1' || host.startsWith('fc') || host.startsWith('fd') || host.startsWith('fe80') || host.startsWith('::ffff:127.'));
  }
  return true;
}

/** Anthropic only serves from its cloud; an OpenAI-compatible server by its address. */
export function providerLeavesMachine(kind: ProviderKind, baseUrl: string): boolean {
  return kind === 'anthropic' || urlLeavesMachine(baseUrl);
}

/** "••••••••3xQz": enough to tell keys apart, never enough to use one. */
export function maskKey(key: string): string {
  return key.length <= 8 ? '••••••••' : `••••••••${key.slice(-4)}`;
}
