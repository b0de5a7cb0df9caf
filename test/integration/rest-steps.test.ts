// The step routes of the REST API (GET …/steps, GET …/steps/{step}/v{N}, POST …/replay),
// the `step` SSE event and the build counters of /metrics, against the real server and engine
// on a real SQLite data dir. Tasks are real (created through the API, run by the engine on the
// Ollama stand-in); their steps are written into task_steps directly, as the pipeline would.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../electron/core/engine/index.js';
import { startServer, type RunningServer } from '../../electron/server/index.js';
import { startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { tempDataDir, waitFor } from './helpers.js';
import { fakeRendererDir } from './served-engine.js';
import { openSse } from './sse-client.js';
import { FAILED_REPORT, PASSED_REPORT, T0, giveSteps, testOutput } from '../fixtures/step-rows.js';

const MODEL = 'qwen2.5-coder:7b';
const ANSWER = 'Here.\nFile: add.js\n```js\nexport const add = (a, b) => a + b;\n```\n';

let standin: OllamaStandin;
let engine: Engine;
let server: RunningServer;
let dataDir: string;
let base: string;
let key: string;

beforeEach(async () => {
  standin = await startOllamaStandin();
  standin.setDefaultChat({ text: ANSWER });
  dataDir = tempDataDir('rest-steps');
  engine = createEngine({ dataDir, host: 'browser', version: 'test', ollamaHost: standin.url, env: {}, queue: { retryBaseMs: 20, pollMs: 50 } });
  const rendererDir = fakeRendererDir(dataDir);
  server = await startServer({ engine, rendererDir, port: 0 });
  base = `http://127.0.0.1:${server.port}`;
  key = engine.apiKey().apiKey;
});
afterEach(async () => {
  await server.close();
  await engine.close();
  await standin.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

interface ApiResponse {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- responses are checked field by field
  body: any;
  headers: Headers;
}

async function api(method: string, urlPath: string, opts: { body?: unknown; rawBody?: string; apiKey?: string | null } = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = {};
  const k = opts.apiKey === undefined ? key : opts.apiKey;
  if (k !== null) headers['x-api-key'] = k;
  if (opts.body !== undefined || opts.rawBody !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${urlPath}`, { method, headers, body: opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (metrics)
  }
  return { status: res.status, body, headers: res.headers };
}

/** A real task, created through the API and run to the end by the engine. */
async function finishedTask(prompt = 'an adder'): Promise<string> {
  const res = await api('POST', '/v1/tasks', { body: { prompt } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const task = await engine.waitForTask(res.body.task_id, 10_000);
  expect(task.status).toBe('succeeded');
  return task.id;
}

const PLAN_ARTIFACT = {
  model: MODEL,
  options: { num_ctx: 8192, temperature: 0.2 },
  messages: [
    { role: 'system', content: 'You plan projects.' },
    { role: 'user', content: 'an adder' },
  ],
  output: { summary: 'an adder', language: 'JavaScript', files: [{ path: 'add.js', purpose: 'add' }], test_command: 'npm test', acceptance: [] },
  timings: { llm_ms: 2900 },
};

/** A whole build: plan, implement, a failed test, a fix, a passing test, a review. */
function giveBuildSteps(taskId: string): void {
  const rel = `artifacts/${taskId}/plan@v1.json`;
  fs.mkdirSync(path.join(dataDir, 'artifacts', taskId), { recursive: true });
  fs.writeFileSync(path.join(dataDir, rel), JSON.stringify(PLAN_ARTIFACT));
  // test@v2 has its artifact file, in the pipeline's layout (the step's result as `output`); test@v1 only its stored output.
  const testRel = `artifacts/${taskId}/test@v2.json`;
  const testResult = { reports: [PASSED_REPORT], passed: true, compiled: true, smokePassed: null, summary: '7 tests passed' };
  fs.writeFileSync(path.join(dataDir, testRel), JSON.stringify({ step: 'test', version: 2, input: {}, output: testResult, error: null }));
  const llm = { model: MODEL, model_reason: 'task model', llm_calls: 1 };
  giveSteps(engine.dbPath, taskId, [
    { step: 'plan', version: 1, status: 'succeeded', ...llm, started_at: T0, finished_at: T0 + 3100, llm_ms: 2900, prompt_tokens: 812, eval_tokens: 240, summary: 'plan: 1 file, npm test', artifact: rel, output_json: JSON.stringify(PLAN_ARTIFACT.output) },
    { step: 'implement', version: 1, status: 'succeeded', ...llm, started_at: T0 + 3100, finished_at: T0 + 9000, prompt_tokens: 1500, eval_tokens: 900, summary: '1 file' },
    {
      step: 'test',
      version: 1,
      status: 'failed',
      started_at: T0 + 9000,
      finished_at: T0 + 10_400,
      command_ms: 1350,
      summary: '2 of 7 tests failed',
      error_json: JSON.stringify({ code: 'TESTS_FAILED_REPORT', message: '2 of 7 tests failed' }),
      output_json: testOutput(FAILED_REPORT),
    },
    { step: 'fix', version: 1, status: 'succeeded', ...llm, started_at: T0 + 10_400, finished_at: T0 + 14_000, summary: '1 file changed' },
    { step: 'test', version: 2, status: 'succeeded', started_at: T0 + 14_000, finished_at: T0 + 15_200, command_ms: 1200, summary: '7 tests passed', artifact: testRel, output_json: testOutput(PASSED_REPORT) },
    { step: 'review', version: 1, status: 'succeeded', ...llm, cached_calls: 1, started_at: T0 + 15_200, finished_at: T0 + 16_000, summary: 'looks fine' },
  ]);
}

/** Events appended after the task's last one, as the engine's store would number them. */
function appendEvents(taskId: string, drafts: { type: string; data: unknown }[]): void {
  const db = new Database(engine.dbPath);
  db.pragma('busy_timeout = 5000');
  db.transaction(() => {
    let seq = db.prepare('SELECT last_seq FROM tasks WHERE id = ?').pluck().get(taskId) as number;
    for (const d of drafts) db.prepare('INSERT INTO task_events (task_id, seq, ts, type, data_json) VALUES (?, ?, ?, ?, ?)').run(taskId, ++seq, Date.now(), d.type, JSON.stringify(d.data));
    db.prepare('UPDATE tasks SET last_seq = ? WHERE id = ?').run(seq, taskId);
  })();
  db.close();
}

const paths = (res: ApiResponse) => (res.body.error.details.fields as { path: string }[]).map((f) => f.path).sort();

describe('GET /v1/tasks/{id}/steps and the task snapshot', () => {
  it('lists every step attempt in order, snake_case, with test reports; the task snapshot has the compact list', async () => {
    const id = await finishedTask();
    giveBuildSteps(id);

    // Step rows are task data: a credential is needed to read them.
    expect((await api('GET', `/v1/tasks/${id}/steps`, { apiKey: null })).status).toBe(401);
    const res = await api('GET', `/v1/tasks/${id}/steps`);
    expect(res.status).toBe(200);
    expect(res.body.task_id).toBe(id);
    expect(res.body.steps.map((s: { step: string; version: number }) => `${s.step}@v${s.version}`)).toEqual(['plan@v1', 'implement@v1', 'test@v1', 'fix@v1', 'test@v2', 'review@v1']);
    expect(res.body.steps[0]).toEqual({
      step: 'plan',
      version: 1,
      attempt: 1,
      status: 'succeeded',
      model: MODEL,
      model_reason: 'task model',
      started_at: '2025-01-02T03:04:05.000Z',
      finished_at: '2025-01-02T03:04:08.100Z',
      duration_ms: 3100,
      llm_ms: 2900,
      command_ms: 0,
      prompt_tokens: 812,
      eval_tokens: 240,
      llm_calls: 1,
      cached_calls: 0,
      summary: 'plan: 1 file, npm test',
      error: null,
      replay_of: null,
      test_report: null,
      artifact_url: `/v1/tasks/${id}/steps/plan/v1`,
    });
    const failedTest = res.body.steps[2];
    expect(failedTest).toMatchObject({ step: 'test', version: 1, status: 'failed', error: { code: 'TESTS_FAILED_REPORT' }, command_ms: 1350, duration_ms: 1400 });
    expect(failedTest.test_report).toMatchObject({ exit_code: 1, passed: false, timed_out: false, counts: { passed: 5, failed: 2 } });
    expect(failedTest.test_report.failures.map((f: { name: string }) => f.name)).toEqual(['adds', 'parses']);
    expect(res.body.steps[4].test_report).toMatchObject({ passed: true, counts: { passed: 7, failed: 0 }, failures: [] });
    expect(res.body.steps[5].cached_calls).toBe(1);

    const snap = await api('GET', `/v1/tasks/${id}`);
    expect(snap.body.kind).toBe('build');
    expect(snap.body.steps).toEqual([
      { step: 'plan', version: 1, status: 'succeeded', summary: 'plan: 1 file, npm test' },
      { step: 'implement', version: 1, status: 'succeeded', summary: '1 file' },
      { step: 'test', version: 1, status: 'failed', summary: '2 of 7 tests failed' },
      { step: 'fix', version: 1, status: 'succeeded', summary: '1 file changed' },
      { step: 'test', version: 2, status: 'succeeded', summary: '7 tests passed' },
      { step: 'review', version: 1, status: 'succeeded', summary: 'looks fine' },
    ]);
    // Not in lists, nor in the other routes that answer with a task.
    const list = await api('GET', '/v1/tasks');
    expect(list.body.tasks[0]).not.toHaveProperty('steps');
    expect((await api('POST', `/v1/tasks/${id}/cancel`)).body).not.toHaveProperty('steps');
  });

  it('a chat task has no steps (empty list, no `steps` in its snapshot); an unknown task is 404', async () => {
    const id = await finishedTask();
    expect((await api('GET', `/v1/tasks/${id}/steps`)).body).toEqual({ task_id: id, steps: [] });
    expect((await api('GET', `/v1/tasks/${id}`)).body).not.toHaveProperty('steps');
    const missing = await api('GET', '/v1/tasks/no-such-task/steps');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('TASK_NOT_FOUND');
  });
});

describe('GET /v1/tasks/{id}/steps/{step}/v{N}', () => {
  it('gives the step and its stored artifact, at v1 or plain 1; a step without an artifact file gives its output', async () => {
    const id = await finishedTask();
    giveBuildSteps(id);
    for (const v of ['v1', '1']) {
      const res = await api('GET', `/v1/tasks/${id}/steps/plan/${v}`);
      expect(res.status, v).toBe(200);
      expect(res.body.step).toMatchObject({ step: 'plan', version: 1, model: MODEL, prompt_tokens: 812, artifact_url: `/v1/tasks/${id}/steps/plan/v1` });
      expect(res.body.artifact).toEqual(PLAN_ARTIFACT);
    }
    const test = await api('GET', `/v1/tasks/${id}/steps/test/v1`);
    expect(test.status).toBe(200);
    expect(test.body.artifact).toEqual({ output: JSON.parse(testOutput(FAILED_REPORT)) });
    expect(test.body.step.test_report.failures[0]).toEqual({ name: 'adds', message: 'expected 3, got 4', location: 'test/add.test.js:12' });
  });

  it('404 STEP_NOT_FOUND for a version or step the task does not have, 404 for an unknown task, 400 for a bad step or version', async () => {
    const id = await finishedTask();
    giveBuildSteps(id);
    const noVersion = await api('GET', `/v1/tasks/${id}/steps/plan/v9`);
    expect(noVersion.status).toBe(404);
    expect(noVersion.body.error).toMatchObject({ code: 'STEP_NOT_FOUND', message: expect.stringContaining('plan@v9') });
    const noStep = await api('GET', `/v1/tasks/${id}/steps/docs/v1`);
    expect(noStep.status).toBe(404);
    expect(noStep.body.error.code).toBe('STEP_NOT_FOUND');
    expect((await api('GET', '/v1/tasks/no-such-task/steps/plan/v1')).body.error.code).toBe('TASK_NOT_FOUND');

    const badStep = await api('GET', `/v1/tasks/${id}/steps/deploy/v1`);
    expect(badStep.status).toBe(400);
    expect(badStep.body.error.code).toBe('INVALID_INPUT');
    expect(paths(badStep)).toEqual(['step']);
    expect(badStep.body.error.details.fields[0].message).toContain('plan, implement, docs, test, webcheck, fix, review');
    for (const v of ['v0', 'vx', 'latest']) {
      const bad = await api('GET', `/v1/tasks/${id}/steps/plan/${v}`);
      expect(bad.status, v).toBe(400);
      expect(paths(bad)).toEqual(['version']);
    }
  });
});

describe('POST /v1/tasks/{id}/steps/{step}/replay', () => {
  it('202 with the replay read back (the latest version when none is given) and a Location; the task is queued again', async () => {
    const id = await finishedTask();
    giveBuildSteps(id);
    const before = await api('GET', `/v1/tasks/${id}`);

    const res = await api('POST', `/v1/tasks/${id}/steps/test/replay`);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.headers.get('location')).toBe(`/v1/tasks/${id}`);
    expect(res.body).toEqual({ task_id: id, status: expect.stringMatching(/^(queued|running)$/), replay: { step: 'test', version: 2, cascade: false, use_cache: true },
      // To follow the re-run from an EventSource: /v1/stream/{id}?stream_token=.
      stream_token: expect.stringMatching(/^[\w-]{43}$/),
    });
    // The replay went through the queue: a `queued` transition that names it, after the old run's events.
    const events = await api('GET', `/v1/tasks/${id}/events?since=${before.body.last_seq}`);
    expect(events.body.events[0]).toMatchObject({ type: 'status', data: { status: 'queued', reason: expect.stringContaining('replay test@v2') } });
  });

  it('takes {version, cascade, use_cache}', async () => {
    const id = await finishedTask();
    giveBuildSteps(id);
    const res = await api('POST', `/v1/tasks/${id}/steps/test/replay`, { body: { version: 1, cascade: true, use_cache: false } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.replay).toEqual({ step: 'test', version: 1, cascade: true, use_cache: false });
    expect(['queued', 'running']).toContain(res.body.status);
    const events = await api('GET', `/v1/tasks/${id}/events`);
    const queued = events.body.events.filter((e: { type: string; data: { status?: string } }) => e.type === 'status' && e.data.status === 'queued').at(-1);
    expect(queued.data.reason).toContain('replay test@v1 and the steps after it');
  });

  it('needs the API key; validates the body (every bad or unknown field named) and the step; 404 for what does not exist', async () => {
    const id = await finishedTask();
    giveBuildSteps(id);
    const url = `/v1/tasks/${id}/steps/test/replay`;
    expect((await api('POST', url, { apiKey: null })).status).toBe(401);
    expect((await api('POST', url, { apiKey: 'wrong' })).status).toBe(401);

    const bad = await api('POST', url, { body: { version: 0, cascade: 'yes', useCache: false } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_INPUT');
    expect(paths(bad)).toEqual(['(body)', 'cascade', 'version']);
    expect(bad.body.error.details.fields.find((f: { path: string }) => f.path === '(body)').message).toContain('useCache');
    const badJson = await api('POST', url, { rawBody: '{"version": ' });
    expect(badJson.status).toBe(400);
    expect(badJson.body.error.message).toContain('not valid JSON');
    expect(paths(await api('POST', url, { body: [1] }))).toEqual(['(body)']);
    const badStep = await api('POST', `/v1/tasks/${id}/steps/deploy/replay`, { body: {} });
    expect(badStep.status).toBe(400);
    expect(paths(badStep)).toEqual(['step']);

    const noVersion = await api('POST', url, { body: { version: 7 } });
    expect(noVersion.status).toBe(404);
    expect(noVersion.body.error.code).toBe('STEP_NOT_FOUND');
    const noStep = await api('POST', `/v1/tasks/${id}/steps/docs/replay`);
    expect(noStep.status).toBe(404);
    expect(noStep.body.error.code).toBe('STEP_NOT_FOUND');
    expect((await api('POST', '/v1/tasks/no-such-task/steps/test/replay')).body.error.code).toBe('TASK_NOT_FOUND');
    // None of the refused requests touched the task.
    expect((await api('GET', `/v1/tasks/${id}`)).body.status).toBe('succeeded');
    // GET is not how to replay.
    expect((await api('GET', url)).status).toBe(400);
  });

  it('409 for a chat task (NOT_SUPPORTED) and for a task that is still running (INVALID_INPUT)', async () => {
    const chat = await finishedTask();
    const notBuild = await api('POST', `/v1/tasks/${chat}/steps/test/replay`);
    expect(notBuild.status).toBe(409);
    expect(notBuild.body.error.code).toBe('NOT_SUPPORTED');

    standin.enqueueChat({ text: 'word '.repeat(200), tokensPerSecond: 200, hangAfterTokens: 3 });
    const created = await api('POST', '/v1/tasks', { body: { prompt: 'hang' } });
    const id = created.body.task_id as string;
    await waitFor(() => engine.stats().byStatus.running === 1, 10_000, 'the task to run');
    giveSteps(engine.dbPath, id, [{ step: 'plan', version: 1, status: 'succeeded', started_at: T0, finished_at: T0 + 10, summary: 'plan' }]);
    const running = await api('POST', `/v1/tasks/${id}/steps/plan/replay`);
    expect(running.status).toBe(409);
    expect(running.body.error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('running'), details: { status: 'running' } });
    await api('POST', `/v1/tasks/${id}/cancel`);
  });
});

describe('SSE `step` events and /metrics', () => {
  it('the stream sends step events as `event: step` in snake_case, and deltas with their step', async () => {
    const id = await finishedTask();
    giveBuildSteps(id);
    appendEvents(id, [
      { type: 'step', data: { step: 'plan', version: 1, phase: 'start', status: 'running', model: MODEL, modelReason: 'task model', replayOf: null } },
      { type: 'delta', data: { text: '{"summary": "an adder"}', step: 'plan' } },
      { type: 'step', data: { step: 'plan', version: 1, phase: 'end', status: 'succeeded', summary: 'plan: 1 file, npm test', durationMs: 3100 } },
      {
        type: 'step',
        data: { step: 'test', version: 1, phase: 'end', status: 'failed', summary: '2 of 7 tests failed', durationMs: 1400, error: { code: 'TESTS_FAILED_REPORT', message: '2 of 7 tests failed' }, report: FAILED_REPORT },
      },
    ]);
    const sse = openSse(server.port, `/v1/stream/${id}`, { 'x-api-key': key });
    await sse.ended;
    expect(sse.events.at(-1)).toEqual({ id: null, event: 'done', data: { status: 'succeeded' } });
    const steps = sse.events.filter((e) => e.event === 'step');
    expect(steps.map((e) => e.data)).toEqual([
      { step: 'plan', version: 1, phase: 'start', status: 'running', model: MODEL, model_reason: 'task model', replay_of: null },
      { step: 'plan', version: 1, phase: 'end', status: 'succeeded', summary: 'plan: 1 file, npm test', duration_ms: 3100 },
      {
        step: 'test',
        version: 1,
        phase: 'end',
        status: 'failed',
        summary: '2 of 7 tests failed',
        duration_ms: 1400,
        error: { code: 'TESTS_FAILED_REPORT', message: '2 of 7 tests failed' },
        report: {
          command: ['npm', 'test'],
          level: 'plan',
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
        },
      },
    ]);
    const deltas = sse.events.filter((e) => e.event === 'delta');
    expect(deltas.at(-1)!.data).toEqual({ text: '{"summary": "an adder"}', step: 'plan' });
    // The chat run's own deltas name no step.
    expect(Object.keys(deltas[0].data)).toEqual(['text']);
  });

  it('/metrics has compile_pass_total and test_smoke_pass_total from the engine’s stats', async () => {
    const id = await finishedTask();
    giveBuildSteps(id);
    const text = (await api('GET', '/metrics')).body as string;
    const stats = engine.stats() as ReturnType<Engine['stats']> & { compilePasses?: number; smokePasses?: number };
    expect(text).toMatch(/^# HELP compile_pass_total Build tasks whose generated project built and whose tests ran to a result/m);
    expect(text).toMatch(/^# HELP test_smoke_pass_total Build tasks whose oracle smoke tests/m);
    expect(text).not.toContain('not built yet');
    expect(text).toMatch(new RegExp(`^compile_pass_total ${stats.compilePasses ?? 0}$`, 'm'));
    expect(text).toMatch(new RegExp(`^test_smoke_pass_total ${stats.smokePasses ?? 0}$`, 'm'));
  });
});
