/**
 * The stand-in's cost model seen through the official `ollama` client: what a request costs
 * (a load, the prompt tokens its slot did not hold, the tokens it generated) comes back in
 * Ollama's fields, in ns, with prompt_eval_count counting the whole prompt as Ollama does.
 */
import { Ollama, type ChatResponse } from 'ollama';
import { afterEach, describe, expect, it } from 'vitest';
import { renderChatTokens, splitIntoTokens, startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';

const MODEL = 'qwen2.5-coder:7b';
const OTHER = 'llama3.2:3b';
const files = `File: src/math.js\n\`\`\`js\n${'export function add(a, b) {\n  return a + b;\n}\n\n'.repeat(40)}\`\`\`\n`;
const answer = 'File: src/math.js\n```js\nexport const x = 1;\n```\n';

let standin: OllamaStandin | undefined;
afterEach(async () => {
  await standin?.close();
  standin = undefined;
});

async function chat(ollama: Ollama, messages: Array<{ role: string; content: string }>, extra: { num_ctx?: number; keep_alive?: string | number; model?: string } = {}) {
  let last: ChatResponse | undefined;
  let text = '';
  const stream = await ollama.chat({
    model: extra.model ?? MODEL,
    messages,
    stream: true,
    options: { num_ctx: extra.num_ctx ?? 8192 },
    ...(extra.keep_alive !== undefined ? { keep_alive: extra.keep_alive } : {}),
  });
  for await (const part of stream) {
    text += part.message.content;
    last = part;
  }
  if (!last) throw new Error('no final chunk');
  return { final: last, text };
}

const ns = (ms: number) => Math.round(ms * 1e6);

describe('stand-in cost model over HTTP', () => {
  it('reports a first load, then the cached prefix: prompt_eval_count is the whole prompt, prompt_eval_duration only the evaluated part', async () => {
    standin = await startOllamaStandin({ costModel: true });
    const ollama = new Ollama({ host: standin.url });
    const generated = splitIntoTokens(answer).length;
    const first = [
      { role: 'system', content: 'You write small projects.' },
      { role: 'user', content: `${files}\nFix the failing test: add(2, 3) returned -1.` },
    ];
    standin.enqueueChat({ text: answer });
    const a = await chat(ollama, first);
    const promptA = renderChatTokens(first).length;
    expect(a.text).toBe(answer);
    expect(a.final).toMatchObject({
      prompt_eval_count: promptA,
      eval_count: generated,
      load_duration: 8e9,
      prompt_eval_duration: ns((promptA * 1000) / 500),
      eval_duration: ns((generated * 1000) / 25),
    });
    expect(a.final.total_duration).toBe(8e9 + ns((promptA * 1000) / 500) + ns((generated * 1000) / 25));

    // The same conversation goes on: everything before the new message is in the slot.
    const second = [...first, { role: 'assistant', content: answer }, { role: 'user', content: 'Now the tests fail with: multiply(2, 3) returned 5.' }];
    standin.enqueueChat({ text: answer });
    const b = await chat(ollama, second);
    const promptB = renderChatTokens(second).length;
    const rec = standin.costModel?.records.at(-1);
    expect(b.final.prompt_eval_count).toBe(promptB);
    expect(rec?.cachedTokens).toBeGreaterThanOrEqual(promptA + generated);
    expect(b.final.prompt_eval_duration).toBe(ns(((promptB - (rec?.cachedTokens ?? 0)) * 1000) / 500));
    // Only the answer's end marker, the new message and the answer's opening: not the files again.
    expect(promptB - (rec?.cachedTokens ?? 0)).toBeLessThanOrEqual(renderChatTokens([second[3]]).length + 2);
    expect(b.final.load_duration).toBeLessThan(1e6);
  });

  it('another num_ctx, another model and an expired keep_alive each cost a load; keep_alive is the request’s', async () => {
    standin = await startOllamaStandin({ costModel: true });
    const ollama = new Ollama({ host: standin.url });
    const msg = [{ role: 'user', content: 'Write hello.py' }];
    expect((await chat(ollama, msg)).final.load_duration).toBe(8e9);
    expect((await chat(ollama, msg)).final.load_duration).toBeLessThan(1e6);
    expect((await chat(ollama, msg, { num_ctx: 16384 })).final.load_duration).toBe(8e9);
    expect((await chat(ollama, msg, { num_ctx: 16384, model: OTHER })).final.load_duration).toBe(8e9);
    expect((await chat(ollama, msg, { num_ctx: 16384 })).final.load_duration).toBe(8e9);
    expect((await chat(ollama, msg, { num_ctx: 16384, keep_alive: '1m' })).final.load_duration).toBeLessThan(1e6);
    standin.costModel?.advance(61_000);
    expect((await chat(ollama, msg, { num_ctx: 16384 })).final.load_duration).toBe(8e9);
    expect(standin.costModel?.records.map((r) => r.load?.reason ?? '-')).toEqual([
      'first-use',
      '-',
      'num-ctx',
      'first-use',
      'other-model',
      '-',
      'keep-alive-expired',
    ]);
  });

  it('a request made while another runs waits for the slot; the wait shows in load_duration', async () => {
    standin = await startOllamaStandin({ costModel: true });
    const ollama = new Ollama({ host: standin.url });
    const msg = [{ role: 'user', content: 'Write hello.py' }];
    // The first answer streams slowly (real pacing), so the second arrives while it is generated.
    standin.enqueueChat({ tokens: Array.from({ length: 20 }, () => 'x'), tokensPerSecond: 100 });
    standin.enqueueChat({ text: 'y' });
    const first = await ollama.chat({ model: MODEL, messages: msg, stream: true, options: { num_ctx: 8192 } });
    const it1 = first[Symbol.asyncIterator]();
    await it1.next(); // the first token is out: the first request holds the slot
    const second = chat(ollama, msg);
    let last: ChatResponse | undefined;
    for (let r = await it1.next(); !r.done; r = await it1.next()) last = r.value;
    const b = (await second).final;
    expect(last?.load_duration).toBe(8e9);
    // It waited for the first one's generation (the first one's load and prompt were over in model time when it came).
    expect(b.load_duration).toBe(last?.eval_duration);
    // The prompt was the same: cached but for the last token.
    expect(b.prompt_eval_duration).toBe(ns(1000 / 500));
  });

  it('real-time mode takes the time it reports', async () => {
    standin = await startOllamaStandin({ costModel: { simulated: false, loadMs: 300, generateTokensPerSecond: 100 } });
    const ollama = new Ollama({ host: standin.url });
    standin.enqueueChat({ tokens: ['one', ' two', ' three', ' four', ' five', ' six', ' seven', ' eight', ' nine', ' ten'] });
    const t0 = performance.now();
    const { final } = await chat(ollama, [{ role: 'user', content: 'count' }]);
    const wall = performance.now() - t0;
    expect(final.load_duration).toBeGreaterThanOrEqual(300e6);
    expect(final.load_duration).toBeLessThan(400e6);
    expect(final.eval_count).toBe(10);
    expect(final.eval_duration).toBe(100e6);
    expect(wall).toBeGreaterThanOrEqual(300 + 80);
    expect(final.total_duration).toBeGreaterThanOrEqual(380e6);
  });
});
