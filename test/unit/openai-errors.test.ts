import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { contextLengthInText, mapOpenAIError, parseRetryAfterMs, saysContextTooLong, scrubSecret } from '../../electron/core/llm/openai/index.js';
import { normalizeErrorBodies } from '../../electron/core/llm/openai/error-bodies.js';
import { MacsError } from '../../shared/index.js';

const ctx = { id: 'lmstudio', baseUrl: 'http://127.0.0.1:1234/v1', model: 'qwen' };
const httpError = (status: number, body: unknown, headers: Record<string, string> = {}) => APIError.generate(status, body as object, undefined, new Headers(headers));

describe('mapOpenAIError', () => {
  it('401 and 403 are PROVIDER_AUTH naming the provider, its URL and where the key comes from', () => {
    for (const status of [401, 403]) {
      const err = mapOpenAIError(httpError(status, { error: { message: 'Invalid key', type: 'invalid_request_error', code: 'invalid_api_key' } }), ctx);
      expect(err.code).toBe('PROVIDER_AUTH');
      expect(err.message).toContain('"lmstudio"');
      expect(err.message).toContain(ctx.baseUrl);
      expect(err.message).toMatch(/Settings → Providers.*environment variable/);
      expect(err.details?.status).toBe(status);
    }
  });

  it('scrubs the key from every text it passes on, message and details', () => {
    const secret = 'sk-proj-SECRET1234567890';
    const err = mapOpenAIError(httpError(401, { error: { message: `Incorrect API key provided: ${secret}.`, code: 'invalid_api_key' } }), { ...ctx, secret });
    expect(JSON.stringify(err.toPayload())).not.toContain(secret);
    const unreachable = mapOpenAIError(new TypeError(`fetch failed for key ${secret}`), { ...ctx, secret });
    expect(JSON.stringify(unreachable.toPayload())).not.toContain(secret);
    expect(scrubSecret(`a ${secret} b ${secret}`, secret)).toBe('a [key hidden] b [key hidden]');
    expect(scrubSecret('nothing here', null)).toBe('nothing here');
  });

  it('429 is RATE_LIMITED with retryAfterMs; an exhausted quota says so and carries quota: true', () => {
    const limited = mapOpenAIError(httpError(429, { error: { message: 'Slow down', code: 'rate_limit_exceeded' } }, { 'retry-after': '7' }), ctx);
    expect(limited).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterMs: 7000, status: 429 } });
    const quota = mapOpenAIError(httpError(429, { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' } }), ctx);
    expect(quota).toMatchObject({ code: 'RATE_LIMITED', details: { quota: true } });
    expect(quota.details).not.toHaveProperty('retryAfterMs');
  });

  it('each server wording of an over-long prompt is CONTEXT_TOO_LONG with the window when it is said', () => {
    const cases: Array<[unknown, number | undefined]> = [
      [{ error: { message: "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.", code: 'context_length_exceeded' } }, 8192],
      [{ error: { message: 'request (4476 tokens) exceeds the available context size (4096 tokens), try increasing it', type: 'exceed_context_size_error', n_prompt_tokens: 4476, n_ctx: 4096 } }, 4096],
      [{ error: { message: 'the request exceeds the available context size, try increasing it', type: 'exceed_context_size_error' } }, undefined],
      [{ error: { message: 'Trying to keep the first 10136 tokens when context the overflows. However, the model is loaded with context length of only 7866 tokens, which is not enough.' } }, 7866],
      [{ error: { message: 'Cannot truncate prompt with n_keep (15028) >= n_ctx (7424)' } }, 7424],
      [{ error: { message: "'max_tokens' or 'max_completion_tokens' is too large: 8000. This model's maximum context length is 4096 tokens and your request has 2778 input tokens" } }, 4096],
    ];
    for (const [body, contextLength] of cases) {
      const err = mapOpenAIError(httpError(400, body), ctx);
      expect(err.code).toBe('CONTEXT_TOO_LONG');
      expect(err.details?.contextLength).toBe(contextLength);
    }
    expect(mapOpenAIError(httpError(400, { error: { message: 'temperature must be between 0 and 2' } }), ctx).code).toBe('PROVIDER_ERROR');
  });

  it('404 or a "model does not exist" text is MODEL_NOT_FOUND; 5xx is PROVIDER_ERROR with its status', () => {
    expect(mapOpenAIError(httpError(404, { error: { message: 'The model `qwen` does not exist.', code: 'model_not_found' } }), ctx).code).toBe('MODEL_NOT_FOUND');
    expect(mapOpenAIError(httpError(400, { error: { message: 'Model qwen not found' } }), ctx).code).toBe('MODEL_NOT_FOUND');
    expect(mapOpenAIError(httpError(502, { error: { message: 'Bad gateway' } }), ctx)).toMatchObject({ code: 'PROVIDER_ERROR', details: { status: 502 } });
  });

  it('connection failures are PROVIDER_UNREACHABLE before the stream and STREAM_DROPPED after it started', () => {
    const refused = new APIConnectionError({ message: 'Connection error.', cause: Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }) });
    const before = mapOpenAIError(refused, ctx);
    expect(before.code).toBe('PROVIDER_UNREACHABLE');
    expect(before.message).toContain('is its server running?');
    expect(before.details?.cause).toBe('ECONNREFUSED');
    expect(mapOpenAIError(new APIConnectionTimeoutError(), ctx).code).toBe('PROVIDER_UNREACHABLE');
    expect(mapOpenAIError(new TypeError('terminated'), { ...ctx, streamStarted: true }).code).toBe('STREAM_DROPPED');
  });

  it('passes a MacsError through unchanged', () => {
    const own = new MacsError('LOCAL_ONLY', 'no');
    expect(mapOpenAIError(own, ctx)).toBe(own);
  });
});

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2026-12-07T05:00:00Z');
  it('reads retry-after-ms first, then Retry-After seconds or an HTTP date', () => {
    expect(parseRetryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
    expect(parseRetryAfterMs(new Headers({ 'retry-after': '3' }), now)).toBe(3000);
    expect(parseRetryAfterMs(new Headers({ 'retry-after': '1.5' }), now)).toBe(1500);
    expect(parseRetryAfterMs(new Headers({ 'retry-after': 'Mon, 07 Dec 2026 05:00:12 GMT' }), now)).toBe(12_000);
    expect(parseRetryAfterMs({ 'Retry-After': '2' }, now)).toBe(2000);
  });
  it('is null when absent or unreadable, and never negative for a past date', () => {
    expect(parseRetryAfterMs(new Headers(), now)).toBeNull();
    expect(parseRetryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeNull();
    expect(parseRetryAfterMs(undefined, now)).toBeNull();
    expect(parseRetryAfterMs(new Headers({ 'retry-after': 'Mon, 07 Dec 2026 04:00:00 GMT' }), now)).toBe(0);
  });
});

