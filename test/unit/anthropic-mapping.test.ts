/** The Anthropic provider's pure parts: request building, stop reasons, error mapping, key scrubbing. */
import { APIConnectionError, APIConnectionTimeoutError, APIError } from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import {
  AnthropicProvider,
  buildRequest,
  claudeVersion,
  defaultMaxTokens,
  doneReasonOf,
  mapAnthropicError,
  retryAfterMs,
  scrubKey,
  toAnthropicMessages,
  usesAdaptiveThinking,
} from '../../electron/core/llm/anthropic/index.js';
import type { ChatRequest } from '../../electron/core/llm/types.js';
import { PLAN_JSON_SCHEMA } from '../../electron/core/pipeline/steps/plan-step.js';

const KEY = 'sk-ant-api03-SECRET-abcdefghijklmnop';
const ctx = { provider: 'claude', host: 'https://api.anthropic.com', model: 'claude-sonnet-4-5', apiKey: KEY };

function req(extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }], numCtx: 8192, signal: new AbortController().signal, ...extra };
}

function httpError(status: number, type: string, message: string, headers: Record<string, string> = {}) {
  return APIError.generate(status, { type: 'error', error: { type, message }, request_id: 'req_1' }, undefined, new Headers(headers));
}

describe('toAnthropicMessages', () => {
  it('moves system messages to `system` and merges consecutive same-role turns', () => {
    const out = toAnthropicMessages([
      { role: 'system', content: 'S1' },
      { role: 'user', content: 'u1' },
      { role: 'system', content: 'S2' },
      { role: 'user', content: 'u2' },
      { role: 'assistant', content: 'a1' },
      { role: 'assistant', content: '' },
      { role: 'assistant', content: 'a2' },
    ]);
    expect(out.system).toBe('S1\n\nS2');
    expect(out.messages).toEqual([
      { role: 'user', content: 'u1\n\nu2' },
      { role: 'assistant', content: 'a1\n\na2' },
    ]);
  });

  it('leaves `system` out when there is none', () => {
    expect(toAnthropicMessages([{ role: 'user', content: 'x' }]).system).toBeUndefined();
  });
});

