import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_LLM_CONFIG, MacsError, type RoleModels, type RoutingRole, type TaskEventDraft } from '../../shared/index.js';
import { routeCandidates } from '../../electron/core/providers/routing.js';
import { openDatabase, type Db } from '../../electron/core/db/index.js';
import type { ChatChunk, ChatMessage, ChatRequest, ModelProvider } from '../../electron/core/llm/index.js';
import { TokenCounter } from '../../electron/core/pipeline/context-budget.js';
import { LlmClient, type LlmRequest } from '../../electron/core/pipeline/llm-client.js';
import { ModelDirectory, type ModelFacts } from '../../electron/core/pipeline/model-directory.js';
import { ResponseCache } from '../../electron/core/pipeline/response-cache.js';

interface Script {
  tokens: string[];
  doneReason?: string | null;
  promptTokens?: number;
  evalTokens?: number;
  /** Ollama's load_duration for this answer. */
  loadMs?: number;
  /** Thrown after this many tokens (0: before any). */
  error?: { after: number; err: Error };
}

/** A model host that answers from scripts, per model, in order, and records every request. */
class ScriptedProvider implements ModelProvider {
  readonly id = 'ollama';
  readonly kind = 'ollama' as const;
  readonly leavesMachine = false;
  readonly host = 'http://fake:11434';
  async contextWindow(): Promise<null> {
    return null;
  }
  readonly requests: ChatRequest[] = [];
  private readonly scripts = new Map<string, Script[]>();

  script(model: string, ...scripts: Script[]): this {
    this.scripts.set(model, [...(this.scripts.get(model) ?? []), ...scripts]);
    return this;
  }

  async *chatStream(request: ChatRequest): AsyncGenerator<ChatChunk> {
    this.requests.push({ ...request, messages: request.messages.map((m) => ({ ...m })) });
    const s = this.scripts.get(request.model)?.shift();
    if (!s) throw new Error(`no script left for ${request.model}`);
    for (const [i, text] of s.tokens.entries()) {
      if (s.error && s.error.after === i) throw s.error.err;
      yield { type: 'token', text };
    }
    if (s.error && s.error.after >= s.tokens.length) throw s.error.err;
    yield {
      type: 'done',
      doneReason: s.doneReason === undefined ? 'stop' : s.doneReason,
      promptTokens: s.promptTokens ?? 10,
      evalTokens: s.evalTokens ?? s.tokens.length,
      evalDurationMs: 5,
      totalDurationMs: 7,
      loadDurationMs: s.loadMs ?? 2,
      promptEvalDurationMs: 1,
    };
  }

  status(): never {
    throw new Error('not used');
  }
  listModels(): never {
    throw new Error('not used');
  }
  show(): never {
    throw new Error('not used');
  }
  ps(): never {
    throw new Error('not used');
  }
  pull(): never {
    throw new Error('not used');
  }
  delete(): never {
    throw new Error('not used');
  }
}

const CONTINUE = 'Your answer was cut off. Continue exactly where it stopped.';
const facts = (digest: string, over: Partial<ModelFacts> = {}): ModelFacts => ({ digest, contextLength: 32768, maxGpuContext: 16384, ...over });
const ROLES: RoleModels = { plan: null, implement: null, fix: null, review: null };

let dir: string;
let db: Db | null = null;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-llm-client-'));
});
afterEach(() => {
  db?.close();
  db = null;
  fs.rmSync(dir, { recursive: true, force: true });
});

function openCache(): ResponseCache {
  db = openDatabase(path.join(dir, 'macs.db'));
  return new ResponseCache(db);
}

interface Setup {
  provider: ScriptedProvider;
  cache?: ResponseCache | null;
  installed?: Map<string, ModelFacts> | null;
  roleModels?: RoleModels;
  taskModel?: string;
  counter?: TokenCounter;
  floorCtx?: number;
}

