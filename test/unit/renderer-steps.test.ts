// The renderer's build-pipeline helpers: folding step events and step-tagged deltas into
// per-step segments, the timeline's step rows, the pipeline headline, step words.
import { describe, expect, it } from 'vitest';
import type { StepRecord, TaskEvent, TaskEventDraft, TestReport } from '../../shared/index.js';
import { applyEvents, attemptChars, currentAttempt, emptyTaskView } from '../../renderer/src/store/task-view.js';
import { applyStepDelta, applyStepEvent } from '../../renderer/src/store/step-fold.js';
import {
  fixRound,
  pipelineHeadline,
  stepDurationMs,
  stepEndText,
  stepHeading,
  stepRef,
  stepTokens,
  testOutcome,
  testsPassing,
} from '../../renderer/src/lib/step-text.js';

function numbered(drafts: TaskEventDraft[], from = 1): TaskEvent[] {
  return drafts.map((d, i) => ({ ...d, taskId: 't1', seq: from + i, ts: 1_000 + (from + i) * 10 }) as TaskEvent);
}

function report(passed: number, failed: number, extra: Partial<TestReport> = {}): TestReport {
  return {
    command: ['python', '-m', 'pytest', '-q'],
    level: 'plan',
    exitCode: failed === 0 ? 0 : 1,
    passed: failed === 0,
    timedOut: false,
    durationMs: 1200,
    counts: { passed, failed },
    failures: failed > 0 ? [{ name: 'test_a', message: 'assert 1 == 2', location: 'test_a.py:3' }] : [],
    tail: '',
    ...extra,
  };
}

let nextId = 1;
function step(partial: Partial<StepRecord> & Pick<StepRecord, 'step' | 'version'>): StepRecord {
  return {
    id: nextId++,
    taskId: 't1',
    attempt: 1,
    status: 'succeeded',
    model: 'qwen2.5-coder:7b',
    modelReason: 'task model',
    startedAt: 1_000,
    finishedAt: 2_000,
    llmMs: 0,
    commandMs: 0,
    promptTokens: 0,
    evalTokens: 0,
    cachedCalls: 0,
    llmCalls: 0,
    summary: '',
    error: null,
    replayOf: null,
    artifact: null,
    ...partial,
  };
}

const start = (s: 'plan' | 'implement' | 'docs' | 'test' | 'fix' | 'review', version: number): TaskEventDraft => ({
  type: 'step',
  data: { step: s, version, phase: 'start', status: 'running' },
});
const end = (s: 'plan' | 'implement' | 'docs' | 'test' | 'fix' | 'review', version: number, extra: Record<string, unknown> = {}): TaskEventDraft =>
  ({ type: 'step', data: { step: s, version, phase: 'end', status: 'succeeded', ...extra } }) as TaskEventDraft;

