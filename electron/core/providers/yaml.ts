// Software Maker's provider YAML (`llm:` with mode, local_only, providers, routing), read and
// written with the `yaml` package. Import gives the LlmConfig plus Ollama's address and model
// (which live in Settings); export writes the canonical form. Keys never pass through a file:
// `api_key:` is refused on import and never written on export (api_key_env names where it is).
import { Document, LineCounter, parseDocument, isMap, isSeq } from 'yaml';
import { z } from 'zod';
import type { FieldError, LlmConfig, ProviderConfig, RoleRoute, RouteTarget, RoutingRole, Settings } from '../../../shared/index.js';
import { EnvNameSchema, LlmModeSchema, MacsError, OLLAMA_PROVIDER_ID, ProviderIdSchema, ROUTING_ROLES, RoutingStrategySchema, fieldErrors } from '../../../shared/index.js';
import { configProblems } from './config-store.js';

/** Names whose kind and address need no saying (Software Maker's and the common local servers'). */
const WELL_KNOWN: Record<string, { kind: 'openai' | 'anthropic'; baseUrl?: string }> = {
  openai: { kind: 'openai', baseUrl: 'https://api.openai.com/v1' },
  openrouter: { kind: 'openai', baseUrl: 'https://openrouter.ai/api/v1' },
  lmstudio: { kind: 'openai', baseUrl: 'http://127.0.0.1:1234/v1' },
  llamacpp: { kind: 'openai', baseUrl: 'http://127.0.0.1:8080/v1' },
  'llama-server': { kind: 'openai', baseUrl: 'http://127.0.0.1:8080/v1' },
  vllm: { kind: 'openai', baseUrl: 'http://127.0.0.1:8000/v1' },
  localai: { kind: 'openai' },
  claude: { kind: 'anthropic', baseUrl: 'https://api.anthropic.com' },
  anthropic: { kind: 'anthropic', baseUrl: 'https://api.anthropic.com' },
};

const KEY_REFUSED = 'put keys in the keychain or an environment variable; api_key_env names it (a key is never read from a file)';

const ProviderEntrySchema = z
  .object({
    kind: z.enum(['openai', 'anthropic', 'claude', 'ollama']).optional(),
    label: z.string().trim().max(60).optional(),
    enabled: z.boolean().default(true),
    base_url: z.string().url().max(500).optional(),
    model: z.string().trim().min(1).max(200).nullable().optional(),
    api_key_env: EnvNameSchema.nullable().optional(),
    context_length: z.number().int().min(512).max(10_000_000).nullable().optional(),
  })
  .strict();

const TargetSchema = z.union([
  z.string().trim().min(1).max(240),
  z.object({ provider: z.string().trim().min(1).max(32), model: z.string().trim().min(1).max(200).nullable().optional(), weight: z.number().min(0).max(1000).optional() }).strict(),
]);
const TargetsSchema = z.array(TargetSchema).min(1).max(8);
const RouteSchema = z.union([TargetsSchema, z.object({ strategy: RoutingStrategySchema.optional(), targets: TargetsSchema }).strict()]);

const LlmYamlSchema = z
  .object({
    mode: LlmModeSchema.default('local'),
    local_only: z.boolean().default(true),
    providers: z.record(z.string(), ProviderEntrySchema.nullable()).default({}),
    routing: z
      .object({ strategy: RoutingStrategySchema.optional(), ...Object.fromEntries(ROUTING_ROLES.map((r) => [r, RouteSchema.optional()])) })
      .strict()
      .default({}),
  })
  .strict();

export interface ParsedLlmYaml {
  config: LlmConfig;
  /** Ollama's entry: its base_url and model go to Settings (ollamaHost, defaultModel); absent: unchanged. */
  ollama: { host?: string; model?: string | null };
}

