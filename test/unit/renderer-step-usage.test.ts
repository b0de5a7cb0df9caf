// The Steps tab's model figures: cached vs evaluated prompt tokens, speed, loads and why.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ModelLoad, ModelUsage } from '../../shared/index.js';
import { BuildUsageTotals, loadReasonText, loadTitle, promptLine, StepUsageFacts, sumUsage, tokensPerSecond } from '../../renderer/src/components/StepUsage.js';

const usage = (over: Partial<ModelUsage> = {}): ModelUsage => ({
  promptTokens: 2400,
  cachedTokens: 1900,
  evalTokens: 300,
  loadMs: 8003,
  promptEvalMs: 1000,
  evalMs: 12_000,
  loads: [],
  numCtx: 16384,
  ...over,
});
const load = (over: Partial<ModelLoad> = {}): ModelLoad => ({ model: 'qwen2.5-coder:7b', reason: 'first-use', previousModel: null, numCtx: 16384, ms: 8000, ...over });

describe('step usage', () => {
  it('splits the prompt into cached and evaluated tokens', () => {
    expect(promptLine(usage())).toBe('2400 prompt (1900 cached · 500 evaluated)');
    expect(promptLine(usage({ promptTokens: 24_000, cachedTokens: 20_000 }))).toBe('24.0k prompt (20.0k cached · 4000 evaluated)');
  });

  it("computes tokens per second from Ollama's eval duration, none without one", () => {
    expect(tokensPerSecond(usage())).toBe(25);
    expect(tokensPerSecond(usage({ evalMs: 0 }))).toBeNull();
  });

  it('shows no rate when the eval duration or the token count is too small to mean a speed', () => {
    // 13 tokens in 0.0002 ms read "65000000000 tok/s" on the cards before.
    expect(tokensPerSecond(usage({ evalTokens: 13, evalMs: 0.0002 }))).toBeNull();
    expect(tokensPerSecond(usage({ evalTokens: 300, evalMs: 49 }))).toBeNull();
    expect(tokensPerSecond(usage({ evalTokens: 7, evalMs: 1000 }))).toBeNull();
    expect(tokensPerSecond(usage({ evalTokens: 8, evalMs: 50 }))).toBe(160);
    const html = renderToStaticMarkup(createElement(StepUsageFacts, { usage: usage({ evalTokens: 13, evalMs: 0.0002 }) }));
    expect(html).toContain('13 generated');
    expect(html).not.toContain('tok/s');
  });

  it('says why a load happened', () => {
    expect(loadReasonText(load())).toBe('first use');
    expect(loadReasonText(load({ reason: 'other-model', previousModel: 'llama3.2:3b' }))).toBe('other model, after llama3.2:3b');
    expect(loadTitle(load({ reason: 'num-ctx-change', numCtx: 32768 }))).toMatch(/num_ctx changed to 32768, which makes Ollama reload the model/);
    expect(loadTitle(load({ reason: 'expired' }))).toMatch(/keep_alive ran out/);
  });

  it('sums the steps for the build header, and has nothing to sum for steps stored before usage was recorded', () => {
    const total = sumUsage([{ usage: usage({ loads: [load()] }) }, { usage: undefined }, { usage: usage() }])!;
    expect(total).toMatchObject({ promptTokens: 4800, cachedTokens: 3800, evalTokens: 600, evalMs: 24_000, numCtx: 16384 });
    expect(total.loads).toHaveLength(1);
    expect(sumUsage([{ usage: undefined }])).toBeNull();
  });

  it('renders a step row: prompt split, generated and speed, a load chip with its reason; and the build header', () => {
    const row = renderToStaticMarkup(createElement(StepUsageFacts, { usage: usage({ loads: [load()] }) }));
    expect(row).toContain('2400 prompt (1900 cached · 500 evaluated)');
    expect(row).toContain('300 generated · 25.0 tok/s');
    expect(row).toContain('load 8.0 s · first use');
    const head = renderToStaticMarkup(createElement(BuildUsageTotals, { usage: usage({ loads: [load()] }) }));
    expect(head).toContain('79% cached');
    expect(head).toContain('1 load · 8.0 s (first use)');
    expect(head).toContain('num_ctx 16384');
  });
});
