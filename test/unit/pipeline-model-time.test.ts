// Model time per build: one num_ctx per build from a few fixed sizes, what the model's cache
// holds between calls (the shared prefix), why a load happened, which files a round writes.
import { describe, expect, it } from 'vitest';
import { buildNumCtx, type ContextLimits } from '../../electron/core/pipeline/context-budget.js';
import { ModelResidency, renderForCache, sharedPrefixLength } from '../../electron/core/pipeline/model-residency.js';
import { implementTargets } from '../../electron/core/pipeline/build-plan.js';
import { keepAliveValue } from '../../electron/core/llm/index.js';
import { lineCount } from '../../electron/core/pipeline/steps/fix-step.js';
import type { Plan } from '../../shared/index.js';

const limits = (over: Partial<ContextLimits> = {}): ContextLimits => ({ floor: 4096, trained: 131072, gpuMax: 65536, ...over });

describe('buildNumCtx', () => {
  it('rounds up to the fixed sizes 4k, 8k, 16k, 32k, 64k, 128k', () => {
    expect(buildNumCtx(1, limits())).toBe(4096);
    expect(buildNumCtx(4097, limits())).toBe(8192);
    expect(buildNumCtx(12_288, limits())).toBe(16384);
    expect(buildNumCtx(20_000, limits())).toBe(32768);
    expect(buildNumCtx(40_000, limits({ gpuMax: 131072 }))).toBe(65536);
  });

  it('never goes below the user setting, nor above what the model and the GPU allow', () => {
    expect(buildNumCtx(100, limits({ floor: 8192 }))).toBe(8192);
    expect(buildNumCtx(100, limits({ floor: 10_000, gpuMax: null }))).toBe(10_000);
    expect(buildNumCtx(60_000, limits({ gpuMax: 24_576 }))).toBe(24_576);
    expect(buildNumCtx(60_000, limits({ trained: 32768 }))).toBe(32768);
  });
});

describe('ModelResidency', () => {
  const msgs = (user: string) => [
    { role: 'system' as const, content: 'S'.repeat(100) },
    { role: 'user' as const, content: user },
  ];

  it('measures the shared prefix of two prompts as rendered', () => {
    expect(sharedPrefixLength('abcdef', 'abcxyz')).toBe(3);
    expect(sharedPrefixLength('', 'abc')).toBe(0);
    expect(renderForCache(msgs('x'))).toContain('<|user|>\nx');
  });

  it('estimates the cached tokens of a call from the prefix it shares with the previous call on that model', () => {
    const r = new ModelResidency();
    const first = r.record({ model: 'm', messages: msgs('FILES' + 'f'.repeat(95) + 'report 1'), output: 'fix 1', numCtx: 8192, promptTokens: 100, loadMs: 8000 });
    expect(first).toMatchObject({ cachedTokens: 0, load: { reason: 'first-use' } });
    const second = r.record({ model: 'm', messages: msgs('FILES' + 'f'.repeat(95) + 'report 2'), output: 'fix 2', numCtx: 8192, promptTokens: 100, loadMs: 3 });
    expect(second.load).toBeNull();
    const text = renderForCache(msgs('FILES' + 'f'.repeat(95) + 'report 2'));
    const shared = text.indexOf('report 2') + 'report '.length;
    expect(second.cachedTokens).toBe(Math.floor((100 * shared) / text.length));
    expect(second.cachedTokens).toBeGreaterThan(90);
  });

  it('counts nothing as cached after a load, or another num_ctx; names the reason', () => {
    const r = new ModelResidency();
    r.record({ model: 'a', messages: msgs('x'), output: '', numCtx: 8192, promptTokens: 50, loadMs: 5000 });
    expect(r.record({ model: 'a', messages: msgs('x'), output: '', numCtx: 16384, promptTokens: 50, loadMs: 5000 })).toMatchObject({ cachedTokens: 0, load: { reason: 'num-ctx-change', numCtx: 16384 } });
    expect(r.record({ model: 'b', messages: msgs('x'), output: '', numCtx: 16384, promptTokens: 50, loadMs: 5000 })).toMatchObject({ load: { reason: 'other-model', previousModel: 'a' } });
    expect(r.record({ model: 'b', messages: msgs('x'), output: '', numCtx: 16384, promptTokens: 50, loadMs: 5000 })).toMatchObject({ cachedTokens: 0, load: { reason: 'expired' } });
  });
});

describe('implementTargets', () => {
  const plan: Plan = {
    summary: 's',
    language: 'JavaScript',
    files: [
      { path: 'src/a.js', purpose: '' },
      { path: 'README.md', purpose: '' },
      { path: 'docs/usage.md', purpose: '' },
    ],
    test_command: 'node --test',
    acceptance: [],
  };

  it('writes docs in their own step once per project: only docs that do not exist yet', () => {
    expect(implementTargets(plan, new Set())).toEqual({ code: ['src/a.js'], docs: ['README.md', 'docs/usage.md'] });
    expect(implementTargets(plan, new Set(['README.md', 'src/a.js']))).toEqual({ code: ['src/a.js'], docs: ['docs/usage.md'] });
    expect(implementTargets(plan, new Set(['README.md', 'docs/usage.md']))).toEqual({ code: ['src/a.js'], docs: [] });
  });

  it('a plan of docs only is written by the implement step', () => {
    const docsOnly = { ...plan, files: [{ path: 'README.md', purpose: '' }] };
    expect(implementTargets(docsOnly, new Set())).toEqual({ code: ['README.md'], docs: [] });
  });
});

describe('small helpers', () => {
  it('keep_alive is a duration string in minutes, -1 keeps the model loaded', () => {
    expect(keepAliveValue(30)).toBe('30m');
    expect(keepAliveValue(0)).toBe('0m');
    expect(keepAliveValue(-1)).toBe(-1);
    expect(keepAliveValue(undefined)).toBeUndefined();
  });

  it('counts lines with or without a final newline', () => {
    expect(lineCount('')).toBe(0);
    expect(lineCount('a\nb\n')).toBe(2);
    expect(lineCount('a\nb')).toBe(2);
  });
});
