// Adversarial review of issue 17's "local only" promise (items 5–6): every way a prompt could still
// reach a provider that leaves the machine while "Local only" is on (the default) or the mode is
// "local". Real engine on a real data dir, real HTTP to the stand-ins. A test named "HOLE: …" shows
// an attack that succeeds today: it fails until the engine is fixed.
//
// "Off the machine" in these tests: http://[::ffff:7f00:1]:PORT is the IPv4-mapped form of
// 127.0.0.1, so it reaches a stand-in on this machine, yet shared/providers.ts urlLeavesMachine()
// judges it to leave (the WHATWG URL parser writes ::ffff:127.0.0.1 as ::ffff:7f00:1, which the
// "::ffff:127." test never matches). It is the engine's own verdict that we hold it to.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Task } from '../../shared/index.js';
import { urlLeavesMachine, providerLeavesMachine } from '../../shared/index.js';
import type { Engine } from '../../electron/core/engine/index.js';
import { startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { startOpenAIStandin, type OpenAIStandin } from '../fixtures/openai-standin/index.js';
import { startAnthropicStandin, type AnthropicStandin } from '../fixtures/anthropic-standin/index.js';
import { adder, answer, approve } from '../fixtures/build-scripts.js';
import { openEngine, tempDataDir } from './helpers.js';

const OLLAMA_MODEL = 'qwen2.5-coder:7b';
const KEY = 'sk-attack-local-5d4c3b2a1f0e-do-not-leak';
const CLOUD_KEY = 'sk-ant-attack-0f1e2d3c4b5a-do-not-leak';

let ollama: OllamaStandin;
let anthropic: AnthropicStandin;
let engine: Engine | undefined;
let dataDir: string;
const closers: Array<() => Promise<void>> = [];

beforeEach(async () => {
  ollama = await startOllamaStandin();
  anthropic = await startAnthropicStandin({ apiKey: CLOUD_KEY });
  dataDir = tempDataDir('providers-attack-local');
});

afterEach(async () => {
  await engine?.close().catch(() => undefined);
  engine = undefined;
  await Promise.all([ollama.close(), anthropic.close(), ...closers.splice(0).map((c) => c())]);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The same port, written as the IPv4-mapped IPv6 address: reaches this machine, judged off it. */
function farUrl(port: number, path = ''): string {
  return `http://[::ffff:7f00:1]:${port}${path}`;
}

const claude = (baseUrl = anthropic.url) => ({ id: 'claude', kind: 'anthropic' as const, label: 'Claude', enabled: true, baseUrl, model: 'claude-sonnet-4-5', apiKeyEnv: null, contextLength: null });

async function configure(patch: Record<string, unknown>): Promise<void> {
  engine ??= openEngine(dataDir, ollama.url);
  await engine.invoke('providers.update', patch);
}

function messagesSent(): number {
  return anthropic.requests.filter((r) => r.path === '/v1/messages').length;
}

async function create(params: Record<string, unknown>): Promise<Task> {
  const { task } = (await engine!.invoke('tasks.create', { prompt: 'SECRET-PROMPT write hello world', ...params })) as { task: Task };
  return task;
}

describe('local only: crafted base URLs are judged by where they go', () => {
  it('public hosts dressed as local are judged to leave; loopback and private forms are not', () => {
    const leaves = [
      'http://127.0.0.1@evil.com/v1', // userinfo: the host is evil.com
      'http://127.0.0.1:1234@evil.com/v1',
      'http://localhost.evil.com/v1',
      'http://127.0.0.1.nip.io/v1',
      'http://evil.com#@127.0.0.1/v1',
      'http://evil.com\\@127.0.0.1/v1',
      'http://8.8.8.8./v1', // trailing dot
      'http://0x08080808/v1', // hex IPv4 of 8.8.8.8
      'http://134744072/v1', // decimal IPv4 of 8.8.8.8
      'http://[::ffff:8.8.8.8]/v1', // IPv4-mapped public
      'http://[2001:4860:4860::8888]/v1',
      'http://[64:ff9b::808:808]/v1', // NAT64 of a public v4
      'http://xn--80ak6aa92e.com/v1', // punycode
      'http://localhost./v1', // a trailing dot makes it a DNS name, not the loopback name
      'https://api.openai.com./v1',
    ];
    for (const url of leaves) expect({ url, leaves: urlLeavesMachine(url) }).toEqual({ url, leaves: true });
    const local = ['http://127.0.0.1:1234/v1', 'http://0x7f000001:1234/v1', 'http://2130706433:1234/v1', 'http://127.1:1234/v1', 'http://[::1]:1234/v1', 'http://localhost:1234/v1', 'http://192.168.1.20:8080/v1', 'http://[fd00::5]:8000/v1'];
    for (const url of local) expect({ url, leaves: urlLeavesMachine(url) }).toEqual({ url, leaves: false });
    // Anthropic only serves from its cloud: a loopback base URL does not make it local.
    expect(providerLeavesMachine('anthropic', 'http://127.0.0.1:9/')).toBe(true);
  });

  it('a provider whose base URL only looks local (userinfo, IPv4-mapped form) is refused under local only, before anything is sent', async () => {
    const far = await startOpenAIStandin({ flavour: 'lmstudio', models: [{ id: 'm' }] });
    closers.push(() => far.close());
    await configure({
      mode: 'hybrid',
      providers: [
        { id: 'sneaky', kind: 'openai', label: '', enabled: true, baseUrl: farUrl(far.port, '/v1'), model: 'm', apiKeyEnv: null, contextLength: null },
        { id: 'userinfo', kind: 'openai', label: '', enabled: true, baseUrl: `http://127.0.0.1@[::ffff:7f00:1]:${far.port}/v1`, model: 'm', apiKeyEnv: null, contextLength: null },
      ],
    });
    for (const model of ['@sneaky/m', '@userinfo/m']) await expect(create({ model })).rejects.toMatchObject({ code: 'LOCAL_ONLY' });
    expect(far.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(0);
  });
});

describe('local only: every way a task can name a cloud model', () => {
  it('Anthropic at a 127.0.0.1 base URL counts as cloud: refused under local only, and under mode "local" with local only off', async () => {
    await configure({ mode: 'hybrid', providers: [claude()] });
    const view = (await engine!.invoke('providers.get', {})) as { providers: Array<{ id: string; leavesMachine: boolean }> };
    expect(view.providers.find((p) => p.id === 'claude')?.leavesMachine).toBe(true);
    await expect(create({ model: '@claude/claude-sonnet-4-5' })).rejects.toMatchObject({ code: 'LOCAL_ONLY' });
    await configure({ mode: 'local', localOnly: false });
    await expect(create({ model: '@claude/claude-sonnet-4-5' })).rejects.toMatchObject({ code: 'LOCAL_ONLY', message: expect.stringContaining('the mode is "local"') });
    expect(messagesSent()).toBe(0);
  });

  it('PROVIDER= (task metadata providerOverride) naming the cloud provider, by id or by kind, sends nothing under local only', async () => {
    await configure({ mode: 'hybrid', providers: [claude()] });
    await engine!.invoke('providers.setKey', { id: 'claude', key: CLOUD_KEY, allowPlaintext: true });
    for (const override of ['claude', 'anthropic']) {
      ollama.enqueueChat({ text: 'from ollama' });
      const task = await create({ model: OLLAMA_MODEL, metadata: { providerOverride: override } });
      const done = await engine!.waitForTask(task.id, 30_000);
      expect(done.status).toBe('failed');
      expect(done.error?.code).toBe('LOCAL_ONLY');
    }
    expect(messagesSent()).toBe(0);
  }, 60_000);

  it('a task queued on a cloud model while local only was off does not reach it once local only is back on', async () => {
    await configure({ mode: 'hybrid', localOnly: false, providers: [claude()] });
    await engine!.invoke('providers.setKey', { id: 'claude', key: CLOUD_KEY, allowPlaintext: true });
    // The first task holds the queue (Ollama stops mid-answer), so the second waits in it.
    ollama.enqueueChat({ text: 'one two three four five six', hangAfterTokens: 1 });
    const blocker = await create({ model: OLLAMA_MODEL });
    await engine!.waitForTask(blocker.id, 2_000).catch(() => undefined);
    anthropic.enqueue({ text: 'from the cloud' });
    const queued = await create({ model: '@claude/claude-sonnet-4-5' });
    const before = (await engine!.invoke('tasks.get', { taskId: queued.id })) as { task: Task };
    expect(before.task.status).toBe('queued');
    await configure({ localOnly: true });
    await engine!.invoke('tasks.cancel', { taskId: blocker.id });
    const done = await engine!.waitForTask(queued.id, 30_000);
    expect(done.status).toBe('failed');
    expect(done.error?.code).toBe('LOCAL_ONLY');
    expect(messagesSent()).toBe(0);
  }, 60_000);

  it('round-robin and weighted routes that start at the cloud provider never reach it in a whole build under local only', async () => {
    await configure({
      mode: 'hybrid',
      providers: [claude()],
      routing: {
        plan: { strategy: 'round-robin', targets: [{ provider: 'claude', model: null, weight: 1 }, { provider: 'ollama', model: null, weight: 1 }] },
        implement: { strategy: 'weighted', targets: [{ provider: 'claude', model: null, weight: 1000 }, { provider: 'ollama', model: null, weight: 0 }] },
        review: { strategy: 'weighted', targets: [{ provider: 'claude', model: 'claude-opus-4-1', weight: 1 }] },
      },
    });
    await engine!.invoke('providers.setKey', { id: 'claude', key: CLOUD_KEY, allowPlaintext: true });
    ollama.enqueueChat(answer('plan', adder.plan));
    ollama.enqueueChat(answer('implement', adder.fixed));
    ollama.enqueueChat(answer('docs', adder.readme));
    ollama.enqueueChat(answer('review', approve));
    const task = await create({ kind: 'build', model: OLLAMA_MODEL });
    const done = await engine!.waitForTask(task.id, 90_000);
    expect(done.status).toBe('succeeded');
    expect(messagesSent()).toBe(0);
  }, 120_000);
  it('replaying a stored step whose model is a cloud ref (recorded while local only was off) sends nothing once local only is on', async () => {
    await configure({ mode: 'hybrid', localOnly: false, providers: [claude()], routing: { plan: { strategy: 'fallback', targets: [{ provider: 'claude', model: null, weight: 1 }] } } });
    await engine!.invoke('providers.setKey', { id: 'claude', key: CLOUD_KEY, allowPlaintext: true });
    anthropic.enqueue({ text: adder.plan });
    ollama.enqueueChat(answer('implement', adder.fixed));
    ollama.enqueueChat(answer('docs', adder.readme));
    ollama.enqueueChat(answer('review', approve));
    const task = await create({ kind: 'build', model: OLLAMA_MODEL });
    const first = await engine!.waitForTask(task.id, 90_000);
    expect(first.status).toBe('succeeded');
    expect(messagesSent()).toBe(1); // the plan went to the cloud, as allowed then
    await configure({ localOnly: true });
    anthropic.enqueue({ text: adder.plan });
    // The cache holds the cloud answer: a replay from it must still be refused (nothing new is sent, but the step would claim a cloud call under local only).
    for (const useCache of [true, false]) {
      await engine!.invoke('tasks.replayStep', { taskId: task.id, step: 'plan', version: 1, useCache });
      const replayed = await engine!.waitForTask(task.id, 60_000);
      expect(replayed.status).toBe('failed');
      expect(replayed.error?.code).toBe('LOCAL_ONLY');
    }
    expect(messagesSent()).toBe(1);
  }, 150_000);
});

describe('local only: where the HTTP request really goes', () => {
  /** A "local" OpenAI-compatible server that lists one model and answers every chat with a redirect to `location`. */
  async function redirectingServer(location: string, status = 307): Promise<{ url: string }> {
    const server = http.createServer((req, res) => {
      req.resume();
      if (req.method === 'POST') {
        res.writeHead(status, { location });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'm', object: 'model', created: 0, owned_by: 'me' }] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  }

  async function chatThroughRedirect(far: OpenAIStandin, status = 307): Promise<Task> {
    expect(urlLeavesMachine(far.baseUrl.replace('127.0.0.1', '[::ffff:7f00:1]'))).toBe(true);
    const near = await redirectingServer(farUrl(far.port, '/v1/chat/completions'), status);
    await configure({ mode: 'hybrid', providers: [{ id: 'lmstudio', kind: 'openai', label: 'LM Studio', enabled: true, baseUrl: `${near.url}/v1`, model: 'm', apiKeyEnv: null, contextLength: null }] });
    await engine!.invoke('providers.setKey', { id: 'lmstudio', key: KEY, allowPlaintext: true });
    far.enqueueChat({ text: 'answered from off the machine' });
    const task = await create({ model: '@lmstudio/m' });
    return engine!.waitForTask(task.id, 30_000);
  }

  it('was a hole, now held: a local OpenAI-compatible server that answers 307 to another host gets the prompt body sent there (fetch follows redirects)', async () => {
    const far = await startOpenAIStandin({ flavour: 'openai', models: [{ id: 'm' }] });
    closers.push(() => far.close());
    await chatThroughRedirect(far);
    const followed = far.requests.filter((r) => r.path === '/v1/chat/completions');
    expect(followed.map((r) => JSON.stringify(r.body)).filter((b) => b.includes('SECRET-PROMPT'))).toEqual([]);
  }, 60_000);

  it('a redirect to another host never carries the key (the Authorization header is dropped cross-origin)', async () => {
    const far = await startOpenAIStandin({ flavour: 'openai', models: [{ id: 'm' }] });
    closers.push(() => far.close());
    await chatThroughRedirect(far, 308);
    for (const r of far.requests) {
      expect(r.headers.authorization ?? '').not.toContain(KEY);
      expect(JSON.stringify(r)).not.toContain(KEY);
    }
  }, 60_000);

  it('was a hole, now held: under local only, the status check (run by the background monitor, and by providers.status) still calls the cloud provider with the key', async () => {
    await configure({ mode: 'hybrid', providers: [claude()] });
    await engine!.invoke('providers.setKey', { id: 'claude', key: CLOUD_KEY, allowPlaintext: true });
    await engine!.invoke('providers.status', { refresh: true });
    // Issue 17: "MACS stays fully offline unless the user says otherwise"; local only is that "otherwise" not said.
    expect(anthropic.requests.map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  it('was a hole, now held: tasks.create with a per-task Ollama host the engine itself judges off-machine sends the prompt there under local only', async () => {
    const other = await startOllamaStandin();
    closers.push(() => other.close());
    const host = farUrl(Number(new URL(other.url).port));
    expect(urlLeavesMachine(host)).toBe(true);
    engine = openEngine(dataDir, ollama.url);
    other.enqueueChat({ text: 'answered from off the machine' });
    let refused: unknown = null;
    let task: Task | null = null;
    try {
      task = await create({ model: OLLAMA_MODEL, host });
    } catch (err) {
      refused = err;
    }
    if (task) await engine.waitForTask(task.id, 30_000);
    expect(other.requests.filter((r) => r.path === '/api/chat')).toHaveLength(0);
    expect(refused).toMatchObject({ code: 'LOCAL_ONLY' });
  }, 60_000);
});
