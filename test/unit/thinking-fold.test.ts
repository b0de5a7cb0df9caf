// The renderer's fold of reasoning: a chat answer's and each build step's `thinking` events
// become the "Thinking… / Thought for N s" block, timed from the events' own timestamps.
import { describe, expect, it } from 'vitest';
import type { TaskEvent, TaskEventDraft } from '../../shared/index.js';
import { applyEvents, currentAttempt, emptyTaskView } from '../../renderer/src/store/task-view.js';
import { thinkingSeconds } from '../../renderer/src/store/thinking-fold.js';

function at(ts: number, draft: TaskEventDraft, seq: number): TaskEvent {
  return { ...draft, taskId: 't1', seq, ts } as TaskEvent;
}

describe('thinking fold', () => {
  it('collects a chat answer’s reasoning apart from its text; the answer ends it', () => {
    const events = [
      at(1_000, { type: 'status', data: { status: 'running', attempt: 1 } }, 1),
      at(2_000, { type: 'thinking', data: { text: 'Let me ' } }, 2),
      at(8_000, { type: 'thinking', data: { text: 'think.' } }, 3),
      at(14_400, { type: 'delta', data: { text: 'Answer' } }, 4),
      at(15_000, { type: 'delta', data: { text: '!' } }, 5),
    ];
    const cur = currentAttempt(applyEvents(emptyTaskView('t1'), events).view);
    expect(cur.text).toBe('Answer!');
    expect(cur.thinking).toEqual({ text: 'Let me think.', startedAt: 2_000, endedAt: 14_400, lastAt: 8_000 });
    expect(thinkingSeconds(cur.thinking!, true, 99_000)).toBe(12);
  });

  it('ticks while the model is still thinking, and stops at the last reasoning when the task ended without an answer', () => {
    const events = [at(1_000, { type: 'status', data: { status: 'running', attempt: 1 } }, 1), at(2_000, { type: 'thinking', data: { text: 'hmm' } }, 2)];
    const cur = currentAttempt(applyEvents(emptyTaskView('t1'), events).view);
    expect(cur.thinking?.endedAt).toBeNull();
    expect(thinkingSeconds(cur.thinking!, true, 7_000)).toBe(5);
    expect(thinkingSeconds(cur.thinking!, false, 60_000)).toBe(0);
  });

  it('keeps each build step’s reasoning on its own step', () => {
    const events = [
      at(1_000, { type: 'status', data: { status: 'running', attempt: 1 } }, 1),
      at(1_100, { type: 'step', data: { phase: 'start', step: 'plan', version: 1, status: 'running' } } as TaskEventDraft, 2),
      at(1_200, { type: 'thinking', data: { text: 'Which files?', step: 'plan' } }, 3),
      at(4_200, { type: 'delta', data: { text: '{"summary":"x"}', step: 'plan' } }, 4),
      at(5_000, { type: 'step', data: { phase: 'start', step: 'implement', version: 1, status: 'running' } } as TaskEventDraft, 5),
      at(5_100, { type: 'thinking', data: { text: 'Draft it.', step: 'implement' } }, 6),
    ];
    const cur = currentAttempt(applyEvents(emptyTaskView('t1'), events).view);
    expect(cur.thinking).toBeNull();
    const [plan, impl] = cur.segments;
    expect(plan.thinking).toMatchObject({ text: 'Which files?', endedAt: 4_200 });
    expect(plan.text).toBe('{"summary":"x"}');
    expect(impl.thinking).toMatchObject({ text: 'Draft it.', endedAt: null });
    expect(impl.text).toBe('');
  });
});
