import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LlmConfig, ProviderConfig } from '../../shared/index.js';
import { MacsError } from '../../shared/index.js';
import { openDatabase, type Db } from '../../electron/core/db/index.js';
import { createLlmConfigStore } from '../../electron/core/providers/index.js';
import { SettingsStore } from '../../electron/core/settings/index.js';

let dir: string;
let dbFile: string;
let db: Db;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-providers-config-'));
  dbFile = path.join(dir, 'macs.db');
  db = openDatabase(dbFile);
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const lmstudio: ProviderConfig = { id: 'lmstudio', kind: 'openai', label: '', enabled: true, baseUrl: 'http://127.0.0.1:1234/v1', model: 'qwen2.5-coder-7b-instruct', apiKeyEnv: null, contextLength: null };
const claude: ProviderConfig = { id: 'claude', kind: 'anthropic', label: 'Claude', enabled: true, baseUrl: 'https://api.anthropic.com', model: 'claude-sonnet-4-5', apiKeyEnv: 'ANTHROPIC_API_KEY', contextLength: null };

function fieldsOf(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(MacsError);
    expect((err as MacsError).code).toBe('CONFIG_INVALID');
    return (err as MacsError).details!.fields as { path: string; message: string }[];
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('LlmConfigStore', () => {
  it('starts with the defaults and keeps an update across a reopen of the database file', () => {
    const store = createLlmConfigStore(db);
    expect(store.get()).toEqual({ mode: 'local', localOnly: true, providers: [], routing: {} });
    store.update({ mode: 'hybrid', providers: [lmstudio], routing: { plan: { strategy: 'fallback', targets: [{ provider: 'lmstudio', model: null, weight: 1 }] } } });
    db.close();
    db = openDatabase(dbFile);
    const again = createLlmConfigStore(db).get();
    expect(again.mode).toBe('hybrid');
    expect(again.providers).toEqual([lmstudio]);
    expect(again.routing.plan?.targets[0].provider).toBe('lmstudio');
  });

  it('is one store per database, so listeners hear every writer', () => {
    const heard: LlmConfig[] = [];
    createLlmConfigStore(db).onChange((c) => heard.push(c));
    createLlmConfigStore(db).update({ localOnly: false });
    expect(heard.map((c) => c.localOnly)).toEqual([false]);
  });

  it('reads a bad stored value as the defaults with a warning, never a crash', () => {
    db.prepare("INSERT INTO settings (key, value_json) VALUES ('llm', ?)").run(JSON.stringify({ mode: 'warp-drive', providers: 7 }));
    const warn = vi.fn();
    const store = createLlmConfigStore(db, { warn });
    expect(store.get()).toEqual({ mode: 'local', localOnly: true, providers: [], routing: {} });
    store.get();
    expect(warn).toHaveBeenCalledOnce();
    db.prepare("UPDATE settings SET value_json = '{not json' WHERE key = 'llm'").run();
    expect(store.get().mode).toBe('local');
  });

  it('refuses a route to a provider that is not configured, naming the field', () => {
    const store = createLlmConfigStore(db);
    const fields = fieldsOf(() => store.update({ routing: { fix: { strategy: 'fallback', targets: [{ provider: 'ollama', model: null, weight: 1 }, { provider: 'vllm', model: 'x', weight: 1 }] } } }));
    expect(fields).toEqual([{ path: 'routing.fix.targets.1.provider', message: 'No provider "vllm" is configured (configured: ollama).' }]);
    expect(store.get().routing).toEqual({});
  });

  it('refuses duplicate ids, "ollama" for another kind, and a mode without its provider', () => {
    const store = createLlmConfigStore(db);
    expect(fieldsOf(() => store.update({ providers: [lmstudio, { ...lmstudio }] }))).toEqual([{ path: 'providers.1.id', message: 'Another provider already has the id "lmstudio".' }]);
    expect(fieldsOf(() => store.update({ providers: [{ ...lmstudio, id: 'ollama' }] }))[0].path).toBe('providers.0.id');
    expect(fieldsOf(() => store.update({ mode: 'openai' }))).toEqual([{ path: 'mode', message: 'Mode "openai" needs an enabled provider of kind openai.' }]);
    expect(fieldsOf(() => store.update({ mode: 'claude', providers: [{ ...claude, enabled: false }] }))[0].path).toBe('mode');
    expect(store.update({ mode: 'claude', providers: [claude] }).mode).toBe('claude');
  });

  it('refuses a shape error with the schema path (details.fields)', () => {
    const store = createLlmConfigStore(db);
    const fields = fieldsOf(() => store.update({ providers: [{ ...lmstudio, baseUrl: 'not a url' }] }));
    expect(fields[0].path).toBe('providers.0.baseUrl');
  });
});

describe('Settings roleModels are the routes’ first targets', () => {
  it('derives roleModels from routing (a target without a model on ollama is null; a provider’s own model otherwise)', () => {
    const llm = createLlmConfigStore(db);
    llm.update({
      providers: [lmstudio],
      routing: {
        plan: { strategy: 'fallback', targets: [{ provider: 'lmstudio', model: null, weight: 1 }] },
        implement: { strategy: 'fallback', targets: [{ provider: 'ollama', model: 'qwen2.5-coder:7b', weight: 1 }] },
        fix: { strategy: 'fallback', targets: [{ provider: 'ollama', model: null, weight: 1 }] },
        review: { strategy: 'fallback', targets: [{ provider: 'lmstudio', model: 'other', weight: 1 }] },
      },
    });
    expect(new SettingsStore(db, undefined).get().roleModels).toEqual({ plan: '@lmstudio/qwen2.5-coder-7b-instruct', implement: 'qwen2.5-coder:7b', fix: null, review: '@lmstudio/other' });
  });

  it('settings.update({roleModels}) writes the routes, keeps a route’s further targets, and null removes a route', () => {
    const llm = createLlmConfigStore(db);
    llm.update({ providers: [lmstudio], routing: { fix: { strategy: 'round-robin', targets: [{ provider: 'ollama', model: 'a:1b', weight: 1 }, { provider: 'lmstudio', model: null, weight: 1 }] } } });
    const settings = new SettingsStore(db, undefined);
    const next = settings.update({ roleModels: { plan: '@lmstudio/big', implement: 'qwen2.5-coder:7b', fix: 'b:3b', review: null } });
    expect(next.roleModels).toEqual({ plan: '@lmstudio/big', implement: 'qwen2.5-coder:7b', fix: 'b:3b', review: null });
    const routing = llm.get().routing;
    expect(routing.plan).toEqual({ strategy: 'fallback', targets: [{ provider: 'lmstudio', model: 'big', weight: 1 }] });
    expect(routing.fix).toEqual({ strategy: 'round-robin', targets: [{ provider: 'ollama', model: 'b:3b', weight: 1 }, { provider: 'lmstudio', model: null, weight: 1 }] });
    settings.update({ roleModels: { ...next.roleModels, plan: null } });
    expect(llm.get().routing.plan).toBeUndefined();
    // Nothing is stored under the old key any more.
    expect(db.prepare("SELECT 1 FROM settings WHERE key = 'roleModels'").get()).toBeUndefined();
  });

  it('sending every role back unchanged does not rewrite a route whose first target reads as null', () => {
    const llm = createLlmConfigStore(db);
    llm.update({ routing: { fix: { strategy: 'fallback', targets: [{ provider: 'ollama', model: null, weight: 1 }] } } });
    const settings = new SettingsStore(db, undefined);
    settings.update({ roleModels: settings.get().roleModels, maxFixRounds: 5 });
    expect(llm.get().routing.fix).toBeDefined();
    expect(settings.get().maxFixRounds).toBe(5);
  });

  it('a role model on an unconfigured provider is CONFIG_INVALID and changes nothing', () => {
    const settings = new SettingsStore(db, undefined);
    expect(() => settings.update({ roleModels: { plan: '@nowhere/m', implement: null, fix: null, review: null }, maxFixRounds: 4 })).toThrow(/No provider "nowhere"/);
    expect(settings.get().maxFixRounds).toBe(3);
  });

  it('migrates an old stored roleModels row into routing once', () => {
    db.prepare("INSERT INTO settings (key, value_json) VALUES ('roleModels', ?)").run(JSON.stringify({ plan: 'llama3.2:3b', implement: null, fix: null, review: 'qwen2.5-coder:7b' }));
    db.close();
    db = openDatabase(dbFile);
    const settings = new SettingsStore(db, undefined);
    expect(settings.get().roleModels).toEqual({ plan: 'llama3.2:3b', implement: null, fix: null, review: 'qwen2.5-coder:7b' });
    expect(createLlmConfigStore(db).get().routing.plan).toEqual({ strategy: 'fallback', targets: [{ provider: 'ollama', model: 'llama3.2:3b', weight: 1 }] });
    expect(db.prepare("SELECT 1 FROM settings WHERE key = 'roleModels'").get()).toBeUndefined();
  });
});
