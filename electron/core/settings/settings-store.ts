import type { Db } from '../db/index.js';
import type { LlmConfig, RoleModels, Settings } from '../../../shared/index.js';
import { DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_TASK_OUTPUT_BYTES, MacsError, OLLAMA_PROVIDER_ID, SettingsSchema, formatModelRef, parseModelRef } from '../../../shared/index.js';
import { mapDiskFull } from '../db/index.js';
import { createLlmConfigStore } from '../providers/config-store.js';
import type { LlmConfigStore } from '../providers/types.js';

export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';
export const DEFAULT_NUM_CTX = 8192;
const DEFAULTS = {
  maxConcurrentTasks: 2,
  maxConcurrentPerModel: 1,
  maxAttempts: 3,
  extraOllamaHosts: [] as string[],
  kvCacheType: 'f16' as const,
  flashAttention: false,
  roleModels: { plan: null, implement: null, fix: null, review: null },
  maxFixRounds: 3,
  llmCache: true,
  maxFileBytes: DEFAULT_MAX_FILE_BYTES,
  maxTaskOutputBytes: DEFAULT_MAX_TASK_OUTPUT_BYTES,
  ollamaWaitMinutes: 10,
  thinkingModels: {} as Record<string, boolean>,
  keepAliveMinutes: 30,
  reviewPlansFirst: false,
};

const ROLES = ['plan', 'implement', 'fix', 'review'] as const;

/**
 * Settings persisted in SQLite; OLLAMA_HOST from the environment wins over the stored host.
 * roleModels is not stored here: it is the first target of each build role's route in the
 * provider configuration (one concept, one place; see roleModelsOf / withRoleModels).
 */
export class SettingsStore {
  private readonly llm: LlmConfigStore;

  constructor(
    private readonly db: Db,
    private envOllamaHost: string | undefined,
  ) {
    this.llm = createLlmConfigStore(db);
  }

  get(): Settings {
    const rows = this.db.prepare('SELECT key, value_json FROM settings').all() as { key: string; value_json: string }[];
    const stored: Record<string, unknown> = {};
    for (const row of rows) stored[row.key] = JSON.parse(row.value_json);
    const merged = {
      ollamaHost: normalizeOllamaHost(this.envOllamaHost) ?? stored.ollamaHost ?? DEFAULT_OLLAMA_HOST,
      defaultModel: stored.defaultModel ?? null,
      numCtx: stored.numCtx ?? DEFAULT_NUM_CTX,
      maxConcurrentTasks: stored.maxConcurrentTasks ?? DEFAULTS.maxConcurrentTasks,
      maxConcurrentPerModel: stored.maxConcurrentPerModel ?? DEFAULTS.maxConcurrentPerModel,
      maxAttempts: stored.maxAttempts ?? DEFAULTS.maxAttempts,
      extraOllamaHosts: stored.extraOllamaHosts ?? DEFAULTS.extraOllamaHosts,
      kvCacheType: stored.kvCacheType ?? DEFAULTS.kvCacheType,
      flashAttention: stored.flashAttention ?? DEFAULTS.flashAttention,
      roleModels: roleModelsOf(this.llm.get()),
      maxFixRounds: stored.maxFixRounds ?? DEFAULTS.maxFixRounds,
      llmCache: stored.llmCache ?? DEFAULTS.llmCache,
      maxFileBytes: stored.maxFileBytes ?? DEFAULTS.maxFileBytes,
      maxTaskOutputBytes: stored.maxTaskOutputBytes ?? DEFAULTS.maxTaskOutputBytes,
      ollamaWaitMinutes: stored.ollamaWaitMinutes ?? DEFAULTS.ollamaWaitMinutes,
      thinkingModels: stored.thinkingModels ?? DEFAULTS.thinkingModels,
      keepAliveMinutes: stored.keepAliveMinutes ?? DEFAULTS.keepAliveMinutes,
      reviewPlansFirst: stored.reviewPlansFirst ?? DEFAULTS.reviewPlansFirst,
    };
    const parsed = SettingsSchema.safeParse(merged);
    return parsed.success ? parsed.data : { ollamaHost: DEFAULT_OLLAMA_HOST, defaultModel: null, numCtx: DEFAULT_NUM_CTX, ...DEFAULTS };
  }

