// `macs` output and argument parsing for build-pipeline steps: the step lines printed
// while following a task, the `macs steps` table, and `macs replay`'s own parser.
import { describe, expect, it } from 'vitest';
import type { StepView, TestReportView } from '../../electron/server/rest/step-view.js';
import { timelineLines } from '../../electron/cli/client-output.js';
import { withBuildHint } from '../../electron/cli/client-commands.js';
import { commandOf } from '../../electron/cli/macs.js';
import { parseReplayArgs, replayBody, replayDescription } from '../../electron/cli/step-commands.js';
import { failureNames, stepEndLine, stepEventLine, stepRowLine, stepStartLine, stepsTableLines, testCountsText } from '../../electron/cli/step-output.js';

const FAILED_REPORT: TestReportView = {
  command: ['npm', 'test'],
  level: 'smoke',
  exit_code: 1,
  passed: false,
  timed_out: false,
  duration_ms: 1400,
  counts: { passed: 5, failed: 2 },
  failures: [
    { name: 'adds', message: 'expected 3, got 4', location: 'test/add.test.js:12' },
    { name: 'parses', message: null, location: null },
  ],
  tail: '',
};

function row(over: Partial<StepView> = {}): StepView {
  return {
    step: 'plan',
    version: 1,
    attempt: 1,
    status: 'succeeded',
    model: 'qwen2.5-coder:7b',
    model_reason: 'role setting',
    started_at: '2025-01-02T03:04:05.000Z',
    finished_at: '2025-01-02T03:04:08.100Z',
    duration_ms: 3100,
    llm_ms: 2900,
    command_ms: 0,
    prompt_tokens: 812,
    eval_tokens: 240,
    llm_calls: 1,
    cached_calls: 0,
    summary: 'plan: 2 files, npm test',
    error: null,
    replay_of: null,
    test_report: null,
    artifact_url: '/v1/tasks/t1/steps/plan/v1',
    ...over,
  };
}

