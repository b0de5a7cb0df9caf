/**
 * AnthropicProvider over real HTTP against the Anthropic stand-in (test/fixtures/anthropic-standin),
 * through the official @anthropic-ai/sdk client it uses in production.
 */
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MacsError } from '../../shared/index.js';
import { AnthropicProvider } from '../../electron/core/llm/anthropic/index.js';
import type { ChatChunk, ChatRequest } from '../../electron/core/llm/types.js';
import { startAnthropicStandin, type AnthropicStandin } from '../fixtures/anthropic-standin/index.js';

const MODEL = 'claude-sonnet-4-5';
let standin: AnthropicStandin;
let key: string | null;

function provider(overrides: { baseUrl?: string; contextOverride?: number | null } = {}): AnthropicProvider {
  return new AnthropicProvider({
    id: 'claude',
    baseUrl: overrides.baseUrl ?? `${standin.url}/`,
    apiKey: () => key,
    leavesMachine: true,
    contextOverride: overrides.contextOverride ?? null,
  });
}

function request(extra: Partial<ChatRequest> = {}): ChatRequest {
  return {
    model: MODEL,
    messages: [
      { role: 'system', content: 'You write code.' },
      { role: 'user', content: 'Write hello.py' },
    ],
    numCtx: 8192,
    signal: new AbortController().signal,
    ...extra,
  };
}

async function collect(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const out: ChatChunk[] = [];
  for await (const c of stream) out.push(c);
  return out;
}

async function failure(p: Promise<unknown>): Promise<MacsError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(MacsError);
    return err as MacsError;
  }
  throw new Error('expected a rejection');
}

const text = (chunks: ChatChunk[], type: 'token' | 'thinking') =>
  chunks
    .filter((c): c is Extract<ChatChunk, { type: 'token' | 'thinking' }> => c.type === type)
    .map((c) => c.text)
    .join('');
const done = (chunks: ChatChunk[]) => chunks.filter((c) => c.type === 'done') as Array<Extract<ChatChunk, { type: 'done' }>>;

beforeEach(async () => {
  standin = await startAnthropicStandin();
  key = standin.apiKey;
});

afterEach(async () => {
  await standin.close();
});

