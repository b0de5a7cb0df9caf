// Renderer helpers for build tasks that are not the event fold: reading plan/review JSON,
// reading step artifacts, error texts for the pipeline's codes, the composer's kind, the tab.
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type TestReport } from '../../shared/index.js';
import { extractJsonObject, parsePlan, parseReview, prettyJson } from '../../renderer/src/lib/step-json.js';
import { capText, readArtifact } from '../../renderer/src/lib/artifact.js';
import { describeError, errorLine, shortError } from '../../renderer/src/lib/error-text.js';
import { parseComposerKind } from '../../renderer/src/store/composer.js';
import { currentPaneTab } from '../../renderer/src/store/app-state.js';

const report: TestReport = {
  command: ['npm', 'test'],
  level: 'plan',
  exitCode: 1,
  passed: false,
  timedOut: false,
  durationMs: 900,
  counts: { passed: 5, failed: 2 },
  failures: [{ name: 'adds', message: 'expected 3, got 4', location: 'test/add.test.js:4' }],
  tail: 'not ok 2 adds',
};

describe('plan and review JSON', () => {
  it('reads a plan, fenced or not, and lenient about shapes', () => {
    const text = '```json\n{"summary":"A CLI","language":"python","files":[{"path":"a.py","purpose":"main"},"b.py",{"nope":1}],"test_command":"pytest","acceptance":["works",""]}\n```';
    expect(parsePlan(text)).toEqual({
      summary: 'A CLI',
      language: 'python',
      files: [
        { path: 'a.py', purpose: 'main' },
        { path: 'b.py', purpose: '' },
      ],
      testCommand: 'pytest',
      acceptance: ['works'],
    });
    expect(parsePlan('{"summary": "half')).toBeNull();
    expect(parsePlan('{"other": 1}')).toBeNull();
    expect(parsePlan('no json here')).toBeNull();
  });

  it('reads a review verdict', () => {
    expect(parseReview('{"verdict":"revise","problems":["no README"],"missing_files":["README.md"]}')).toEqual({
      verdict: 'revise',
      problems: ['no README'],
      missingFiles: ['README.md'],
    });
    expect(parseReview('Sure! {"verdict": "APPROVE", "problems": []}')?.verdict).toBe('approve');
    expect(parseReview('{"x": 1}')).toBeNull();
  });

  it('pretty-prints JSON and leaves other text alone', () => {
    expect(prettyJson('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(prettyJson('not json')).toBe('not json');
    expect(extractJsonObject('[1, 2]')).toBeNull();
  });
});

describe('step artifacts', () => {
  const call = {
    messages: [
      { role: 'system', content: 'You are MACS.' },
      { role: 'user', content: 'Build it.' },
    ],
    model: 'qwen2.5-coder:7b',
    modelReason: "the task's model",
    options: { num_ctx: 8192, temperature: 0.2, stop: ['```'] },
    output: 'File: a.py',
    doneReason: 'stop',
    promptTokens: 120,
    evalTokens: 30,
    durationMs: 1500,
    cached: true,
    continuations: 1,
  };

  it('reads calls, options, the report, files, and keeps the rest as JSON (flat shape)', () => {
    const view = readArtifact({ calls: [call, 'not a call'], output: { verdict: 'approve' }, report, files: [{ path: 'a.py', size: 12 }, 'b.py'], budget: { remainingMs: 1000 } });
    expect(view.calls).toHaveLength(1);
    expect(view.calls[0]).toMatchObject({ model: 'qwen2.5-coder:7b', cached: true, promptTokens: 120, output: 'File: a.py', continuations: 1 });
    expect(view.calls[0].options).toEqual([
      ['num_ctx', '8192'],
      ['temperature', '0.2'],
      ['stop', '["```"]'],
    ]);
    expect(view.calls[0].messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(view.output).toBe('{\n  "verdict": "approve"\n}');
    expect(view.reports.map((r) => r.counts)).toEqual([{ passed: 5, failed: 2 }]);
    expect(view.files).toEqual([
      { path: 'a.py', detail: 'size: 12' },
      { path: 'b.py', detail: null },
    ]);
    expect(view.extra).toEqual([{ key: 'budget', json: '{\n  "remainingMs": 1000\n}' }]);
  });

  it('reads the engine\'s shape: record fields left out, reports and files inside output, timings, input', () => {
    const test = readArtifact({
      taskId: 't1',
      step: 'test',
      version: 1,
      status: 'failed',
      error: null,
      input: { commands: [{ argv: ['npm', 'test'] }] },
      output: { reports: [report, { ...report, level: 'full' }] },
      timings: { durationMs: 160, llmMs: 0, commandMs: 150, overheadMs: 10 },
      calls: [],
    });
    expect(test.reports.map((r) => r.level)).toEqual(['plan', 'full']);
    expect(test.output).toBeNull(); // everything in it is shown as reports
    expect(test.input).toContain('"argv"');
    expect(test.timings).toEqual([
      ['total', 160],
      ['model', 0],
      ['commands', 150],
      ['pipeline', 10],
    ]);
    expect(test.extra).toEqual([]);

    const impl = readArtifact({ output: { files: [{ path: 'src/a.js', size: 98, truncated: false }], notes: ['x'] }, calls: [call] });
    expect(impl.files).toEqual([{ path: 'src/a.js', detail: 'size: 98 · truncated: false' }]);
    expect(impl.output).toBe('{\n  "notes": [\n    "x"\n  ]\n}');
  });

  it('shows an unexpected report or file list as plain JSON instead of failing', () => {
    const view = readArtifact({ report: { nope: true }, files: 'a.py' });
    expect(view.reports).toEqual([]);
    expect(view.files).toBeNull();
    expect(view.extra.map((x) => x.key)).toEqual(['report', 'files']);
    expect(readArtifact({}).output).toBeNull();
  });

  it('caps long text at a line break', () => {
    const text = `${'a'.repeat(95)}\n${'b'.repeat(50)}`;
    expect(capText(text, 100)).toEqual({ shown: 'a'.repeat(95), hidden: 51 });
    expect(capText('short', 100)).toEqual({ shown: 'short', hidden: 0 });
    expect(capText('x'.repeat(300), 100).hidden).toBe(200);
  });
});

describe('error texts for the build pipeline', () => {
  it('has its own text for every pipeline code', () => {
    for (const code of ['PLAN_INVALID', 'NO_FILES', 'NO_TEST_COMMAND', 'TESTS_FAILED', 'EXPECTED_FILES_MISSING', 'TIME_BUDGET_EXCEEDED', 'STEP_NOT_FOUND'] as const) {
      expect(ERROR_CODES).toContain(code);
      const d = describeError({ code, message: 'engine says' });
      expect(d.text).not.toMatch(/Something went wrong inside the engine/);
      expect(d.detail).toBe('engine says');
      expect(shortError({ code, message: 'engine says' })).not.toBe('engine says');
    }
  });

  it('says how the tests failed and after how many rounds', () => {
    const err = { code: 'TESTS_FAILED' as const, message: '2 tests fail', details: { report, rounds: 3 } };
    expect(describeError(err).text).toMatch(/^The build failed: 2 of 7 tests failed after 3 fix rounds\./);
    expect(shortError(err)).toBe('2 of 7 tests failed');
    expect(describeError({ ...err, details: { rounds: 0 } }).text).toMatch(/the tests still fail \(fixing is off/);
    expect(errorLine({ code: 'TESTS_FAILED', message: '' })).toMatch(/^The build failed: the tests still fail\./);
  });

  it('names missing files', () => {
    const err = { code: 'EXPECTED_FILES_MISSING' as const, message: 'missing', details: { missing: ['a.py', 'b.py'] } };
    expect(describeError(err).text).toBe('The project is missing files the task requires: a.py, b.py.');
  });
});

describe('composer kind and pane tab', () => {
  it('remembers only build; anything else is chat', () => {
    expect(parseComposerKind('build')).toBe('build');
    expect(parseComposerKind('chat')).toBe('chat');
    expect(parseComposerKind(null)).toBe('chat');
    expect(parseComposerKind('BUILD')).toBe('chat');
  });

  it('shows Steps only for build tasks, each kind with its own remembered tab', () => {
    const chatTask = { kind: 'chat' } as never;
    const buildTask = { kind: 'build' } as never;
    expect(currentPaneTab({ activeTaskId: null, activeTask: null, paneTab: 'timeline', buildPaneTab: 'steps' })).toBe('chat');
    expect(currentPaneTab({ activeTaskId: 't', activeTask: buildTask, paneTab: 'chat', buildPaneTab: 'steps' })).toBe('steps');
    expect(currentPaneTab({ activeTaskId: 't', activeTask: chatTask, paneTab: 'timeline', buildPaneTab: 'steps' })).toBe('timeline');
    expect(currentPaneTab({ activeTaskId: 't', activeTask: chatTask, paneTab: 'steps', buildPaneTab: 'steps' })).toBe('chat');
  });
});
