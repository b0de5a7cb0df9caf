// The REST layer's pure parts for build-pipeline steps: snake_case views, the `step` and
// `delta` SSE mapping, URL/body parsing of the step routes, and status codes of the new errors.
import { describe, expect, it } from 'vitest';
import type { StepRecord, Task, TaskEvent, TestReport } from '../../shared/index.js';
import { MacsError } from '../../shared/index.js';
import { RestError, statusFor } from '../../electron/server/rest/http.js';
import { formatSse, toSseMessage } from '../../electron/server/rest/sse-events.js';
import { parseReplayBody, parseStepParam, parseVersionParam, replayConflict } from '../../electron/server/rest/step-routes.js';
import { compactStep, findTestReport, stepEventView, stepView, testReportView } from '../../electron/server/rest/step-view.js';
import { taskDetail } from '../../electron/server/rest/task-view.js';
import { FAILED_REPORT } from '../fixtures/step-rows.js';

const REPORT: TestReport = { ...FAILED_REPORT, level: 'smoke' };

const REPORT_VIEW = {
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
  tail: 'FAIL test/add.test.js',
};

function record(over: Partial<StepRecord> = {}): StepRecord {
  return {
    id: 7,
    taskId: 't1',
    step: 'test',
    version: 2,
    attempt: 1,
    status: 'failed',
    model: null,
    modelReason: null,
    startedAt: Date.UTC(2025, 0, 2, 3, 4, 5),
    finishedAt: Date.UTC(2025, 0, 2, 3, 4, 6, 400),
    llmMs: 0,
    commandMs: 1350,
    promptTokens: 0,
    evalTokens: 0,
    cachedCalls: 0,
    llmCalls: 0,
    summary: '2 of 7 tests failed',
    error: { code: 'TESTS_FAILED', message: '2 of 7 tests failed' },
    replayOf: 1,
    artifact: 'artifacts/t1/test@v2.json',
    ...over,
  };
}

function ev(type: TaskEvent['type'], data: unknown, seq = 5): TaskEvent {
  return { taskId: 't1', seq, ts: 1000, type, data } as TaskEvent;
}