describe('AnthropicProvider chatStream', () => {
  it('streams thinking then answer tokens, ends with one done carrying the usage, and sends the documented headers', async () => {
    standin.enqueue({
      thinking: 'The user wants a script.',
      text: 'print("hello")\n',
      usage: { input_tokens: 40, cache_read_input_tokens: 100, cache_creation_input_tokens: 7, output_tokens: 33 },
      tokensPerSecond: 400,
    });
    const p = provider();
    expect(p.host).toBe(standin.url); // trailing slash gone
    expect(p.kind).toBe('anthropic');
    const chunks = await collect(p.chatStream(request({ think: true })));
    expect(text(chunks, 'thinking')).toBe('The user wants a script.');
    expect(text(chunks, 'token')).toBe('print("hello")\n');
    expect(chunks.findIndex((c) => c.type === 'thinking')).toBeLessThan(chunks.findIndex((c) => c.type === 'token'));
    const d = done(chunks);
    expect(d).toHaveLength(1);
    expect(chunks.at(-1)).toBe(d[0]);
    expect(d[0]).toMatchObject({ doneReason: 'stop', promptTokens: 147, evalTokens: 33 });
    expect(d[0].totalDurationMs).toBeGreaterThanOrEqual(d[0].evalDurationMs);
    expect(d[0].evalDurationMs).toBeGreaterThan(0);

    const sent = standin.requests.find((r) => r.path === '/v1/messages');
    // @anthropic-ai/sdk 1.x authenticates with `Authorization: Bearer <key>` under API version 2026-10-21
    // (the reference's older examples show x-api-key with 2023-06-01).
    expect(sent?.headers.authorization).toBe(`Bearer ${standin.apiKey}`);
    expect(sent?.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const body = sent?.body as Record<string, unknown>;
    expect(body.system).toBe('You write code.');
    expect(body.messages).toEqual([{ role: 'user', content: 'Write hello.py' }]);
    expect(body.stream).toBe(true);
    expect(body.thinking).toMatchObject({ type: 'enabled' });
  });

  it('asks the adaptive generation (Claude 5) for adaptive thinking with an effort, shown summarized', async () => {
    standin.enqueue({ thinking: 'Weighing options.', text: 'Done.' });
    const chunks = await collect(provider().chatStream(request({ model: 'claude-sonnet-5', think: 'high', numPredict: 2000 })));
    expect(text(chunks, 'thinking')).toBe('Weighing options.');
    expect(text(chunks, 'token')).toBe('Done.');
    const body = standin.requests.at(-1)?.body as Record<string, unknown>;
    expect(body.thinking).toEqual({ type: 'adaptive', display: 'summarized' });
    expect(body.output_config).toEqual({ effort: 'high' });
  });

  it('sends no thinking when think is off, and the stand-in then sends no thinking block', async () => {
    standin.enqueue({ thinking: 'hidden', text: 'plain' });
    const chunks = await collect(provider().chatStream(request({ think: false })));
    expect(chunks.some((c) => c.type === 'thinking')).toBe(false);
    expect((standin.requests.at(-1)?.body as Record<string, unknown>).thinking).toBeUndefined();
  });

  it('merges consecutive same-role turns before sending', async () => {
    await collect(
      provider().chatStream(
        request({
          messages: [
            { role: 'user', content: 'a' },
            { role: 'user', content: 'b' },
            { role: 'assistant', content: 'c' },
            { role: 'user', content: 'd' },
          ],
        }),
      ),
    );
    expect((standin.requests.at(-1)?.body as { messages: unknown }).messages).toEqual([
      { role: 'user', content: 'a\n\nb' },
      { role: 'assistant', content: 'c' },
      { role: 'user', content: 'd' },
    ]);
  });

  it('streams a forced tool input as the answer text for format "json", without thinking', async () => {
    standin.enqueue({ toolJson: ['{"files": [', '{"path": "a.py"}', ']}'] });
    const chunks = await collect(provider().chatStream(request({ format: 'json', think: true, temperature: 0.2 })));
    expect(text(chunks, 'token')).toBe('{"files": [{"path": "a.py"}]}');
    expect(JSON.parse(text(chunks, 'token'))).toEqual({ files: [{ path: 'a.py' }] });
    expect(done(chunks)[0].doneReason).toBe('stop');
    const body = standin.requests.at(-1)?.body as Record<string, unknown>;
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'answer' });
    expect(body.thinking).toBeUndefined();
    // The stand-in refuses temperature under API version 2026-10-21 as the API does: not sent.
    expect('temperature' in body).toBe(false);
  });

  it('sends a JSON schema as structured output and streams the JSON text', async () => {
    standin.enqueue({ text: '{"language":"python"}' });
    const schema = { type: 'object', properties: { language: { type: 'string', minLength: 1 } }, required: ['language'] };
    const chunks = await collect(provider().chatStream(request({ format: schema, numPredict: 500 })));
    expect(JSON.parse(text(chunks, 'token'))).toEqual({ language: 'python' });
    const body = standin.requests.at(-1)?.body as Record<string, unknown>;
    expect(body.output_config).toMatchObject({ format: { type: 'json_schema', schema: { type: 'object', additionalProperties: false } } });
    expect(body.max_tokens).toBe(500);
    expect(body.tools).toBeUndefined();
  });

  it('an older model gets the schema as a forced tool (the stand-in refuses structured outputs there)', async () => {
    standin.enqueue({ toolJson: '{"language": "c"}' });
    const schema = { type: 'object', properties: { language: { type: 'string' } }, required: ['language'] };
    const chunks = await collect(provider().chatStream(request({ model: 'claude-3-5-haiku-20241022', format: schema })));
    expect(JSON.parse(text(chunks, 'token'))).toEqual({ language: 'c' });
    const body = standin.requests.at(-1)?.body as Record<string, unknown>;
    expect(body.output_config).toBeUndefined();
    expect(body.tools).toEqual([expect.objectContaining({ name: 'answer', input_schema: schema })]);
    expect(body.max_tokens).toBe(8192);
  });

  it('reports max_tokens as doneReason "length"', async () => {
    standin.enqueue({ text: 'cut', stopReason: 'max_tokens' });
    expect(done(await collect(provider().chatStream(request())))[0].doneReason).toBe('length');
  });

  it('stops the stream when the signal aborts, and the server sees the connection close', async () => {
    standin.enqueue({ text: 'a b c d e f g h', hangAfterDeltas: 2 });
    const controller = new AbortController();
    const seen: ChatChunk[] = [];
    const run = (async () => {
      for await (const c of provider().chatStream(request({ signal: controller.signal }))) {
        seen.push(c);
        if (seen.length === 2) controller.abort();
      }
    })();
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    await standin.waitForAbort(3000);
    expect(seen.some((c) => c.type === 'done')).toBe(false);
  });

  it('a stream cut mid-answer is STREAM_DROPPED, after the tokens that arrived', async () => {
    standin.enqueue({ text: 'one two three four five', cutAfterDeltas: 2 });
    const seen: ChatChunk[] = [];
    const err = await failure(
      (async () => {
        for await (const c of provider().chatStream(request())) seen.push(c);
      })(),
    );
    expect(err.code).toBe('STREAM_DROPPED');
    expect(seen.filter((c) => c.type === 'token').length).toBe(2);
  });

  it('a response that ends without message_stop is STREAM_DROPPED, not a finished answer', async () => {
    standin.enqueue({ text: 'one two three four', endAfterDeltas: 2 });
    const seen: ChatChunk[] = [];
    const err = await failure(
      (async () => {
        for await (const c of provider().chatStream(request())) seen.push(c);
      })(),
    );
    expect(err.code).toBe('STREAM_DROPPED');
    expect(seen.some((c) => c.type === 'done')).toBe(false);
  });

  it('Stop during a Retry-After wait ends at once', async () => {
    standin.enqueue({ error: { status: 429, type: 'rate_limit_error', message: 'rate limited', headers: { 'retry-after': '20' } } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    await expect(collect(provider().chatStream(request({ signal: controller.signal })))).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(standin.requests.filter((r) => r.path === '/v1/messages')).toHaveLength(1);
  });

  it('Stop before the response headers arrive ends at once', async () => {
    standin.enqueue({ text: 'late', firstTokenDelayMs: 5000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    await expect(collect(provider().chatStream(request({ signal: controller.signal })))).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('every token of a 5,000 tokens/s stream arrives, in order, with little added delay', async () => {
    const tokens = Array.from({ length: 5000 }, (_, i) => `t${i} `);
    const sentAt: number[] = [];
    standin.enqueue({ tokens, tokensPerSecond: 5000, onDelta: (i, at) => void (sentAt[i] = at) });
    const delays: number[] = [];
    let i = 0;
    let got = '';
    for await (const c of provider().chatStream(request())) {
      if (c.type !== 'token') continue;
      got += c.text;
      delays.push(performance.timeOrigin + performance.now() - sentAt[i++]);
    }
    expect(got).toBe(tokens.join(''));
    delays.sort((a, b) => a - b);
    const p99 = delays[Math.floor(delays.length * 0.99)];
    console.log(`anthropic stand-in 5,000 tok/s: p50 ${delays[delays.length >> 1].toFixed(1)} ms, p99 ${p99.toFixed(1)} ms added`);
    expect(p99).toBeLessThan(50);
  });

  it('an overloaded_error event inside a started stream is PROVIDER_ERROR status 529', async () => {
    standin.enqueue({ text: 'one two three', midStreamError: { afterDeltas: 1, type: 'overloaded_error', message: 'Overloaded' } });
    const err = await failure(collect(provider().chatStream(request())));
    expect(err.code).toBe('PROVIDER_ERROR');
    expect(err.details).toMatchObject({ status: 529, transient: true, provider: 'claude' });
  });

  it('waits as Retry-After asks on 429 and retries before any token', async () => {
    standin.enqueue({ error: { status: 429, type: 'rate_limit_error', message: 'Number of request tokens has exceeded your rate limit', headers: { 'retry-after': '1' } } });
    const started = Date.now();
    const chunks = await collect(provider().chatStream(request()));
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(text(chunks, 'token')).toBe('Hello from the Anthropic stand-in.');
    expect(standin.requests.filter((r) => r.path === '/v1/messages')).toHaveLength(2);
  });

  it('gives up with RATE_LIMITED (retryAfterMs) after two retries', async () => {
    for (let i = 0; i < 3; i++) {
      standin.enqueue({ error: { status: 429, type: 'rate_limit_error', message: 'rate limited', headers: { 'retry-after': '0' } } });
    }
    const err = await failure(collect(provider().chatStream(request())));
    expect(err.code).toBe('RATE_LIMITED');
    expect(err.details?.retryAfterMs).toBe(0);
    expect(standin.requests.filter((r) => r.path === '/v1/messages')).toHaveLength(3);
  });

  it('does not sit through a Retry-After longer than 30 s', async () => {
    standin.enqueue({ error: { status: 429, type: 'rate_limit_error', message: 'rate limited', headers: { 'retry-after': '120' } } });
    const err = await failure(collect(provider().chatStream(request())));
    expect(err.code).toBe('RATE_LIMITED');
    expect(err.details?.retryAfterMs).toBe(120_000);
    expect(standin.requests.filter((r) => r.path === '/v1/messages')).toHaveLength(1);
  });

  it('maps every documented error to its code, naming the provider and URL and never the key', async () => {
    const cases: Array<[number, string, string, string]> = [
      [401, 'authentication_error', 'invalid x-api-key', 'PROVIDER_AUTH'],
      [403, 'permission_error', 'Your API key does not have permission to use the specified resource.', 'PROVIDER_AUTH'],
      [400, 'invalid_request_error', 'prompt is too long: 210345 tokens > 200000 maximum', 'CONTEXT_TOO_LONG'],
      [529, 'overloaded_error', 'Overloaded', 'PROVIDER_ERROR'],
      [500, 'api_error', 'Internal server error', 'PROVIDER_ERROR'],
      // A server that echoes the key back must not make us leak it.
      [400, 'invalid_request_error', `bad header x-api-key: ${standin.apiKey}`, 'PROVIDER_ERROR'],
    ];
    for (const [status, type, message, code] of cases) {
      standin.enqueue({ error: { status, type, message } });
      const err = await failure(collect(provider().chatStream(request())));
      expect(err.code, `${status} ${type}`).toBe(code);
      expect(err.message).toContain('claude');
      expect(err.message).toContain(standin.url);
      expect(JSON.stringify({ m: err.message, d: err.details })).not.toContain(standin.apiKey);
      expect(err.details?.status).toBe(status);
      if (code === 'CONTEXT_TOO_LONG') expect(err.details).toMatchObject({ promptTokens: 210345, maxTokens: 200000 });
      if (status >= 500) expect(err.details?.transient).toBe(true);
    }
  });

  it('a wrong key is PROVIDER_AUTH from the server; no key is refused before any request', async () => {
    key = 'sk-ant-wrong-key-0000';
    expect((await failure(collect(provider().chatStream(request())))).code).toBe('PROVIDER_AUTH');
    const before = standin.requests.length;
    key = null;
    const err = await failure(collect(provider().chatStream(request())));
    expect(err.code).toBe('PROVIDER_AUTH');
    expect(err.details?.missingKey).toBe(true);
    expect(standin.requests.length).toBe(before);
  });

  it('reads the key at every request (a key changed in Settings applies at once)', async () => {
    const p = provider();
    key = 'sk-ant-old-key-1111';
    await failure(collect(p.chatStream(request())));
    key = standin.apiKey;
    expect(text(await collect(p.chatStream(request())), 'token')).toContain('Hello');
    expect(JSON.stringify(p)).not.toContain(standin.apiKey);
  });

  it('an unknown model is MODEL_NOT_FOUND', async () => {
    const err = await failure(collect(provider().chatStream(request({ model: 'claude-nope' }))));
    expect(err.code).toBe('MODEL_NOT_FOUND');
    expect(err.message).toContain('claude-nope');
  });

  it('nobody listening is PROVIDER_UNREACHABLE', async () => {
    const port = await freePort();
    const err = await failure(collect(provider({ baseUrl: `http://127.0.0.1:${port}` }).chatStream(request())));
    expect(err.code).toBe('PROVIDER_UNREACHABLE');
    expect(err.message).toContain(`127.0.0.1:${port}`);
  });
});

describe('AnthropicProvider models and status', () => {
  it('lists models from GET /v1/models across pages', async () => {
    // 45 models: three pages at the API's default limit of 20.
    standin.setModels(Array.from({ length: 45 }, (_, i) => ({ id: `claude-m${i}` })));
    const models = await provider().listModels();
    expect(models.map((m) => m.name)).toEqual(Array.from({ length: 45 }, (_, i) => `claude-m${i}`));
    expect(standin.requests.filter((r) => r.path.startsWith('/v1/models'))).toHaveLength(3);
    expect(models[0]).toEqual({ name: 'claude-m0', size: 0, digest: '', modifiedAt: null, family: null, parameterSize: null, quantizationLevel: null });
  });

  it('contextWindow: the override, else max_input_tokens, else null', async () => {
    expect(await provider({ contextOverride: 50_000 }).contextWindow(MODEL)).toMatchObject({ contextLength: 50_000 });
    expect(standin.requests).toHaveLength(0);
    expect(await provider().contextWindow(MODEL)).toEqual({ contextLength: 200_000, loadedContextLength: null, source: '/v1/models max_input_tokens' });
    expect(await provider().contextWindow('claude-mystery-1')).toBeNull();
  });

  it('the Models API max_tokens becomes the default max_tokens once read', async () => {
    standin.setModels([{ id: MODEL, max_input_tokens: 200_000, max_tokens: 12_345 }]);
    const p = provider();
    await p.contextWindow(MODEL);
    await collect(p.chatStream(request()));
    expect((standin.requests.at(-1)?.body as { max_tokens: number }).max_tokens).toBe(12_345);
  });

  it('status: reachable with a good key; PROVIDER_AUTH with a bad one; unreachable when nobody listens', async () => {
    expect(await provider().status()).toMatchObject({ host: standin.url, reachable: true, error: null });
    key = 'sk-ant-bad-key-2222';
    const bad = await provider().status();
    expect(bad).toMatchObject({ reachable: false, error: { code: 'PROVIDER_AUTH' } });
    expect(JSON.stringify(bad)).not.toContain('sk-ant-bad-key-2222');
    const port = await freePort();
    expect((await provider({ baseUrl: `http://127.0.0.1:${port}` }).status()).error?.code).toBe('PROVIDER_UNREACHABLE');
  });
});

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