describe('context texts', () => {
  it('finds the window in each wording and leaves unrelated errors alone', () => {
    expect(contextLengthInText('The decoder prompt (length 9000) is longer than the maximum model length of 8192.')).toBe(8192);
    expect(saysContextTooLong('Context size has been exceeded.')).toBe(true);
    expect(saysContextTooLong('invalid schema')).toBe(false);
    expect(contextLengthInText('no numbers here')).toBeNull();
  });
});

describe('normalizeErrorBodies', () => {
  const respond = (status: number, text: string) => (async () => new Response(text, { status, headers: { 'content-type': 'application/json' } })) as typeof fetch;
  it("puts vLLM's top-level error and LM Studio's string error into OpenAI's envelope", async () => {
    const vllm = await normalizeErrorBodies(respond(400, JSON.stringify({ object: 'error', message: 'too long', type: 'BadRequestError', code: 400 })))('http://x');
    expect(await vllm.json()).toEqual({ error: { object: 'error', message: 'too long', type: 'BadRequestError', code: 400 } });
    const lm = await normalizeErrorBodies(respond(400, JSON.stringify({ error: 'Model not loaded' })))('http://x');
    expect(await lm.json()).toEqual({ error: { message: 'Model not loaded' } });
    const plain = await normalizeErrorBodies(respond(502, 'Bad Gateway'))('http://x');
    expect(await plain.json()).toEqual({ error: { message: 'Bad Gateway' } });
  });
  it('leaves successful responses untouched', async () => {
    const ok = new Response('data: x\n\n', { status: 200 });
    expect(await normalizeErrorBodies((async () => ok) as typeof fetch)('http://x')).toBe(ok);
  });
});