/** Reads Software Maker's YAML (with or without the `llm:` wrapper); CONFIG_INVALID with line:col or details.fields. */
export function parseLlmYaml(text: string): ParsedLlmYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, lineCounter });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const at = e.linePos?.[0];
    const where = at ? `${at.line}:${at.col}` : '?';
    const message = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new MacsError('CONFIG_INVALID', `${where}: YAML syntax error: ${message}`, { line: at?.line ?? null, col: at?.col ?? null, fields: [{ path: where, message }] });
  }
  const root: unknown = doc.toJS();
  const wrapped = isRecord(root) && 'llm' in root;
  const body: unknown = wrapped ? root.llm : root;
  const prefix = wrapped ? ['llm'] : [];
  const fail = (fields: FieldError[]): never => {
    const located = fields.map((f) => ({ path: f.path, message: `${f.message}${lineOf(doc, lineCounter, f.path)}` }));
    throw new MacsError('CONFIG_INVALID', `The provider YAML is not valid: ${located.map((f) => `${f.path}: ${f.message}`).join('; ')}`, { fields: located });
  };
  if (!isRecord(body)) fail([{ path: prefix.join('.') || '(document)', message: 'Expected a mapping with mode, local_only, providers and routing (under llm:, or at the top).' }]);
  // Software Maker's file may carry other sections beside llm:; they are not ours to read.
  const bodyRecord = body as Record<string, unknown>;
  const keyFields = refusedKeys(bodyRecord, prefix);
  if (keyFields.length > 0) fail(keyFields);
  const parsed = LlmYamlSchema.safeParse(bodyRecord);
  if (!parsed.success) fail(fieldErrors(parsed.error.issues).map((f) => ({ ...f, path: [...prefix, f.path].join('.') })));
  const y = parsed.data!;

  const fields: FieldError[] = [];
  const at = (...parts: (string | number)[]) => [...prefix, ...parts].join('.');
  const ollama: ParsedLlmYaml['ollama'] = {};
  const providers: ProviderConfig[] = [];
  const providerNames: string[] = [];
  for (const [name, entryOrNull] of Object.entries(y.providers)) {
    const entry = entryOrNull ?? ProviderEntrySchema.parse({});
    if (name === OLLAMA_PROVIDER_ID) {
      if (entry.kind && entry.kind !== 'ollama') fields.push({ path: at('providers', name, 'kind'), message: `"${OLLAMA_PROVIDER_ID}" is the built-in Ollama provider; name a ${entry.kind} provider differently.` });
      // enabled is read and not kept: Ollama is always there; routes and the mode decide whether it answers.
      if (entry.base_url !== undefined) ollama.host = entry.base_url.replace(/\/+$/, '');
      if (entry.model !== undefined) ollama.model = entry.model;
      continue;
    }
    const id = ProviderIdSchema.safeParse(name);
    if (!id.success) {
      fields.push({ path: at('providers', name), message: id.error.issues[0]?.message ?? 'not a provider id' });
      continue;
    }
    const known = WELL_KNOWN[name];
    const kind = entry.kind === 'claude' ? 'anthropic' : (entry.kind ?? known?.kind);
    if (kind === 'ollama') {
      fields.push({ path: at('providers', name, 'kind'), message: 'A second Ollama server is an extra host (Settings → Ollama hosts), not a provider.' });
      continue;
    }
    if (!kind) {
      fields.push({ path: at('providers', name, 'kind'), message: `Say which API "${name}" speaks: kind: openai (any OpenAI-compatible server) or kind: anthropic.` });
      continue;
    }
    const baseUrl = entry.base_url ?? known?.baseUrl ?? (kind === 'anthropic' ? 'https://api.anthropic.com' : undefined);
    if (!baseUrl) {
      fields.push({ path: at('providers', name, 'base_url'), message: `Give "${name}" its address, e.g. base_url: http://127.0.0.1:8080/v1.` });
      continue;
    }
    providerNames.push(name);
    providers.push({
      id: name,
      kind,
      label: entry.label ?? '',
      enabled: entry.enabled,
      baseUrl,
      model: entry.model ?? null,
      apiKeyEnv: entry.api_key_env ?? null,
      contextLength: entry.context_length ?? null,
    });
  }

  const routing: Partial<Record<RoutingRole, RoleRoute>> = {};
  const defaultStrategy = y.routing.strategy ?? 'fallback';
  for (const role of ROUTING_ROLES) {
    const raw = (y.routing as Record<string, z.infer<typeof RouteSchema> | undefined>)[role];
    if (raw === undefined) continue;
    const { strategy, targets } = Array.isArray(raw) ? { strategy: defaultStrategy, targets: raw } : { strategy: raw.strategy ?? defaultStrategy, targets: raw.targets };
    routing[role] = { strategy, targets: targets.map((t) => targetOf(t)) };
    routing[role].targets.forEach((t, j) => {
      const ok = ProviderIdSchema.safeParse(t.provider);
      if (!ok.success) fields.push({ path: at('routing', role, ...(Array.isArray(raw) ? [] : ['targets']), j), message: `"${t.provider}" is not a provider name.` });
    });
  }
  if (fields.length > 0) fail(fields);

  const config: LlmConfig = { mode: y.mode, localOnly: y.local_only, providers, routing };
  const problems = configProblems(config).map((f) => ({ ...f, path: yamlPath(f.path, prefix, providerNames) }));
  if (problems.length > 0) fail(problems);
  return { config, ollama };
}

