// The provider configuration (mode, "local only", providers, routes) as one JSON value in the
// SQLite `settings` table under "llm". One store per database: Settings' roleModels are a view
// of its routes (settings-store.ts), so both must see the same listeners.
import type { FieldError, LlmConfig } from '../../../shared/index.js';
import { DEFAULT_LLM_CONFIG, LlmConfigSchema, MacsError, OLLAMA_PROVIDER_ID, ROUTING_ROLES, fieldErrors, parseModelRef } from '../../../shared/index.js';
import type { Db } from '../db/index.js';
import { mapDiskFull } from '../db/index.js';
import type { LlmConfigStore } from './types.js';

export const LLM_SETTINGS_KEY = 'llm';
/** Where Settings kept the build roles' models before routing did (issue 17). */
const OLD_ROLE_MODELS_KEY = 'roleModels';
const OLD_ROLES = ['plan', 'implement', 'fix', 'review'] as const;

export interface LlmConfigStoreOptions {
  /** A stored value that no longer parses is reported here (and replaced by the defaults on read). */
  warn?: (message: string) => void;
}

const stores = new WeakMap<Db, LlmConfigStore>();

/** The store of this database (the same object for every caller, so change listeners hear every writer). */
export function createLlmConfigStore(db: Db, options: LlmConfigStoreOptions = {}): LlmConfigStore {
  const existing = stores.get(db);
  if (existing) return existing;
  // Each problem is told once: get() runs on every view and every model call.
  const sink = options.warn ?? ((m: string) => console.warn(m));
  const told = new Set<string>();
  const store = new SqliteLlmConfigStore(db, (m) => {
    if (!told.has(m)) sink(m);
    told.add(m);
  });
  stores.set(db, store);
  return store;
}

/**
 * Variable names are words (OPENAI_API_KEY, groq_key); keys are long runs mixing lower case and
 * digits (gsk_…, sk-…, a 40-character hex token). A name that could be either is let through.
 */
export function looksLikeKey(value: string): boolean {
  return value.length >= 20 && /[a-z]/.test(value) && /\d/.test(value) && /[a-z]\d|\d[a-z]/i.test(value) && (value.match(/\d/g)?.length ?? 0) >= 4;
}

/**
 * Problems a schema cannot see: ids that clash, routes to providers that do not exist, a mode
 * that names a provider kind nobody configured. Paths as in details.fields everywhere else.
 */
export function configProblems(config: LlmConfig): FieldError[] {
  const fields: FieldError[] = [];
  const seen = new Set<string>();
  config.providers.forEach((p, i) => {
    if (p.id === OLLAMA_PROVIDER_ID) fields.push({ path: `providers.${i}.id`, message: `"${OLLAMA_PROVIDER_ID}" is the built-in Ollama provider (set its address in Settings); give this ${p.kind} provider another id.` });
    else if (seen.has(p.id)) fields.push({ path: `providers.${i}.id`, message: `Another provider already has the id "${p.id}".` });
    seen.add(p.id);
    // Said without quoting it back: it is probably a key.
    if (p.apiKeyEnv && looksLikeKey(p.apiKeyEnv)) {
      fields.push({ path: `providers.${i}.apiKeyEnv`, message: 'This looks like a key itself, not the name of an environment variable (such as GROQ_API_KEY). Save it with "Save key" instead: the configuration is not secret.' });
    }
  });
  for (const role of ROUTING_ROLES) {
    config.routing[role]?.targets.forEach((t, j) => {
      if (t.provider !== OLLAMA_PROVIDER_ID && !seen.has(t.provider)) {
        const known = [OLLAMA_PROVIDER_ID, ...seen].join(', ');
        fields.push({ path: `routing.${role}.targets.${j}.provider`, message: `No provider "${t.provider}" is configured (configured: ${known}).` });
      }
    });
  }
  const enabledOfKind = (kind: 'openai' | 'anthropic') => config.providers.some((p) => p.enabled && p.kind === kind);
  if (config.mode === 'openai' && !enabledOfKind('openai')) fields.push({ path: 'mode', message: 'Mode "openai" needs an enabled provider of kind openai.' });
  if (config.mode === 'claude' && !enabledOfKind('anthropic')) fields.push({ path: 'mode', message: 'Mode "claude" needs an enabled provider of kind anthropic.' });
  return fields;
}

