import { afterEach, describe, expect, it } from 'vitest';
import { OpenAICompatibleProvider } from '../../electron/core/llm/openai/index.js';
import type { ChatChunk, ChatRequest } from '../../electron/core/llm/types.js';
import { MacsError } from '../../shared/index.js';
import { openaiErrors, startOpenAIStandin, type OpenAIStandin, type OpenAIStartOptions } from '../fixtures/openai-standin/index.js';

const MODEL = 'qwen2.5-coder-7b-instruct';
let standin: OpenAIStandin | undefined;

afterEach(async () => {
  await standin?.close();
  standin = undefined;
});

async function start(opts: OpenAIStartOptions = {}): Promise<OpenAIStandin> {
  standin = await startOpenAIStandin(opts);
  return standin;
}

function provider(s: { baseUrl: string }, opts: { key?: () => string | null; contextOverride?: number | null } = {}) {
  return new OpenAICompatibleProvider({ id: 'local', baseUrl: `${s.baseUrl}/`, apiKey: opts.key ?? (() => null), leavesMachine: false, contextOverride: opts.contextOverride ?? null });
}

function request(over: Partial<ChatRequest> = {}): ChatRequest {
  return { model: MODEL, messages: [{ role: 'user', content: 'Write hello.py' }], numCtx: 8192, signal: new AbortController().signal, ...over };
}

async function collect(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const out: ChatChunk[] = [];
  for await (const c of stream) out.push(c);
  return out;
}

async function failure(stream: AsyncIterable<ChatChunk>, seen: ChatChunk[] = []): Promise<MacsError> {
  try {
    for await (const c of stream) seen.push(c);
  } catch (err) {
    expect(err).toBeInstanceOf(MacsError);
    return err as MacsError;
  }
  throw new Error('the stream did not fail');
}

const text = (chunks: ChatChunk[], type: 'token' | 'thinking') => chunks.flatMap((c) => (c.type === type ? [c.text] : [])).join('');
const done = (chunks: ChatChunk[]) => chunks.find((c): c is Extract<ChatChunk, { type: 'done' }> => c.type === 'done');
const chatBodies = (s: OpenAIStandin) => s.requests.filter((r) => r.path === '/v1/chat/completions').map((r) => r.body as Record<string, unknown>);

