// GET /final picks the last attempt's answer while paging through the log (never holding it):
// LastAttemptText must pick the same text as reading the whole log would, page boundaries
// anywhere, including a retry that starts after the task row was read.
import { describe, expect, it } from 'vitest';
import type { TaskEvent } from '../../shared/index.js';
import { LastAttemptText } from '../../electron/server/rest/task-view.js';

let seq = 0;
const running = (attempt?: number): TaskEvent => ({ taskId: 't', seq: ++seq, ts: seq, type: 'status', data: attempt === undefined ? { status: 'running' } : { status: 'running', attempt } });
const delta = (text: string): TaskEvent => ({ taskId: 't', seq: ++seq, ts: seq, type: 'delta', data: { text } });
const queued = (): TaskEvent => ({ taskId: 't', seq: ++seq, ts: seq, type: 'status', data: { status: 'queued' } });

/** Feeds the log in pages of `size`, as GET /final does. */
function read(picker: LastAttemptText, log: TaskEvent[], size: number): string {
  let text = '';
  for (let i = 0; i < log.length; i += size) text += picker.take(log.slice(i, i + size)).join('');
  return text;
}

describe('LastAttemptText', () => {
  it('is the text after the running event of the task’s last attempt, whatever the page size', () => {
    const log = [queued(), running(1), delta('old '), delta('answer'), queued(), running(2), delta('new '), delta('answer')];
    for (const size of [1, 2, 3, 100]) expect(read(new LastAttemptText(2), log, size)).toBe('new answer');
  });

  it('stops at an attempt that started after the task was read (a retry mid-stream)', () => {
    const log = [queued(), running(1), delta('first'), queued(), running(2), delta('second')];
    expect(read(new LastAttemptText(1), log, 2)).toBe('first');
  });

  it('a task that never ran (0 attempts) has whatever deltas there are: none', () => {
    expect(read(new LastAttemptText(0), [queued()], 10)).toBe('');
  });

  it('a log without attempt numbers is not found, and says where a second pass starts', () => {
    const log = [queued(), running(), delta('old'), queued(), running(), delta('new')];
    const first = new LastAttemptText(2);
    expect(read(first, log, 2)).toBe('');
    expect(first.found).toBe(false);
    const rest = log.filter((e) => e.seq > first.lastRunningSeq);
    expect(read(LastAttemptText.from(first.lastRunningSeq), rest, 2)).toBe('new');
  });
});