describe('buildRequest', () => {
  it('max_tokens: numPredict, else the family default (required by the API)', () => {
    expect(buildRequest(req({ numPredict: 700 })).body.max_tokens).toBe(700);
    expect(buildRequest(req()).body.max_tokens).toBe(32_000);
    expect(defaultMaxTokens('claude-3-5-haiku-20241022')).toBe(8192);
    expect(defaultMaxTokens('claude-3-haiku-20240307')).toBe(4096);
    expect(buildRequest(req(), 12_000).body.max_tokens).toBe(12_000);
  });

  it('never sends temperature (API version 2026-10-21 refuses it, even at the default)', () => {
    expect('temperature' in buildRequest(req({ temperature: 0.2 })).body).toBe(false);
    expect('temperature' in buildRequest(req({ temperature: 0.2, format: 'json' })).body).toBe(false);
  });

  it('thinking: a budget ≥ 1024 and < max_tokens, added on top of numPredict', () => {
    const { body } = buildRequest(req({ think: 'low', numPredict: 1500 }));
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 });
    expect(body.max_tokens).toBe(1500 + 2048);
    const capped = buildRequest(req({ think: 'high' }), 4000).body;
    expect(capped.max_tokens).toBe(4000);
    expect(capped.thinking).toEqual({ type: 'enabled', budget_tokens: 4000 - 1024 });
    // No room for the minimum budget under the cap: no thinking.
    expect(buildRequest(req({ think: true }), 1500).body.thinking).toBeUndefined();
    expect(buildRequest(req({ think: false })).body.thinking).toBeUndefined();
  });

  it('adaptive thinking from Claude 4.6 on (effort from the think level), budgets before', () => {
    expect(claudeVersion('claude-haiku-4-5-20251001')).toEqual({ major: 4, minor: 5 });
    expect(claudeVersion('claude-3-7-sonnet-20250219')).toEqual({ major: 3, minor: 7 });
    expect(claudeVersion('claude-opus-4-20250514')).toEqual({ major: 4, minor: 0 });
    expect(claudeVersion('claude-sonnet-5')).toEqual({ major: 5, minor: 0 });
    expect(usesAdaptiveThinking('claude-sonnet-4-6')).toBe(true);
    expect(usesAdaptiveThinking('claude-fable-5-1')).toBe(true);
    expect(usesAdaptiveThinking('claude-sonnet-4-5')).toBe(false);
    expect(usesAdaptiveThinking('my-proxy-model')).toBe(false);
    const five = buildRequest(req({ model: 'claude-opus-5', think: 'low', numPredict: 1000 })).body;
    expect(five.thinking).toEqual({ type: 'adaptive', display: 'summarized' });
    expect(five.output_config).toEqual({ effort: 'low' });
    expect(five.max_tokens).toBe(1000 + 2048); // room kept for the thinking
    const plain = buildRequest(req({ model: 'claude-opus-5', think: true })).body;
    expect(plain.output_config).toBeUndefined(); // true: the model's default effort
  });

  it("format 'json' is a forced tool, and drops thinking", () => {
    const { body, shape } = buildRequest(req({ format: 'json', think: true }));
    expect(shape).toBe('tool');
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'answer' });
    expect(body.tools?.[0]).toMatchObject({ name: 'answer', input_schema: { type: 'object' } });
    expect(body.thinking).toBeUndefined();
    expect(body.output_config).toBeUndefined();
  });

  it("the plan's JSON schema goes to structured outputs, made strict by the SDK's transform", () => {
    const { body, shape } = buildRequest(req({ format: PLAN_JSON_SCHEMA, think: true }));
    expect(shape).toBe('structured');
    const schema = body.output_config?.format?.schema as Record<string, unknown>;
    expect(schema.additionalProperties).toBe(false);
    expect(JSON.stringify(schema)).not.toContain('maxLength":'); // moved into descriptions
    expect(body.tools).toBeUndefined();
    expect(body.thinking).toMatchObject({ type: 'enabled' });
  });

  it('models before Claude 4.5 (and ids without a version) get the forced tool for a schema', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    expect(buildRequest(req({ model: 'claude-3-5-haiku-20241022', format: schema })).shape).toBe('tool');
    expect(buildRequest(req({ model: 'claude-sonnet-4-20250514', format: schema })).shape).toBe('tool');
    expect(buildRequest(req({ model: 'some-proxy-alias', format: schema })).shape).toBe('tool');
    expect(buildRequest(req({ model: 'claude-haiku-4-5-20251001', format: schema })).shape).toBe('structured');
    const tool = buildRequest(req({ model: 'claude-3-5-haiku-20241022', format: schema })).body.tools?.[0];
    expect(tool).toMatchObject({ name: 'answer', input_schema: schema });
  });

  it('a schema structured outputs cannot take falls back to the forced tool', () => {
    const { shape } = buildRequest(req({ format: { properties: { a: {} } } }));
    expect(shape).toBe('tool');
  });
});

describe('doneReasonOf', () => {
  it.each([
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['tool_use', 'stop'],
    ['refusal', 'refusal'],
    ['pause_turn', 'length'], // an unfinished turn (docs "Handling stop reasons")
  ])('%s → %s', (stop, done) => expect(doneReasonOf(stop)).toBe(done));
  it('null stays null', () => expect(doneReasonOf(null)).toBeNull());
});

