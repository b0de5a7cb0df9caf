import { describe, expect, it } from 'vitest';
import { OpenAICompatibleProvider, responseFormatFor } from '../../electron/core/llm/openai/index.js';
import type { ChatChunk, ChatRequest } from '../../electron/core/llm/types.js';

/** An SSE body as OpenAI sends it: one `data:` event per chunk, then [DONE]. */
function sse(chunks: unknown[], done = true): string {
  return chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join('') + (done ? 'data: [DONE]\n\n' : '');
}
const delta = (d: Record<string, unknown>, finish: string | null = null) => ({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: d, finish_reason: finish }] });
const usage = (prompt: number, completion: number) => ({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion } });

function providerAnswering(body: string, seen: Array<{ url: string; init?: RequestInit }> = []) {
  const fakeFetch = (async (url: string | URL | Request, init?: RequestInit) => {
    seen.push({ url: String(url), init });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  }) as typeof fetch;
  return new OpenAICompatibleProvider({ id: 'test', baseUrl: 'http://127.0.0.1:9/v1/', apiKey: () => null, leavesMachine: false, contextOverride: null, fetch: fakeFetch });
}

const request = (over: Partial<ChatRequest> = {}): ChatRequest => ({ model: 'm', messages: [{ role: 'user', content: 'hi' }], numCtx: 4096, signal: new AbortController().signal, ...over });

async function run(body: string, over: Partial<ChatRequest> = {}): Promise<ChatChunk[]> {
  const out: ChatChunk[] = [];
  for await (const c of providerAnswering(body).chatStream(request(over))) out.push(c);
  return out;
}
const joined = (chunks: ChatChunk[], type: 'token' | 'thinking') => chunks.flatMap((c) => (c.type === type ? [c.text] : [])).join('');
const doneOf = (chunks: ChatChunk[]) => chunks.find((c): c is Extract<ChatChunk, { type: 'done' }> => c.type === 'done')!;

describe('OpenAICompatibleProvider stream handling', () => {
  it('ends with one done: finish_reason as sent, usage counts, wall-clock durations', async () => {
    const chunks = await run(sse([delta({ role: 'assistant', content: '' }), delta({ content: 'Hi' }), delta({}, 'length'), usage(12, 1)]));
    expect(chunks.filter((c) => c.type === 'done')).toHaveLength(1);
    const done = doneOf(chunks);
    expect(done).toMatchObject({ doneReason: 'length', promptTokens: 12, evalTokens: 1 });
    expect(done.promptEvalDurationMs).toBeGreaterThanOrEqual(0);
    expect(done.totalDurationMs).toBeGreaterThanOrEqual(done.evalDurationMs);
    expect(joined(chunks, 'token')).toBe('Hi');
  });

  it('keeps other finish reasons as sent, null without one, and 0 tokens without a usage chunk', async () => {
    // content_filter is raised as an error (provider-real-openai.test.ts); others pass through.
    expect(doneOf(await run(sse([delta({ content: 'x' }, 'tool_calls')]))).doneReason).toBe('tool_calls');
    expect(doneOf(await run(sse([delta({ content: 'x' }, 'stop')]))).doneReason).toBe('stop');
    // With [DONE] but no finish_reason: null. Without either the stream was cut (provider-real-openai.test.ts).
    const none = doneOf(await run(sse([delta({ content: 'x' })])));
    expect(none).toMatchObject({ doneReason: null, promptTokens: 0, evalTokens: 0 });
  });

  it('reasoning_content and reasoning are thinking; a leaked <think> block is split off the answer', async () => {
    const a = await run(sse([delta({ content: null, reasoning_content: 'plan' }), delta({ content: 'answer' }, 'stop')]));
    expect([joined(a, 'thinking'), joined(a, 'token')]).toEqual(['plan', 'answer']);
    const b = await run(sse([delta({ reasoning: 'why' }), delta({ content: 'ok' }, 'stop')]));
    expect([joined(b, 'thinking'), joined(b, 'token')]).toEqual(['why', 'ok']);
    const c = await run(sse([delta({ content: '<thi' }), delta({ content: 'nk>secret</think>\nFile: a.py' }, 'stop')]));
    expect(joined(c, 'token')).not.toContain('secret');
    expect(joined(c, 'thinking')).toContain('secret');
    expect(joined(c, 'token')).toContain('File: a.py');
  });

  it('a reasoner by name whose server splits reasoning still streams its answer', async () => {
    const chunks = await run(sse([delta({ reasoning_content: 'r' }), delta({ content: 'Answer' }, 'stop')]), { model: 'deepseek-r1-distill-qwen-7b' });
    expect(joined(chunks, 'token')).toBe('Answer');
  });

  it('does not send num_ctx, and sends no Authorization header without a key', async () => {
    const seen: Array<{ url: string; init?: RequestInit }> = [];
    const p = providerAnswering(sse([delta({ content: 'x' }, 'stop')]), seen);
    for await (const chunk of p.chatStream(request({ numCtx: 9999 }))) void chunk;
    expect(seen[0].url).toBe('http://127.0.0.1:9/v1/chat/completions');
    const body = JSON.parse(String(seen[0].init?.body)) as Record<string, unknown>;
    expect(JSON.stringify(body)).not.toContain('9999');
    expect(new Headers(seen[0].init?.headers).get('authorization')).toBeNull();
  });

  it('sends no OpenAI-Organization or OpenAI-Project header taken from the environment', async () => {
    const saved = { org: process.env.OPENAI_ORG_ID, project: process.env.OPENAI_PROJECT_ID };
    process.env.OPENAI_ORG_ID = 'org-from-env';
    process.env.OPENAI_PROJECT_ID = 'proj-from-env';
    try {
      const seen: Array<{ url: string; init?: RequestInit }> = [];
      for await (const chunk of providerAnswering(sse([delta({ content: 'x' }, 'stop')]), seen).chatStream(request())) void chunk;
      const headers = new Headers(seen[0].init?.headers);
      expect(headers.get('openai-organization')).toBeNull();
      expect(headers.get('openai-project')).toBeNull();
    } finally {
      if (saved.org === undefined) delete process.env.OPENAI_ORG_ID;
      else process.env.OPENAI_ORG_ID = saved.org;
      if (saved.project === undefined) delete process.env.OPENAI_PROJECT_ID;
      else process.env.OPENAI_PROJECT_ID = saved.project;
    }
  });

  it('maps ChatRequest.format to response_format', () => {
    expect(responseFormatFor(undefined)).toBeUndefined();
    expect(responseFormatFor('json')).toEqual({ type: 'json_object' });
    expect(responseFormatFor({ type: 'object' })).toEqual({ type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' }, strict: false } });
  });
});