/** The roles' one-model routes, as Settings' roleModels writes them, through the real router. */
function routeOf(roleModels: RoleModels, taskModel: string) {
  const routing = Object.fromEntries(
    Object.entries(roleModels).flatMap(([role, model]) => (model ? [[role, { strategy: 'fallback' as const, targets: [{ provider: 'ollama', model, weight: 1 }] }]] : [])),
  );
  return (role: RoutingRole) => routeCandidates(role, taskModel, { config: { ...DEFAULT_LLM_CONFIG, routing }, ollamaDefaultModel: null });
}

function client(s: Setup): { llm: LlmClient; events: TaskEventDraft[] } {
  const events: TaskEventDraft[] = [];
  const llm = new LlmClient({
    chat: (ref) => ({ provider: s.provider, model: ref }),
    route: routeOf(s.roleModels ?? ROLES, s.taskModel ?? 'm1'),
    directory: new ModelDirectory(s.installed === undefined ? new Map([['m1', facts('sha-m1')]]) : s.installed, null, s.provider.host),
    counter: s.counter ?? new TokenCounter(),
    cache: s.cache ?? null,
    taskModel: s.taskModel ?? 'm1',
    floorCtx: s.floorCtx ?? 4096,
    signal: new AbortController().signal,
    emit: (d) => events.push(d),
    continuePrompt: CONTINUE,
  });
  return { llm, events };
}

const msgs = (systemChars: number, userChars: number): ChatMessage[] => [
  { role: 'system', content: 's'.repeat(systemChars) },
  { role: 'user', content: 'u'.repeat(userChars) },
];
const request = (over: Partial<LlmRequest> = {}): LlmRequest => ({ role: 'implement', step: 'implement', messages: msgs(30, 60), answerTokens: 1000, ...over });
const deltas = (events: TaskEventDraft[]) => events.flatMap((e) => (e.type === 'delta' ? [e.data] : []));
const logs = (events: TaskEventDraft[]) => events.flatMap((e) => (e.type === 'log' ? [e.data] : []));