describe('step lines', () => {
  it('start: step@vN with the model; a fallback says why; a replay says of which version', () => {
    expect(stepStartLine({ step: 'plan', version: 1, model: 'qwen2.5-coder:7b', model_reason: 'role setting' })).toBe('▶ plan@v1 (qwen2.5-coder:7b)');
    expect(stepStartLine({ step: 'test', version: 2 })).toBe('▶ test@v2');
    expect(stepStartLine({ step: 'fix', version: 1, model: 'llama3.2:3b', model_reason: 'fallback: qwen2.5-coder:14b is not installed' })).toBe(
      '▶ fix@v1 (llama3.2:3b, fallback: qwen2.5-coder:14b is not installed)',
    );
    expect(stepStartLine({ step: 'test', version: 3, replay_of: 1 })).toBe('▶ test@v3 (replay of v1)');
  });

  it('end: ✔ with summary and time; ✖ lists failing tests; other failures show their code', () => {
    expect(stepEndLine({ step: 'test', version: 2, status: 'succeeded', summary: '7 tests passed', duration_ms: 1200 })).toBe('✔ test@v2 · 7 tests passed · 1.2 s');
    expect(
      stepEndLine({ step: 'test', version: 1, status: 'failed', summary: '2 of 7 tests failed', error: { code: 'TESTS_FAILED', message: 'tests failed' }, report: FAILED_REPORT }),
    ).toBe('✖ test@v1 · 2 of 7 tests failed: adds, parses');
    expect(stepEndLine({ step: 'test', version: 1, status: 'failed', duration_ms: 1400, report: FAILED_REPORT })).toBe('✖ test@v1 · 2 of 7 tests failed: adds, parses · 1.4 s');
    expect(stepEndLine({ step: 'plan', version: 1, status: 'failed', error: { code: 'PLAN_INVALID', message: 'The plan is not valid JSON.' }, duration_ms: 900 })).toBe(
      '✖ plan@v1 · The plan is not valid JSON. [PLAN_INVALID] · 900 ms',
    );
    expect(stepEndLine({ step: 'implement', version: 1, status: 'cancelled' })).toBe('⊘ implement@v1 · cancelled');
  });

  it('test counts and failure names when the step has no summary', () => {
    expect(testCountsText({ ...FAILED_REPORT, passed: true, counts: { passed: 7, failed: 0 }, failures: [] })).toBe('7 tests passed');
    expect(testCountsText({ ...FAILED_REPORT, counts: { passed: 0, failed: 1 } })).toBe('1 of 1 test failed');
    expect(testCountsText({ ...FAILED_REPORT, counts: null })).toBe('tests failed (exit code 1)');
    expect(testCountsText({ ...FAILED_REPORT, timed_out: true, duration_ms: 600_000 })).toBe('tests timed out after 10 min 00 s');
    const many = { ...FAILED_REPORT, failures: ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((name) => ({ name, message: null, location: null })) };
    expect(failureNames(many)).toBe('a, b, c, d, e and 2 more');
  });

  it('an SSE step event picks the start or the end line', () => {
    expect(stepEventLine({ step: 'plan', version: 1, phase: 'start', status: 'running', model: 'qwen2.5-coder:7b' })).toBe('▶ plan@v1 (qwen2.5-coder:7b)');
    expect(stepEventLine({ step: 'plan', version: 1, phase: 'end', status: 'succeeded', summary: 'plan: 2 files, npm test', duration_ms: 3100 })).toBe(
      '✔ plan@v1 · plan: 2 files, npm test · 3.1 s',
    );
  });

  it('a stored row prints as its end line, or as running', () => {
    expect(stepRowLine(row())).toBe('✔ plan@v1 · plan: 2 files, npm test · 3.1 s');
    expect(stepRowLine(row({ step: 'test', version: 1, status: 'failed', summary: '', test_report: FAILED_REPORT, duration_ms: 1400 }))).toBe(
      '✖ test@v1 · 2 of 7 tests failed: adds, parses · 1.4 s',
    );
    expect(stepRowLine(row({ step: 'implement', status: 'running', finished_at: null, duration_ms: 4200 }))).toBe('▶ implement@v1 (qwen2.5-coder:7b) · running for 4.2 s');
  });

  it('the event timeline (macs show --events) prints stored step events, camelCase as the log keeps them', () => {
    const lines = timelineLines([
      { seq: 1, ts: 1000, type: 'step', data: { step: 'test', version: 1, phase: 'start', status: 'running' } },
      {
        seq: 2,
        ts: 2400,
        type: 'step',
        data: {
          step: 'test',
          version: 1,
          phase: 'end',
          status: 'failed',
          summary: '2 of 7 tests failed',
          durationMs: 1400,
          report: { command: ['npm', 'test'], level: 'smoke', exitCode: 1, passed: false, timedOut: false, durationMs: 1400, counts: { passed: 5, failed: 2 }, failures: [{ name: 'adds', message: null, location: null }], tail: '' },
        },
      },
    ]);
    expect(lines[1]).toMatch(/^#1\s+\+0 ms\s+step\s+▶ test@v1$/);
    expect(lines[2]).toMatch(/^#2\s+\+1\.4 s\s+step\s+✖ test@v1 · 2 of 7 tests failed: adds · 1\.4 s$/);
  });
});

describe('macs steps table', () => {
  it('one aligned row per attempt; failing tests beneath a failed test step', () => {
    const lines = stepsTableLines([
      row(),
      row({ step: 'implement', version: 1, summary: '2 files', duration_ms: 12_300, prompt_tokens: 1500, eval_tokens: 900, llm_calls: 2, cached_calls: 1 }),
      row({
        step: 'test',
        version: 1,
        status: 'failed',
        model: null,
        summary: '2 of 7 tests failed',
        error: { code: 'TESTS_FAILED', message: '2 of 7 tests failed' },
        duration_ms: 1400,
        llm_calls: 0,
        prompt_tokens: 0,
        eval_tokens: 0,
        test_report: FAILED_REPORT,
      }),
      row({ step: 'test', version: 2, summary: '', model: null, llm_calls: 0, replay_of: 1, test_report: { ...FAILED_REPORT, passed: true, exit_code: 0, counts: { passed: 7, failed: 0 }, failures: [] } }),
      row({ step: 'review', version: 1, llm_calls: 1, cached_calls: 1, summary: 'looks fine' }),
    ]);
    expect(lines[0]).toMatch(/^STEP\s+STATUS\s+MODEL\s+TIME\s+TOKENS IN\/OUT\s+SUMMARY$/);
    expect(lines[1]).toMatch(/^plan@v1\s+succeeded\s+qwen2\.5-coder:7b\s+3\.1 s\s+812\/240\s+plan: 2 files, npm test$/);
    expect(lines[2]).toMatch(/^implement@v1\s+succeeded\s+qwen2\.5-coder:7b\s+12\.3 s\s+1500\/900 \(1 cached\)\s+2 files$/);
    expect(lines[3]).toMatch(/^test@v1\s+failed\s+—\s+1\.4 s\s+—\s+2 of 7 tests failed \[TESTS_FAILED\]$/);
    expect(lines[4]).toBe('    ✖ adds — expected 3, got 4 (test/add.test.js:12)');
    expect(lines[5]).toBe('    ✖ parses');
    expect(lines[6]).toMatch(/^test@v2\s+succeeded\s+—\s+3\.1 s\s+—\s+7 tests passed \(replay of v1\)$/);
    expect(lines[7]).toMatch(/^review@v1\s+succeeded\s+qwen2\.5-coder:7b\s+3\.1 s\s+cached\s+looks fine$/);
    // Aligned: every row's STATUS starts where the header's does.
    const col = lines[0].indexOf('STATUS');
    for (const line of [lines[1], lines[2], lines[3], lines[6], lines[7]]) expect(line.slice(col)).toMatch(/^(succeeded|failed) /);
  });
});

describe('macs replay arguments', () => {
  it('task id and step, with the defaults: latest version, no cascade, cache on, follow', () => {
    expect(parseReplayArgs(['replay', 't1', 'test'])).toEqual({
      ok: true,
      help: false,
      args: { taskId: 't1', step: 'test', version: undefined, cascade: false, useCache: true, follow: true, client: { url: undefined, apiKey: undefined, json: undefined } },
    });
  });

  it('--version N (or vN) is a step version here, not macs’s version; the flags and client options parse anywhere', () => {
    const parsed = parseReplayArgs(['--url', 'http://gpu:7421', 'replay', 't1', 'fix', '--version', 'v2', '--cascade', '--no-cache', '--no-follow', '--json', '--api-key', 'k']);
    expect(parsed).toEqual({
      ok: true,
      help: false,
      args: { taskId: 't1', step: 'fix', version: 2, cascade: true, useCache: false, follow: false, client: { url: 'http://gpu:7421', apiKey: 'k', json: true } },
    });
    expect(parseReplayArgs(['replay', 't1', 'plan', '--version=3'])).toMatchObject({ ok: true, args: { version: 3 } });
    expect(parseReplayArgs(['replay', '--help'])).toEqual({ ok: true, help: true });
  });

  it('reads Agent-MVP step names: design = plan, step@vN names the version', () => {
    const args = (argv: string[]) => {
      const r = parseReplayArgs(argv);
      return r.ok && !r.help ? { step: r.args.step, version: r.args.version } : null;
    };
    expect(args(['replay', 't1', 'design@v1'])).toEqual({ step: 'plan', version: 1 });
    expect(args(['replay', 't1', 'implement@v2'])).toEqual({ step: 'implement', version: 2 });
    expect(args(['replay', 't1', 'design'])).toEqual({ step: 'plan', version: undefined });
  });

  it('refuses what it cannot run, saying why', () => {
    const message = (argv: string[]) => {
      const r = parseReplayArgs(argv);
      return r.ok ? null : r.message;
    };
    expect(message(['replay'])).toContain('needs a task id and a step');
    expect(message(['replay', 't1'])).toContain('needs a task id and a step');
    expect(message(['replay', 't1', 'deploy'])).toMatch(/^There is no step "deploy"; steps are plan, implement, docs, test, .*review \(design = plan\), optionally step@vN\.$/);
    expect(message(['replay', 't1', 'design@v2', '--version', '3'])).toBe('design@v2 and --version 3 name different versions; give it once.');
    expect(message(['replay', 't1', 'test', '--version', '0'])).toContain('--version must be a step version');
    expect(message(['replay', 't1', 'test', '--version', 'latest'])).toContain('got "latest"');
    expect(message(['replay', 't1', 'test', '--version'])).toContain("'--version <value>' argument missing");
    expect(message(['replay', 't1', 'test', 'extra'])).toBe('Unexpected argument "extra".');
    expect(message(['replay', 't1', 'test', '--wait'])).toContain("Unknown option '--wait'");
  });

  it('the request body says only what was asked; the description reads back what the server will do', () => {
    expect(replayBody({ cascade: false, useCache: true })).toEqual({});
    expect(replayBody({ version: 2, cascade: true, useCache: false })).toEqual({ version: 2, cascade: true, use_cache: false });
    expect(replayDescription({ step: 'test', version: 2, cascade: true, use_cache: false })).toBe('replaying test@v2 and the steps after it, LLM cache off');
    expect(replayDescription({ step: 'plan', version: 1, cascade: false, use_cache: true })).toBe('replaying plan@v1');
  });

  it('the command word is found past leading options, so `replay` gets its own parser', () => {
    expect(commandOf(['replay', 't1', 'test', '--version', '2'])).toBe('replay');
    expect(commandOf(['--url', 'http://x', 'replay', 't1', 'test'])).toBe('replay');
    expect(commandOf(['--json', 'steps', 't1'])).toBe('steps');
    expect(commandOf(['--version'])).toBeUndefined();
  });
});

describe('--build', () => {
  it('makes a simple body a build task and leaves a TaskV1.1 body (already a build) alone', () => {
    expect(withBuildHint({ prompt: 'p' })).toEqual({ prompt: 'p', metadata: { mode_hint: 'build' } });
    expect(withBuildHint({ prompt: 'p', metadata: { mode_hint: 'chat', ticket: 'T-1' } })).toEqual({ prompt: 'p', metadata: { mode_hint: 'build', ticket: 'T-1' } });
    const spec = { type: 'CODE', input: { goal: 'x' } };
    expect(withBuildHint(spec)).toBe(spec);
    // Not ours to fix: the server names the problem.
    expect(withBuildHint({ prompt: 'p', metadata: 'x' })).toEqual({ prompt: 'p', metadata: 'x' });
    expect(withBuildHint([1])).toEqual([1]);
  });
});
