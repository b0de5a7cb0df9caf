// The words the Models screen, the picker and the step inspector use for speed and context.
import { describe, expect, it } from 'vitest';
import type { ModelSpeed } from '../../shared/index.js';
import { effectiveContext } from '../../renderer/src/lib/fit.js';
import { formatProjectTime, isSlow, speedLabel, speedTitle } from '../../renderer/src/lib/speed.js';

const speed = (over: Partial<ModelSpeed> = {}): ModelSpeed => ({
  tokensPerSecond: 12.4,
  promptTokensPerSecond: 120,
  smallProjectSeconds: 390,
  source: 'estimate',
  rough: false,
  basis: 'Estimated: RTX 4070: 504 GB/s (vendor spec) × 0.6 efficiency, 4.7 GB read per token.',
  ...over,
});

describe('speed text', () => {
  it('"≈ N tok/s · a small project in ≈ M min", measured without the ≈', () => {
    expect(speedLabel(speed())).toBe('≈ 12 tok/s · a small project in ≈ 7 min');
    expect(speedLabel(speed({ tokensPerSecond: 3.46, smallProjectSeconds: 5400 }))).toBe('≈ 3.5 tok/s · a small project in ≈ 1.5 h');
    expect(speedLabel(speed({ source: 'measured', tokensPerSecond: 41, smallProjectSeconds: 50 }))).toBe('41 tok/s measured · a small project in under a minute');
    expect(formatProjectTime(3 * 3600)).toBe('3.0 h');
  });

  it('the hover says how it was reckoned, what a small project is, and why a slow one is not the default', () => {
    expect(speedTitle(speed())).toMatch(/^Estimated: RTX 4070.*\nA small project: about 8k prompt tokens read and 4k tokens written \(prompt at ≈ 120 tok\/s\)\.$/);
    expect(isSlow(speed({ smallProjectSeconds: 601 }))).toBe(true);
    expect(speedTitle(speed({ smallProjectSeconds: 1200, rough: true }))).toMatch(/Rough: part of this rests on an assumed figure\..*not chosen as the default/s);
  });
});

describe('effective context', () => {
  it('capped at the trained context, or what /api/ps says a loaded model runs with; null when as asked', () => {
    expect(effectiveContext({ contextLength: 8192, loaded: null }, 32768)).toMatchObject({ ctx: 8192, note: expect.stringMatching(/the most it was trained for: num_ctx 32k is capped/) });
    const loaded = { name: 'm', sizeBytes: 1, sizeVramBytes: 0, contextLength: 16384, expiresAt: null };
    expect(effectiveContext({ contextLength: null, loaded }, 8192)).toMatchObject({ ctx: 16384, note: expect.stringMatching(/Loaded now with 16k context/) });
    expect(effectiveContext({ contextLength: 32768, loaded: { ...loaded, contextLength: 8192 } }, 8192)).toBeNull();
    expect(effectiveContext({ contextLength: null, loaded: null }, 8192)).toBeNull();
    expect(effectiveContext(null, 8192)).toBeNull();
  });
});
