// /v1/providers end to end: a real server and engine on a real data dir (SQLite file, the key
// file under secrets/), no keychain (macs serve). The key set here is searched for in every
// response, every published event, every log line and every file of the data dir.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startServedEngine, type ServedEngine } from './served-engine.js';

let s: ServedEngine;
let base = '';
let apiKey = '';
const KEY = 'sk-proj-9Zq1LEAKCANARY7e4d2c1b0a3xQz';
const seen: string[] = [];
const logged: string[] = [];

beforeAll(async () => {
  for (const level of ['log', 'warn', 'error', 'info', 'debug'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
  }
  s = await startServedEngine('providers-rest');
  base = `http://127.0.0.1:${s.server.port}`;
  apiKey = s.engine.apiKey().apiKey;
  s.engine.onTopic((topic, payload) => seen.push(`${topic} ${JSON.stringify(payload)}`));
});
afterAll(async () => {
  await s.close();
  vi.restoreAllMocks();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- responses are checked field by field
type Body = any;

async function api(method: string, urlPath: string, body?: unknown, opts: { key?: string | null; type?: string } = {}): Promise<{ status: number; body: Body; text: string; type: string | null }> {
  const k = opts.key === undefined ? apiKey : opts.key;
  const res = await fetch(`${base}${urlPath}`, {
    method,
    headers: { 'content-type': opts.type ?? 'application/json', ...(k === null ? {} : { 'x-api-key': k }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  seen.push(text);
  const type = res.headers.get('content-type');
  return { status: res.status, text, type, body: type?.includes('json') && text ? JSON.parse(text) : null };
}

const lmstudio = { id: 'lmstudio', kind: 'openai', enabled: true, base_url: 'http://127.0.0.1:9/v1', model: 'qwen2.5-coder-7b-instruct' };
const openai = { id: 'openai', kind: 'openai', enabled: true, base_url: 'https://api.openai.com/v1', model: 'gpt-4.1-mini', api_key_env: 'MACS_TEST_NO_SUCH_ENV' };

describe('/v1/providers', () => {
  it('GET: Ollama first (from Settings), the key store says where keys would go', async () => {
    const got = await api('GET', '/v1/providers');
    expect(got.status).toBe(200);
    expect(got.body.providers[0]).toMatchObject({ id: 'ollama', kind: 'ollama', enabled: true, base_url: s.standin.url, key_source: null, leaves_machine: false });
    expect(got.body).toMatchObject({ mode: 'local', local_only: true, routing: {}, key_store: { backend: 'file', plaintext: true, consented: false } });
    expect((await api('GET', '/v1/providers', undefined, { key: null })).status).toBe(401);
  });

  it('PATCH: providers and routes; a route to an unknown provider is CONFIG_INVALID naming the field; writes need the API key', async () => {
    const bad = await api('PATCH', '/v1/providers', { routing: { plan: { strategy: 'fallback', targets: [{ provider: 'vllm', model: null }] } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('CONFIG_INVALID');
    expect(bad.body.error.details.fields).toEqual([{ path: 'routing.plan.targets.0.provider', message: 'No provider "vllm" is configured (configured: ollama).' }]);
    const shape = await api('PATCH', '/v1/providers', { providers: [{ ...lmstudio, base_url: 'nope' }] });
    expect(shape.status).toBe(400);
    expect(shape.body.error.details.fields[0].path).toBe('providers.0.base_url');

    expect((await api('PATCH', '/v1/providers', { localOnly: false }, { key: null })).status).toBe(401);
    const ok = await api('PATCH', '/v1/providers', { mode: 'hybrid', providers: [lmstudio, openai], routing: { plan: { strategy: 'fallback', targets: [{ provider: 'lmstudio', model: null }, { provider: 'ollama', model: null }] } } });
    expect(ok.status).toBe(200);
    expect(ok.body.providers.map((p: Body) => [p.id, p.leaves_machine])).toEqual([['ollama', false], ['lmstudio', false], ['openai', true]]);
    expect(ok.body.routing.plan.targets).toEqual([{ provider: 'lmstudio', model: null, weight: 1 }, { provider: 'ollama', model: null, weight: 1 }]);
    // Settings' plan model is the route's first target.
    expect((await s.engine.invoke('settings.get', {}) as Body).roleModels.plan).toBe('@lmstudio/qwen2.5-coder-7b-instruct');
  });

  it('PUT …/key: refused until consent (409), then stored 0600 and shown only masked; DELETE forgets it', async () => {
    const refused = await api('PUT', '/v1/providers/openai/key', { key: KEY });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('KEY_STORE_NEEDS_CONSENT');
    expect(refused.body.error.message).toContain('set MACS_TEST_NO_SUCH_ENV and leave the key field empty');
    expect((await api('PUT', '/v1/providers/nobody/key', { key: KEY, allow_plaintext: true })).body.error.code).toBe('PROVIDER_NOT_FOUND');

    const stored = await api('PUT', '/v1/providers/openai/key', { key: KEY, allow_plaintext: true });
    expect(stored.status).toBe(200);
    expect(stored.body.providers.find((p: Body) => p.id === 'openai')).toMatchObject({ key_source: 'file', key_hint: '••••••••3xQz' });
    expect(stored.body.key_store).toEqual({ backend: 'file', plaintext: true, consented: true });
    const file = path.join(s.dataDir, 'secrets', 'provider-keys.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);

    // Every read of the configuration afterwards, key still stored.
    await api('GET', '/v1/providers');
    await api('GET', '/v1/providers/status');
    const yaml = await api('GET', '/v1/providers/config.yaml');
    expect(yaml.status).toBe(200);
    expect(yaml.type).toContain('text/yaml');
    expect(yaml.text).toContain('api_key_env: MACS_TEST_NO_SUCH_ENV');
    expect(yaml.text).not.toMatch(/api_key:/);
  });

  it('GET status and a provider’s models answer (an unreachable server is a status, not a 500)', async () => {
    const status = await api('GET', '/v1/providers/status?refresh=true');
    expect(status.status).toBe(200);
    const lm = status.body.providers.find((p: Body) => p.id === 'lmstudio');
    expect(lm).toMatchObject({ reachable: false, enabled: true });
    expect(lm.checked_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    const models = await api('GET', '/v1/providers/ollama/models');
    expect(models.status).toBe(200);
    expect(Array.isArray(models.body.models)).toBe(true);
  });

  it('PUT config.yaml: a key in the file is refused; a syntax error says line:col; a good file replaces the configuration and sets Ollama’s model', async () => {
    const withKey = await api('PUT', '/v1/providers/config.yaml', `llm:\n  providers:\n    openai: { api_key: ${KEY} }\n`, { type: 'text/yaml' });
    expect(withKey.status).toBe(400);
    expect(withKey.body.error.code).toBe('CONFIG_INVALID');
    expect(withKey.body.error.details.fields[0].path).toBe('llm.providers.openai.api_key');
    const broken = await api('PUT', '/v1/providers/config.yaml', 'llm:\n  mode: [\n', { type: 'text/yaml' });
    expect(broken.status).toBe(400);
    expect(broken.body.error.message).toMatch(/^\d+:\d+: YAML syntax error/);

    const good = `llm:\n  mode: hybrid\n  providers:\n    ollama: { base_url: ${s.standin.url}, model: qwen2.5-coder:7b }\n    openai: { enabled: true, model: gpt-4.1-mini, api_key_env: MACS_TEST_NO_SUCH_ENV }\n  routing:\n    review: [openai, ollama/qwen2.5-coder:7b]\n`;
    const imported = await api('PUT', '/v1/providers/config.yaml', good, { type: 'text/yaml' });
    expect(imported.status).toBe(200);
    expect(imported.body.providers.map((p: Body) => p.id)).toEqual(['ollama', 'openai']);
    expect(imported.body.providers[0].model).toBe('qwen2.5-coder:7b');
    // The stored key of a provider kept by the import still applies.
    expect(imported.body.providers[1]).toMatchObject({ key_source: 'file', key_hint: '••••••••3xQz' });
    expect((await s.engine.invoke('settings.get', {}) as Body).roleModels).toMatchObject({ plan: null, review: '@openai/gpt-4.1-mini' });
  });

  it('DELETE …/key forgets it', async () => {
    const gone = await api('DELETE', '/v1/providers/openai/key');
    expect(gone.status).toBe(200);
    expect(gone.body.providers.find((p: Body) => p.id === 'openai')).toMatchObject({ key_source: null, key_hint: null });
  });

  it('the key never appeared in a response, an event, a log line, or a file of the data dir (but the consented key file)', async () => {
    await api('PUT', '/v1/providers/openai/key', { key: KEY });
    await new Promise((r) => setTimeout(r, 200)); // the background providers.status publish
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.some((t) => t.startsWith('providers.status '))).toBe(true);
    for (const text of seen) expect(text).not.toContain(KEY);
    for (const line of logged) expect(line).not.toContain(KEY);
    const keyFile = path.join(s.dataDir, 'secrets', 'provider-keys.json');
    const files = fs.readdirSync(s.dataDir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name));
    expect(files.length).toBeGreaterThan(2);
    for (const f of files) if (f !== keyFile) expect(fs.readFileSync(f).includes(KEY), f).toBe(false);
    expect(fs.readFileSync(keyFile, 'utf8')).toContain(KEY); // plaintext, consented: the one place it is
  });
});
