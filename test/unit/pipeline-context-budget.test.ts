import { describe, expect, it } from 'vitest';
import { TokenCounter, chooseNumCtx, contextCeiling, fitContext, type ContextItem, type ContextLimits } from '../../electron/core/pipeline/context-budget.js';

const limits = (over: Partial<ContextLimits> = {}): ContextLimits => ({ floor: 4096, trained: 32768, gpuMax: 16384, ...over });

describe('TokenCounter', () => {
  it('starts pessimistic at 3 characters per token and adds 8 tokens per message', () => {
    const c = new TokenCounter();
    expect(c.tokensPerChar('m')).toBeCloseTo(1 / 3, 10);
    expect(c.count('m', 'x'.repeat(300))).toBe(100);
    expect(c.count('m', 'x'.repeat(301))).toBe(101);
    expect(c.count('m', '')).toBe(0);
    expect(
      c.countMessages('m', [
        { role: 'system', content: 'x'.repeat(30) },
        { role: 'user', content: 'x'.repeat(31) },
      ]),
    ).toBe(8 + 10 + 8 + 11);
    expect(c.countMessages('m', [])).toBe(0);
  });

  it('calibrates upwards from what Ollama reports, per model', () => {
    const c = new TokenCounter();
    c.observe('a', 1000, 500);
    expect(c.tokensPerChar('a')).toBe(0.5);
    expect(c.count('a', 'x'.repeat(100))).toBe(50);
    expect(c.tokensPerChar('b')).toBeCloseTo(1 / 3, 10);
    c.observe('a', 1000, 600);
    expect(c.tokensPerChar('a')).toBe(0.6);
  });

  it('never moves down again (a cached prompt reports fewer tokens)', () => {
    const c = new TokenCounter();
    c.observe('a', 1000, 500);
    c.observe('a', 1000, 100);
    c.observe('a', 10_000, 1);
    expect(c.tokensPerChar('a')).toBe(0.5);
  });

  it('ignores tiny prompts and empty reports', () => {
    const c = new TokenCounter();
    c.observe('a', 399, 399);
    expect(c.tokensPerChar('a')).toBeCloseTo(1 / 3, 10);
    c.observe('a', 1000, 0);
    c.observe('a', 1000, -5);
    expect(c.tokensPerChar('a')).toBeCloseTo(1 / 3, 10);
    c.observe('a', 400, 300);
    expect(c.tokensPerChar('a')).toBe(0.75);
  });

  it('never believes more than one token per character', () => {
    const c = new TokenCounter();
    c.observe('a', 1000, 5000);
    expect(c.tokensPerChar('a')).toBe(1);
  });
});

describe('contextCeiling', () => {
  it('is min(trained, max(gpuMax, floor))', () => {
    expect(contextCeiling(limits())).toBe(16384);
    expect(contextCeiling(limits({ gpuMax: 65536 }))).toBe(32768);
    expect(contextCeiling(limits({ gpuMax: 2048 }))).toBe(4096);
    expect(contextCeiling(limits({ gpuMax: null }))).toBe(4096);
    expect(contextCeiling(limits({ trained: null, gpuMax: 131072 }))).toBe(131072);
    expect(contextCeiling(limits({ trained: null, gpuMax: null, floor: 8192 }))).toBe(8192);
    // The user's own setting above what fits on the GPU: they chose it knowingly.
    expect(contextCeiling(limits({ floor: 24576, gpuMax: 8192 }))).toBe(24576);
    // Never more than the model was trained for, even the user's own setting.
    expect(contextCeiling(limits({ floor: 8192, trained: 4096, gpuMax: null }))).toBe(4096);
  });

  it('is never below 512', () => {
    expect(contextCeiling({ floor: 0, trained: 256, gpuMax: null })).toBe(512);
  });
});