/** CONFIG_INVALID naming every field, the same details.fields shape as INVALID_INPUT. */
export function configInvalid(fields: FieldError[], what = 'The provider configuration'): MacsError {
  const list = fields.map((f) => `${f.path}: ${f.message}`).join('; ');
  return new MacsError('CONFIG_INVALID', `${what} is not valid: ${list}`, { fields });
}

/** Parses and checks a whole configuration; CONFIG_INVALID with details.fields otherwise. */
export function validateLlmConfig(value: unknown, what?: string): LlmConfig {
  const parsed = LlmConfigSchema.safeParse(value);
  if (!parsed.success) throw configInvalid(fieldErrors(parsed.error.issues), what);
  const problems = configProblems(parsed.data);
  if (problems.length > 0) throw configInvalid(problems, what);
  return parsed.data;
}

class SqliteLlmConfigStore implements LlmConfigStore {
  private readonly listeners = new Set<(config: LlmConfig) => void>();

  constructor(
    private readonly db: Db,
    private readonly warn: (message: string) => void,
  ) {
    this.migrateRoleModels();
  }

  get(): LlmConfig {
    const row = this.db.prepare('SELECT value_json FROM settings WHERE key = ?').get(LLM_SETTINGS_KEY) as { value_json: string } | undefined;
    if (!row) return structuredClone(DEFAULT_LLM_CONFIG);
    let raw: unknown;
    try {
      raw = JSON.parse(row.value_json);
    } catch {
      raw = undefined;
    }
    const parsed = LlmConfigSchema.safeParse(raw);
    if (parsed.success) return parsed.data;
    // Never a crash on start: a value written by a newer or broken build reads as the defaults.
    this.warn(`The stored provider configuration is not valid (${parsed.error.issues[0]?.message ?? 'not JSON'}); using the defaults (Ollama only, local only) until it is saved again.`);
    return structuredClone(DEFAULT_LLM_CONFIG);
  }

  update(patch: Partial<LlmConfig>): LlmConfig {
    const next = validateLlmConfig({ ...this.get(), ...definedOnly(patch) });
    this.write(next);
    for (const listener of this.listeners) listener(next);
    return next;
  }

  onChange(listener: (config: LlmConfig) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private write(config: LlmConfig): void {
    mapDiskFull({ path: this.db.name, what: 'the provider configuration', neededBytes: 4096 }, () =>
      this.db
        .prepare('INSERT INTO settings (key, value_json) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json')
        .run(LLM_SETTINGS_KEY, JSON.stringify(config)),
    );
  }

  /**
   * Settings' old "roleModels" row becomes routes (once: the row is deleted in the same
   * transaction). A role that already has a route keeps it.
   */
  private migrateRoleModels(): void {
    const row = this.db.prepare('SELECT value_json FROM settings WHERE key = ?').get(OLD_ROLE_MODELS_KEY) as { value_json: string } | undefined;
    if (!row) return;
    this.db.transaction(() => {
      let old: Record<string, unknown> = {};
      try {
        old = JSON.parse(row.value_json) as Record<string, unknown>;
      } catch {
        this.warn('The stored role models are not JSON; they are dropped (set them again in Settings → Build pipeline).');
      }
      const config = this.get();
      const routing = { ...config.routing };
      for (const role of OLD_ROLES) {
        const ref = old?.[role];
        if (typeof ref !== 'string' || ref.trim() === '' || routing[role]) continue;
        const { provider, model } = parseModelRef(ref.trim());
        routing[role] = { strategy: 'fallback', targets: [{ provider, model, weight: 1 }] };
      }
      const migrated = { ...config, routing };
      if (configProblems(migrated).length === 0 && LlmConfigSchema.safeParse(migrated).success) this.write(migrated);
      else this.warn('The stored role models name providers that are not configured; they are dropped (set them again in Settings → Build pipeline).');
      this.db.prepare('DELETE FROM settings WHERE key = ?').run(OLD_ROLE_MODELS_KEY);
    })();
  }
}

function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}