describe('step views', () => {
  it('a step row is snake_case with ISO times, a duration, its test report and its artifact route', () => {
    expect(stepView(record(), REPORT)).toEqual({
      step: 'test',
      version: 2,
      attempt: 1,
      status: 'failed',
      model: null,
      model_reason: null,
      started_at: '2025-01-02T03:04:05.000Z',
      finished_at: '2025-01-02T03:04:06.400Z',
      duration_ms: 1400,
      llm_ms: 0,
      command_ms: 1350,
      prompt_tokens: 0,
      eval_tokens: 0,
      llm_calls: 0,
      cached_calls: 0,
      summary: '2 of 7 tests failed',
      error: { code: 'TESTS_FAILED', message: '2 of 7 tests failed' },
      replay_of: 1,
      test_report: REPORT_VIEW,
      artifact_url: '/v1/tasks/t1/steps/test/v2',
    });
  });

  it('a running step is measured up to now and has no finish time; other steps have no report', () => {
    const running = record({ step: 'plan', version: 1, status: 'running', finishedAt: null, model: 'qwen2.5-coder:7b', modelReason: 'role setting', error: null, replayOf: null });
    const view = stepView(running, null, running.startedAt + 2500);
    expect(view).toMatchObject({ step: 'plan', status: 'running', finished_at: null, duration_ms: 2500, model: 'qwen2.5-coder:7b', model_reason: 'role setting', test_report: null, replay_of: null });
  });

  it('finds a test report in the artifact: the last of output.reports, the stored {input, result}, or a bare report; else null', () => {
    const smoke = { ...REPORT, level: 'smoke' as const, passed: true, exitCode: 0, failures: [] };
    const full = { ...REPORT, level: 'full' as const };
    // What the pipeline writes: the step's result as `output`, the report it ended on last.
    const result = { reports: [smoke, full], passed: false, compiled: true, smokePassed: true, summary: '2 of 7 tests failed' };
    expect(findTestReport({ step: 'test', version: 2, input: {}, output: result, error: null })).toEqual(full);
    // A step with no artifact file: the engine answers {output: <stored output_json>} = {output: {input, result}}.
    expect(findTestReport({ output: { input: { files: [] }, result } })).toEqual(full);
    expect(findTestReport({ report: REPORT })).toEqual(REPORT);
    expect(findTestReport({ output: REPORT })).toEqual(REPORT);
    expect(findTestReport({ output: { report: REPORT, files: [] } })).toEqual(REPORT);
    expect(findTestReport({ output: { reports: [] } })).toBeNull();
    expect(findTestReport({ output: { files: ['a.py'] } })).toBeNull();
    expect(findTestReport({ output: null })).toBeNull();
    expect(findTestReport(null)).toBeNull();
    expect(testReportView(REPORT)).toEqual(REPORT_VIEW);
  });

  it('GET /v1/tasks/{id} has a compact `steps` list for build tasks only', () => {
    const task = { id: 't1', kind: 'build', status: 'failed', createdAt: 0, startedAt: 1, finishedAt: 2, notBefore: null, error: null, metadata: null } as unknown as Task;
    const steps = [compactStep(record({ step: 'plan', version: 1, status: 'succeeded', summary: 'plan: 2 files, npm test' })), compactStep(record())];
    expect(steps).toEqual([
      { step: 'plan', version: 1, status: 'succeeded', summary: 'plan: 2 files, npm test' },
      { step: 'test', version: 2, status: 'failed', summary: '2 of 7 tests failed' },
    ]);
    expect(taskDetail(task, steps).steps).toEqual(steps);
    expect(taskDetail(task)).not.toHaveProperty('steps');
  });
});

describe('SSE: step and delta events', () => {
  it('a step start is `event: step` with snake_case data and nothing that was not sent', () => {
    const start = ev('step', { step: 'plan', version: 1, phase: 'start', status: 'running', model: 'qwen2.5-coder:7b', modelReason: 'role setting', replayOf: null });
    const message = toSseMessage(start)!;
    expect(message).toEqual({ event: 'step', data: { step: 'plan', version: 1, phase: 'start', status: 'running', model: 'qwen2.5-coder:7b', model_reason: 'role setting', replay_of: null } });
    expect(Object.keys(message.data as object)).not.toContain('summary');
    expect(formatSse(message, 5)).toBe(
      'id: 5\nevent: step\ndata: {"step":"plan","version":1,"phase":"start","status":"running","model":"qwen2.5-coder:7b","model_reason":"role setting","replay_of":null}\n\n',
    );
  });

  it('a test step end carries its summary, duration, error and the report in snake_case', () => {
    const end = ev('step', {
      step: 'test',
      version: 2,
      phase: 'end',
      status: 'failed',
      summary: '2 of 7 tests failed',
      durationMs: 1400,
      error: { code: 'TESTS_FAILED', message: '2 of 7 tests failed' },
      report: REPORT,
      replayOf: 1,
    });
    expect(toSseMessage(end)).toEqual({
      event: 'step',
      data: {
        step: 'test',
        version: 2,
        phase: 'end',
        status: 'failed',
        summary: '2 of 7 tests failed',
        duration_ms: 1400,
        error: { code: 'TESTS_FAILED', message: '2 of 7 tests failed' },
        report: REPORT_VIEW,
        replay_of: 1,
      },
    });
    expect(stepEventView({ step: 'review', version: 1, phase: 'end', status: 'succeeded' })).toStrictEqual({ step: 'review', version: 1, phase: 'end', status: 'succeeded' });
  });

  it('delta keeps {text} and adds `step` only when the event names one', () => {
    expect(toSseMessage(ev('delta', { text: 'hi' }))).toStrictEqual({ event: 'delta', data: { text: 'hi' } });
    expect(toSseMessage(ev('delta', { text: '{"summary"', step: 'plan' }))).toStrictEqual({ event: 'delta', data: { text: '{"summary"', step: 'plan' } });
  });
});