describe('LlmClient: num_ctx', () => {
  it('a prompt Ollama refuses as longer than the window (400 with "shift": false) is asked again once with a larger num_ctx', async () => {
    const tooLong = new MacsError('PROMPT_TOO_LONG', 'The prompt is longer than the context window.', { ollamaMessage: 'the prompt is longer than the context length currently available to the model; …' });
    const provider = new ScriptedProvider().script('m1', { tokens: [], error: { after: 0, err: tooLong } }, { tokens: ['ok'] }, { tokens: ['next'] });
    const { llm, events } = client({ provider, installed: new Map([['m1', facts('sha-m1', { maxGpuContext: 65536 })]]) });
    const record = await llm.call(request());
    expect(record.output).toBe('ok');
    // The next fixed size, kept for the rest of the build.
    expect(provider.requests.map((r) => r.numCtx)).toEqual([16384, 32768]);
    expect(logs(events).some((l) => l.level === 'warn' && /num_ctx 16384/.test(l.message))).toBe(true);
    await llm.call(request());
    expect(provider.requests[2].numCtx).toBe(32768);
  });

  it('does not grow past what the model allows: the refusal stands', async () => {
    const tooLong = new MacsError('PROMPT_TOO_LONG', 'too long');
    const provider = new ScriptedProvider().script('m1', { tokens: [], error: { after: 0, err: tooLong } });
    const { llm } = client({ provider, installed: new Map([['m1', facts('sha', { contextLength: 16384, maxGpuContext: 16384 })]]) });
    await expect(llm.call(request())).rejects.toMatchObject({ code: 'PROMPT_TOO_LONG' });
  });

  it('sizes num_ctx once per build, to a fixed size holding the project and the build headroom; sends it and records it', async () => {
    const provider = new ScriptedProvider().script('m1', { tokens: ['ok'] });
    const { llm } = client({ provider, installed: new Map([['m1', facts('sha-m1', { maxGpuContext: 65536 })]]) });
    // A 30,000-character project at 3 characters per token = 10,000 tokens, + 12,288 headroom = 22,288 → 32,768.
    llm.expectProject(30_000);
    const record = await llm.call(request({ temperature: 0.2, format: 'json' }));
    expect(provider.requests[0]).toMatchObject({ model: 'm1', numCtx: 32768, temperature: 0.2, format: 'json' });
    expect(record.options).toEqual({ num_ctx: 32768, temperature: 0.2, format: 'json' });
    expect(record).toMatchObject({ model: 'm1', modelReason: "the task's model", output: 'ok', doneReason: 'stop', cached: false, continuations: 0 });
  });

  it('keeps one num_ctx for every call of a build, small or large, and caps it at the GPU ceiling', async () => {
    const provider = new ScriptedProvider().script('m1', { tokens: ['a'] }, { tokens: ['b'] }, { tokens: ['c'] });
    const { llm } = client({ provider });
    await llm.call(request());
    await llm.call(request({ messages: msgs(300, 20_000) }));
    await llm.call(request());
    expect(provider.requests.map((r) => r.numCtx)).toEqual([16384, 16384, 16384]);
    // Without a GPU the ceiling is the user's setting: every call stays there (the files are trimmed to fit instead).
    const cpu = new ScriptedProvider().script('m1', { tokens: ['x'] }, { tokens: ['y'] });
    const { llm: cpuLlm } = client({ provider: cpu, installed: new Map([['m1', facts('sha', { maxGpuContext: null })]]), floorCtx: 8192 });
    await cpuLlm.call(request());
    await cpuLlm.call(request({ messages: msgs(300, 200_000) }));
    expect(cpu.requests.map((r) => r.numCtx)).toEqual([8192, 8192]);
  });

  it('a model loaded for a call is reported with the reason: first use, another model, a num_ctx change', async () => {
    const loaded = (ms: number) => ({ tokens: ['x'], loadMs: ms });
    const provider = new ScriptedProvider().script('m1', loaded(8000), loaded(3), loaded(8000)).script('m2', loaded(8000));
    const { llm } = client({ provider, roleModels: { ...ROLES, review: 'm2' }, installed: new Map([['m1', facts('a')], ['m2', facts('b')]]) });
    const first = await llm.call(request());
    const again = await llm.call(request());
    const other = await llm.call(request({ role: 'review', step: 'review' }));
    const back = await llm.call(request());
    expect(first.load).toMatchObject({ model: 'm1', reason: 'first-use', ms: 8000, numCtx: 16384 });
    expect(again.load).toBeNull();
    expect(other.load).toMatchObject({ model: 'm2', reason: 'other-model', previousModel: 'm1' });
    expect(back.load).toMatchObject({ model: 'm1', reason: 'other-model', previousModel: 'm2' });
    expect(first.loadMs).toBe(8000);
  });

  it('sends keep_alive with every call', async () => {
    const provider = new ScriptedProvider().script('m1', { tokens: ['a'] });
    const events: TaskEventDraft[] = [];
    const llm = new LlmClient({
      chat: (ref) => ({ provider, model: ref }),
      route: routeOf(ROLES, 'm1'),
      directory: new ModelDirectory(new Map([['m1', facts('sha-m1')]]), null, provider.host),
      counter: new TokenCounter(),
      cache: null,
      taskModel: 'm1',
      floorCtx: 4096,
      signal: new AbortController().signal,
      emit: (d) => events.push(d),
      continuePrompt: CONTINUE,
      keepAlive: '30m',
    });
    await llm.call(request());
    expect(provider.requests[0].keepAlive).toBe('30m');
  });

  it('calibrates the token count from what the model reports', async () => {
    const provider = new ScriptedProvider().script('m1', { tokens: ['a'], promptTokens: 15_000 }, { tokens: ['b'] });
    const counter = new TokenCounter();
    const { llm } = client({ provider, counter, installed: new Map([['m1', facts('sha', { maxGpuContext: 65536 })]]) });
    await llm.call(request({ messages: msgs(300, 29_700) }));
    expect(counter.tokensPerChar('m1')).toBe(0.5);
    // 15,000 + 16 + 1000 = 16,016 → 16,384.
    await llm.call(request({ messages: msgs(300, 29_700) }));
    expect(provider.requests[1].numCtx).toBe(16384);
  });

  it('uses a fixed num_ctx and model when replaying a stored call', async () => {
    const provider = new ScriptedProvider().script('old:7b', { tokens: ['a'] });
    const { llm } = client({ provider });
    const record = await llm.call(request({ model: 'old:7b', numCtx: 6144 }));
    expect(provider.requests[0]).toMatchObject({ model: 'old:7b', numCtx: 6144 });
    expect(record.modelReason).toBe('as stored in the step being replayed');
  });
});

