// Issue 18's rough edges of tasks and steps, in the renderer's words: a task's duration is the time
// it spent working (not finished − started across a later replay), and a replayed fix is labelled
// as a replay of its version, keeps that version's round and is not one more fix round.
import { describe, expect, it } from 'vitest';
import type { FileChange, StepRecord, TaskEvent, TaskEventDraft } from '../../shared/index.js';
import { changesSummary } from '../../renderer/src/store/changes.js';
import { attemptHeadline } from '../../renderer/src/lib/attempts.js';
import { applyEvents, emptyTaskView } from '../../renderer/src/store/task-view.js';
import { taskDurationMs } from '../../renderer/src/lib/status.js';
import { measuredTokensPerSecond } from '../../renderer/src/lib/format.js';
import { fixRound, fixRoundCount, newStepToReveal, pipelineHeadline, stepHeading } from '../../renderer/src/lib/step-text.js';
import { applyStepEvent, type StepSegment } from '../../renderer/src/store/step-fold.js';

type RoundStep = Pick<StepRecord, 'step' | 'version' | 'replayOf'>;
const s = (step: StepRecord['step'], version: number, replayOf: number | null = null): RoundStep => ({ step, version, replayOf });

describe('task duration', () => {
  it('is the runs added up: a replay 20 s later adds its run, not the 20 s between', () => {
    // Built in 8.6 s, replayed 20 s later for 0.4 s: 9 s of work, not 29 s.
    const task = { status: 'succeeded' as const, startedAt: 0, finishedAt: 29_000, workedMs: 9_000, runningSince: null };
    expect(taskDurationMs(task, 99_000)).toBe(9_000);
  });

  it('counts the running attempt up from its own start', () => {
    const task = { status: 'running' as const, startedAt: 0, finishedAt: null, workedMs: 8_600, runningSince: 28_000 };
    expect(taskDurationMs(task, 29_000)).toBe(9_600);
  });

  it('falls back to finished − started for a task from before attempts were recorded', () => {
    expect(taskDurationMs({ status: 'succeeded', startedAt: 1_000, finishedAt: 4_000, workedMs: null, runningSince: null }, 9_000)).toBe(3_000);
    expect(taskDurationMs({ status: 'queued', startedAt: null, finishedAt: null, workedMs: null, runningSince: null }, 9_000)).toBeNull();
  });
});

describe('a replayed fix step', () => {
  const built = [s('plan', 1), s('implement', 1), s('test', 1), s('fix', 1), s('test', 2), s('review', 1)];
  const replayed = [...built, s('fix', 2, 1)];

  it('keeps the round of the version it replays and is labelled a replay of it', () => {
    const round = fixRound(replayed, replayed.length - 1);
    expect(round).toBe(1);
    expect(stepHeading('fix', 2, { round, replayOf: 1 })).toBe('Fix round 1 · replay of fix@v1');
  });

  it('is not one more fix round in the header', () => {
    expect(fixRoundCount(replayed)).toBe(1);
    const records = replayed.map((r, i) => ({ ...r, id: i, taskId: 't', attempt: 1, status: 'succeeded', cachedCalls: 0 }) as unknown as StepRecord);
    expect(pipelineHeadline({ status: 'succeeded', error: null }, records, {}, 3).notes).toEqual(['1 fix round']);
  });

  it('a new fix after a cascade replay is the next round, the replay not counted', () => {
    const cascade = [...replayed, s('test', 3), s('fix', 3)];
    expect(fixRound(cascade, cascade.length - 1)).toBe(2);
    expect(fixRoundCount(cascade)).toBe(2);
  });
});

describe('a replayed fix step in the chat', () => {
  it('its section keeps the round of the fix it replays', () => {
    let segs: StepSegment[] = [];
    let seq = 1;
    for (const [step, version] of [['implement', 1], ['test', 1], ['fix', 1], ['test', 2], ['review', 1]] as const) {
      segs = applyStepEvent(segs, { step, version, phase: 'start', status: 'running' }, seq++);
      segs = applyStepEvent(segs, { step, version, phase: 'end', status: 'succeeded' }, seq++);
    }
    segs = applyStepEvent(segs, { step: 'fix', version: 2, phase: 'start', status: 'running', replayOf: 1 }, seq++);
    const replay = segs.at(-1)!;
    expect(stepHeading(replay.step, replay.version, { round: replay.round, replayOf: replay.replayOf })).toBe('Fix round 1 · replay of fix@v1');
  });
});

