/**
 * The Ollama stand-in, driven by the official `ollama` npm client the app uses, so what
 * is asserted here is what production code will observe. Raw fetch checks cover the
 * wire details the client hides (content types, plain-text 404/405, Go error strings).
 */
import { Ollama, type ChatResponse, type ProgressResponse } from 'ollama';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_ANSWER, splitIntoTokens, startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';

const MODEL = 'qwen2.5-coder:7b';
const user = [{ role: 'user', content: 'Write hello.py' }];

let standin: OllamaStandin;
let ollama: Ollama;

beforeEach(async () => {
  standin = await startOllamaStandin();
  ollama = new Ollama({ host: standin.url });
});

afterEach(async () => {
  await standin.close();
});

async function collect(stream: AsyncIterable<ChatResponse>): Promise<ChatResponse[]> {
  const parts: ChatResponse[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

type CaughtError = Error & { status_code?: number; cause?: { code?: string } };

async function caught(p: Promise<unknown>): Promise<CaughtError> {
  try {
    await p;
  } catch (err) {
    return err as CaughtError;
  }
  throw new Error('expected a rejection');
}

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/;

describe('model listing', () => {
  it('lists the default models with Ollama details', async () => {
    const { models } = await ollama.list();
    expect(models.map((m) => m.name)).toEqual(['qwen2.5-coder:7b', 'llama3.2:3b']);
    const qwen = models[0];
    expect(qwen.model).toBe('qwen2.5-coder:7b');
    expect(qwen.size).toBe(4683087332);
    expect(qwen.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(String(qwen.modified_at)).toMatch(RFC3339);
    expect(qwen.details).toEqual({
      parent_model: '',
      format: 'gguf',
      family: 'qwen2',
      families: ['qwen2'],
      parameter_size: '7.6B',
      quantization_level: 'Q4_K_M',
    });
  });

  it('setModels replaces what /api/tags lists', async () => {
    standin.setModels([{ name: 'tiny:1b', size: 1234, family: 'llama', parameterSize: '1.2B', quantizationLevel: 'Q4_0' }]);
    const { models } = await ollama.list();
    expect(models.map((m) => m.name)).toEqual(['tiny:1b']);
    const show = await ollama.show({ model: 'tiny:1b' });
    expect(show.model_info).toMatchObject({ 'general.architecture': 'llama', 'llama.block_count': 16 });
  });

  it('shows model_info with architecture numbers, and 404s an unknown model', async () => {
    const show = await ollama.show({ model: MODEL });
    expect(show.details.family).toBe('qwen2');
    expect(show.capabilities).toContain('completion');
    expect(show.model_info).toMatchObject({
      'general.architecture': 'qwen2',
      'qwen2.block_count': 28,
      'qwen2.attention.head_count_kv': 4,
      'qwen2.context_length': 32768,
    });
    const err = await caught(ollama.show({ model: 'nope:1b' }));
    expect(err.name).toBe('ResponseError');
    expect(err.status_code).toBe(404);
    expect(err.message).toBe("model 'nope:1b' not found");
  });

  it('lists a model in /api/ps once a chat loaded it, with its context length', async () => {
    expect((await ollama.ps()).models).toEqual([]);
    await ollama.chat({ model: MODEL, messages: user, options: { num_ctx: 8192 } });
    const { models } = await ollama.ps();
    expect(models).toHaveLength(1);
    const row = models[0] as (typeof models)[number] & { context_length?: number };
    expect(row.name).toBe(MODEL);
    expect(row.context_length).toBe(8192);
    expect(row.size).toBeGreaterThan(4683087332); // weights + KV cache
    expect(row.size_vram).toBe(0); // a CPU-only server by default, like this machine
    expect(new Date(row.expires_at).getTime()).toBeGreaterThan(Date.now() + 4 * 60_000);
    expect(await ollama.version()).toEqual({ version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
  });

  it('reports size_vram up to the simulated GPU memory', async () => {
    const gpu = await startOllamaStandin({ vramBytes: 2 ** 30 });
    try {
      const client = new Ollama({ host: gpu.url });
      await client.chat({ model: MODEL, messages: user, options: { num_ctx: 2048 } });
      const [row] = (await client.ps()).models;
      expect(row.size_vram).toBe(2 ** 30);
      expect(row.size).toBeGreaterThan(2 ** 30);
    } finally {
      await gpu.close();
    }
  });
});

describe('chat streaming', () => {
  it('streams the scripted text exactly and ends with a done chunk carrying timings', async () => {
    const text = 'File: app.py\n```python\nprint("héllo <world> & ☃")\n```\n';
    standin.enqueueChat({ text, promptEvalCount: 42 });
    const parts = await collect(await ollama.chat({ model: MODEL, messages: user, stream: true, options: { num_ctx: 4096 } }));
    const final = parts[parts.length - 1];
    const body = parts.slice(0, -1);
    expect(body.map((p) => p.message.content).join('')).toBe(text);
    expect(body.every((p) => p.done === false && p.message.role === 'assistant' && p.model === MODEL)).toBe(true);
    expect(String(body[0].created_at)).toMatch(RFC3339);
    expect(final.done).toBe(true);
    expect(final.done_reason).toBe('stop');
    expect(final.message).toEqual({ role: 'assistant', content: '' });
    expect(final.eval_count).toBe(splitIntoTokens(text).length);
    expect(final.eval_count).toBe(body.length);
    expect(final.prompt_eval_count).toBe(42);
    for (const k of ['total_duration', 'load_duration', 'prompt_eval_duration', 'eval_duration'] as const) {
      expect(Number.isInteger(final[k]) && final[k] > 0).toBe(true);
    }
    const req = standin.requests.find((r) => r.path === '/api/chat');
    expect(req?.method).toBe('POST');
    expect(req?.body).toMatchObject({ model: MODEL, stream: true, options: { num_ctx: 4096 } });
  });

  it('answers with the default two-file script when nothing is queued, and uses the queue FIFO', async () => {
    standin.enqueueChat({ text: 'first' });
    standin.enqueueChat({ tokens: ['sec', 'ond'] });
    const texts: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await ollama.chat({ model: MODEL, messages: user, stream: false });
      texts.push(r.message.content);
    }
    expect(texts).toEqual(['first', 'second', DEFAULT_ANSWER]);
    expect(DEFAULT_ANSWER).toContain('File: hello.py');
    expect(DEFAULT_ANSWER).toContain('File: test_hello.py');
  });

  it('returns one object with the whole answer when stream is false', async () => {
    standin.enqueueChat({ text: 'whole answer', doneReason: 'length' });
    const r = await ollama.chat({ model: MODEL, messages: user, stream: false });
    expect(r.message).toEqual({ role: 'assistant', content: 'whole answer' });
    expect(r.done).toBe(true);
    expect(r.done_reason).toBe('length');
    expect(r.eval_count).toBe(splitIntoTokens('whole answer').length);
  });

  it('stops at options.num_predict with done_reason "length"', async () => {
    standin.enqueueChat({ tokens: ['a', 'b', 'c', 'd', 'e'] });
    const r = await ollama.chat({ model: MODEL, messages: user, stream: false, options: { num_predict: 3 } });
    expect(r.message.content).toBe('abc');
    expect(r.done_reason).toBe('length');
    expect(r.eval_count).toBe(3);
  });

  it('holds the response headers back for firstTokenDelayMs, as a model load does', async () => {
    standin.enqueueChat({ text: 'late', firstTokenDelayMs: 300 });
    const t0 = performance.now();
    const stream = await ollama.chat({ model: MODEL, messages: user, stream: true });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(280);
    const parts = await collect(stream);
    expect(parts[parts.length - 1].load_duration).toBeGreaterThanOrEqual(280e6);
  });

  it('reports each token to onToken with its index and send time', async () => {
    const seen: Array<[number, string, number]> = [];
    standin.enqueueChat({ tokens: ['x', 'y', 'z'], onToken: (i, t, at) => seen.push([i, t, at]) });
    const before = performance.timeOrigin + performance.now();
    await collect(await ollama.chat({ model: MODEL, messages: user, stream: true }));
    expect(seen.map(([i, t]) => [i, t])).toEqual([
      [0, 'x'],
      [1, 'y'],
      [2, 'z'],
    ]);
    expect(seen[0][2]).toBeGreaterThanOrEqual(before);
  });
});

describe('errors as the ollama client sees them', () => {
  it('unknown model: ResponseError 404 with Ollama\'s message, and the script stays queued', async () => {
    standin.enqueueChat({ text: 'kept' });
    const err = await caught(ollama.chat({ model: 'nope:1b', messages: user, stream: true }));
    expect(err.name).toBe('ResponseError');
    expect(err.status_code).toBe(404);
    expect(err.message).toBe("model 'nope:1b' not found");
    const r = await ollama.chat({ model: MODEL, messages: user, stream: false });
    expect(r.message.content).toBe('kept');
  });

  it('error script: ResponseError with the scripted status and message', async () => {
    const message = 'model requires more system memory (10.2 GiB) than is available (4.1 GiB)';
    standin.enqueueChat({ error: { status: 500, message } });
    const err = await caught(ollama.chat({ model: MODEL, messages: user, stream: true }));
    expect(err.name).toBe('ResponseError');
    expect(err.status_code).toBe(500);
    expect(err.message).toBe(message);
  });

  it('mid-stream error: the iterator throws a plain Error with the message after the tokens', async () => {
    standin.enqueueChat({ tokens: ['a', 'b', 'c', 'd'], midStreamError: { afterTokens: 2, message: 'an error was encountered while running the model' } });
    const got: string[] = [];
    const stream = await ollama.chat({ model: MODEL, messages: user, stream: true });
    const err = await caught(
      (async () => {
        for await (const p of stream) got.push(p.message.content);
      })(),
    );
    expect(got).toEqual(['a', 'b']);
    expect(err.name).toBe('Error');
    expect(err.message).toBe('an error was encountered while running the model');
  });

  it('dropped stream (cutAfterTokens): the client throws TypeError "terminated" and never sees done', async () => {
    // Observed behaviour of ollama@0.6.4 on Node's fetch (undici): the body stream errors with
    // TypeError('terminated'), cause code UND_ERR_SOCKET ("other side closed"). It does not end
    // quietly, and the client's own "Did not receive done or success response" is not reached.
    standin.enqueueChat({ tokens: ['one', ' two', ' three', ' four'], cutAfterTokens: 2 });
    const got: ChatResponse[] = [];
    const stream = await ollama.chat({ model: MODEL, messages: user, stream: true });
    const err = await caught(
      (async () => {
        for await (const p of stream) got.push(p);
      })(),
    );
    expect(got.map((p) => p.message.content)).toEqual(['one', ' two']);
    expect(got.some((p) => p.done)).toBe(false);
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toBe('terminated');
    expect(err.cause?.code).toBe('UND_ERR_SOCKET');
    expect(standin.abortedStreams).toBe(0); // a server-side drop is not a client abort
  });

  it('dropped before any token: the chat() call itself rejects with TypeError "fetch failed"', async () => {
    standin.enqueueChat({ text: 'never', cutAfterTokens: 0 });
    const err = await caught(ollama.chat({ model: MODEL, messages: user, stream: true }));
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toBe('fetch failed');
  });

  it('client abort of a hanging stream is counted and waitForAbort resolves', async () => {
    standin.enqueueChat({ tokens: ['a', 'b', 'c'], hangAfterTokens: 2 });
    const stream = await ollama.chat({ model: MODEL, messages: user, stream: true });
    let n = 0;
    const err = await caught(
      (async () => {
        for await (const _ of stream) if (++n === 2) stream.abort();
      })(),
    );
    expect(err.name).toBe('AbortError');
    await standin.waitForAbort(2000);
    expect(standin.abortedStreams).toBe(1);
    await expect(standin.waitForAbort(50)).rejects.toThrow(/no chat stream was aborted/);
  });
});

describe('cancelling before the first token', () => {
  it('ollama.abort() cannot reach a chat still waiting for headers; a fetch with a signal can', async () => {
    // ollama-js only registers the stream (and exposes abort()) after the response headers
    // arrive, and Ollama sends none until the model is loaded. So during a model load only
    // an AbortSignal wired into a custom fetch cancels the request.
    standin.enqueueChat({ text: 'slow', firstTokenDelayMs: 300 });
    const pending = ollama.chat({ model: MODEL, messages: user, stream: true });
    setTimeout(() => ollama.abort(), 50);
    const parts = await collect(await pending);
    expect(parts.map((p) => p.message.content).join('')).toBe('slow');
    expect(standin.abortedStreams).toBe(0);

    const controller = new AbortController();
    const cancellable = new Ollama({ host: standin.url, fetch: (input, init) => fetch(input, { ...init, signal: controller.signal }) });
    standin.enqueueChat({ text: 'never sent', firstTokenDelayMs: 2000 });
    const request = cancellable.chat({ model: MODEL, messages: user, stream: true });
    setTimeout(() => controller.abort(), 50);
    const err = await caught(request);
    expect(err.name).toBe('AbortError');
    await standin.waitForAbort(2000);
    expect(standin.abortedStreams).toBe(1);
  });
});

describe('pull', () => {
  it('reports Ollama\'s progress sequence and the model then appears in /api/tags', async () => {
    const events: ProgressResponse[] = [];
    for await (const e of await ollama.pull({ model: 'llama3.2:1b', stream: true })) events.push(e);
    const statuses = events.map((e) => e.status);
    expect(statuses[0]).toBe('pulling manifest');
    expect(statuses.slice(-3)).toEqual(['verifying sha256 digest', 'writing manifest', 'success']);
    const layer = events.filter((e) => e.status.startsWith('pulling ') && e.status !== 'pulling manifest');
    expect(layer.length).toBeGreaterThan(1);
    expect(layer[0].status).toMatch(/^pulling [0-9a-f]{12}$/);
    expect(layer[0].digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(layer[0].digest.slice(7, 19)).toBe(layer[0].status.slice(8));
    expect(layer[0].completed).toBeUndefined(); // omitempty while 0
    const big = layer.filter((e) => e.digest === layer[0].digest);
    expect(big[big.length - 1].completed).toBe(big[0].total);
    const totals = new Map(layer.map((e) => [e.digest, e.total]));
    expect([...totals.values()].reduce((a, b) => a + b, 0)).toBe(1321098329);
    const { models } = await ollama.list();
    expect(models[0].name).toBe('llama3.2:1b');
  });

  it('an unknown model fails inside the stream after "pulling manifest"', async () => {
    const seen: string[] = [];
    const stream = await ollama.pull({ model: 'no-such-model:9b', stream: true });
    const err = await caught(
      (async () => {
        for await (const e of stream) seen.push(e.status);
      })(),
    );
    expect(seen).toEqual(['pulling manifest']);
    expect(err.message).toBe('pull model manifest: file does not exist');
    const r = await fetch(`${standin.url}/api/pull`, { method: 'POST', body: JSON.stringify({ model: 'no-such-model:9b', stream: false }) });
    expect(r.status).toBe(500);
    expect(await r.json()).toEqual({ error: 'pull model manifest: file does not exist' });
  });
});

describe('wire details', () => {
  it('answers like gin for the root, unknown routes, wrong methods and bad bodies', async () => {
    const root = await fetch(`${standin.url}/`);
    expect([root.status, root.headers.get('content-type'), await root.text()]).toEqual([200, 'text/plain; charset=utf-8', 'Ollama is running']);
    const missing = await fetch(`${standin.url}/api/nothing`);
    expect([missing.status, missing.headers.get('content-type'), await missing.text()]).toEqual([404, 'text/plain', '404 page not found']);
    const wrong = await fetch(`${standin.url}/api/chat`);
    expect([wrong.status, await wrong.text()]).toEqual([405, '405 method not allowed']);
    const bad = await fetch(`${standin.url}/api/chat`, { method: 'POST', body: '{"model":' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await bad.json()).toEqual({ error: 'unexpected EOF' });
    const empty = await fetch(`${standin.url}/api/chat`, { method: 'POST' });
    expect([empty.status, await empty.json()]).toEqual([400, { error: 'missing request body' }]);
    const typed = await fetch(`${standin.url}/api/chat`, { method: 'POST', body: '{"model":7}' });
    expect(await typed.json()).toEqual({ error: 'json: cannot unmarshal number into Go struct field ChatRequest.model of type string' });
  });

  it('streams application/x-ndjson with Go-style escaping, and loads a model on an empty chat', async () => {
    standin.enqueueChat({ tokens: ['<a&b>'] });
    const r = await fetch(`${standin.url}/api/chat`, { method: 'POST', body: JSON.stringify({ model: MODEL, messages: user }) });
    expect(r.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = (await r.text()).split('\n');
    expect(lines[0]).toContain('"content":"\\u003ca\\u0026b\\u003e"');
    expect(lines[lines.length - 1]).toBe('');
    const final = JSON.parse(lines[lines.length - 2]);
    expect(Object.keys(final).slice(0, 5)).toEqual(['model', 'created_at', 'message', 'done_reason', 'done']);
    const load = await fetch(`${standin.url}/api/chat`, { method: 'POST', body: JSON.stringify({ model: 'llama3.2:3b', messages: [] }) });
    expect(await load.json()).toMatchObject({ model: 'llama3.2:3b', done: true, done_reason: 'load', message: { role: 'assistant', content: '' } });
    expect(standin.loadedModels()).toContain('llama3.2:3b');
  });

  it('splits text into pieces that join back exactly', () => {
    const text = 'def f():\n    return "naïve 🚀"\r\n\n\tx  = 1\n';
    const pieces = splitIntoTokens(text);
    expect(pieces.join('')).toBe(text);
    expect(pieces.every((p) => p.length > 0 && [...p].length <= 5)).toBe(true);
  });
});

describe('pacing', () => {
  it('sustains 5,000 tokens/s: ~10,000 tokens in 2 s, within ±10%', async () => {
    const tps = 5000;
    const windowMs = 2000;
    const sentAt: number[] = [];
    standin.enqueueChat({ tokens: Array.from({ length: 20_000 }, () => 'x'), tokensPerSecond: tps, onToken: (_i, _t, at) => sentAt.push(at) });
    const stream = await ollama.chat({ model: MODEL, messages: user, stream: true });
    let first: number | undefined;
    let received = 0;
    const err = await caught(
      (async () => {
        for await (const _ of stream) {
          const now = performance.now();
          first ??= now;
          if (now - first > windowMs) {
            stream.abort();
            continue;
          }
          received++;
        }
      })(),
    );
    expect(err.name).toBe('AbortError');
    const expected = (tps * windowMs) / 1000;
    expect(received).toBeGreaterThanOrEqual(expected * 0.9);
    expect(received).toBeLessThanOrEqual(expected * 1.1);
    const sentInWindow = sentAt.filter((t) => t - sentAt[0] <= windowMs).length;
    expect(sentInWindow).toBeGreaterThanOrEqual(expected * 0.9);
    expect(sentInWindow).toBeLessThanOrEqual(expected * 1.1);
    await standin.waitForAbort(2000);
  });
});

describe('context window (context-window.ts: llm/llama_server.go ≥ 0.30, runner/ollamarunner/runner.go 0.12.6 – 0.29)', () => {
  const words = (n: number) => Array.from({ length: n }, (_, i) => ` w${i % 10}`);
  async function ask(s: OllamaStandin, body: Record<string, unknown>): Promise<ChatResponse[]> {
    const client = new Ollama({ host: s.url });
    return collect(await client.chat({ model: MODEL, messages: user, stream: true, ...body } as Parameters<Ollama['chat']>[0] & { stream: true }));
  }

  it('by default the context shifts: an answer longer than num_ctx keeps coming and ends with "stop"', async () => {
    standin.enqueueChat({ tokens: words(600), promptEvalCount: 300 });
    const parts = await ask(standin, { options: { num_ctx: 512 } });
    const final = parts.at(-1)!;
    expect(parts.length - 1).toBe(600);
    expect(final).toMatchObject({ done_reason: 'stop', prompt_eval_count: 300, eval_count: 600 });
    // What a client can see: prompt + answer ran past the window.
    expect(final.prompt_eval_count + final.eval_count).toBeGreaterThan(512);
  });

  it('"shift": false ends the answer with done_reason "length" when the window is full', async () => {
    standin.enqueueChat({ tokens: words(600), promptEvalCount: 300 });
    const final = (await ask(standin, { options: { num_ctx: 512 }, shift: false })).at(-1)!;
    expect(final).toMatchObject({ done_reason: 'length', prompt_eval_count: 300, eval_count: 212 });
  });

  it('a prompt over num_ctx keeps num_keep and drops the middle: 0.12.6 – 0.29 report exactly num_ctx evaluated', async () => {
    standin.enqueueChat({ tokens: words(10), promptEvalCount: 3000 });
    const final = (await ask(standin, { options: { num_ctx: 2048 } })).at(-1)!;
    expect(final).toMatchObject({ done_reason: 'stop', prompt_eval_count: 2048, eval_count: 10 });
    standin.enqueueChat({ tokens: words(10), promptEvalCount: 3000 });
    const noShift = (await ask(standin, { options: { num_ctx: 2048 }, shift: false })).at(-1)!;
    expect(noShift).toMatchObject({ done_reason: 'length', prompt_eval_count: 2048 });
    expect(noShift.eval_count ?? 0).toBe(0);
  });

  it('≥ 0.30 (llama-server) truncates a long prompt to num_ctx − (num_ctx − num_keep)/2, and refuses it with a 400 when shift is off', async () => {
    const s = await startOllamaStandin({ version: '0.33.0' });
    try {
      s.enqueueChat({ tokens: words(10), promptEvalCount: 3000 });
      const final = (await ask(s, { options: { num_ctx: 2048 } })).at(-1)!;
      expect(final.prompt_eval_count).toBe(2048 - Math.floor((2048 - 4) / 2));
      s.enqueueChat({ tokens: words(10), promptEvalCount: 3000 });
      const err = await caught(ask(s, { options: { num_ctx: 2048 }, shift: false }));
      expect(err.status_code).toBe(400);
      expect(err.message).toMatch(/^the prompt is longer than the context length currently available to the model/);
    } finally {
      await s.close();
    }
  });

  it('before 0.12.6 there is no "shift" field: the context shifts anyway', async () => {
    const s = await startOllamaStandin({ version: '0.12.3' });
    try {
      s.enqueueChat({ tokens: words(600), promptEvalCount: 300 });
      const final = (await ask(s, { options: { num_ctx: 512 }, shift: false })).at(-1)!;
      expect(final).toMatchObject({ done_reason: 'stop', eval_count: 600 });
    } finally {
      await s.close();
    }
  });

  it('open-ended answers stop at 10 × num_ctx (llm/llama_server.go boundedNumPredict; llm/server.go before 0.30)', async () => {
    standin.enqueueChat({ tokens: words(5200), promptEvalCount: 10 });
    const final = (await ask(standin, { options: { num_ctx: 512 } })).at(-1)!;
    expect(final).toMatchObject({ done_reason: 'length', eval_count: 5120 });
  });
});

describe('chat history over num_ctx (server/prompt.go chatPrompt)', () => {
  it('drops whole old messages from the front, keeping the system message and the last one', async () => {
    const big = 'x'.repeat(4000); // ~1000 tokens each
    const messages = [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: big },
      { role: 'assistant', content: big },
      { role: 'user', content: 'and now?' },
    ];
    standin.enqueueChat({ text: 'ok' });
    const parts = await collect(await ollama.chat({ model: MODEL, messages, stream: true, options: { num_ctx: 1500 } }));
    const final = parts.at(-1)!;
    // system (≈6) + the assistant message (≈1004) + the last (≈6) + template: the first user message went.
    expect(final.prompt_eval_count).toBeGreaterThan(1000);
    expect(final.prompt_eval_count).toBeLessThan(1500);
  });
});