describe('LlmClient: streaming', () => {
  it('emits each piece as a delta tagged with the step, passes it to onText, and reports usage', async () => {
    const provider = new ScriptedProvider().script('m1', { tokens: ['File: a.js\n', '```js\n', 'x();\n', '```\n'], promptTokens: 42, evalTokens: 4 });
    const { llm, events } = client({ provider });
    const seen: string[] = [];
    const record = await llm.call(request({ step: 'fix', role: 'fix', onText: (t) => void seen.push(t) }));
    expect(deltas(events)).toEqual(['File: a.js\n', '```js\n', 'x();\n', '```\n'].map((text) => ({ text, step: 'fix' })));
    expect(seen.join('')).toBe('File: a.js\n```js\nx();\n```\n');
    expect(record.output).toBe(seen.join(''));
    expect(events.filter((e) => e.type === 'usage').map((e) => e.data)).toEqual([
      { promptTokens: 42, evalTokens: 4, evalDurationMs: 5, totalDurationMs: 7, doneReason: 'stop', provider: 'ollama', leftMachine: false },
    ]);
    expect(record).toMatchObject({ promptTokens: 42, evalTokens: 4 });
  });
});

describe('LlmClient: cache', () => {
  it('answers an identical call from the cache without calling the model, and marks it cached', async () => {
    const cache = openCache();
    const provider = new ScriptedProvider().script('m1', { tokens: ['Hello', ', world'], promptTokens: 33, evalTokens: 2 });
    const first = client({ provider, cache });
    const a = await first.llm.call(request({ temperature: 0.1 }));
    expect(a.cached).toBe(false);

    const second = client({ provider, cache });
    const seen: string[] = [];
    const b = await second.llm.call(request({ temperature: 0.1, onText: (t) => void seen.push(t) }));
    expect(provider.requests).toHaveLength(1);
    expect(b).toMatchObject({ output: 'Hello, world', cached: true, doneReason: 'stop', promptTokens: 33, evalTokens: 2, continuations: 0, model: 'm1' });
    expect(b.options).toEqual(a.options);
    expect(deltas(second.events)).toEqual([{ text: 'Hello, world', step: 'implement' }]);
    expect(seen).toEqual(['Hello, world']);
  });

  it('misses when the options, the messages or the model digest differ', async () => {
    const cache = openCache();
    const provider = new ScriptedProvider().script('m1', { tokens: ['1'] }, { tokens: ['2'] }, { tokens: ['3'] }, { tokens: ['4'] });
    await client({ provider, cache }).llm.call(request({ temperature: 0.1 }));
    expect((await client({ provider, cache }).llm.call(request({ temperature: 0.2 }))).output).toBe('2');
    expect((await client({ provider, cache }).llm.call(request({ temperature: 0.1, messages: msgs(30, 61) }))).output).toBe('3');
    const repulled = new Map([['m1', facts('sha-new')]]);
    expect((await client({ provider, cache, installed: repulled }).llm.call(request({ temperature: 0.1 }))).output).toBe('4');
    expect(provider.requests).toHaveLength(4);
  });

  it('does not store an answer that was cut off', async () => {
    const cache = openCache();
    const provider = new ScriptedProvider().script('m1', { tokens: ['half'], doneReason: 'length' }, { tokens: ['whole'] });
    const first = await client({ provider, cache }).llm.call(request());
    expect(first).toMatchObject({ output: 'half', doneReason: 'length', cached: false });
    const second = await client({ provider, cache }).llm.call(request());
    expect(second).toMatchObject({ output: 'whole', cached: false });
    expect(provider.requests).toHaveLength(2);
  });
});

