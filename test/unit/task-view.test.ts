// The renderer's fold of task events: attempts (retry, manual retry, crash recovery)
// and the detail view's timeline with deltas collapsed per attempt.
import { describe, expect, it } from 'vitest';
import type { TaskEvent, TaskEventDraft } from '../../shared/index.js';
import { applyEvents, currentAttempt, emptyTaskView } from '../../renderer/src/store/task-view.js';
import { attemptHeadline } from '../../renderer/src/lib/attempts.js';

function numbered(drafts: TaskEventDraft[], from = 1): TaskEvent[] {
  return drafts.map((d, i) => ({ ...d, taskId: 't1', seq: from + i, ts: 1_000 + (from + i) * 10 }) as TaskEvent);
}

const boom = { code: 'OLLAMA_ERROR' as const, message: 'boom' };

describe('task view fold', () => {
  it('keeps one attempt for a plain run and collapses deltas into one timeline line', () => {
    const events = numbered([
      { type: 'status', data: { status: 'queued' } },
      { type: 'status', data: { status: 'running', attempt: 1 } },
      { type: 'delta', data: { text: 'Hello ' } },
      { type: 'file.open', data: { path: 'a.py' } },
      { type: 'delta', data: { text: 'world' } },
      { type: 'file.chunk', data: { path: 'a.py', text: 'print(1)\n' } },
      { type: 'file.close', data: { path: 'a.py', size: 9, sha256: 'x', truncated: false } },
      { type: 'usage', data: { promptTokens: 10, evalTokens: 3, evalDurationMs: 100, totalDurationMs: 200, doneReason: 'stop' } },
      { type: 'status', data: { status: 'succeeded' } },
    ]);
    const { view, gap } = applyEvents(emptyTaskView('t1'), events);
    expect(gap).toBe(false);
    expect(view.attempts).toHaveLength(1);
    expect(currentAttempt(view).text).toBe('Hello world');
    const kinds = view.timeline.entries.map((e) => e.kind);
    expect(kinds).toEqual(['status', 'status', 'stream', 'file', 'usage', 'status']);
    const stream = view.timeline.entries[2];
    expect(stream.kind === 'stream' && stream.chars).toBe(11);
    const file = view.timeline.entries[3];
    expect(file.kind === 'file' && [file.state, file.size]).toEqual(['written', 9]);
  });

  it('starts a new attempt on a second running event; the earlier text stays on the earlier attempt', () => {
    const first = numbered([
      { type: 'status', data: { status: 'queued' } },
      { type: 'status', data: { status: 'running', attempt: 1 } },
      { type: 'delta', data: { text: 'first try' } },
      { type: 'status', data: { status: 'queued', attempt: 1, retryInMs: 4000, reason: 'retry', error: boom } },
    ]);
    let view = applyEvents(emptyTaskView('t1'), first).view;
    expect(view.attempts).toHaveLength(1);
    expect(currentAttempt(view).outcome).toEqual({ status: 'queued', error: boom, retryInMs: 4000 });
    // Frames arrive in pieces: the new attempt starts in a later batch.
    view = applyEvents(view, numbered([{ type: 'status', data: { status: 'running', attempt: 2, reason: 'retry' } }, { type: 'delta', data: { text: 'second' } }], 5)).view;
    expect(view.attempts.map((a) => [a.attempt, a.text])).toEqual([
      [1, 'first try'],
      [2, 'second'],
    ]);
    expect(attemptHeadline(view.attempts[1], view.attempts[0])).toBe('Attempt 2 — retrying after: Ollama error: boom');
    const streams = view.timeline.entries.filter((e) => e.kind === 'stream');
    expect(streams.map((s) => s.attempt)).toEqual([1, 2]);
  });

  it('labels a manual retry and a crash recovery', () => {
    const manual = numbered([
      { type: 'status', data: { status: 'running' } },
      { type: 'status', data: { status: 'failed', error: { code: 'MODEL_NOT_FOUND', message: 'model "x" not found' } } },
      { type: 'status', data: { status: 'queued', reason: 'manual retry' } },
      { type: 'status', data: { status: 'running' } },
    ]);
    const m = applyEvents(emptyTaskView('t1'), manual).view;
    expect(m.attempts.map((a) => a.attempt)).toEqual([1, 2]);
    expect(attemptHeadline(m.attempts[1], m.attempts[0])).toBe('Attempt 2 — retried by hand after: model not installed');

    const crash = numbered([
      { type: 'status', data: { status: 'running', attempt: 1 } },
      { type: 'delta', data: { text: 'partial' } },
      { type: 'status', data: { status: 'interrupted', reason: 'recovered after a crash' } },
      { type: 'status', data: { status: 'queued', reason: 'recovered after a crash' } },
      { type: 'status', data: { status: 'running', attempt: 2 } },
    ]);
    const c = applyEvents(emptyTaskView('t1'), crash).view;
    expect(c.attempts[1].reason).toBe('recovered after a crash');
    expect(attemptHeadline(c.attempts[1], c.attempts[0])).toBe('Attempt 2 — recovered after a crash');
  });

  it('ignores replays and reports gaps', () => {
    const events = numbered([
      { type: 'status', data: { status: 'running' } },
      { type: 'delta', data: { text: 'a' } },
    ]);
    const once = applyEvents(emptyTaskView('t1'), events).view;
    const again = applyEvents(once, events);
    expect(again.view).toBe(once);
    const gap = applyEvents(once, numbered([{ type: 'delta', data: { text: 'z' } }], 5));
    expect(gap.gap).toBe(true);
    expect(currentAttempt(gap.view).text).toBe('a');
  });
});