describe('OpenAICompatibleProvider over HTTP against the stand-in', () => {
  it('streams every token in order with usage, and sends the request OpenAI expects', async () => {
    const s = await start();
    s.enqueueChat({ tokens: ['File', ': a.py', '\n', 'print(1)'], usage: { promptTokens: 42, completionTokens: 4 } });
    const p = provider(s);
    expect(p.host).toBe(s.baseUrl);
    expect(p.kind).toBe('openai');
    const chunks = await collect(p.chatStream(request({ numPredict: 256, temperature: 0.2 })));
    expect(chunks.filter((c) => c.type === 'token').map((c) => (c as { text: string }).text)).toEqual(['File', ': a.py', '\n', 'print(1)']);
    const d = done(chunks)!;
    expect(d).toMatchObject({ doneReason: 'stop', promptTokens: 42, evalTokens: 4 });
    expect(d.totalDurationMs).toBeGreaterThanOrEqual(d.evalDurationMs);
    expect(chunks.at(-1)?.type).toBe('done');
    const [body] = chatBodies(s);
    expect(body).toMatchObject({ model: MODEL, stream: true, stream_options: { include_usage: true }, max_tokens: 256, temperature: 0.2 });
    expect(body).not.toHaveProperty('num_ctx');
    expect(body).not.toHaveProperty('response_format');
    // No key: no Authorization header at all (not "Bearer none").
    expect(s.requests[0].headers.authorization).toBeUndefined();
  });

  it('sends Authorization: Bearer only when a key exists, read afresh at each request', async () => {
    const s = await start({ apiKey: 'sk-second' });
    let key: string | null = 'sk-first';
    const p = provider(s, { key: () => key });
    const err = await failure(p.chatStream(request()));
    expect(err.code).toBe('PROVIDER_AUTH');
    expect(s.requests[0].headers.authorization).toBe('Bearer sk-first');
    key = 'sk-second';
    const chunks = await collect(p.chatStream(request()));
    expect(done(chunks)?.doneReason).toBe('stop');
    expect(s.requests[1].headers.authorization).toBe('Bearer sk-second');
  });

  it('a 401 becomes PROVIDER_AUTH naming where keys come from, with the key scrubbed from the server text', async () => {
    const s = await start({ apiKey: 'sk-right' });
    const secret = 'sk-wrong-0123456789abcdef';
    const err = await failure(provider(s, { key: () => secret }).chatStream(request()));
    expect(err.code).toBe('PROVIDER_AUTH');
    expect(err.message).toContain('Settings → Providers');
    expect(err.message).toContain(s.baseUrl);
    expect(err.message).toContain('"local"');
    expect(JSON.stringify(err.toPayload())).not.toContain(secret);
    expect(err.message).toContain('[key hidden]'); // the stand-in echoed it; it was there to scrub
  });

  it('sends a schema as response_format json_schema and "json" as json_object', async () => {
    const s = await start();
    const schema = { type: 'object', properties: { files: { type: 'array' } }, required: ['files'] };
    await collect(provider(s).chatStream(request({ format: schema })));
    await collect(provider(s).chatStream(request({ format: 'json' })));
    const [a, b] = chatBodies(s);
    expect(a.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'answer', schema, strict: false } });
    expect(b.response_format).toEqual({ type: 'json_object' });
  });

  it('asks once more without response_format when the server says it does not do it', async () => {
    const s = await start();
    s.enqueueChat({ error: openaiErrors.responseFormatUnsupported('json_object') });
    s.enqueueChat({ text: '{"files":[]}' });
    const chunks = await collect(provider(s).chatStream(request({ format: 'json' })));
    expect(text(chunks, 'token')).toBe('{"files":[]}');
    const bodies = chatBodies(s);
    expect(bodies).toHaveLength(2);
    expect(bodies[0].response_format).toEqual({ type: 'json_object' });
    expect(bodies[1]).not.toHaveProperty('response_format');
  });

  it("adapts to OpenAI's reasoning models: max_completion_tokens for max_tokens, no temperature, once each", async () => {
    const s = await start();
    s.enqueueChat({ error: openaiErrors.unsupportedParameter('max_tokens', 'max_completion_tokens') });
    s.enqueueChat({ error: openaiErrors.unsupportedValue('temperature', 0.2) });
    s.enqueueChat({ text: 'ok' });
    const chunks = await collect(provider(s).chatStream(request({ numPredict: 100, temperature: 0.2 })));
    expect(text(chunks, 'token')).toBe('ok');
    const bodies = chatBodies(s);
    expect(bodies.map((b) => [b.max_tokens, b.max_completion_tokens, b.temperature])).toEqual([
      [100, undefined, 0.2],
      [undefined, 100, 0.2],
      [undefined, 100, undefined],
    ]);
  });

  it('passes a 400 on when nothing it names can be changed, after a bounded number of tries', async () => {
    const s = await start();
    for (let i = 0; i < 2; i++) s.enqueueChat({ error: openaiErrors.responseFormatUnsupported('json_object') });
    const err = await failure(provider(s).chatStream(request({ format: 'json' })));
    expect(err).toMatchObject({ code: 'PROVIDER_ERROR', details: { status: 400 } });
    expect(chatBodies(s)).toHaveLength(2);
    // No temperature was sent: there is nothing to drop, so the refusal is passed on at once.
    s.enqueueChat({ error: openaiErrors.unsupportedValue('temperature', 0.2) });
    s.enqueueChat({ text: 'must not be asked for' });
    expect((await failure(provider(s).chatStream(request()))).code).toBe('PROVIDER_ERROR');
    expect(chatBodies(s)).toHaveLength(3);
  });

  it('passes finish_reason through ("length" stays "length") and says null when the stream ends without one', async () => {
    const s = await start();
    s.enqueueChat({ text: 'cut here', finishReason: 'length' });
    s.enqueueChat({ text: 'no reason', finishReason: null, usage: false });
    const a = await collect(provider(s).chatStream(request()));
    const b = await collect(provider(s).chatStream(request()));
    expect(done(a)?.doneReason).toBe('length');
    expect(done(b)).toMatchObject({ doneReason: null, promptTokens: 0, evalTokens: 0 });
    expect(text(b, 'token')).toBe('no reason');
  });

  it('shows reasoning_content and reasoning deltas as thinking, never as tokens; <think> in content is split too', async () => {
    const s = await start();
    s.enqueueChat({ reasoning: ['Let me ', 'think.'], text: 'Answer A' });
    s.enqueueChat({ reasoning: ['Hmm.'], reasoningField: 'reasoning', text: 'Answer B' });
    s.enqueueChat({ tokens: ['<think>', 'private', '</think>', 'Answer C'] });
    const a = await collect(provider(s).chatStream(request()));
    const b = await collect(provider(s).chatStream(request()));
    const c = await collect(provider(s).chatStream(request()));
    expect([text(a, 'thinking'), text(a, 'token')]).toEqual(['Let me think.', 'Answer A']);
    expect([text(b, 'thinking'), text(b, 'token')]).toEqual(['Hmm.', 'Answer B']);
    expect(text(c, 'token')).toBe('Answer C');
    expect(text(c, 'thinking')).toContain('private');
  });

  it('waits out a 429 before any token (retry-after-ms) and then streams', async () => {
    const s = await start();
    s.enqueueChat({ error: openaiErrors.rateLimited({ ms: 150 }) });
    s.enqueueChat({ text: 'after the wait' });
    const t0 = performance.now();
    const chunks = await collect(provider(s).chatStream(request()));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    expect(text(chunks, 'token')).toBe('after the wait');
    expect(chatBodies(s)).toHaveLength(2);
  });

  it('honours Retry-After in seconds, retries twice, then throws RATE_LIMITED with retryAfterMs', async () => {
    const s = await start();
    for (let i = 0; i < 3; i++) s.enqueueChat({ error: openaiErrors.rateLimited({ seconds: 1 }) });
    const t0 = performance.now();
    const err = await failure(provider(s).chatStream(request()));
    const waited = performance.now() - t0;
    expect(err.code).toBe('RATE_LIMITED');
    expect(err.details?.retryAfterMs).toBe(1000);
    expect(chatBodies(s)).toHaveLength(3);
    expect(waited).toBeGreaterThanOrEqual(1900);
  });

  it('a Stop during the 429 wait ends at once', async () => {
    const s = await start();
    s.enqueueChat({ error: openaiErrors.rateLimited({ seconds: 20 }) });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const t0 = performance.now();
    await expect(collect(provider(s).chatStream(request({ signal: ac.signal })))).rejects.toMatchObject({ name: 'AbortError' });
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(chatBodies(s)).toHaveLength(1);
  });

  it('maps each server\'s "prompt too long" to CONTEXT_TOO_LONG with the window it names', async () => {
    const s = await start();
    const cases = [
      [openaiErrors.contextLengthExceeded(8192, 9000), 8192],
      [openaiErrors.vllmContextExceeded(4096, 5000, 256), 4096],
      [openaiErrors.llamaServerContextExceeded(4476, 4096), 4096],
      [openaiErrors.lmStudioContextExceeded(111490, 32768), 32768],
    ] as const;
    for (const [error, contextLength] of cases) {
      s.enqueueChat({ error });
      const err = await failure(provider(s).chatStream(request()));
      expect(err.code).toBe('CONTEXT_TOO_LONG');
      expect(err.details?.contextLength).toBe(contextLength);
      expect(err.message).toContain(s.baseUrl);
    }
  });

  it('an unknown model is MODEL_NOT_FOUND; a 5xx is PROVIDER_ERROR with its status', async () => {
    const s = await start();
    const missing = await failure(provider(s).chatStream(request({ model: 'no-such-model' })));
    expect(missing.code).toBe('MODEL_NOT_FOUND');
    expect(missing.details?.model).toBe('no-such-model');
    s.enqueueChat({ error: openaiErrors.loadingModel() });
    const busy = await failure(provider(s).chatStream(request()));
    expect(busy).toMatchObject({ code: 'PROVIDER_ERROR', details: { status: 503 } });
  });

  it('a stream that drops after starting is STREAM_DROPPED and keeps what arrived', async () => {
    const s = await start();
    s.enqueueChat({ tokens: ['one ', 'two ', 'three ', 'four'], cutAfterTokens: 2 });
    const seen: ChatChunk[] = [];
    const err = await failure(provider(s).chatStream(request()), seen);
    expect(err.code).toBe('STREAM_DROPPED');
    expect(text(seen, 'token')).toBe('one two ');
  });

  it('an error event inside the stream is an error, not a quiet end', async () => {
    const s = await start();
    s.enqueueChat({ text: 'abcdefgh', midStreamError: { afterTokens: 1, error: { message: 'slot crashed', type: 'server_error' } } });
    const err = await failure(provider(s).chatStream(request()));
    expect(err.code).toBe('PROVIDER_ERROR');
    expect(err.message).toContain('slot crashed');
  });

  it('aborting mid-stream stops the request on the server and rejects with AbortError', async () => {
    const s = await start();
    s.enqueueChat({ tokens: Array.from({ length: 50 }, (_, i) => `t${i} `), hangAfterTokens: 3 });
    const ac = new AbortController();
    const got: ChatChunk[] = [];
    const run = (async () => {
      for await (const c of provider(s).chatStream(request({ signal: ac.signal }))) {
        got.push(c);
        if (got.length === 2) ac.abort();
      }
    })();
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    await s.waitForAbort(2000);
    expect(s.streams[0]).toMatchObject({ abortedByClient: true, ended: false });
    expect(s.streams[0].tokensSent).toBeLessThan(50);
    expect(got.some((c) => c.type === 'done')).toBe(false);
  });

  it('a server that is not there is PROVIDER_UNREACHABLE ("is its server running?")', async () => {
    const s = await start();
    const { baseUrl } = s;
    await s.close();
    standin = undefined;
    const err = await failure(provider({ baseUrl }).chatStream(request()));
    expect(err.code).toBe('PROVIDER_UNREACHABLE');
    expect(err.message).toMatch(/is its server running\?/);
    const status = await provider({ baseUrl }).status();
    expect(status).toMatchObject({ reachable: false, version: null, error: { code: 'PROVIDER_UNREACHABLE' } });
  });

  it('lists models from /models and reports the server reachable', async () => {
    const s = await start({ models: [{ id: 'a' }, { id: 'b' }] });
    const p = provider(s);
    expect(await p.listModels()).toEqual([
      { name: 'a', size: 0, digest: '', modifiedAt: null, family: null, parameterSize: null, quantizationLevel: null },
      { name: 'b', size: 0, digest: '', modifiedAt: null, family: null, parameterSize: null, quantizationLevel: null },
    ]);
    expect(await p.status()).toMatchObject({ host: s.baseUrl, reachable: true, version: null, error: null });
  });

  it('streams 1,000 tokens at 5,000 tokens/s completely and about on time', async () => {
    const s = await start();
    const tokens = Array.from({ length: 1000 }, (_, i) => `w${i} `);
    s.enqueueChat({ tokens, tokensPerSecond: 5000 });
    const t0 = performance.now();
    const chunks = await collect(provider(s).chatStream(request()));
    const ms = performance.now() - t0;
    expect(text(chunks, 'token')).toBe(tokens.join(''));
    expect(ms).toBeGreaterThanOrEqual(180);
    expect(ms).toBeLessThan(2000);
    console.log(`openai stand-in: 1000 tokens at 5000 tok/s streamed in ${ms.toFixed(0)} ms`);
  });
});