describe('chooseNumCtx', () => {
  it('rounds what the call needs up to 2048 steps', () => {
    expect(chooseNumCtx(4097, limits())).toBe(6144);
    expect(chooseNumCtx(6144, limits())).toBe(6144);
    expect(chooseNumCtx(6145, limits())).toBe(8192);
    expect(chooseNumCtx(10_000, limits())).toBe(10240);
  });

  it('never goes below the floor', () => {
    expect(chooseNumCtx(1, limits())).toBe(4096);
    expect(chooseNumCtx(0, limits({ floor: 3000 }))).toBe(3000);
  });

  it('never goes below what the task used before', () => {
    expect(chooseNumCtx(100, limits(), 12288)).toBe(12288);
    expect(chooseNumCtx(9000, limits(), 8192)).toBe(10240);
  });

  it('caps at the ceiling, even over the previous value', () => {
    expect(chooseNumCtx(100_000, limits())).toBe(16384);
    expect(chooseNumCtx(100, limits({ trained: 8192, gpuMax: 65536 }), 16384)).toBe(8192);
  });

  it('for any need and previous value stays under the ceiling, over the floor and previous value, in 2048 steps otherwise', () => {
    for (const floor of [2048, 3000, 4096, 8192]) {
      for (const gpuMax of [null, 6000, 16384]) {
        for (const trained of [null, 4096, 32768]) {
          const l = { floor, trained, gpuMax };
          const ceiling = contextCeiling(l);
          for (const need of [0, 1, 2047, 2049, 5000, 9999, 40_000]) {
            for (const previous of [0, 4096, 10240]) {
              const n = chooseNumCtx(need, l, previous);
              expect(n).toBeLessThanOrEqual(ceiling);
              // Below the floor or the previous value only where the ceiling forces it.
              expect(n).toBeGreaterThanOrEqual(Math.min(ceiling, Math.max(floor, previous)));
              if (n < ceiling && n > Math.max(floor, previous)) expect(n % 2048).toBe(0);
              if (n < ceiling) expect(n).toBeGreaterThanOrEqual(need);
            }
          }
        }
      }
    }
  });
});

describe('fitContext', () => {
  const item = (label: string, tokens: number, priority: number, order: number): ContextItem => ({ label, text: 'x'.repeat(tokens), priority, order });
  const count = (text: string) => text.length;

  it('keeps everything that fits and reports the tokens', () => {
    const items = [item('a', 10, 1, 0), item('b', 20, 2, 1)];
    expect(fitContext(items, 30, count)).toEqual({ kept: items, dropped: [], tokens: 30 });
    expect(fitContext([], 0, count)).toEqual({ kept: [], dropped: [], tokens: 0 });
  });

  it('drops the lowest priority first', () => {
    const items = [item('low', 10, 1, 5), item('high', 10, 9, 0), item('mid', 10, 5, 3)];
    const fitted = fitContext(items, 20, count);
    expect(fitted.dropped.map((i) => i.label)).toEqual(['low']);
    expect(fitted.kept.map((i) => i.label)).toEqual(['high', 'mid']);
    expect(fitted.tokens).toBe(20);
  });

  it('among equal priority drops the oldest (lowest order) first', () => {
    const items = [item('new', 10, 3, 9), item('old', 10, 3, 1), item('middle', 10, 3, 4)];
    expect(fitContext(items, 15, count).dropped.map((i) => i.label)).toEqual(['old', 'middle']);
    expect(fitContext(items, 15, count).kept.map((i) => i.label)).toEqual(['new']);
  });

  it('never drops Infinity priority, even over budget', () => {
    const items = [item('system', 50, Infinity, 0), item('file', 10, 1, 1), item('report', 40, Infinity, 2)];
    const fitted = fitContext(items, 30, count);
    expect(fitted.kept.map((i) => i.label)).toEqual(['system', 'report']);
    expect(fitted.dropped.map((i) => i.label)).toEqual(['file']);
    expect(fitted.tokens).toBe(90);
  });

  it('keeps the original order of what it keeps, and stops dropping once it fits', () => {
    const items = [item('a', 10, 4, 0), item('b', 30, 1, 1), item('c', 10, 2, 2), item('d', 10, 9, 3), item('e', 10, 3, 4)];
    const fitted = fitContext(items, 35, count);
    // b (30) goes first: 70 → 40; still over: c (priority 2) goes: 30.
    expect(fitted.dropped.map((i) => i.label)).toEqual(['b', 'c']);
    expect(fitted.kept.map((i) => i.label)).toEqual(['a', 'd', 'e']);
    expect(fitted.tokens).toBe(30);
  });

  it('counts each item with the given counter', () => {
    const items = [item('a', 9, 1, 0), item('b', 9, 2, 1)];
    const fitted = fitContext(items, 5, (t) => Math.ceil(t.length / 3));
    expect(fitted).toMatchObject({ tokens: 3, dropped: [items[0]], kept: [items[1]] });
  });
});