describe('timeline: sandboxed commands', () => {
  it('folds an exec start and end (even across frames) into one entry, and lists audits', () => {
    const first = numbered([
      { type: 'status', data: { status: 'queued' } },
      { type: 'exec', data: { phase: 'start', command: ['npm', 'test'], cwd: '/w', level: 'workspace-write' } },
      { type: 'audit', data: { kind: 'denied', message: 'touch: /etc/x: Read-only file system', command: ['npm', 'test'] } },
    ]);
    const second = numbered([{ type: 'exec', data: { phase: 'end', command: ['npm', 'test'], cwd: '/w', level: 'workspace-write', exitCode: 1, durationMs: 3200, timedOut: false, killed: false, outputTruncated: false } }], 4);
    const a = applyEvents(emptyTaskView('t1'), first).view;
    const running = a.timeline.entries.find((e) => e.kind === 'exec');
    expect(running).toMatchObject({ done: false, exitCode: null });
    const b = applyEvents(a, second).view;
    const execs = b.timeline.entries.filter((e) => e.kind === 'exec');
    expect(execs).toHaveLength(1);
    expect(execs[0]).toMatchObject({ command: ['npm', 'test'], done: true, exitCode: 1, durationMs: 3200 });
    expect(b.timeline.entries.find((e) => e.kind === 'audit')).toMatchObject({ auditKind: 'denied' });
  });
});

describe('task view: files and attempts after a failure', () => {
  it('a file opened and then cut off by a failure (not written) leaves no "being written" chip', () => {
    const events = numbered([
      { type: 'status', data: { status: 'running', attempt: 1 } },
      { type: 'file.open', data: { path: 'app.py' } },
      { type: 'file.refused', data: { path: 'app.py', code: 'CUT_OFF_BY_FAILURE', reason: 'The answer broke off.' } },
      { type: 'status', data: { status: 'failed', error: boom } },
    ]);
    const { view } = applyEvents(emptyTaskView('t1'), events);
    expect(view.files['app.py']).toBeUndefined();
    expect(view.fileOrder).toEqual([]);
  });

  it('an attempt after waiting for Ollama says so, not "retrying"', () => {
    const events = numbered([
      { type: 'status', data: { status: 'running', attempt: 1 } },
      { type: 'status', data: { status: 'queued', attempt: 1, reason: 'waiting for Ollama', retryInMs: 2000, error: { code: 'OLLAMA_UNREACHABLE', message: 'down' } } },
      { type: 'status', data: { status: 'running', attempt: 2 } },
    ]);
    const { view } = applyEvents(emptyTaskView('t1'), events);
    expect(attemptHeadline(view.attempts[1], view.attempts[0])).toBe('Attempt 2 — Ollama answered again');
  });
});

describe('attempt headlines: the last attempt', () => {
  it('once the last attempt has failed too, its divider no longer says "retrying"', () => {
    const events = numbered([
      { type: 'status', data: { status: 'running', attempt: 1 } },
      { type: 'status', data: { status: 'queued', attempt: 1, retryInMs: 1000, reason: 'retry', error: boom } },
      { type: 'status', data: { status: 'running', attempt: 2 } },
      { type: 'status', data: { status: 'failed', attempt: 2, error: boom } },
    ]);
    const { view } = applyEvents(emptyTaskView('t1'), events);
    const headline = attemptHeadline(view.attempts[1], view.attempts[0]);
    expect(headline).not.toMatch(/retrying/);
    expect(headline).toBe('Attempt 2 (the last) — a retry after: Ollama error: boom');
  });
});