describe('build task fold', () => {
  const build = numbered([
    { type: 'status', data: { status: 'running', attempt: 1 } },
    start('plan', 1),
    { type: 'delta', data: { text: '{"summary":', step: 'plan' } },
    { type: 'delta', data: { text: '"x"}', step: 'plan' } },
    end('plan', 1, { summary: 'plan: 1 file', durationMs: 900 }),
    start('implement', 1),
    start('docs', 1),
    // implement and docs stream side by side
    { type: 'delta', data: { text: 'File: a.py\n', step: 'implement' } },
    { type: 'delta', data: { text: 'File: README.md\n', step: 'docs' } },
    { type: 'delta', data: { text: '```python\nx = 1\n```\n', step: 'implement' } },
    end('docs', 1),
    end('implement', 1, { summary: '1 file' }),
    start('test', 1),
    end('test', 1, { status: 'failed', report: report(5, 2) }),
    start('fix', 1),
    { type: 'delta', data: { text: 'File: a.py\n', step: 'fix' } },
    end('fix', 1),
    start('test', 2),
    end('test', 2, { status: 'failed', report: report(6, 1) }),
    start('fix', 2),
    { type: 'delta', data: { text: 'again', step: 'fix' } },
  ]);

  it('gives every step attempt its own segment, in the order the steps started', () => {
    const { view, gap } = applyEvents(emptyTaskView('t1'), build);
    expect(gap).toBe(false);
    const cur = currentAttempt(view);
    expect(cur.text).toBe('');
    expect(cur.segments.map((s) => s.key)).toEqual(['plan@v1', 'implement@v1', 'docs@v1', 'test@v1', 'fix@v1', 'test@v2', 'fix@v2']);
    expect(cur.segments[0]).toMatchObject({ text: '{"summary":"x"}', status: 'succeeded', summary: 'plan: 1 file', durationMs: 900 });
    // Interleaved deltas land on their own step.
    expect(cur.segments[1].text).toBe('File: a.py\n```python\nx = 1\n```\n');
    expect(cur.segments[2].text).toBe('File: README.md\n');
    expect(cur.segments[3]).toMatchObject({ status: 'failed', text: '' });
    expect(cur.segments[3].report?.counts).toEqual({ passed: 5, failed: 2 });
    expect(cur.segments.filter((s) => s.step === 'fix').map((s) => [s.round, s.status, s.text])).toEqual([
      [1, 'succeeded', 'File: a.py\n'],
      [2, 'running', 'again'],
    ]);
    expect(attemptChars(cur)).toBe(cur.segments.reduce((n, s) => n + s.text.length, 0));
    expect(Object.keys(view.reports)).toEqual(['test@v1', 'test@v2']);
  });

  it('folds the same way when the events arrive in several frames', () => {
    let view = emptyTaskView('t1');
    for (let i = 0; i < build.length; i += 3) view = applyEvents(view, build.slice(i, i + 3)).view;
    const whole = applyEvents(emptyTaskView('t1'), build).view;
    expect(currentAttempt(view).segments).toEqual(currentAttempt(whole).segments);
    expect(view.timeline.entries).toEqual(whole.timeline.entries);
  });

  it('keeps chat tasks (deltas without a step) exactly as before', () => {
    const { view } = applyEvents(
      emptyTaskView('t1'),
      numbered([
        { type: 'status', data: { status: 'running', attempt: 1 } },
        { type: 'delta', data: { text: 'Hello ' } },
        { type: 'delta', data: { text: 'world' } },
      ]),
    );
    expect(currentAttempt(view).text).toBe('Hello world');
    expect(currentAttempt(view).segments).toEqual([]);
    expect(view.timeline.entries.map((e) => e.kind)).toEqual(['status', 'stream']);
  });

  it('puts a replay in a new attempt with its own segments', () => {
    const first = applyEvents(emptyTaskView('t1'), build.slice(0, 5)).view;
    const replay = numbered(
      [
        { type: 'status', data: { status: 'succeeded' } },
        { type: 'status', data: { status: 'queued', reason: 'replay plan@v1' } },
        { type: 'status', data: { status: 'running', attempt: 2, reason: 'replay plan@v1' } },
        { type: 'step', data: { step: 'plan', version: 2, phase: 'start', status: 'running', replayOf: 1 } },
        { type: 'delta', data: { text: '{}', step: 'plan' } },
      ],
      6,
    );
    const { view } = applyEvents(first, replay);
    expect(view.attempts.map((a) => a.segments.map((s) => s.key))).toEqual([['plan@v1'], ['plan@v2']]);
    expect(currentAttempt(view).segments[0]).toMatchObject({ replayOf: 1, text: '{}', status: 'running' });
  });

  it('adopts text that arrived before its step start event, and opens a segment for text with no start at all', () => {
    let segs = applyStepDelta([], 'review', '{"verdict"', 1);
    expect(segs[0]).toMatchObject({ key: 'review#1', version: null, text: '{"verdict"' });
    segs = applyStepEvent(segs, { step: 'review', version: 1, phase: 'start', status: 'running' }, 2);
    expect(segs).toHaveLength(1);
    expect(segs[0]).toMatchObject({ key: 'review@v1', version: 1, text: '{"verdict"' });
    segs = applyStepEvent(segs, { step: 'review', version: 1, phase: 'end', status: 'succeeded', summary: 'approved' }, 3);
    expect(segs[0]).toMatchObject({ status: 'succeeded', summary: 'approved' });
    // An end without a start still shows up.
    segs = applyStepEvent(segs, { step: 'test', version: 4, phase: 'end', status: 'failed', report: report(1, 1) }, 4);
    expect(segs[1]).toMatchObject({ key: 'test@v4', status: 'failed' });
  });
});

describe('timeline step rows', () => {
  it('shows each step start and end, and one stream entry per step attempt', () => {
    const { view } = applyEvents(
      emptyTaskView('t1'),
      numbered([
        { type: 'status', data: { status: 'running', attempt: 1 } },
        start('implement', 1),
        start('docs', 1),
        { type: 'delta', data: { text: 'aaaa', step: 'implement' } },
        { type: 'delta', data: { text: 'bb', step: 'docs' } },
        { type: 'delta', data: { text: 'cc', step: 'implement' } },
        end('implement', 1, { durationMs: 1500, summary: '2 files' }),
        start('implement', 2),
        { type: 'delta', data: { text: 'dd', step: 'implement' } },
        start('test', 1),
        end('test', 1, { report: report(7, 0), durationMs: 1200 }),
      ]),
    );
    const rows = view.timeline.entries;
    expect(rows.map((e) => (e.kind === 'step' ? `${e.phase}:${stepRef(e.step, e.version)}` : e.kind === 'stream' ? `stream:${e.step}:${e.chars}` : e.kind))).toEqual([
      'status',
      'start:implement@v1',
      'start:docs@v1',
      'stream:implement:6',
      'stream:docs:2',
      'end:implement@v1',
      'start:implement@v2',
      'stream:implement:2',
      'start:test@v1',
      'end:test@v1',
    ]);
    const last = rows[rows.length - 1];
    expect(last.kind === 'step' && stepEndText(last)).toBe('7 tests passed · 1.2 s');
    const implEnd = rows[5];
    expect(implEnd.kind === 'step' && stepEndText(implEnd)).toBe('2 files · 1.5 s');
  });
});