/** "lmstudio", "ollama/qwen2.5-coder:14b", "@openrouter/qwen/qwen3-coder:free" or a mapping. */
function targetOf(t: z.infer<typeof TargetSchema>): RouteTarget {
  if (typeof t !== 'string') return { provider: t.provider, model: t.model ?? null, weight: t.weight ?? 1 };
  const s = t.replace(/^@/, '');
  const slash = s.indexOf('/');
  return slash < 0 ? { provider: s, model: null, weight: 1 } : { provider: s.slice(0, slash), model: s.slice(slash + 1) || null, weight: 1 };
}

/** `api_key:` anywhere in a provider entry: refused, whatever its value. */
function refusedKeys(body: Record<string, unknown>, prefix: string[]): FieldError[] {
  const providers = body.providers;
  if (!isRecord(providers)) return [];
  return Object.entries(providers)
    .filter(([, entry]) => isRecord(entry) && ('api_key' in entry || 'apiKey' in entry || 'key' in entry))
    .map(([name, entry]) => ({ path: [...prefix, 'providers', name, 'api_key' in (entry as object) ? 'api_key' : 'apiKey' in (entry as object) ? 'apiKey' : 'key'].join('.'), message: KEY_REFUSED }));
}

/** A configuration path ("providers.1.id", "routing.fix.targets.0.provider") in the file's terms. */
function yamlPath(path: string, prefix: string[], providerNames: string[]): string {
  const parts = path.split('.');
  if (parts[0] === 'providers' && parts.length >= 2) return [...prefix, 'providers', providerNames[Number(parts[1])] ?? parts[1], ...parts.slice(3)].join('.');
  return [...prefix, ...parts].join('.');
}

/** " (line 7)" for a field the document has (or its nearest parent); "" otherwise. */
function lineOf(doc: Document.Parsed, counter: LineCounter, path: string): string {
  const parts = path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  for (let n = parts.length; n > 0; n--) {
    const node = doc.getIn(parts.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return ` (line ${counter.linePos(node.range[0]).line})`;
  }
  return '';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface ExportInputs {
  config: LlmConfig;
  settings: Pick<Settings, 'ollamaHost' | 'defaultModel'>;
}

/** The canonical YAML: Ollama first, then each provider in order; routes as lists when plain fallback lists. No keys, ever. */
export function exportLlmYaml({ config, settings }: ExportInputs): string {
  const providers: Record<string, Record<string, unknown>> = {
    ollama: { enabled: true, base_url: settings.ollamaHost, ...(settings.defaultModel ? { model: settings.defaultModel } : {}) },
  };
  for (const p of config.providers) {
    providers[p.id] = {
      kind: p.kind,
      ...(p.label ? { label: p.label } : {}),
      enabled: p.enabled,
      base_url: p.baseUrl,
      ...(p.model !== null ? { model: p.model } : {}),
      ...(p.apiKeyEnv !== null ? { api_key_env: p.apiKeyEnv } : {}),
      ...(p.contextLength !== null ? { context_length: p.contextLength } : {}),
    };
  }
  const routing: Record<string, unknown> = {};
  for (const role of ROUTING_ROLES) {
    const route = config.routing[role];
    if (!route) continue;
    const plain = route.targets.every((t) => t.weight === 1);
    const targets = route.targets.map((t) => (plain ? (t.model === null ? t.provider : `${t.provider}/${t.model}`) : { provider: t.provider, ...(t.model !== null ? { model: t.model } : {}), weight: t.weight }));
    routing[role] = route.strategy === 'fallback' && plain ? targets : { strategy: route.strategy, targets };
  }
  const doc = new Document({ llm: { mode: config.mode, local_only: config.localOnly, providers, routing } });
  doc.commentBefore =
    ' MACS provider configuration (Software Maker\'s llm: shape).\n Keys are never written here: store them in MACS (Settings → Providers, or macs providers set-key)\n or name an environment variable with api_key_env.';
  const providersNode = doc.getIn(['llm', 'providers']);
  if (isMap(providersNode)) for (const item of providersNode.items) if (isMap(item.value)) item.value.flow = true;
  const routingNode = doc.getIn(['llm', 'routing']);
  if (isMap(routingNode)) {
    for (const item of routingNode.items) {
      if (isSeq(item.value) || isMap(item.value)) item.value.flow = true;
    }
  }
  return doc.toString({ lineWidth: 0 });
}
