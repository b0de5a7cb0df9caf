import { describe, expect, it } from 'vitest';
import { CostModel, commonPrefix, renderChatTokens, splitIntoTokens } from '../fixtures/ollama-standin/index.js';

/** A cost model on a clock the test moves by hand. */
function model(o: ConstructorParameters<typeof CostModel>[0] = {}) {
  let t = 0;
  const cost = new CostModel({ now: () => t, ...o });
  return { cost, idle: (ms: number) => (t += ms) };
}

const toks = (n: number, tag = 't') => Array.from({ length: n }, (_, i) => `${tag}${i}`);

function run(cost: CostModel, req: { model?: string; prompt: string[]; numCtx?: number; keepAliveMs?: number; runnerKey?: string }, generated: string[] = []) {
  const rec = cost.begin({ model: req.model ?? 'qwen2.5-coder:7b', prompt: req.prompt, numCtx: req.numCtx ?? 8192, keepAliveMs: req.keepAliveMs, runnerKey: req.runnerKey });
  return cost.end(rec, generated);
}

describe('stand-in cost model: the prefix cache (runner/ollamarunner/cache.go)', () => {
  it('evaluates only what the slot did not hold: the previous prompt and its answer are the cache', () => {
    const { cost } = model();
    const first = run(cost, { prompt: toks(1000) }, toks(50, 'g'));
    expect(first).toMatchObject({ promptTokens: 1000, cachedTokens: 0, evaluatedTokens: 1000, generatedTokens: 50, load: { reason: 'first-use', ms: 8000 } });
    expect(first.promptEvalMs).toBe(2000); // 1000 tokens at 500 tok/s
    expect(first.evalMs).toBe(2000); // 50 tokens at 25 tok/s

    // The next prompt continues the conversation: prompt + answer + 200 new tokens.
    const second = run(cost, { prompt: [...toks(1000), ...toks(50, 'g'), ...toks(200, 'n')] });
    expect(second).toMatchObject({ promptTokens: 1250, cachedTokens: 1050, evaluatedTokens: 200, load: null });
    expect(second.promptEvalMs).toBe(400);
  });

  it('a change early in the prompt throws away everything after it', () => {
    const { cost } = model();
    run(cost, { prompt: toks(1000) });
    const changed = [...toks(10), 'CHANGED', ...toks(1000).slice(11)];
    expect(run(cost, { prompt: changed })).toMatchObject({ cachedTokens: 10, evaluatedTokens: 990 });
  });

  it('a prompt cached whole still evaluates its last token', () => {
    const { cost } = model();
    run(cost, { prompt: toks(300) });
    expect(run(cost, { prompt: toks(300) })).toMatchObject({ promptTokens: 300, cachedTokens: 299, evaluatedTokens: 1 });
  });

  it('compares against the last request only (one slot), not any earlier one', () => {
    const { cost } = model();
    run(cost, { prompt: toks(500, 'a') });
    run(cost, { prompt: toks(500, 'b') });
    expect(run(cost, { prompt: toks(500, 'a') })).toMatchObject({ cachedTokens: 0, evaluatedTokens: 500 });
  });

  it('commonPrefix counts equal tokens from the start', () => {
    expect(commonPrefix(['a', 'b', 'c'], ['a', 'b', 'x', 'c'])).toBe(2);
    expect(commonPrefix([], ['a'])).toBe(0);
    expect(commonPrefix(['a', 'b'], ['a', 'b', 'c'])).toBe(2);
  });
});

describe('stand-in cost model: loads (server/sched.go needsReload, keep_alive)', () => {
  it('another num_ctx reloads the model and empties its cache', () => {
    const { cost } = model();
    run(cost, { prompt: toks(400), numCtx: 4096 });
    const again = run(cost, { prompt: toks(400), numCtx: 6144 });
    expect(again).toMatchObject({ load: { reason: 'num-ctx', ms: 8000 }, cachedTokens: 0, evaluatedTokens: 400 });
    expect(run(cost, { prompt: toks(400), numCtx: 6144 }).load).toBeNull();
  });

  it('other runner options (num_gpu, num_batch, …, the context shift) reload too', () => {
    const { cost } = model();
    run(cost, { prompt: toks(10), runnerKey: '[null,true]' });
    expect(run(cost, { prompt: toks(10), runnerKey: '[99,true]' }).load?.reason).toBe('options');
  });

  it('keep_alive counts from the end of the last request: 5 minutes by default', () => {
    const { cost, idle } = model();
    run(cost, { prompt: toks(100) }, toks(25, 'g')); // ends at 8 s + 0.2 s + 1 s
    idle(5 * 60_000 - 1);
    expect(run(cost, { prompt: toks(100) }).load).toBeNull();
    idle(5 * 60_000);
    expect(run(cost, { prompt: toks(100) })).toMatchObject({ load: { reason: 'keep-alive-expired' }, cachedTokens: 0 });
  });

  it("honours the request's keep_alive, and 0 unloads when the request ends", () => {
    const { cost, idle } = model();
    run(cost, { prompt: toks(100), keepAliveMs: 30 * 60_000 });
    idle(20 * 60_000);
    expect(run(cost, { prompt: toks(100), keepAliveMs: 60_000 }).load).toBeNull();
    idle(61_000);
    expect(run(cost, { prompt: toks(100), keepAliveMs: 0 }).load?.reason).toBe('keep-alive-expired');
    expect(cost.loaded()).toEqual([]);
    expect(run(cost, { prompt: toks(100) }).load?.reason).toBe('keep-alive-expired');
  });

  it('one model fits at a time unless configured: switching models reloads both ways', () => {
    const { cost } = model();
    expect(run(cost, { model: 'a', prompt: toks(10) }).load?.reason).toBe('first-use');
    expect(run(cost, { model: 'b', prompt: toks(10) }).load?.reason).toBe('first-use');
    expect(run(cost, { model: 'a', prompt: toks(10) })).toMatchObject({ load: { reason: 'other-model' }, cachedTokens: 0 });

    const two = model({ maxLoadedModels: 2 }).cost;
    run(two, { model: 'a', prompt: toks(10) });
    run(two, { model: 'b', prompt: toks(10) });
    expect(run(two, { model: 'a', prompt: toks(10) })).toMatchObject({ load: null, cachedTokens: 9 });
    expect(run(two, { model: 'c', prompt: toks(10) }).load?.reason).toBe('first-use');
    expect(run(two, { model: 'b', prompt: toks(10) }).load?.reason).toBe('other-model'); // b was least recently used
  });
});