describe('mapAnthropicError', () => {
  it.each([
    [401, 'authentication_error', 'invalid x-api-key', 'PROVIDER_AUTH'],
    [403, 'permission_error', 'no access', 'PROVIDER_AUTH'],
    [404, 'not_found_error', 'model: claude-x', 'MODEL_NOT_FOUND'],
    [429, 'rate_limit_error', 'slow down', 'RATE_LIMITED'],
    [400, 'invalid_request_error', 'prompt is too long: 250001 tokens > 200000 maximum', 'CONTEXT_TOO_LONG'],
    [400, 'invalid_request_error', 'max_tokens: Field required', 'PROVIDER_ERROR'],
    [529, 'overloaded_error', 'Overloaded', 'PROVIDER_ERROR'],
    [503, 'api_error', 'unavailable', 'PROVIDER_ERROR'],
  ])('%i %s → %s', (status, type, message, code) => {
    const err = mapAnthropicError(httpError(status, type, message, { 'retry-after': '7' }), ctx);
    expect(err.code).toBe(code);
    expect(err.message).toContain('claude (https://api.anthropic.com)');
    expect(err.details).toMatchObject({ status, type, provider: 'claude', requestId: 'req_1' });
    if (code === 'RATE_LIMITED') expect(err.details?.retryAfterMs).toBe(7000);
    if (code === 'CONTEXT_TOO_LONG') expect(err.details).toMatchObject({ promptTokens: 250001, maxTokens: 200000 });
    expect(err.details?.transient).toBe(code === 'PROVIDER_ERROR' ? status >= 500 : undefined);
  });

  it('an `event: error` inside the stream (no HTTP status) is mapped by its type', () => {
    const overloaded = new APIError(undefined, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, undefined, new Headers(), 'overloaded_error');
    const err = mapAnthropicError(overloaded, { ...ctx, streamStarted: true });
    expect(err.code).toBe('PROVIDER_ERROR');
    expect(err.details).toMatchObject({ status: 529, transient: true, midStream: true });
  });

  it('connection failures: unreachable before the stream, dropped after', () => {
    const refused = new APIConnectionError({ cause: Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }) });
    expect(mapAnthropicError(refused, ctx).code).toBe('PROVIDER_UNREACHABLE');
    expect(mapAnthropicError(refused, ctx).message).toContain('ECONNREFUSED');
    expect(mapAnthropicError(new APIConnectionTimeoutError(), ctx).code).toBe('PROVIDER_UNREACHABLE');
    expect(mapAnthropicError(new TypeError('terminated'), { ...ctx, streamStarted: true }).code).toBe('STREAM_DROPPED');
  });

  it('never passes the key on, in the message or the details', () => {
    const echoed = httpError(400, 'invalid_request_error', `header x-api-key ${KEY} is malformed (${encodeURIComponent(KEY)})`);
    const refused = new APIConnectionError({ cause: new TypeError(`getaddrinfo ENOTFOUND ${KEY}.example`) });
    for (const err of [mapAnthropicError(echoed, ctx), mapAnthropicError(refused, ctx), mapAnthropicError(new TypeError(`bad ${KEY}`), { ...ctx, streamStarted: true })]) {
      expect(JSON.stringify({ message: err.message, details: err.details })).not.toContain(KEY);
      expect(err.message + JSON.stringify(err.details)).toContain('[key removed]');
    }
  });
});

describe('scrubKey and retryAfterMs', () => {
  it('scrubs every occurrence, and leaves text alone without a key', () => {
    expect(scrubKey(`a ${KEY} b ${KEY}`, KEY)).toBe('a [key removed] b [key removed]');
    expect(scrubKey('nothing', null)).toBe('nothing');
  });

  it('reads retry-after-ms, seconds and HTTP dates', () => {
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }))).toBe(2000);
    const now = Date.parse('2026-12-07T00:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': 'Mon, 07 Dec 2026 00:00:05 GMT' }), now)).toBe(5000);
    expect(retryAfterMs(new Headers())).toBeNull();
  });
});

describe('AnthropicProvider construction', () => {
  it('host is the base URL without trailing slashes, Anthropic\'s own when none is given; no key is kept', () => {
    const opts = { id: 'claude', apiKey: () => KEY, leavesMachine: true, contextOverride: null };
    expect(new AnthropicProvider({ ...opts, baseUrl: 'https://proxy.example/anthropic//' }).host).toBe('https://proxy.example/anthropic');
    const p = new AnthropicProvider({ ...opts, baseUrl: '' });
    expect(p.host).toBe('https://api.anthropic.com');
    expect(p).toMatchObject({ id: 'claude', kind: 'anthropic', leavesMachine: true });
    expect(JSON.stringify(p)).not.toContain(KEY);
  });
});