describe('step routes: parameters, bodies, errors', () => {
  const fieldsOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      expect(err).toBeInstanceOf(RestError);
      expect((err as RestError).status).toBe(400);
      expect((err as RestError).code).toBe('INVALID_INPUT');
      return ((err as RestError).details!.fields as { path: string; message: string }[]).map((f) => f.path).sort();
    }
    throw new Error('did not throw');
  };

  it('a step version is vN or N', () => {
    expect(parseVersionParam('v3')).toBe(3);
    expect(parseVersionParam('12')).toBe(12);
    for (const bad of ['v0', '0', 'v', 'x1', '1.5', '-1', 'v01', 'replay', '9999999999']) expect(fieldsOf(() => parseVersionParam(bad)), bad).toEqual(['version']);
  });

  it('a step is one of the pipeline steps', () => {
    expect(parseStepParam('fix')).toBe('fix');
    expect(fieldsOf(() => parseStepParam('deploy'))).toEqual(['step']);
  });

  it('the replay body is optional; bad and unknown fields are all named', () => {
    expect(parseReplayBody(undefined)).toEqual({});
    expect(parseReplayBody({})).toEqual({});
    expect(parseReplayBody({ version: 2, cascade: true, use_cache: false })).toEqual({ version: 2, cascade: true, use_cache: false });
    expect(fieldsOf(() => parseReplayBody({ version: 0, cascade: 'yes', useCache: false }))).toEqual(['(body)', 'cascade', 'version']);
    expect(fieldsOf(() => parseReplayBody({ version: 1.5 }))).toEqual(['version']);
    expect(fieldsOf(() => parseReplayBody([1]))).toEqual(['(body)']);
    expect(fieldsOf(() => parseReplayBody('test'))).toEqual(['(body)']);
  });

  it('a replay the task’s state refuses is 409 (running, chat task); other errors pass through', () => {
    const running = replayConflict(new MacsError('INVALID_INPUT', 'The task is running; wait until it has finished.', { status: 'running' }));
    expect(running).toBeInstanceOf(RestError);
    expect(running).toMatchObject({ status: 409, code: 'INVALID_INPUT', details: { status: 'running' } });
    expect(replayConflict(new MacsError('NOT_SUPPORTED', 'Only build tasks have steps to replay.'))).toMatchObject({ status: 409, code: 'NOT_SUPPORTED' });
    const badParams = new MacsError('INVALID_INPUT', 'bad', { fields: [] });
    expect(replayConflict(badParams)).toBe(badParams);
    const missing = new MacsError('STEP_NOT_FOUND', 'no such step');
    expect(replayConflict(missing)).toBe(missing);
    // Also as a payload (what crosses a transport), not only a MacsError instance.
    expect(replayConflict({ code: 'INVALID_INPUT', message: 'The task is queued', details: { status: 'queued' } })).toMatchObject({ status: 409 });
  });

  it('maps the pipeline’s error codes to HTTP statuses', () => {
    expect(statusFor(new MacsError('STEP_NOT_FOUND', 'x'))).toBe(404);
    for (const code of ['PLAN_INVALID', 'NO_FILES', 'NO_TEST_COMMAND', 'TESTS_FAILED', 'EXPECTED_FILES_MISSING'] as const) expect(statusFor(new MacsError(code, 'x')), code).toBe(422);
    expect(statusFor(new MacsError('TIME_BUDGET_EXCEEDED', 'x'))).toBe(504);
    expect(statusFor(new MacsError('TASK_NOT_FOUND', 'x'))).toBe(404);
  });
});
