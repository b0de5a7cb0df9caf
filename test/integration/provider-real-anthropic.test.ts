/**
 * AnthropicProvider against byte-exact Messages API streams over real HTTP (a raw server, each write
 * its own TCP segment). Event shapes from the streaming docs (platform.claude.com/docs/en/build-with-claude/streaming:
 * ping, thinking / redacted_thinking blocks, signature_delta, `event: error` overloaded_error) and
 * the streaming-refusals docs (stop_reason "refusal" with stop_details on message_delta).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AnthropicProvider } from '../../electron/core/llm/anthropic/index.js';
import type { ChatChunk, ChatRequest } from '../../electron/core/llm/types.js';
import { MacsError } from '../../shared/index.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});
const KEY = 'sk-ant-api03-realsecret0123456789';

async function serve(writes: string[], status = 200): Promise<string> {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', async () => {
      res.writeHead(status, { 'content-type': status === 200 ? 'text/event-stream' : 'application/json', 'request-id': 'req_1' });
      for (const w of writes) {
        res.write(w);
        await new Promise((r) => setTimeout(r, 2));
      }
      res.end();
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const ev = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
const start = ev('message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 25, output_tokens: 1 } } });
const blockStart = (index: number, block: Record<string, unknown>) => ev('content_block_start', { type: 'content_block_start', index, content_block: block });
const delta = (index: number, d: Record<string, unknown>) => ev('content_block_delta', { type: 'content_block_delta', index, delta: d });
const blockStop = (index: number) => ev('content_block_stop', { type: 'content_block_stop', index });
const messageDelta = (stop: string, extra: Record<string, unknown> = {}) => ev('message_delta', { type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null, ...extra }, usage: { output_tokens: 15 } });
const stop = ev('message_stop', { type: 'message_stop' });
const ping = ev('ping', { type: 'ping' });

const request = (over: Partial<ChatRequest> = {}): ChatRequest => ({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }], numCtx: 8192, signal: new AbortController().signal, ...over });

async function run(writes: string[], over: Partial<ChatRequest> = {}, status = 200): Promise<{ chunks: ChatChunk[]; error: MacsError | null }> {
  const base = await serve(writes, status);
  const p = new AnthropicProvider({ id: 'claude', baseUrl: base, apiKey: () => KEY, leavesMachine: true, contextOverride: null });
  const chunks: ChatChunk[] = [];
  try {
    for await (const c of p.chatStream(request(over))) chunks.push(c);
    return { chunks, error: null };
  } catch (err) {
    if (!(err instanceof MacsError)) throw err;
    return { chunks, error: err };
  }
}
const joined = (chunks: ChatChunk[], type: 'token' | 'thinking') => chunks.flatMap((c) => (c.type === type ? [c.text] : [])).join('');
const doneOf = (chunks: ChatChunk[]) => chunks.find((c): c is Extract<ChatChunk, { type: 'done' }> => c.type === 'done');

describe('Anthropic streams as the API sends them', () => {
  it('ping, thinking with signature_delta, redacted_thinking, then text: reasoning apart, nothing of the signature or redacted data shown', async () => {
    const { chunks, error } = await run([
      start,
      ping,
      blockStart(0, { type: 'thinking', thinking: '', signature: '' }),
      delta(0, { type: 'thinking_delta', thinking: 'File: plan.py is only a thought' }),
      delta(0, { type: 'signature_delta', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds' }),
      blockStop(0),
      blockStart(1, { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP' }),
      blockStop(1),
      ping,
      blockStart(2, { type: 'text', text: '' }),
      delta(2, { type: 'text_delta', text: 'File: a.py\n' }),
      delta(2, { type: 'text_delta', text: 'x = 1' }),
      blockStop(2),
      messageDelta('end_turn'),
      stop,
    ]);
    expect(error).toBeNull();
    expect(joined(chunks, 'thinking')).toBe('File: plan.py is only a thought');
    expect(joined(chunks, 'token')).toBe('File: a.py\nx = 1');
    expect(JSON.stringify(chunks)).not.toMatch(/EqQBCg|EmwKAh/);
    expect(doneOf(chunks)).toMatchObject({ doneReason: 'stop', promptTokens: 25, evalTokens: 15 });
  });

  it('an `event: error` overloaded_error mid-stream keeps what arrived and says overloaded', async () => {
    const { chunks, error } = await run([start, blockStart(0, { type: 'text', text: '' }), delta(0, { type: 'text_delta', text: 'part' }), ev('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })]);
    expect(joined(chunks, 'token')).toBe('part');
    expect(error?.code).toBe('PROVIDER_ERROR');
    expect(error?.message).toContain('overloaded');
    expect(error?.details).toMatchObject({ status: 529, type: 'overloaded_error', transient: true, midStream: true });
  });

  it('stop_reason "refusal" is an error naming the refusal and its explanation, never a finished answer', async () => {
    const { chunks, error } = await run([
      start,
      blockStart(0, { type: 'text', text: '' }),
      delta(0, { type: 'text_delta', text: 'Hello..' }),
      blockStop(0),
      messageDelta('refusal', { stop_details: { type: 'refusal', category: 'cyber', explanation: 'This request was declined because it could enable cyber harm.' } }),
      stop,
    ]);
    expect(doneOf(chunks)).toBeUndefined();
    expect(error?.code).toBe('PROVIDER_ERROR');
    expect(error?.message).toContain('declined');
    expect(error?.message).toContain('could enable cyber harm');
    expect(error?.details?.refusal).toBe(true);
  });

  it('stop_reason "pause_turn" is an unfinished answer ("length"), not a finished one', async () => {
    const { chunks } = await run([start, blockStart(0, { type: 'text', text: '' }), delta(0, { type: 'text_delta', text: 'Searching' }), blockStop(0), messageDelta('pause_turn'), stop]);
    expect(doneOf(chunks)?.doneReason).toBe('length');
  });

  it('the forced answer tool: its input_json_delta is the answer, stray text beside it is not', async () => {
    const { chunks, error } = await run(
      [
        start,
        blockStart(0, { type: 'text', text: '' }),
        delta(0, { type: 'text_delta', text: 'Here is the JSON:' }),
        blockStop(0),
        blockStart(1, { type: 'tool_use', id: 'toolu_1', name: 'answer', input: {} }),
        delta(1, { type: 'input_json_delta', partial_json: '' }),
        delta(1, { type: 'input_json_delta', partial_json: '{"files": [' }),
        delta(1, { type: 'input_json_delta', partial_json: ']}' }),
        blockStop(1),
        messageDelta('tool_use'),
        stop,
      ],
      { format: 'json' },
    );
    expect(error).toBeNull();
    expect(joined(chunks, 'token')).toBe('{"files": []}');
    expect(JSON.parse(joined(chunks, 'token'))).toEqual({ files: [] });
    expect(doneOf(chunks)?.doneReason).toBe('stop');
  });

  it('max_tokens with no content at all ends with one done "length"', async () => {
    const { chunks, error } = await run([start, messageDelta('max_tokens'), stop]);
    expect(error).toBeNull();
    expect(joined(chunks, 'token')).toBe('');
    expect(doneOf(chunks)?.doneReason).toBe('length');
  });

  it('an HTTP 529 overloaded_error before the stream: the words, no key', async () => {
    const { error } = await run([JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: `Overloaded (key ${KEY})` }, request_id: 'req_1' })], {}, 529);
    expect(error?.code).toBe('PROVIDER_ERROR');
    expect(error?.message).toContain('Overloaded');
    expect(JSON.stringify({ m: error?.message, d: error?.details })).not.toContain(KEY);
  });

  it('"input length and `max_tokens` exceed context limit" (models before 4.5): asked again with the room left, once', async () => {
    const bodies: Array<Record<string, unknown>> = [];
    server = createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => {
        bodies.push(JSON.parse(Buffer.concat(parts).toString()) as Record<string, unknown>);
        if (bodies.length === 1) {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: 'input length and `max_tokens` exceed context limit: 188240 + 32000 > 200000, decrease input length or `max_tokens` and try again' } }));
          return;
        }
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end([start, blockStart(0, { type: 'text', text: '' }), delta(0, { type: 'text_delta', text: 'ok' }), blockStop(0), messageDelta('end_turn'), stop].join(''));
      });
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const p = new AnthropicProvider({ id: 'claude', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, apiKey: () => KEY, leavesMachine: true, contextOverride: null });
    const chunks: ChatChunk[] = [];
    for await (const c of p.chatStream(request({ model: 'claude-sonnet-4-20250514', think: 'high' }))) chunks.push(c);
    expect(joined(chunks, 'token')).toBe('ok');
    expect(bodies).toHaveLength(2);
    expect(bodies[1].max_tokens).toBe(200000 - 188240);
    expect((bodies[1].thinking as { budget_tokens: number }).budget_tokens).toBeLessThan(200000 - 188240);
  });

  it('the same refusal with no room left is CONTEXT_TOO_LONG with the numbers, after one request', async () => {
    const body = { type: 'error', error: { type: 'invalid_request_error', message: 'input length and `max_tokens` exceed context limit: 199500 + 32000 > 200000, decrease input length or `max_tokens` and try again' } };
    const { error } = await run([JSON.stringify(body)], { model: 'claude-opus-4-1' }, 400);
    expect(error?.code).toBe('CONTEXT_TOO_LONG');
    expect(error?.details).toMatchObject({ promptTokens: 199500, contextLength: 200000 });
  });

  it("a proxy's HTML 502 page: the page's title, not its markup", async () => {
    const page = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>';
    const base = await serve([page], 502);
    const p = new AnthropicProvider({ id: 'claude', baseUrl: base, apiKey: () => KEY, leavesMachine: true, contextOverride: null });
    let error: MacsError | undefined;
    try {
      for await (const _ of p.chatStream(request())) void _;
    } catch (err) {
      error = err as MacsError;
    }
    expect(error?.message).toContain('502 Bad Gateway');
    expect(error?.message).not.toMatch(/<html|<center/i);
  });
});
