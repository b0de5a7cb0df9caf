/**
 * The OpenAI-compatible provider against byte-exact answers of real servers, over real HTTP: a raw
 * server writes each answer as given (every write its own TCP segment, so chunks split mid-line,
 * mid-JSON and mid-character reach the client as servers and proxies send them).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenAICompatibleProvider } from '../../electron/core/llm/openai/index.js';
import type { ChatChunk, ChatRequest } from '../../electron/core/llm/types.js';
import { MacsError } from '../../shared/index.js';

interface RawAnswer {
  status?: number;
  contentType?: string;
  writes: Array<string | Buffer>;
}

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

const KEY = 'sk-real-secret-0123456789abcdef';

async function serve(answer: RawAnswer): Promise<string> {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', async () => {
      res.writeHead(answer.status ?? 200, { 'content-type': answer.contentType ?? 'text/event-stream; charset=utf-8' });
      for (const w of answer.writes) {
        res.write(w);
        await new Promise((r) => setTimeout(r, 2));
      }
      res.end();
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

const provider = (baseUrl: string) => new OpenAICompatibleProvider({ id: 'local', baseUrl, apiKey: () => KEY, leavesMachine: false, contextOverride: null });
const request = (over: Partial<ChatRequest> = {}): ChatRequest => ({ model: 'm', messages: [{ role: 'user', content: 'hi' }], numCtx: 4096, signal: new AbortController().signal, ...over });

async function run(answer: RawAnswer, over: Partial<ChatRequest> = {}): Promise<{ chunks: ChatChunk[]; error: MacsError | null }> {
  const chunks: ChatChunk[] = [];
  try {
    for await (const c of provider(await serve(answer)).chatStream(request(over))) chunks.push(c);
    return { chunks, error: null };
  } catch (err) {
    if (!(err instanceof MacsError)) throw err;
    return { chunks, error: err };
  }
}
const joined = (chunks: ChatChunk[], type: 'token' | 'thinking') => chunks.flatMap((c) => (c.type === type ? [c.text] : [])).join('');
const doneOf = (chunks: ChatChunk[]) => chunks.find((c): c is Extract<ChatChunk, { type: 'done' }> => c.type === 'done');
const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }], ...extra });
const data = (json: string, sep = ' ', eol = '\n') => `data:${sep}${json}${eol}${eol}`;

describe('SSE framing as servers and proxies send it', () => {
  it('data: without a space, CRLF, comment lines, keep-alive blank lines, llama-server timings and its usage-only last chunk', async () => {
    // llama-server: every chunk carries "timings"; with include_usage the last one has choices [] and usage (tools/server/README.md).
    const timings = { timings: { prompt_n: 5, prompt_ms: 3.1, predicted_n: 2, predicted_ms: 9.9 } };
    const { chunks, error } = await run({
      writes: [
        ': ping\r\n\r\n',
        data(chunk({ role: 'assistant', content: null }, null, timings), '', '\r\n'),
        '\r\n\r\n',
        data(chunk({ content: 'Hel' }, null, timings), '', '\r\n'),
        ': keep-alive\n\n',
        data(chunk({ content: 'lo' }, 'stop', timings)),
        data(JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 }, ...timings })),
        'data: [DONE]\r\n\r\n',
      ],
    });
    expect(error).toBeNull();
    expect(joined(chunks, 'token')).toBe('Hello');
    expect(doneOf(chunks)).toMatchObject({ doneReason: 'stop', promptTokens: 5, evalTokens: 2 });
  });

  it('a chunk split mid-JSON and a multi-byte character split across TCP writes arrive whole', async () => {
    const line = Buffer.from(data(chunk({ content: 'héllo 🙂 wörld' }, 'stop')), 'utf8');
    const emoji = line.indexOf(Buffer.from('🙂'));
    const { chunks } = await run({ writes: [line.subarray(0, 20), line.subarray(20, emoji + 2), line.subarray(emoji + 2), 'data: [DONE]\n\n'] });
    expect(joined(chunks, 'token')).toBe('héllo 🙂 wörld');
  });

  it('a server that ignores "stream": true and answers one chat.completion JSON: its message is the answer', async () => {
    const completion = { id: 'c1', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'File: a.py\nx = 1', reasoning_content: 'plan' }, finish_reason: 'stop' }], usage: { prompt_tokens: 7, completion_tokens: 5, total_tokens: 12 } };
    const { chunks, error } = await run({ contentType: 'application/json', writes: [JSON.stringify(completion)] });
    expect(error).toBeNull();
    expect(joined(chunks, 'token')).toBe('File: a.py\nx = 1');
    expect(joined(chunks, 'thinking')).toBe('plan');
    expect(doneOf(chunks)).toMatchObject({ doneReason: 'stop', promptTokens: 7, evalTokens: 5 });
  });

  it('a stream whose content type a proxy changed to text/plain still has its [DONE] seen', async () => {
    const { chunks, error } = await run({ contentType: 'text/plain', writes: [data(chunk({ content: 'ok' })), 'data: [DONE]\n\n'] });
    expect(error).toBeNull();
    expect(joined(chunks, 'token')).toBe('ok');
  });

  it('[DONE] missing after a finish_reason is a finished answer (ik_llama.cpp#467)', async () => {
    const { chunks, error } = await run({ writes: [data(chunk({ content: 'ok' })), data(chunk({}, 'stop'))] });
    expect(error).toBeNull();
    expect(doneOf(chunks)?.doneReason).toBe('stop');
  });

  it('neither finish_reason nor [DONE] before the body ends: a dropped stream, not a finished answer', async () => {
    const { chunks, error } = await run({ writes: [data(chunk({ content: 'File: a.py\nprint(' }))] });
    expect(error?.code).toBe('STREAM_DROPPED');
    expect(joined(chunks, 'token')).toBe('File: a.py\nprint(');
  });

  it("llama-server's `error:` field mid-stream (server_sent_event(sink, \"error\", …)) is the server's error, in its words", async () => {
    const err = { code: 500, message: 'Context size has been exceeded.', type: 'server_error' };
    const { chunks, error } = await run({ writes: [data(chunk({ content: 'par' })), `error: ${JSON.stringify(err)}\n\n`] });
    expect(joined(chunks, 'token')).toBe('par');
    expect(error?.code).toBe('CONTEXT_TOO_LONG');
    expect(error?.message).toContain('Context size has been exceeded');
  });

  it("Ollama /v1's error after the stream started: a bare JSON line without data: and no [DONE] (middleware/openai.go writeError)", async () => {
    const body = { error: { message: 'an error was encountered while running the model: CUDA error: out of memory', type: 'api_error', param: null, code: null } };
    const { chunks, error } = await run({ writes: [data(chunk({ role: 'assistant', content: 'x' })), `${JSON.stringify(body)}\n`] });
    expect(joined(chunks, 'token')).toBe('x');
    expect(error?.code).toBe('PROVIDER_ERROR');
    expect(error?.message).toContain('CUDA error: out of memory');
  });

  it("vLLM's ErrorResponse at the top level after `event: error` is an error, not a silently skipped chunk", async () => {
    const body = { object: 'error', message: 'The engine died unexpectedly (EngineDeadError).', type: 'InternalServerError', param: null, code: 500 };
    const { error } = await run({ writes: [data(chunk({ content: 'x' })), `event: error\ndata: ${JSON.stringify(body)}\n\n`, 'data: [DONE]\n\n'] });
    expect(error?.code).toBe('PROVIDER_ERROR');
    expect(error?.message).toContain('EngineDeadError');
  });
});

describe('chunks real servers send', () => {
  it('Ollama /v1: reasoning in delta.reasoning, role only first, finish_reason with the last content, usage chunk (ollama openai/openai.go)', async () => {
    const { chunks } = await run({
      writes: [
        data(chunk({ role: 'assistant', content: '', reasoning: 'File: secret.py is a thought' })),
        data(chunk({ content: 'File: a.py\n' })),
        data(chunk({ content: 'x = 1' }, 'stop')),
        data(JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 } })),
        'data: [DONE]\n\n',
      ],
    });
    expect(joined(chunks, 'thinking')).toBe('File: secret.py is a thought');
    expect(joined(chunks, 'token')).toBe('File: a.py\nx = 1');
    expect(doneOf(chunks)).toMatchObject({ doneReason: 'stop', promptTokens: 9, evalTokens: 4 });
  });

  it('delta {} and content null are nothing; a choice of another index is not part of the answer', async () => {
    const other = JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 1, delta: { content: 'OTHER' }, finish_reason: null }] });
    const { chunks } = await run({ writes: [data(chunk({})), data(chunk({ content: null })), data(other), data(chunk({ content: 'mine' }, 'stop')), 'data: [DONE]\n\n'] });
    expect(joined(chunks, 'token')).toBe('mine');
  });

  it('finish_reason "content_filter" (OpenAI, Azure) is said as an error, not a finished answer', async () => {
    const { chunks, error } = await run({ writes: [data(chunk({ content: 'File: a.py\nimport ' })), data(chunk({}, 'content_filter')), 'data: [DONE]\n\n'] });
    expect(doneOf(chunks)).toBeUndefined();
    expect(error?.code).toBe('PROVIDER_ERROR');
    expect(error?.message).toContain('content filter');
  });

  it("OpenAI's structured-output refusal (delta.refusal) is said, not taken for an empty answer", async () => {
    const { chunks, error } = await run({ writes: [data(chunk({ role: 'assistant', refusal: '' })), data(chunk({ refusal: "I'm sorry, I can't help with that." })), data(chunk({}, 'stop')), 'data: [DONE]\n\n'] });
    expect(chunks.some((c) => c.type === 'done')).toBe(false);
    expect(error?.code).toBe('PROVIDER_ERROR');
    expect(error?.message).toContain("can't help with that");
    expect(error?.details?.refusal).toBe(true);
  });
});

describe('error bodies: the right code, the server words, never the key', () => {
  const cases: Array<[string, RawAnswer, string, string]> = [
    ['OpenAI', { status: 401, contentType: 'application/json', writes: [JSON.stringify({ error: { message: `Incorrect API key provided: ${KEY}.`, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } })] }, 'PROVIDER_AUTH', 'Incorrect API key'],
    ['vLLM', { status: 400, contentType: 'application/json', writes: [JSON.stringify({ object: 'error', message: "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.", type: 'BadRequestError', param: null, code: 400 })] }, 'CONTEXT_TOO_LONG', 'maximum context length is 4096'],
    ['llama-server', { status: 400, contentType: 'application/json', writes: [JSON.stringify({ error: { code: 400, message: 'request (5000 tokens) exceeds the available context size (4096 tokens), try increasing it', type: 'exceed_context_size_error', n_prompt_tokens: 5000, n_ctx: 4096 } })] }, 'CONTEXT_TOO_LONG', 'exceeds the available context size'],
    ['LM Studio', { status: 400, contentType: 'application/json', writes: [JSON.stringify({ error: 'Model loading was stopped due to insufficient system resources.' })] }, 'PROVIDER_ERROR', 'insufficient system resources'],
    ['Ollama not pulled', { status: 404, contentType: 'application/json', writes: [JSON.stringify({ error: { message: 'model "m" not found, try pulling it first', type: 'not_found_error', param: null, code: null } })] }, 'MODEL_NOT_FOUND', 'try pulling it first'],
    ['Ollama 500', { status: 500, contentType: 'application/json', writes: [JSON.stringify({ error: { message: 'llama runner process has terminated: exit status 2', type: 'api_error', param: null, code: null } })] }, 'PROVIDER_ERROR', 'llama runner process has terminated'],
    ['proxy 502 text', { status: 502, contentType: 'text/plain', writes: ['Bad Gateway'] }, 'PROVIDER_ERROR', 'Bad Gateway'],
    ['HTML page', { status: 503, contentType: 'text/html', writes: ['<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center><hr><center>nginx</center></body></html>'] }, 'PROVIDER_ERROR', '503 Service Temporarily Unavailable'],
  ];
  for (const [name, answer, code, words] of cases) {
    it(`${name} → ${code}`, async () => {
      const { error } = await run(answer);
      expect(error?.code).toBe(code);
      expect(error?.message).toContain(words);
      expect(JSON.stringify({ m: error?.message, d: error?.details })).not.toContain(KEY);
      expect(error?.message).not.toMatch(/<html|<center|<\/h1>/i);
    });
  }
});

describe('adversarial answers', () => {
  it('a <think> never closed with "File:" lines inside: none of it reaches the answer', async () => {
    const { chunks } = await run({ writes: [data(chunk({ content: '<think>plan\nFile: evil.py\n' })), data(chunk({ content: 'rm -rf /' }, 'length')), 'data: [DONE]\n\n'] });
    expect(joined(chunks, 'token')).not.toContain('File:');
    expect(joined(chunks, 'thinking')).toContain('File: evil.py');
    const finished = await run({ writes: [data(chunk({ content: '<think>\nFile: evil.py\nprint(1)' }, 'stop')), 'data: [DONE]\n\n'] });
    expect(joined(finished.chunks, 'token')).not.toContain('File:');
  });

  it('reasoning fields holding "File:" lines stay thinking', async () => {
    const { chunks } = await run({ writes: [data(chunk({ reasoning_content: 'File: x.py\n```\nbad\n```' })), data(chunk({ content: 'ok' }, 'stop')), 'data: [DONE]\n\n'] });
    expect(joined(chunks, 'token')).toBe('ok');
  });

  it('an answer of only whitespace, and "length" with no content, end with one done', async () => {
    const a = await run({ writes: [data(chunk({ content: ' \n\t ' }, 'stop')), 'data: [DONE]\n\n'] });
    expect(doneOf(a.chunks)?.doneReason).toBe('stop');
    const b = await run({ writes: [data(chunk({ role: 'assistant', content: '' })), data(chunk({}, 'length')), 'data: [DONE]\n\n'] });
    expect(b.error).toBeNull();
    expect(joined(b.chunks, 'token')).toBe('');
    expect(doneOf(b.chunks)?.doneReason).toBe('length');
  });

  it('10,000 one-character deltas arrive whole and in order', async () => {
    const expected = Array.from({ length: 10_000 }, (_, i) => String.fromCharCode(97 + (i % 26))).join('');
    const body = [...expected].map((ch) => data(chunk({ content: ch }))).join('') + data(chunk({}, 'stop')) + 'data: [DONE]\n\n';
    const { chunks } = await run({ writes: [body.slice(0, 300_000), body.slice(300_000)] });
    expect(joined(chunks, 'token')).toBe(expected);
  });
});
