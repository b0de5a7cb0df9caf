// macs_tokens_per_second: tokens per second of wall-clock time, never a division by a reported
// eval_duration of a few nanoseconds (the figure a build once left: 52,333,333,333 tok/s).
import { describe, expect, it } from 'vitest';
import { recentTokensPerSecond } from '../../electron/core/engine/stats.js';

// Epoch milliseconds, as Date.now() gives them (1e-6 ms vanishes next to them).
const NOW = 1_765_000_000_000;

describe('recentTokensPerSecond', () => {
  it('answers whose eval_duration is 1 ns count over at least a second, not over their nanoseconds', () => {
    const burst = [81, 195, 34, 58, 14].map((tokens, i) => ({ at: NOW - 100 + i * 10, tokens, ms: 0.000001 }));
    expect(recentTokensPerSecond(burst, NOW)).toBeCloseTo(382, 6);
  });

  it('one answer at 40 tok/s for 10 s, read as it ends: 40', () => {
    expect(recentTokensPerSecond([{ at: NOW, tokens: 400, ms: 10_000 }], NOW)).toBeCloseTo(40, 6);
  });

  it('two tasks side by side add up (throughput across tasks)', () => {
    const two = [
      { at: NOW, tokens: 300, ms: 10_000 },
      { at: NOW, tokens: 500, ms: 10_000 },
    ];
    expect(recentTokensPerSecond(two, NOW)).toBeCloseTo(80, 6);
  });

  it('only the part of a long answer inside the last minute counts, and idle time after it lowers the rate', () => {
    // 50 tok/s for 5 minutes, ended now: the last minute saw 3,000 of its tokens.
    expect(recentTokensPerSecond([{ at: NOW, tokens: 15_000, ms: 300_000 }], NOW)).toBeCloseTo(50, 6);
    // The same 400 tokens (10 s), read 20 s after they ended: 400 over 30 s.
    expect(recentTokensPerSecond([{ at: NOW - 20_000, tokens: 400, ms: 10_000 }], NOW)).toBeCloseTo(400 / 30, 6);
    // Older than the window: nothing.
    expect(recentTokensPerSecond([{ at: NOW - 61_000, tokens: 400, ms: 10_000 }], NOW)).toBe(0);
    expect(recentTokensPerSecond([], NOW)).toBe(0);
  });
});