describe('LlmClient: continuing cut-off answers', () => {
  it('asks again with its answer and the continue prompt, and joins the parts', async () => {
    const cache = openCache();
    const provider = new ScriptedProvider().script(
      'm1',
      { tokens: ['File: a.js\n```js\n', 'const a = 1;\n'], doneReason: 'length', promptTokens: 100 },
      { tokens: ['```js\n', 'const b = 2;\n', '```\n'], doneReason: 'stop', promptTokens: 120 },
    );
    const { llm, events } = client({ provider, cache });
    const seen: string[] = [];
    const req = request({ continueOnLength: true, onText: (t) => void seen.push(t) });
    const record = await llm.call(req);

    expect(provider.requests).toHaveLength(2);
    expect(provider.requests[1].messages).toEqual([...req.messages, { role: 'assistant', content: 'File: a.js\n```js\nconst a = 1;\n' }, { role: 'user', content: CONTINUE }]);
    // The re-opened fence is dropped: the file goes on.
    expect(record.output).toBe('File: a.js\n```js\nconst a = 1;\nconst b = 2;\n```\n');
    expect(seen.join('')).toBe(record.output);
    expect(deltas(events).map((d) => d.text).join('')).toBe(record.output);
    expect(record).toMatchObject({ continuations: 1, doneReason: 'stop', promptTokens: 220, messages: req.messages });
    expect(logs(events).some((l) => l.level === 'info' && l.message.includes('cut off') && l.message.includes('(1 of 2)'))).toBe(true);

    // The joined, finished answer is cached under the original call.
    const again = await client({ provider, cache }).llm.call(request({ continueOnLength: true }));
    expect(again).toMatchObject({ cached: true, output: record.output });
  });

  it('continues at most twice, then warns that it is still cut off', async () => {
    const provider = new ScriptedProvider().script(
      'm1',
      { tokens: ['part one, long enough to matter\n'], doneReason: 'length' },
      { tokens: ['part two, also quite long here\n'], doneReason: 'length' },
      { tokens: ['part three, still not at the end\n'], doneReason: 'length' },
      { tokens: ['never asked for'] },
    );
    const { llm, events } = client({ provider });
    const record = await llm.call(request({ continueOnLength: true }));
    expect(provider.requests).toHaveLength(3);
    expect(record).toMatchObject({ continuations: 2, doneReason: 'length' });
    expect(record.output).toBe('part one, long enough to matter\npart two, also quite long here\npart three, still not at the end\n');
    expect(provider.requests[2].messages.at(-2)).toEqual({ role: 'assistant', content: 'part one, long enough to matter\npart two, also quite long here\n' });
    expect(logs(events).filter((l) => l.level === 'warn' && l.message.includes('still cut off'))).toHaveLength(1);
  });

  it('does not continue without continueOnLength, nor when num_predict made the cut', async () => {
    const provider = new ScriptedProvider().script('m1', { tokens: ['a'], doneReason: 'length' }, { tokens: ['b'], doneReason: 'length' });
    const { llm } = client({ provider });
    expect(await llm.call(request())).toMatchObject({ output: 'a', continuations: 0 });
    expect(await llm.call(request({ continueOnLength: true, numPredict: 10 }))).toMatchObject({ output: 'b', continuations: 0, options: { num_predict: 10 } });
    expect(provider.requests).toHaveLength(2);
  });
});