describe('stand-in cost model: time and Ollama durations', () => {
  it('simulated time adds every cost to the clock, and durations are in ns', () => {
    const { cost } = model({ promptTokensPerSecond: 1000, generateTokensPerSecond: 20, loadMs: 3000 });
    const rec = cost.begin({ model: 'm', prompt: toks(2000), numCtx: 4096 });
    expect(cost.now()).toBe(3000 + 2000);
    cost.end(rec, toks(40, 'g'));
    expect(cost.now()).toBe(3000 + 2000 + 2000);
    expect(cost.timings(rec, 40)).toEqual({
      total_duration: 7_000_000_000,
      load_duration: 3_000_000_000,
      prompt_eval_duration: 2_000_000_000,
      eval_duration: 2_000_000_000,
    });
  });

  it('time spent waiting for the slot counts in load_duration and total_duration, not in prompt evaluation', () => {
    const { cost } = model();
    const arrived = cost.arrive();
    run(cost, { prompt: toks(500) }); // 8 s load + 1 s prompt
    const rec = cost.end(cost.begin({ model: 'qwen2.5-coder:7b', prompt: toks(500), numCtx: 8192 }, arrived), []);
    const t = cost.timings(rec, 0);
    expect(t.load_duration).toBe(9_000_000_000);
    expect(t.prompt_eval_duration).toBe(2_000_000); // one token
    expect(t.total_duration).toBe(9_002_000_000);
  });

  it('real-time mode leaves the clock alone (the stand-in sleeps instead)', () => {
    const { cost } = model({ simulated: false });
    run(cost, { prompt: toks(5000) }, toks(100, 'g'));
    expect(cost.now()).toBe(0);
  });

  it('serves one request at a time, in arrival order', async () => {
    const { cost } = model();
    const order: string[] = [];
    const first = await cost.acquire();
    const second = cost.acquire().then((release) => {
      order.push('second');
      release();
    });
    await Promise.resolve();
    order.push('first');
    first();
    await second;
    expect(order).toEqual(['first', 'second']);
  });
});

describe('stand-in chat template: prefixes measured on the rendered prompt', () => {
  it('a conversation that grows at the end keeps the whole earlier prompt and answer as its prefix', () => {
    const { cost } = model();
    const sys = { role: 'system', content: 'You write small, complete projects.' };
    const user = { role: 'user', content: 'File: a.js\n```js\nexport const a = 1;\n```\nWrite b.js.' };
    const answer = 'File: b.js\n```js\nexport const b = 2;\n```\n';
    const prompt1 = renderChatTokens([sys, user]);
    run(cost, { prompt: prompt1 }, splitIntoTokens(answer)); // the answer as generated
    const prompt2 = renderChatTokens([sys, user, { role: 'assistant', content: answer }, { role: 'user', content: 'Now c.js.' }]);
    const rec = run(cost, { prompt: prompt2 });
    const tail = renderChatTokens([{ role: 'user', content: 'Now c.js.' }]);
    // Only the end marker of the answer, the new message and the answer's opening are new.
    expect(rec.evaluatedTokens).toBe(prompt2.length - rec.cachedTokens);
    expect(rec.evaluatedTokens).toBeLessThanOrEqual(tail.length + 2);
  });

  it('the volatile part first spoils the cache for all that follows', () => {
    const { cost } = model();
    const files = 'File: a.js\n' + 'export const x = 1;\n'.repeat(200);
    run(cost, { prompt: renderChatTokens([{ role: 'user', content: `Report: 3 tests fail\n${files}` }]) });
    const rec = run(cost, { prompt: renderChatTokens([{ role: 'user', content: `Report: 1 test fails\n${files}` }]) });
    expect(rec.cachedTokens).toBeLessThan(10);
    run(cost, { prompt: renderChatTokens([{ role: 'user', content: `${files}\nReport: 3 tests fail` }]) });
    const late = run(cost, { prompt: renderChatTokens([{ role: 'user', content: `${files}\nReport: 1 test fails` }]) });
    expect(late.evaluatedTokens).toBeLessThan(15);
  });
});
