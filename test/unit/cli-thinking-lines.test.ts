import { describe, expect, it } from 'vitest';
import { ThinkingLines } from '../../electron/cli/thinking-lines.js';
import { toSseMessage } from '../../electron/server/rest/sse-events.js';
import type { TaskEvent } from '../../shared/index.js';

describe('ThinkingLines (macs run / macs submit --wait)', () => {
  it('says once that the model thinks and once how long, never the reasoning itself', () => {
    const lines: string[] = [];
    const t = new ThinkingLines((l) => lines.push(l));
    t.onThinking(1_000);
    t.onThinking(1_500);
    t.onThinking(2_000);
    t.onAnswer(13_400);
    t.onAnswer(14_000);
    t.onThinking(15_000);
    expect(lines).toEqual(['thinking…', 'thought for 12 s']);
  });

  it('prints nothing for a model that does not think', () => {
    const lines: string[] = [];
    const t = new ThinkingLines((l) => lines.push(l));
    t.onAnswer(1_000);
    expect(lines).toEqual([]);
  });

  it('shows tenths under ten seconds', () => {
    const lines: string[] = [];
    const t = new ThinkingLines((l) => lines.push(l));
    t.onThinking(0);
    t.onAnswer(2_345);
    expect(lines[1]).toBe('thought for 2.3 s');
  });
});

describe('SSE: thinking events', () => {
  const ev = (data: { text: string; step?: 'plan' }): TaskEvent => ({ taskId: 't', seq: 3, ts: 0, type: 'thinking', data }) as TaskEvent;
  it('streams reasoning as its own event, apart from delta', () => {
    expect(toSseMessage(ev({ text: 'Let me see' }))).toStrictEqual({ event: 'thinking', data: { text: 'Let me see' } });
    expect(toSseMessage(ev({ text: 'plan it', step: 'plan' }))).toStrictEqual({ event: 'thinking', data: { text: 'plan it', step: 'plan' } });
  });
});