describe('LlmClient: fallback', () => {
  const installed = new Map([
    ['m1', facts('sha-m1')],
    ['m2', facts('sha-m2')],
  ]);
  const roles: RoleModels = { ...ROLES, implement: 'm1' };

  it('falls back to the next candidate when the model is not found before any token, and logs it', async () => {
    const provider = new ScriptedProvider()
      .script('m1', { tokens: [], error: { after: 0, err: new MacsError('MODEL_NOT_FOUND', 'Model "m1" is not installed.') } })
      .script('m2', { tokens: ['from m2'] });
    const { llm, events } = client({ provider, installed, roleModels: roles, taskModel: 'm2' });
    const record = await llm.call(request());
    expect(provider.requests.map((r) => r.model)).toEqual(['m1', 'm2']);
    expect(record).toMatchObject({ model: 'm2', output: 'from m2', modelReason: 'fallback: m1 failed (MODEL_NOT_FOUND)' });
    expect(logs(events)).toEqual([{ level: 'warn', message: `implement: Model "m1" is not installed. Falling back to m2 (the task's model).` }]);
  });

  it('falls back on MODEL_OUT_OF_MEMORY too', async () => {
    const provider = new ScriptedProvider()
      .script('m1', { tokens: [], error: { after: 0, err: new MacsError('MODEL_OUT_OF_MEMORY', 'Not enough memory.') } })
      .script('m2', { tokens: ['ok'] });
    const record = await client({ provider, installed, roleModels: roles, taskModel: 'm2' }).llm.call(request());
    expect(record.model).toBe('m2');
  });

  it('does not fall back once tokens streamed', async () => {
    const provider = new ScriptedProvider()
      .script('m1', { tokens: ['File: a.js\n', 'more'], error: { after: 1, err: new MacsError('MODEL_OUT_OF_MEMORY', 'Not enough memory.') } })
      .script('m2', { tokens: ['from m2'] });
    const { llm, events } = client({ provider, installed, roleModels: roles, taskModel: 'm2' });
    await expect(llm.call(request())).rejects.toMatchObject({ code: 'MODEL_OUT_OF_MEMORY' });
    expect(provider.requests.map((r) => r.model)).toEqual(['m1']);
    expect(deltas(events)).toEqual([{ text: 'File: a.js\n', step: 'implement' }]);
    expect(logs(events)).toEqual([]);
  });

  it('does not fall back on other errors, nor past the last candidate', async () => {
    const down = new ScriptedProvider()
      .script('m1', { tokens: [], error: { after: 0, err: new MacsError('OLLAMA_UNREACHABLE', 'Ollama is not running.') } })
      .script('m2', { tokens: ['x'] });
    await expect(client({ provider: down, installed, roleModels: roles, taskModel: 'm2' }).llm.call(request())).rejects.toMatchObject({ code: 'OLLAMA_UNREACHABLE' });
    expect(down.requests).toHaveLength(1);

    const plain = new ScriptedProvider().script('m1', { tokens: [], error: { after: 0, err: new Error('boom') } }).script('m2', { tokens: ['x'] });
    await expect(client({ provider: plain, installed, roleModels: roles, taskModel: 'm2' }).llm.call(request())).rejects.toThrow('boom');
    expect(plain.requests).toHaveLength(1);

    const both = new ScriptedProvider()
      .script('m1', { tokens: [], error: { after: 0, err: new MacsError('MODEL_NOT_FOUND', 'no m1') } })
      .script('m2', { tokens: [], error: { after: 0, err: new MacsError('MODEL_NOT_FOUND', 'no m2') } });
    await expect(client({ provider: both, installed, roleModels: roles, taskModel: 'm2' }).llm.call(request())).rejects.toThrow('no m2');
    expect(both.requests.map((r) => r.model)).toEqual(['m1', 'm2']);
  });
});
