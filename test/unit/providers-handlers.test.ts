// The providers.* handlers over a real SQLite file and a real key file, with a recording
// registry: each change forgets built providers and publishes the new reachability.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProviderStatus } from '../../shared/index.js';
import { openDatabase, type Db } from '../../electron/core/db/index.js';
import { createProviderHandlers } from '../../electron/core/engine/provider-handlers.js';
import { createKeyStore, createLlmConfigStore, type ProviderRegistry } from '../../electron/core/providers/index.js';
import { SettingsStore } from '../../electron/core/settings/index.js';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-provider-handlers-'));
  db = openDatabase(path.join(dir, 'macs.db'));
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const STATUS: ProviderStatus = { id: 'ollama', kind: 'ollama', label: 'Ollama', host: 'http://127.0.0.1:11434', enabled: true, leavesMachine: false, reachable: true, version: '0.12.0', error: null, checkedAt: 1 };

function setUp() {
  const invalidate = vi.fn();
  const statuses = vi.fn(async () => [STATUS]);
  const providers = { invalidate, statuses, models: vi.fn(async () => []) } as unknown as ProviderRegistry;
  const published: [string, unknown][] = [];
  const onHostsChanged = vi.fn();
  const settings = new SettingsStore(db, undefined);
  const handlers = createProviderHandlers({
    llmConfig: createLlmConfigStore(db),
    keys: createKeyStore({ dataDir: dir }),
    settings,
    providers,
    publish: ((topic: string, payload: unknown) => published.push([topic, payload])) as never,
    onHostsChanged,
  });
  return { handlers, invalidate, statuses, published, onHostsChanged, settings };
}

const claude = { id: 'claude', kind: 'anthropic' as const, enabled: true, baseUrl: 'https://api.anthropic.com', model: 'claude-sonnet-4-5', apiKeyEnv: 'ANTHROPIC_API_KEY', contextLength: null };

describe('providers.* handlers', () => {
  it('update: stored, the registry forgets its providers, providers.status is published', async () => {
    const t = setUp();
    const view = await t.handlers['providers.update']({ localOnly: false, providers: [claude] });
    expect(view.providers.map((p) => [p.id, p.leavesMachine])).toEqual([['ollama', false], ['claude', true]]);
    expect(t.invalidate).toHaveBeenCalledOnce();
    await vi.waitFor(() => expect(t.published).toEqual([['providers.status', { providers: [STATUS] }]]));
    expect(t.statuses).toHaveBeenCalledWith(true);
  });

  it('a provider removed from the configuration (by update or by a YAML import) takes its stored key with it', async () => {
    const t = setUp();
    const lm = { ...claude, id: 'lmstudio', kind: 'openai' as const, baseUrl: 'http://127.0.0.1:1234/v1', apiKeyEnv: null };
    await t.handlers['providers.update']({ providers: [claude, lm] });
    await t.handlers['providers.setKey']({ id: 'claude', key: 'sk-ant-abcdefgh12345678', allowPlaintext: true });
    await t.handlers['providers.setKey']({ id: 'lmstudio', key: 'lm-key-abcdefgh1234', allowPlaintext: true });
    const keyFile = path.join(dir, 'secrets', 'provider-keys.json');
    await t.handlers['providers.update']({ providers: [lm] });
    expect(fs.readFileSync(keyFile, 'utf8')).not.toContain('sk-ant-abcdefgh12345678');
    expect(fs.readFileSync(keyFile, 'utf8')).toContain('lm-key-abcdefgh1234');
    await t.handlers['providers.importYaml']({ yaml: 'llm:\n  mode: local\n  providers:\n    ollama: { enabled: true }\n' });
    expect(fs.readFileSync(keyFile, 'utf8')).not.toContain('lm-key-abcdefgh1234');
  });

  it('setKey names the provider’s own api_key_env in the consent refusal; nothing changes on a refusal', async () => {
    const t = setUp();
    await t.handlers['providers.update']({ providers: [claude] });
    t.invalidate.mockClear();
    await expect(t.handlers['providers.setKey']({ id: 'claude', key: 'sk-ant-abcdefgh12345678' })).rejects.toMatchObject({
      code: 'KEY_STORE_NEEDS_CONSENT',
      message: expect.stringContaining('or set ANTHROPIC_API_KEY and leave the key field empty.'),
    });
    expect(t.invalidate).not.toHaveBeenCalled();
    const view = await t.handlers['providers.setKey']({ id: 'claude', key: 'sk-ant-abcdefgh12345678', allowPlaintext: true });
    expect(view.providers[1]).toMatchObject({ keySource: 'file', keyHint: '••••••••5678' });
    expect(t.invalidate).toHaveBeenCalledOnce();
    await expect(t.handlers['providers.setKey']({ id: 'ollama', key: 'x'.repeat(12) })).rejects.toMatchObject({ code: 'PROVIDER_NOT_FOUND', message: 'Ollama needs no key.' });
  });

  it('importYaml sets Ollama’s host and model in Settings and tells the hosts changed; exportYaml gives it back', async () => {
    const t = setUp();
    await t.handlers['providers.importYaml']({ yaml: 'providers:\n  ollama: { base_url: "http://gpu-box:11434/", model: qwen2.5-coder:14b }\n  claude: {}\nrouting:\n  review: [claude]\n' });
    expect(t.settings.get()).toMatchObject({ ollamaHost: 'http://gpu-box:11434', defaultModel: 'qwen2.5-coder:14b' });
    // A route to a provider with no model of its own reads as no model for the role.
    expect(t.settings.get().roleModels.review).toBeNull();
    expect(t.onHostsChanged).toHaveBeenCalledOnce();
    const { yaml } = await t.handlers['providers.exportYaml']({});
    expect(yaml).toContain('ollama: { enabled: true, base_url: http://gpu-box:11434, model: qwen2.5-coder:14b }');
    expect(yaml).toContain('review: [ claude ]');
  });
});
