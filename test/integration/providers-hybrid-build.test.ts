// Issue 17 end to end in the engine: a hybrid build whose plan runs on an OpenAI-compatible local
// server (the LM Studio-flavoured stand-in, with a key), implement / docs / review on Ollama, and
// whose fix route starts at a server that is down and falls back to Ollama. Then "local only"
// keeping a cloud (Anthropic) route off the wire, and the same route once the user allows it.
// Every file under the data dir is searched for the key afterwards.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StepRecord, TaskEvent } from '../../shared/index.js';
import type { Engine } from '../../electron/core/engine/index.js';
import { startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { startOpenAIStandin, type OpenAIStandin } from '../fixtures/openai-standin/index.js';
import { startAnthropicStandin, type AnthropicStandin } from '../fixtures/anthropic-standin/index.js';
import { adder, answer, approve, stepOf } from '../fixtures/build-scripts.js';
import { filesHoldingSecret, openEngine, tempDataDir } from './helpers.js';

const KEY = 'sk-lmstudio-test-9f8e7d6c5b4a-do-not-leak';
const CLOUD_KEY = 'sk-ant-test-0123456789abcdef-do-not-leak';
const OLLAMA_MODEL = 'qwen2.5-coder:7b';

let ollama: OllamaStandin;
let lmstudio: OpenAIStandin;
let anthropic: AnthropicStandin;
let engine: Engine | undefined;
let dataDir: string;

beforeEach(async () => {
  ollama = await startOllamaStandin();
  lmstudio = await startOpenAIStandin({ flavour: 'lmstudio', apiKey: KEY, models: [{ id: 'qwen2.5-coder-14b-instruct', contextLength: 32768, loadedContextLength: 16384 }] });
  anthropic = await startAnthropicStandin({ apiKey: CLOUD_KEY });
  dataDir = tempDataDir('providers-hybrid');
});

afterEach(async () => {
  await engine?.close();
  engine = undefined;
  await Promise.all([ollama.close(), lmstudio.close(), anthropic.close()]);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A port nothing listens on: a provider there is down. */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const filesContaining = filesHoldingSecret;

async function steps(id: string): Promise<StepRecord[]> {
  return ((await engine!.invoke('tasks.steps', { taskId: id })) as { steps: StepRecord[] }).steps;
}

async function events(id: string): Promise<TaskEvent[]> {
  return ((await engine!.invoke('tasks.events', { taskId: id })) as { events: TaskEvent[] }).events;
}

describe('providers: a hybrid build', () => {
  it('plans on an OpenAI-compatible local server, implements on Ollama, and the fix falls back to Ollama when its first server is down', async () => {
    const down = await deadPort();
    engine = openEngine(dataDir, ollama.url);
    await engine.invoke('providers.update', {
      mode: 'hybrid',
      providers: [
        { id: 'lmstudio', kind: 'openai', label: 'LM Studio', enabled: true, baseUrl: lmstudio.baseUrl, model: 'qwen2.5-coder-14b-instruct', apiKeyEnv: null, contextLength: null },
        { id: 'llamacpp', kind: 'openai', label: 'llama-server', enabled: true, baseUrl: `http://127.0.0.1:${down}/v1`, model: 'qwen-fixer', apiKeyEnv: null, contextLength: null },
      ],
      routing: {
        plan: { strategy: 'fallback', targets: [{ provider: 'lmstudio', model: null, weight: 1 }] },
        fix: { strategy: 'fallback', targets: [{ provider: 'llamacpp', model: null, weight: 1 }, { provider: 'ollama', model: null, weight: 1 }] },
      },
    });
    // macs serve has no keychain: the key goes to a 0600 file after consent.
    await expect(engine.invoke('providers.setKey', { id: 'lmstudio', key: KEY })).rejects.toMatchObject({ code: 'KEY_STORE_NEEDS_CONSENT' });
    const view = (await engine.invoke('providers.setKey', { id: 'lmstudio', key: KEY, allowPlaintext: true })) as { providers: Array<{ id: string; keySource: string | null; keyHint: string | null }> };
    expect(view.providers.find((p) => p.id === 'lmstudio')).toMatchObject({ keySource: 'file', keyHint: expect.stringMatching(/leak$/) });
    expect(JSON.stringify(view)).not.toContain(KEY);

    lmstudio.enqueueChat({ text: adder.plan, when: (body) => stepOf(body as never) === 'plan' });
    ollama.enqueueChat(answer('implement', adder.buggy));
    ollama.enqueueChat(answer('docs', adder.readme));
    ollama.enqueueChat(answer('fix', adder.fixed));
    ollama.enqueueChat(answer('review', approve));
    const { task } = (await engine.invoke('tasks.create', { prompt: 'Write a tiny math library with tests.', kind: 'build', model: OLLAMA_MODEL })) as { task: { id: string } };
    const done = await engine.waitForTask(task.id, 90_000);
    expect(done.error).toBeNull();
    expect(done.status).toBe('succeeded');

    // The plan went to LM Studio with the key, as structured output; nothing about num_ctx (the server fixed its window).
    const planCalls = lmstudio.requests.filter((r) => r.path === '/v1/chat/completions');
    expect(planCalls).toHaveLength(1);
    expect(planCalls[0].headers.authorization).toBe(`Bearer ${KEY}`);
    const body = planCalls[0].body as { model: string; response_format?: { type: string }; options?: unknown };
    expect(body.model).toBe('qwen2.5-coder-14b-instruct');
    expect(body.response_format?.type).toBe('json_schema');
    expect(body.options).toBeUndefined();
    // Ollama never saw the plan; it answered the rest.
    expect(ollama.requests.filter((r) => r.path === '/api/chat').map((r) => stepOf(r.body as never))).not.toContain('plan');

    const rows = await steps(task.id);
    const plan = rows.find((s) => s.step === 'plan')!;
    expect(plan.model).toBe('@lmstudio/qwen2.5-coder-14b-instruct');
    expect(plan.usage?.providers).toEqual(['lmstudio']);
    expect(plan.usage?.leftMachine).toBe(false);
    // The window LM Studio reports it loaded (16384), not the user's num_ctx floor.
    expect(plan.usage?.numCtx).toBe(16384);
    const fix = rows.find((s) => s.step === 'fix')!;
    expect(fix.model).toBe(OLLAMA_MODEL);
    expect(fix.modelReason).toMatch(/fallback: @llamacpp\/qwen-fixer failed \(PROVIDER_UNREACHABLE\)/);
    expect(fix.usage?.providers).toEqual(['ollama']);
    const log = (await events(task.id)).filter((e) => e.type === 'log').map((e) => (e.data as { message: string }).message);
    expect(log.some((m) => /Falling back to qwen2\.5-coder:7b/.test(m) && /127\.0\.0\.1:\d+/.test(m))).toBe(true);

    // The artifact records who answered each call.
    const artifact = JSON.parse(fs.readFileSync(path.join(dataDir, 'artifacts', task.id, 'plan@v1.json'), 'utf8'));
    expect(artifact.calls[0]).toMatchObject({ model: '@lmstudio/qwen2.5-coder-14b-instruct', provider: 'lmstudio', leftMachine: false });

    // The manifest names every provider the build used; the job's provider is its model's.
    const manifest = JSON.parse(fs.readFileSync(path.join(dataDir, 'artifacts', task.id, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ provider: 'ollama', left_machine: false });
    expect([...manifest.providers].sort()).toEqual(['lmstudio', 'ollama']);

    // The key is nowhere in the data dir except the key file (plaintext: the user consented), nor in any event.
    await engine.exportTask(task.id);
    await engine.close();
    engine = undefined;
    expect(filesContaining(dataDir, KEY)).toEqual([path.join('secrets', 'provider-keys.json')]);
  }, 120_000);
});

describe('providers: local only', () => {
  async function withCloudRoute() {
    engine = openEngine(dataDir, ollama.url);
    await engine.invoke('providers.update', {
      mode: 'hybrid',
      providers: [{ id: 'claude', kind: 'anthropic', label: 'Claude', enabled: true, baseUrl: anthropic.url, model: 'claude-sonnet-4-5', apiKeyEnv: null, contextLength: null }],
      routing: { plan: { strategy: 'fallback', targets: [{ provider: 'claude', model: null, weight: 1 }, { provider: 'ollama', model: null, weight: 1 }] } },
    });
    await engine.invoke('providers.setKey', { id: 'claude', key: CLOUD_KEY, allowPlaintext: true });
  }

  it('keeps a cloud route off the wire while on, says so, and refuses a task on a cloud model with a clear message', async () => {
    await withCloudRoute();
    const view = (await engine!.invoke('providers.get', {})) as { localOnly: boolean; providers: Array<{ id: string; leavesMachine: boolean }> };
    expect(view.localOnly).toBe(true); // the default
    expect(view.providers.find((p) => p.id === 'claude')?.leavesMachine).toBe(true);

    ollama.enqueueChat(answer('plan', adder.plan));
    ollama.enqueueChat(answer('implement', adder.fixed));
    ollama.enqueueChat(answer('docs', adder.readme));
    ollama.enqueueChat(answer('review', approve));
    const { task } = (await engine!.invoke('tasks.create', { prompt: 'Write a tiny math library with tests.', kind: 'build', model: OLLAMA_MODEL })) as { task: { id: string } };
    const done = await engine!.waitForTask(task.id, 90_000);
    expect(done.status).toBe('succeeded');
    expect(anthropic.requests.filter((r) => r.path === '/v1/messages')).toHaveLength(0);
    const plan = (await steps(task.id)).find((s) => s.step === 'plan')!;
    expect(plan.model).toBe(OLLAMA_MODEL);
    expect(plan.modelReason).toContain('@claude/claude-sonnet-4-5 skipped');
    expect(plan.usage?.leftMachine).toBe(false);
    const warnings = (await events(task.id)).filter((e) => e.type === 'log' && (e.data as { level: string }).level === 'warn').map((e) => (e.data as { message: string }).message);
    expect(warnings.some((m) => m.includes('"Local only" is on'))).toBe(true);

    await expect(engine!.invoke('tasks.create', { prompt: 'hi', model: '@claude/claude-sonnet-4-5' })).rejects.toMatchObject({
      code: 'LOCAL_ONLY',
      message: expect.stringMatching(/would send your prompt to 127\.0\.0\.1:\d+, and "Local only" is on; turn it off in Settings → Providers/),
    });
  }, 120_000);

  it('sends to the cloud provider once the user turns local only off, and marks what left the machine', async () => {
    await withCloudRoute();
    await engine!.invoke('providers.update', { localOnly: false });
    anthropic.enqueue({ text: 'File: hello.py\n```python\nprint("hello")\n```\n' });
    const { task } = (await engine!.invoke('tasks.create', { prompt: 'hello world in python', model: '@claude/claude-sonnet-4-5' })) as { task: { id: string } };
    const done = await engine!.waitForTask(task.id, 60_000);
    expect(done.error).toBeNull();
    expect(done.status).toBe('succeeded');
    const sent = anthropic.requests.filter((r) => r.path === '/v1/messages');
    expect(sent).toHaveLength(1);
    // @anthropic-ai/sdk 1.x sends the key as a bearer token (0.x sent x-api-key); either is the key.
    expect(sent[0].headers.authorization === `Bearer ${CLOUD_KEY}` || sent[0].headers['x-api-key'] === CLOUD_KEY).toBe(true);
    expect((sent[0].body as { model: string }).model).toBe('claude-sonnet-4-5');
    const usage = (await events(task.id)).filter((e) => e.type === 'usage').map((e) => e.data as { provider?: string; leftMachine?: boolean });
    expect(usage).toEqual([expect.objectContaining({ provider: 'claude', leftMachine: true })]);
    expect(fs.readFileSync(path.join(done.workspacePath, 'hello.py'), 'utf8')).toContain('print("hello")');
    // result.json is written as the task ends (just after waitForTask sees it end).
    const resultFile = path.join(dataDir, 'artifacts', task.id, 'result.json');
    await expect.poll(() => fs.existsSync(resultFile), { timeout: 5000 }).toBe(true);
    const result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
    expect(result.provider).toBe('claude');
    await engine!.close();
    engine = undefined;
    expect(filesContaining(dataDir, CLOUD_KEY)).toEqual([path.join('secrets', 'provider-keys.json')]);
  }, 90_000);
});

describe('providers: what the server says it read', () => {
  it('warns when an OpenAI-compatible server reports reading far less of a chat prompt than was sent', async () => {
    engine = openEngine(dataDir, ollama.url);
    await engine.invoke('providers.update', {
      providers: [{ id: 'lmstudio', kind: 'openai', label: 'LM Studio', enabled: true, baseUrl: lmstudio.baseUrl, model: 'qwen2.5-coder-14b-instruct', apiKeyEnv: null, contextLength: null }],
    });
    await engine.invoke('providers.setKey', { id: 'lmstudio', key: KEY, allowPlaintext: true });
    // ~12k characters of prompt (≈ 3,400 tokens); LM Studio's "truncate middle" policy read 1,024 of them.
    lmstudio.enqueueChat({ text: 'Done.', usage: { promptTokens: 1024, completionTokens: 2 } });
    const prompt = `Summarise this log:\n${'GET /index.html 200 12ms\n'.repeat(500)}`;
    const { task } = (await engine.invoke('tasks.create', { prompt, model: '@lmstudio/qwen2.5-coder-14b-instruct' })) as { task: { id: string } };
    const done = await engine.waitForTask(task.id, 60_000);
    expect(done.status).toBe('succeeded');
    const warnings = (await events(task.id)).filter((e) => e.type === 'log' && (e.data as { level: string }).level === 'warn').map((e) => (e.data as { message: string }).message);
    expect(warnings).toEqual([expect.stringMatching(/^lmstudio reports reading 1024 prompt tokens of about \d{4} sent: the server cut the prompt/)]);
  }, 60_000);
});

describe('providers: a chat turn and its route', () => {
  it('answers with the picked model; when its server is down, the chat route takes over and the usage names who answered', async () => {
    const down = await deadPort();
    engine = openEngine(dataDir, ollama.url);
    await engine.invoke('providers.update', {
      mode: 'hybrid',
      providers: [
        { id: 'lmstudio', kind: 'openai', label: 'LM Studio', enabled: true, baseUrl: lmstudio.baseUrl, model: 'qwen2.5-coder-14b-instruct', apiKeyEnv: null, contextLength: null },
        { id: 'llamacpp', kind: 'openai', label: 'llama-server', enabled: true, baseUrl: `http://127.0.0.1:${down}/v1`, model: 'qwen-chat', apiKeyEnv: null, contextLength: null },
      ],
      routing: { chat: { strategy: 'fallback', targets: [{ provider: 'ollama', model: OLLAMA_MODEL, weight: 1 }] } },
    });
    await engine.invoke('providers.setKey', { id: 'lmstudio', key: KEY, allowPlaintext: true });

    // The picked model answers (the route is only its fallback).
    lmstudio.enqueueChat({ text: 'File: a.txt\n```\nfrom lm studio\n```\n' });
    const first = (await engine.invoke('tasks.create', { prompt: 'write a.txt', model: '@lmstudio/qwen2.5-coder-14b-instruct' })) as { task: { id: string; projectId: string } };
    expect((await engine.waitForTask(first.task.id, 60_000)).status).toBe('succeeded');
    expect((await events(first.task.id)).filter((e) => e.type === 'usage').map((e) => (e.data as { provider?: string }).provider)).toEqual(['lmstudio']);

    // Its server is down: Ollama, the chat route's target, answers instead, and says so.
    ollama.enqueueChat({ text: 'File: b.txt\n```\nfrom ollama\n```\n' });
    const second = (await engine.invoke('tasks.create', { prompt: 'write b.txt', model: '@llamacpp/qwen-chat' })) as { task: { id: string } };
    const done = await engine.waitForTask(second.task.id, 60_000);
    expect(done.error).toBeNull();
    expect(done.status).toBe('succeeded');
    expect(fs.readFileSync(path.join(done.workspacePath, 'b.txt'), 'utf8')).toContain('from ollama');
    const all = await events(second.task.id);
    expect(all.filter((e) => e.type === 'usage').map((e) => (e.data as { provider?: string }).provider)).toEqual(['ollama']);
    const warned = all.filter((e) => e.type === 'log').map((e) => (e.data as { message: string }).message);
    expect(warned.some((m) => m.startsWith('@llamacpp/qwen-chat could not answer:') && m.includes(`Answering with ${OLLAMA_MODEL} instead`))).toBe(true);
  }, 90_000);
});
