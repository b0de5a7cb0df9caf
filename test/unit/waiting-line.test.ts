import { describe, expect, it } from 'vitest';
import type { Task } from '../../shared/index.js';
import { waitingText } from '../../renderer/src/components/WaitingLine.js';

const now = 1_000_000;
const task = (over: Partial<Task>): Task =>
  ({ id: 't', kind: 'chat', status: 'queued', attempts: 1, maxAttempts: 4, notBefore: null, error: null, host: null, ...over }) as Task;

describe('WaitingLine', () => {
  it('a task waiting for a stopped Ollama names the host and the next try, not an attempt number', () => {
    const waiting = task({ notBefore: now + 20_000, error: { code: 'OLLAMA_UNREACHABLE', message: 'down', details: { host: 'http://127.0.0.1:11434' } } });
    expect(waitingText({ task: waiting, status: 'queued', loaded: true, retryPending: true }, now)).toBe('Waiting for Ollama at http://127.0.0.1:11434 — next try in 20 s…');
  });

  it('an ordinary retry still counts the attempts down', () => {
    const retry = task({ notBefore: now + 4_000, error: { code: 'STREAM_DROPPED', message: 'dropped' } });
    expect(waitingText({ task: retry, status: 'queued', loaded: true, retryPending: true }, now)).toBe('Attempt 2 of 4 starts in 4 s…');
  });
});