describe('the stand-in itself', () => {
  it('answers without stream as one chat.completion, reasoning beside the content', async () => {
    const s = await start();
    s.enqueueChat({ reasoning: 'hmm', text: 'plain answer', finishReason: 'length' });
    const res = await fetch(`${s.baseUrl}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }) });
    const body = (await res.json()) as { object: string; choices: Array<{ message: Record<string, unknown>; finish_reason: string }>; usage: { completion_tokens: number } };
    expect(body.object).toBe('chat.completion');
    expect(body.choices[0]).toMatchObject({ message: { role: 'assistant', content: 'plain answer', reasoning_content: 'hmm' }, finish_reason: 'length' });
    expect(body.usage.completion_tokens).toBeGreaterThan(0);
  });

  it('ends a stream with the usage chunk (choices: []) only when asked, then [DONE]', async () => {
    const s = await start();
    const sse = async (includeUsage: boolean) => {
      const res = await fetch(`${s.baseUrl}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: MODEL, messages: [], stream: true, ...(includeUsage ? { stream_options: { include_usage: true } } : {}) }) });
      return (await res.text()).split('\n\n').filter(Boolean);
    };
    const withUsage = await sse(true);
    expect(withUsage.at(-1)).toBe('data: [DONE]');
    const last = JSON.parse(withUsage.at(-2)!.slice(6)) as { choices: unknown[]; usage: unknown };
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) });
    const without = await sse(false);
    expect(without.some((e) => e.includes('"usage"'))).toBe(false);
    expect(without.at(-1)).toBe('data: [DONE]');
  });
});