describe('step words', () => {
  it('names steps and fix rounds', () => {
    expect(stepRef('plan', 1)).toBe('plan@v1');
    expect(stepHeading('plan', 1)).toBe('Plan');
    expect(stepHeading('fix', 3, { round: 2 })).toBe('Fix round 2');
    expect(stepHeading('implement', 2)).toBe('Implement round 2');
    expect(stepHeading('review', 2, { replayOf: 1 })).toBe('Review · replay of review@v1');
    const steps = [step({ step: 'implement', version: 1 }), step({ step: 'test', version: 1 }), step({ step: 'fix', version: 1 }), step({ step: 'test', version: 2 }), step({ step: 'fix', version: 2 })];
    expect(steps.map((_, i) => fixRound(steps, i))).toEqual([null, null, 1, null, 2]);
    // A review that asked for another implement round starts the count again.
    const again = [...steps, step({ step: 'implement', version: 2 }), step({ step: 'fix', version: 3 })];
    expect(fixRound(again, 6)).toBe(1);
  });

  it('says how a test run went', () => {
    expect(testOutcome(report(7, 0))).toBe('7 tests passed');
    expect(testOutcome(report(0, 1, { passed: false }))).toBe('1 of 1 test failed');
    expect(testOutcome(report(5, 2))).toBe('2 of 7 tests failed');
    expect(testOutcome(report(0, 0, { counts: null, passed: false, exitCode: 2 }))).toBe('tests failed (exit 2)');
    expect(testOutcome(report(0, 0, { counts: null, timedOut: true, passed: false }))).toBe('tests timed out');
    expect(testsPassing(report(5, 2))).toBe('tests: 5/7 passing');
    expect(testsPassing(report(0, 0, { counts: null }))).toBe('tests: passing');
  });

  it('times and counts a step', () => {
    expect(stepDurationMs({ startedAt: 1_000, finishedAt: 2_500, status: 'succeeded' }, 9_000)).toBe(1_500);
    expect(stepDurationMs({ startedAt: 1_000, finishedAt: null, status: 'running' }, 4_000)).toBe(3_000);
    expect(stepDurationMs({ startedAt: 1_000, finishedAt: null, status: 'cancelled' }, 4_000)).toBeNull();
    expect(stepTokens({ promptTokens: 12_345, evalTokens: 340 })).toBe('12.3k in · 340 out');
    expect(stepTokens({ promptTokens: 0, evalTokens: 0 })).toBe('');
  });
});

describe('pipeline headline', () => {
  const base = [
    step({ step: 'plan', version: 1 }),
    step({ step: 'implement', version: 1 }),
    step({ step: 'test', version: 1, status: 'failed' }),
    step({ step: 'fix', version: 1 }),
    step({ step: 'test', version: 2, status: 'failed' }),
  ];
  const reports = { 'test@v1': report(3, 4), 'test@v2': report(5, 2) };

  it('waits before the first step', () => {
    expect(pipelineHeadline({ status: 'queued', error: null }, [], {}, 3)).toMatchObject({ phase: 'Waiting to start…', tests: null, tone: 'idle' });
    expect(pipelineHeadline({ status: 'running', error: null }, [], {}, 3).phase).toBe('Starting the pipeline…');
  });

  it('says which fix round runs and how the latest tests went', () => {
    const running = [...base, step({ step: 'fix', version: 2, status: 'running', finishedAt: null })];
    const h = pipelineHeadline({ status: 'running', error: null }, running, reports, 3);
    expect(`${h.phase} · ${h.tests}`).toBe('Fix round 2 of 3 · tests: 5/7 passing');
    expect(h.tone).toBe('running');
  });

  it('names the steps running side by side', () => {
    const steps = [step({ step: 'plan', version: 1 }), step({ step: 'implement', version: 1, status: 'running' }), step({ step: 'docs', version: 1, status: 'running' })];
    expect(pipelineHeadline({ status: 'running', error: null }, steps, {}, 3).phase).toBe('Writing the code + Writing the docs');
  });

  it('sums up a finished build', () => {
    const done = [...base, step({ step: 'fix', version: 2 }), step({ step: 'test', version: 3 }), step({ step: 'review', version: 1, cachedCalls: 1 })];
    const h = pipelineHeadline({ status: 'succeeded', error: null }, done, { ...reports, 'test@v3': report(7, 0) }, 3);
    expect(h).toMatchObject({ phase: 'Built', tests: 'tests: 7/7 passing', notes: ['2 fix rounds', '1 cached call'], tone: 'ok' });
    const failed = pipelineHeadline({ status: 'failed', error: { code: 'TESTS_FAILED', message: 'x' } }, base, reports, 1);
    expect(failed).toMatchObject({ phase: 'Failed at test@v2', tests: 'tests: 5/7 passing', tone: 'fail' });
    const budget = pipelineHeadline({ status: 'cancelled', error: { code: 'TIME_BUDGET_EXCEEDED', message: 'x' } }, base, reports, 3);
    expect(budget).toMatchObject({ phase: 'Stopped: over the time budget', tone: 'stopped' });
  });
});
