import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TaskEvent, TaskEventDraft } from '../../shared/index.js';
import { EventCoalescer } from '../../electron/core/stream/index.js';

function harness(opts: { intervalMs?: number; maxBytes?: number; minGapMs?: number } = {}) {
  const frames: TaskEvent[][] = [];
  let seq = 0;
  const coalescer = new EventCoalescer({
    ...opts,
    commit: (taskId, drafts: TaskEventDraft[]) => drafts.map((d) => ({ taskId, seq: ++seq, ts: 0, ...d }) as TaskEvent),
    publish: (_taskId, events) => frames.push(events),
  });
  return { coalescer, frames };
}

describe('EventCoalescer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('merges adjacent deltas and same-file chunks into one frame after the interval', () => {
    const { coalescer, frames } = harness({ intervalMs: 25 });
    for (const t of ['a', 'b', 'c']) coalescer.push('t1', { type: 'delta', data: { text: t } });
    coalescer.push('t1', { type: 'file.open', data: { path: 'x.py' } });
    coalescer.push('t1', { type: 'file.chunk', data: { path: 'x.py', text: 'l1\n' } });
    coalescer.push('t1', { type: 'file.chunk', data: { path: 'x.py', text: 'l2\n' } });
    coalescer.push('t1', { type: 'delta', data: { text: 'd' } });
    expect(frames).toHaveLength(0);
    vi.advanceTimersByTime(25);
    expect(frames).toHaveLength(1);
    expect(frames[0].map((e) => [e.seq, e.type, e.data])).toEqual([
      [1, 'delta', { text: 'abc' }],
      [2, 'file.open', { path: 'x.py' }],
      [3, 'file.chunk', { path: 'x.py', text: 'l1\nl2\n' }],
      [4, 'delta', { text: 'd' }],
    ]);
  });

  it('merges interleaved deltas and chunks (one token is both) into one of each per run', () => {
    const { coalescer, frames } = harness();
    coalescer.push('t1', { type: 'file.open', data: { path: 'a.py' } });
    for (const t of ['x = ', '1\n', 'y = ', '2\n']) {
      coalescer.push('t1', { type: 'delta', data: { text: t } });
      coalescer.push('t1', { type: 'file.chunk', data: { path: 'a.py', text: t } });
    }
    coalescer.push('t1', { type: 'file.close', data: { path: 'a.py', size: 12, sha256: 'h', truncated: false } });
    coalescer.push('t1', { type: 'delta', data: { text: 'done' } });
    coalescer.flush('t1');
    expect(frames[0].map((e) => [e.type, 'text' in e.data ? e.data.text : ''])).toEqual([
      ['file.open', ''],
      ['delta', 'x = 1\ny = 2\n'],
      ['file.chunk', 'x = 1\ny = 2\n'],
      ['file.close', ''],
      ['delta', 'done'],
    ]);
  });

  it('does not merge chunks of different files', () => {
    const { coalescer, frames } = harness();
    coalescer.push('t1', { type: 'file.chunk', data: { path: 'a', text: '1' } });
    coalescer.push('t1', { type: 'file.chunk', data: { path: 'b', text: '2' } });
    coalescer.flush('t1');
    expect(frames[0].map((e) => e.data)).toEqual([{ path: 'a', text: '1' }, { path: 'b', text: '2' }]);
  });

  it('sends early at maxBytes but never more often than minGapMs, capping frames/s', () => {
    const { coalescer, frames } = harness({ intervalMs: 25, maxBytes: 10, minGapMs: 16 });
    // 1,000 pushes of 10 bytes within one simulated second, 1 ms apart.
    for (let i = 0; i < 1000; i++) {
      coalescer.push('t1', { type: 'delta', data: { text: '0123456789' } });
      vi.advanceTimersByTime(1);
    }
    coalescer.flush('t1');
    expect(frames.length).toBeLessThanOrEqual(1000 / 16 + 2);
    expect(frames.length).toBeGreaterThan(30);
    expect(frames.flat().map((e) => (e.type === 'delta' ? e.data.text : '')).join('')).toBe('0123456789'.repeat(1000));
  });

  it('keeps tasks apart and numbers events without gaps', () => {
    const { coalescer, frames } = harness();
    coalescer.push('a', { type: 'delta', data: { text: 'x' } });
    coalescer.push('b', { type: 'delta', data: { text: 'y' } });
    coalescer.close('a');
    coalescer.close('b');
    expect(frames.map((f) => f[0].taskId)).toEqual(['a', 'b']);
    expect(frames.flat().map((e) => e.seq)).toEqual([1, 2]);
  });
});

describe('EventCoalescer when a frame cannot be stored', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reports the failed commit from its timer once, drops the task’s later events, and keeps other tasks going', () => {
    const errors: Array<[string, unknown]> = [];
    const frames: TaskEvent[][] = [];
    let seq = 0;
    const full = new Error('database or disk is full');
    const coalescer = new EventCoalescer({
      intervalMs: 25,
      commit: (taskId, drafts) => {
        if (taskId === 'full') throw full;
        return drafts.map((d) => ({ taskId, seq: ++seq, ts: 0, ...d }) as TaskEvent);
      },
      publish: (_t, events) => frames.push(events),
      onError: (taskId, err) => errors.push([taskId, err]),
    });
    coalescer.push('full', { type: 'delta', data: { text: 'a' } });
    coalescer.push('ok', { type: 'delta', data: { text: 'b' } });
    expect(() => vi.advanceTimersByTime(25)).not.toThrow();
    expect(errors).toEqual([['full', full]]);
    expect(frames.map((f) => f.map((e) => e.taskId))).toEqual([['ok']]);

    coalescer.push('full', { type: 'delta', data: { text: 'c' } });
    vi.advanceTimersByTime(100);
    expect(coalescer.flush('full')).toEqual([]);
    expect(coalescer.close('full')).toEqual([]);
    expect(errors).toHaveLength(1);
    // A new run of the same task id (after close) starts clean.
    coalescer.push('full', { type: 'log', data: { level: 'info', message: 'again' } });
    vi.advanceTimersByTime(25);
    expect(errors).toHaveLength(2);
  });

  it('without onError a failed commit is thrown to the caller of flush (no silent loss)', () => {
    const coalescer = new EventCoalescer({
      commit: () => {
        throw new Error('boom');
      },
      publish: () => undefined,
    });
    coalescer.push('t', { type: 'delta', data: { text: 'x' } });
    expect(() => coalescer.flush('t')).toThrow('boom');
  });
});