  update(patchIn: Partial<Settings>): Settings {
    let patch = patchIn;
    const next = { ...this.get(), ...patch };
    if (patch.ollamaHost !== undefined) next.ollamaHost = normalizeOllamaHost(patch.ollamaHost) ?? patch.ollamaHost;
    if (patch.extraOllamaHosts !== undefined) {
      next.extraOllamaHosts = [...new Set(patch.extraOllamaHosts.map((h) => normalizeOllamaHost(h) ?? h))].filter((h) => h !== next.ollamaHost);
      patch = { ...patch, extraOllamaHosts: next.extraOllamaHosts };
    }
    const parsed = SettingsSchema.safeParse(next);
    if (!parsed.success) throw new MacsError('INVALID_INPUT', 'Invalid settings.', { issues: parsed.error.issues });
    // Only the roles whose model changed: a form that sends every role back must not rewrite
    // routes whose first target has no model of its own (they read as null).
    const current = this.get().roleModels;
    const changedRoles = patch.roleModels ? ROLES.filter((r) => patch.roleModels![r] !== current[r]) : [];
    if (changedRoles.length > 0) this.llm.update({ routing: withRoleModels(this.llm.get(), parsed.data.roleModels, changedRoles) });
    const { roleModels: _derived, ...stored } = patch;
    patch = stored;
    const upsert = this.db.prepare('INSERT INTO settings (key, value_json) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json');
    mapDiskFull({ path: this.db.name, what: 'the settings', neededBytes: 4096 }, () =>
      this.db.transaction(() => {
        for (const [key, value] of Object.entries(patch)) {
          if (value !== undefined) upsert.run(key, JSON.stringify(key === 'ollamaHost' ? parsed.data.ollamaHost : value));
        }
      })(),
    );
    // An explicit settings change of the host takes effect now, even if OLLAMA_HOST was set at start.
    if (patch.ollamaHost !== undefined) this.envOllamaHost = undefined;
    return this.get();
  }
}

/** Accept what users type in OLLAMA_HOST: "localhost:11434", "0.0.0.0", "http://host:port/". */
export function normalizeOllamaHost(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let value = raw.trim();
  if (!value) return undefined;
  if (!/^https?:\/\//i.test(value)) value = `http://${value}`;
  try {
    const url = new URL(value);
    if (url.hostname === '0.0.0.0') url.hostname = '127.0.0.1';
    if (!url.port) url.port = url.protocol === 'https:' ? '443' : '11434';
    return `${url.protocol}//${url.host}`;
  } catch {
    return raw;
  }
}

/** A build role's model: its route's first target as a model reference; null without a route or a model. */
export function roleModelsOf(config: LlmConfig): RoleModels {
  const models = { plan: null, implement: null, fix: null, review: null } as RoleModels;
  for (const role of ROLES) {
    const first = config.routing[role]?.targets[0];
    if (!first) continue;
    const model = first.model ?? (first.provider === OLLAMA_PROVIDER_ID ? null : (config.providers.find((p) => p.id === first.provider)?.model ?? null));
    models[role] = model === null ? null : formatModelRef(first.provider, model);
  }
  return models;
}

/**
 * The routes after setting these roles' models: a model becomes the route's first target (the
 * route's further targets and strategy kept; a new route is a fallback of one); null removes the route.
 */
export function withRoleModels(config: LlmConfig, roleModels: RoleModels, roles: readonly (typeof ROLES)[number][]): LlmConfig['routing'] {
  const routing = { ...config.routing };
  for (const role of roles) {
    const ref = roleModels[role];
    if (ref === null) {
      delete routing[role];
      continue;
    }
    const { provider, model } = parseModelRef(ref);
    const existing = routing[role];
    routing[role] = { strategy: existing?.strategy ?? 'fallback', targets: [{ provider, model, weight: existing?.targets[0]?.weight ?? 1 }, ...(existing?.targets.slice(1) ?? [])] };
  }
  return routing;
}
