import { afterEach, describe, expect, it, vi } from 'vitest';
import { Scrollback, safeCutIndex, formatRunFooter, quoteArg } from '../../electron/core/terminal/index.js';
import { OutputPump } from '../../electron/core/terminal/output-pump.js';

describe('scrollback', () => {
  it('keeps the last N code units, starting at a line when one is near', () => {
    const sb = new Scrollback(30);
    for (let i = 0; i < 10; i++) sb.append(`line ${i}\r\n`);
    expect(sb.read()).toBe('line 7\r\nline 8\r\nline 9\r\n');
    expect(sb.length).toBe(24);
  });

  it('never starts inside an escape sequence or a surrogate pair', () => {
    const text = 'x'.repeat(10) + '\x1b[38;2;255;0;0mred' + '😀'.repeat(3);
    // A cut inside the colour sequence moves back to its ESC.
    expect(text.slice(safeCutIndex(text, 14))).toBe('\x1b[38;2;255;0;0mred😀😀😀');
    // A cut between the halves of an emoji moves past the low half.
    const emoji = 'x'.repeat(10) + '😀'.repeat(3);
    expect(emoji.slice(safeCutIndex(emoji, 11))).toBe('😀😀');
  });

  it('holds one huge chunk without keeping more than the cap (+ a sequence)', () => {
    const sb = new Scrollback(1000);
    sb.append('a'.repeat(100_000));
    expect(sb.read()).toBe('a'.repeat(1000));
  });
});

describe('output pump', () => {
  afterEach(() => vi.useRealTimers());

  it('coalesces small writes into one frame after the interval, numbered from 1', () => {
    vi.useFakeTimers();
    const frames: { seq: number; data: string }[] = [];
    const pump = new OutputPump({ sessionId: 's', publish: (f) => frames.push(f), scrollbackBytes: 1000, intervalMs: 16, frameBytes: 1000, minGapMs: 8, highWaterBytes: 10_000 });
    pump.push('a');
    pump.push('b');
    expect(frames).toEqual([]);
    vi.advanceTimersByTime(16);
    expect(frames).toEqual([{ sessionId: 's', seq: 1, data: 'ab' }]);
    pump.push('c');
    vi.advanceTimersByTime(16);
    expect(pump.replay()).toEqual({ data: 'abc', lastSeq: 2 });
  });

  it('pauses producers at the high-water mark and resumes them after the flush', () => {
    vi.useFakeTimers();
    let backedUp = true;
    const calls: string[] = [];
    const pump = new OutputPump({
      sessionId: 's',
      publish: () => calls.push('publish'),
      scrollbackBytes: 1000,
      intervalMs: 16,
      frameBytes: 10,
      minGapMs: 0,
      highWaterBytes: 100,
      isBackedUp: () => backedUp,
    });
    pump.addFlow({ pause: () => calls.push('pause'), resume: () => calls.push('resume') });
    for (let i = 0; i < 12; i++) pump.push('x'.repeat(10));
    expect(calls).toEqual(['pause']);
    expect(pump.getStats().pendingBytes).toBe(120);
    backedUp = false;
    vi.advanceTimersByTime(16);
    expect(calls).toEqual(['pause', 'publish', 'resume']);
  });
});

describe('runs log lines', () => {
  it('formats footers and quotes only what needs it', () => {
    const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
    expect(plain(formatRunFooter({ exitCode: 0, durationMs: 812 }))).toBe('━━ exit 0 · 812 ms ━━\r\n\r\n');
    expect(plain(formatRunFooter({ exitCode: null, killed: true, signal: 'SIGKILL', durationMs: 1500 }))).toContain('killed (SIGKILL) · 1.5 s');
    expect(plain(formatRunFooter({ exitCode: 0, durationMs: 20_000, outputTruncated: true }))).toContain('exit 0 · 20 s · output capped');
    expect(['npm', 'run', 'a b', "it's", '--x=1'].map(quoteArg).join(' ')).toBe(`npm run 'a b' 'it'\\''s' --x=1`);
  });
});