describe('the Steps tab after a replay', () => {
  it('brings the new version into view, not on the first load', () => {
    const rows = [{ id: 1 }, { id: 2 }, { id: 3 }];
    expect(newStepToReveal(null, rows)).toBeNull();
    expect(newStepToReveal(new Set([1, 2, 3]), rows)).toBeNull();
    expect(newStepToReveal(new Set([1, 2]), [...rows, { id: 4 }])).toEqual({ id: 4 });
  });
});

describe('the Changes tab after Undo task', () => {
  const file = (path: string, status: FileChange['status'], accepted = false): FileChange => ({
    path,
    status,
    before: status === 'added' ? null : { sha256: 'a', size: 1 },
    after: status === 'deleted' ? null : { sha256: status === 'unchanged' ? 'a' : 'b', size: 2 },
    accepted,
  });

  it('says the task is undone, counting the files it reverted, and Undo can do no more', () => {
    const undone = changesSummary([file('a.py', 'unchanged'), file('b.py', 'unchanged')], { loaded: true, running: false });
    expect(undone).toEqual({ text: 'Undone: the 2 files it changed are back as they were.', reverted: 2, undoable: false, undone: true });
    expect(undone.text).not.toMatch(/changed no files/);
  });

  it('before Undo: Undo is there; one file reverted by hand is counted beside the changed ones', () => {
    expect(changesSummary([file('a.py', 'modified'), file('b.py', 'added', true)], { loaded: true, running: false })).toMatchObject({ text: null, undoable: true, undone: false });
    expect(changesSummary([file('a.py', 'modified'), file('b.py', 'unchanged')], { loaded: true, running: false })).toMatchObject({ text: null, reverted: 1, undoable: true });
    expect(changesSummary([], { loaded: true, running: false })).toMatchObject({ text: 'This task changed no files.', undoable: false, undone: false });
    expect(changesSummary([file('a.py', 'modified')], { loaded: true, running: true }).undoable).toBe(false);
  });
});

describe('the divider of a retry that has ended', () => {
  const boom = { code: 'OLLAMA_ERROR' as const, message: 'Ollama error: boom' };
  const numbered = (drafts: TaskEventDraft[]): TaskEvent[] => drafts.map((d, i) => ({ ...d, taskId: 't1', seq: i + 1, ts: 1_000 + i }) as TaskEvent);
  const retried = (end: TaskEventDraft[]) =>
    applyEvents(
      emptyTaskView('t1'),
      numbered([
        { type: 'status', data: { status: 'running', attempt: 1 } },
        { type: 'status', data: { status: 'queued', attempt: 1, retryInMs: 1000, reason: 'retry', error: boom } },
        { type: 'status', data: { status: 'running', attempt: 2 } },
        ...end,
      ]),
    ).view;

  it('says "retrying" only while the retry runs', () => {
    const running = retried([]);
    expect(attemptHeadline(running.attempts[1], running.attempts[0])).toBe('Attempt 2 — retrying after: Ollama error: boom');
    const done = retried([{ type: 'status', data: { status: 'succeeded', attempt: 2 } }]);
    expect(attemptHeadline(done.attempts[1], done.attempts[0])).toBe('Attempt 2 — a retry after: Ollama error: boom');
    const stopped = retried([{ type: 'status', data: { status: 'cancelled', attempt: 2 } }]);
    expect(attemptHeadline(stopped.attempts[1], stopped.attempts[0])).not.toMatch(/retrying/);
  });
});

describe('the Timeline usage line', () => {
  it('gives no speed for a generation timed under 1 ms (not "14000000000.0 tok/s")', () => {
    expect(measuredTokensPerSecond(14, 0.000001)).toBeNull();
    expect(measuredTokensPerSecond(14, 0)).toBeNull();
    expect(measuredTokensPerSecond(0, 500)).toBeNull();
    expect(measuredTokensPerSecond(40, 2_000)).toBe(20);
  });
});