describe('context window discovery', () => {
  it('vLLM: max_model_len from /v1/models', async () => {
    const s = await start({ flavour: 'vllm', models: [{ id: MODEL, contextLength: 16384 }] });
    expect(await provider(s).contextWindow(MODEL)).toEqual({ contextLength: 16384, loadedContextLength: 16384, source: '/v1/models max_model_len' });
    expect(s.requests.map((r) => r.path)).toEqual(['/v1/models']);
  });

  it('llama-server: n_ctx_train from /v1/models meta and n_ctx from /props (both places /props puts it)', async () => {
    for (const llamaPropsTopLevel of [false, true]) {
      const s = await start({ flavour: 'llama-server', llamaPropsTopLevel, models: [{ id: 'model.gguf', contextLength: 131072, loadedContextLength: 8192 }] });
      expect(await provider(s).contextWindow('whatever-name')).toEqual({ contextLength: 131072, loadedContextLength: 8192, source: '/v1/models n_ctx_train + /props n_ctx' });
      expect(s.requests.map((r) => r.path)).toEqual(['/v1/models', '/props']);
      await s.close();
      standin = undefined;
    }
  });

  it('LM Studio: max_context_length and loaded_context_length from /api/v0/models/{model}', async () => {
    const s = await start({ flavour: 'lmstudio', models: [{ id: MODEL, contextLength: 32768, loadedContextLength: 4096 }] });
    expect(await provider(s).contextWindow(MODEL)).toEqual({ contextLength: 32768, loadedContextLength: 4096, source: '/api/v0/models' });
    expect(s.requests.map((r) => r.path)).toEqual(['/v1/models', '/props', `/api/v0/models/${MODEL}`]);
  });

  it('a server that says nothing gives null (never a guess); answers are cached for a minute', async () => {
    const s = await start({ flavour: 'openai' });
    const p = provider(s);
    expect(await p.contextWindow(MODEL)).toBeNull();
    const asked = s.requests.length;
    expect(await p.contextWindow(MODEL)).toBeNull();
    expect(s.requests.length).toBe(asked);
  });

  it('the user\'s override wins without asking the server', async () => {
    const s = await start({ flavour: 'vllm', models: [{ id: MODEL, contextLength: 16384 }] });
    expect(await provider(s, { contextOverride: 12000 }).contextWindow(MODEL)).toEqual({ contextLength: 12000, loadedContextLength: null, source: 'your setting' });
    expect(s.requests).toHaveLength(0);
  });

  it('sends the key to the context endpoints when one exists', async () => {
    const s = await start({ flavour: 'vllm', apiKey: 'sk-ctx', models: [{ id: MODEL, contextLength: 2048 }] });
    expect((await provider(s, { key: () => 'sk-ctx' }).contextWindow(MODEL))?.contextLength).toBe(2048);
    expect(s.requests[0].headers.authorization).toBe('Bearer sk-ctx');
  });
});
