/**
 * The stand-ins play what real servers send (each option cites its source in the fixture), and the
 * providers handle it: mid-stream errors in each server's own framing, llama-server's timings,
 * finish_reason on the last content chunk, OpenAI refusals, Anthropic redacted_thinking and
 * streaming refusals with stop_details.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AnthropicProvider } from '../../electron/core/llm/anthropic/index.js';
import { OpenAICompatibleProvider } from '../../electron/core/llm/openai/index.js';
import type { ChatChunk, ChatProvider, ChatRequest } from '../../electron/core/llm/types.js';
import { MacsError } from '../../shared/index.js';
import { startAnthropicStandin, type AnthropicStandin } from '../fixtures/anthropic-standin/index.js';
import { startOpenAIStandin, type OpenAIStandin } from '../fixtures/openai-standin/index.js';

let openai: OpenAIStandin | undefined;
let anthropic: AnthropicStandin | undefined;
afterEach(async () => {
  await openai?.close();
  await anthropic?.close();
  openai = anthropic = undefined;
});

const request = (model: string, over: Partial<ChatRequest> = {}): ChatRequest => ({ model, messages: [{ role: 'user', content: 'hi' }], numCtx: 4096, signal: new AbortController().signal, ...over });
async function run(p: ChatProvider, req: ChatRequest): Promise<{ chunks: ChatChunk[]; error: MacsError | null }> {
  const chunks: ChatChunk[] = [];
  try {
    for await (const c of p.chatStream(req)) chunks.push(c);
    return { chunks, error: null };
  } catch (err) {
    if (!(err instanceof MacsError)) throw err;
    return { chunks, error: err };
  }
}
const joined = (chunks: ChatChunk[], type: 'token' | 'thinking') => chunks.flatMap((c) => (c.type === type ? [c.text] : [])).join('');
const MODEL = 'qwen2.5-coder-7b-instruct';
const openaiProvider = (s: OpenAIStandin) => new OpenAICompatibleProvider({ id: 'local', baseUrl: s.baseUrl, apiKey: () => null, leavesMachine: false, contextOverride: null });

describe('OpenAI-compatible stand-in: each server mid-stream error framing reaches the user in its words', () => {
  const error = { code: 500, message: 'llama_decode failed: out of KV cache slots', type: 'server_error' };
  for (const style of ['data', 'llama-error-field', 'ollama-bare', 'vllm-event'] as const) {
    it(style, async () => {
      openai = await startOpenAIStandin({ flavour: 'llama-server' });
      openai.enqueueChat({ tokens: ['a', 'b', 'c'], midStreamError: { afterTokens: 2, error, style } });
      const { chunks, error: err } = await run(openaiProvider(openai), request(MODEL));
      expect(joined(chunks, 'token')).toBe('ab');
      expect(err?.code).toBe('PROVIDER_ERROR');
      expect(err?.message).toContain('out of KV cache slots');
    });
  }
});

describe('OpenAI-compatible stand-in: chunks as servers send them', () => {
  it('llama-server timings and finish_reason on the last content chunk: one answer, usage read', async () => {
    openai = await startOpenAIStandin({ flavour: 'llama-server' });
    openai.enqueueChat({ tokens: ['x', ' = 1'], finishWithLastToken: true, usage: { promptTokens: 11, completionTokens: 2 } });
    const { chunks, error } = await run(openaiProvider(openai), request(MODEL));
    expect(error).toBeNull();
    expect(joined(chunks, 'token')).toBe('x = 1');
    expect(chunks.at(-1)).toMatchObject({ type: 'done', doneReason: 'stop', promptTokens: 11, evalTokens: 2 });
    // And the stand-in really sends timings (raw request).
    const res = await fetch(`${openai.baseUrl}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: MODEL, messages: [], stream: true, stream_options: { include_usage: true } }) });
    expect(await res.text()).toContain('"timings"');
  });

  it('an OpenAI refusal in delta.refusal is an error with its text', async () => {
    openai = await startOpenAIStandin();
    openai.enqueueChat({ tokens: [], refusal: "I'm sorry, I cannot help with that request." });
    const { error } = await run(openaiProvider(openai), request(MODEL, { format: { type: 'object' } }));
    expect(error?.details?.refusal).toBe(true);
    expect(error?.message).toContain('cannot help with that request');
  });
});

describe('Anthropic stand-in: redacted thinking and streaming refusals', () => {
  const claude = (s: AnthropicStandin) => new AnthropicProvider({ id: 'claude', baseUrl: s.url, apiKey: () => s.apiKey, leavesMachine: true, contextOverride: null });

  it('a redacted_thinking block shows nothing and the answer is whole', async () => {
    anthropic = await startAnthropicStandin();
    anthropic.enqueue({ thinking: 'Plan.', redactedThinking: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP', text: 'Done.' });
    const { chunks, error } = await run(claude(anthropic), request('claude-sonnet-4-5', { think: true }));
    expect(error).toBeNull();
    expect(joined(chunks, 'thinking')).toBe('Plan.');
    expect(joined(chunks, 'token')).toBe('Done.');
    expect(JSON.stringify(chunks)).not.toContain('EmwKAh');
  });

  it('stop_reason refusal with stop_details: an error naming the explanation', async () => {
    anthropic = await startAnthropicStandin();
    anthropic.enqueue({ text: 'Hello..', stopReason: 'refusal', stopDetails: { type: 'refusal', category: 'cyber', explanation: 'This request was declined because it could enable cyber harm.' } });
    const { chunks, error } = await run(claude(anthropic), request('claude-sonnet-4-5'));
    expect(chunks.some((c) => c.type === 'done')).toBe(false);
    expect(error?.code).toBe('PROVIDER_ERROR');
    expect(error?.message).toContain('could enable cyber harm');
  });
});
