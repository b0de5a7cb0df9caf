// `macs steps`, `macs replay`, step lines in `macs show` and while following, and --build,
// against a real `macs serve` child process on a real data dir. Tasks are real (run by the
// server on the Ollama stand-in); their steps and step events are written into the database
// directly, as the build pipeline would.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDataDir, waitFor } from './helpers.js';
import { MacsServeHarness, type CliOptions } from './cli-harness.js';
import { FAILED_REPORT, PASSED_REPORT, T0, giveSteps, testOutput } from '../fixtures/step-rows.js';

const MODEL = 'qwen2.5-coder:7b';
const ANSWER = 'Again.\nFile: add.js\n```js\nexport const add = (a, b) => a + b;\n```\n';
/** The first run's answer: a replay's output must not repeat it. */
const FIRST = 'FIRST RUN\nFile: add.js\n```js\nexport const add = (a, b) => a - b;\n```\n';

const h = new MacsServeHarness();
const cli = (args: string[], opts?: CliOptions) => h.cli(args, opts);
const start = (args: string[], opts?: CliOptions) => h.spawnCli(args, opts);
const writeJson = (name: string, value: unknown) => h.writeJson(name, value);

function statusOf(id: string): string {
  const conn = db();
  try {
    return conn.prepare('SELECT status FROM tasks WHERE id = ?').pluck().get(id) as string;
  } finally {
    conn.close();
  }
}

function db(): Database.Database {
  const conn = new Database(path.join(h.dataDir, 'macs.db'));
  conn.pragma('busy_timeout = 5000');
  return conn;
}

/** A read straight from the API, with the key a script on this machine has (the data dir's file). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are compared whole or field by field
async function apiGet(urlPath: string): Promise<any> {
  const key = fs.readFileSync(path.join(h.dataDir, 'api-key'), 'utf8').trim();
  return (await fetch(`${h.baseUrl}${urlPath}`, { headers: { 'x-api-key': key } })).json();
}

/** A real chat task, submitted and waited for through the CLI. */
async function finishedTask(answer = ANSWER): Promise<string> {
  h.standin.enqueueChat({ text: answer, tokensPerSecond: 2000 });
  const run = await cli(['submit', writeJson('task.json', { prompt: 'an adder' }), '--wait']);
  expect(run.code, run.err).toBe(0);
  return run.out.split('\n')[0];
}

/** What the pipeline would have stored for a build: plan, implement, a failed test, a fix, a passing test. */
function giveBuildSteps(taskId: string): void {
  const llm = { model: MODEL, model_reason: 'task model', llm_calls: 1 };
  giveSteps(path.join(h.dataDir, 'macs.db'), taskId, [
    { step: 'plan', version: 1, status: 'succeeded', ...llm, started_at: T0, finished_at: T0 + 3100, prompt_tokens: 812, eval_tokens: 240, summary: 'plan: 1 file, npm test' },
    { step: 'implement', version: 1, status: 'succeeded', ...llm, started_at: T0 + 3100, finished_at: T0 + 9000, prompt_tokens: 1500, eval_tokens: 900, summary: '1 file' },
    {
      step: 'test',
      version: 1,
      status: 'failed',
      started_at: T0 + 9000,
      finished_at: T0 + 10_400,
      summary: '2 of 7 tests failed',
      error_json: JSON.stringify({ code: 'TESTS_FAILED', message: '2 of 7 tests failed' }),
      output_json: testOutput(FAILED_REPORT),
    },
    { step: 'fix', version: 1, status: 'succeeded', ...llm, started_at: T0 + 10_400, finished_at: T0 + 14_000, prompt_tokens: 900, eval_tokens: 300, summary: '1 file changed' },
    { step: 'test', version: 2, status: 'succeeded', started_at: T0 + 14_000, finished_at: T0 + 15_200, summary: '7 tests passed', output_json: testOutput(PASSED_REPORT) },
  ]);
}

const STEP_EVENTS = [
  { type: 'step', data: { step: 'plan', version: 1, phase: 'start', status: 'running', model: MODEL, modelReason: 'task model' } },
  { type: 'step', data: { step: 'plan', version: 1, phase: 'end', status: 'succeeded', summary: 'plan: 1 file, npm test', durationMs: 3100 } },
  { type: 'step', data: { step: 'test', version: 1, phase: 'start', status: 'running' } },
  { type: 'step', data: { step: 'test', version: 1, phase: 'end', status: 'failed', summary: '2 of 7 tests failed', durationMs: 1400, report: FAILED_REPORT } },
];

/** Events appended after the task's last one, numbered as the engine's store would. */
function appendEvents(taskId: string, drafts: { type: string; data: unknown }[]): void {
  const conn = db();
  conn.transaction(() => {
    let seq = conn.prepare('SELECT last_seq FROM tasks WHERE id = ?').pluck().get(taskId) as number;
    for (const d of drafts) conn.prepare('INSERT INTO task_events (task_id, seq, ts, type, data_json) VALUES (?, ?, ?, ?, ?)').run(taskId, ++seq, Date.now(), d.type, JSON.stringify(d.data));
    conn.prepare('UPDATE tasks SET last_seq = ? WHERE id = ?').run(seq, taskId);
  })();
  conn.close();
}

beforeAll(async () => {
  await h.start('cli-steps', { text: ANSWER, tokensPerSecond: 2000 });
});

afterAll(() => h.close());

describe('macs steps and macs show', () => {
  it('steps prints a table of attempts with the failing tests beneath the failed test step; --json is the API’s answer', async () => {
    const id = await finishedTask();
    giveBuildSteps(id);
    const run = await cli(['steps', id]);
    expect(run.code, run.err).toBe(0);
    const lines = run.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^STEP\s+STATUS\s+MODEL\s+TIME\s+TOKENS IN\/OUT\s+SUMMARY$/);
    expect(lines[1]).toMatch(/^plan@v1\s+succeeded\s+qwen2\.5-coder:7b\s+3\.1 s\s+812\/240\s+plan: 1 file, npm test$/);
    expect(lines[2]).toMatch(/^implement@v1\s+succeeded\s+qwen2\.5-coder:7b\s+5\.9 s\s+1500\/900\s+1 file$/);
    expect(lines[3]).toMatch(/^test@v1\s+failed\s+—\s+1\.4 s\s+—\s+2 of 7 tests failed \[TESTS_FAILED\]$/);
    expect(lines[4]).toBe('    ✖ adds — expected 3, got 4 (test/add.test.js:12)');
    expect(lines[5]).toBe('    ✖ parses');
    expect(lines[6]).toMatch(/^fix@v1\s+succeeded/);
    expect(lines[7]).toMatch(/^test@v2\s+succeeded\s+—\s+1\.2 s\s+—\s+7 tests passed$/);
    expect(lines).toHaveLength(8);

    const json = await cli(['steps', id, '--json']);
    expect(json.code).toBe(0);
    const body = JSON.parse(json.out);
    const api = await apiGet(`/v1/tasks/${id}/steps`);
    // duration_ms of finished steps is fixed, so the two answers are the same.
    expect(body).toEqual(api);
    expect(body.steps[2].test_report.failures.map((f: { name: string }) => f.name)).toEqual(['adds', 'parses']);
  });

  it('steps: a chat task has none (exit 0); no id is a usage error (2); an unknown task is not found (3)', async () => {
    const chat = await finishedTask();
    const none = await cli(['steps', chat]);
    expect(none.code).toBe(0);
    expect(none.out).toBe(`No steps: ${chat} has not run a pipeline step (only build tasks have steps).\n`);
    const noId = await cli(['steps']);
    expect(noId.code).toBe(2);
    expect(noId.err).toContain('macs steps needs a task id');
    const missing = await cli(['steps', 'no-such-task']);
    expect(missing.code).toBe(3);
    expect(missing.err).toContain('[TASK_NOT_FOUND]');
  });

  it('show prints a line per step attempt; show --events prints the stored step events', async () => {
    const id = await finishedTask();
    giveBuildSteps(id);
    appendEvents(id, STEP_EVENTS);
    const show = await cli(['show', id]);
    expect(show.code, show.err).toBe(0);
    expect(show.out).toMatch(/^kind\s+build · qwen2\.5-coder:7b$/m);
    expect(show.out).toContain(
      ['✔ plan@v1 · plan: 1 file, npm test · 3.1 s', '✔ implement@v1 · 1 file · 5.9 s', '✖ test@v1 · 2 of 7 tests failed: adds, parses · 1.4 s', '✔ fix@v1 · 1 file changed · 3.6 s', '✔ test@v2 · 7 tests passed · 1.2 s'].join(
        '\n',
      ),
    );
    const events = await cli(['show', id, '--events']);
    expect(events.code).toBe(0);
    expect(events.out).toMatch(/step\s+▶ plan@v1 \(qwen2\.5-coder:7b\)$/m);
    expect(events.out).toMatch(/step\s+✔ plan@v1 · plan: 1 file, npm test · 3\.1 s$/m);
    expect(events.out).toMatch(/step\s+✖ test@v1 · 2 of 7 tests failed: adds, parses · 1\.4 s$/m);
    // --json: the snapshot carries the compact step list.
    const json = JSON.parse((await cli(['show', id, '--json'])).out);
    expect(json.task.steps.map((s: { step: string; version: number }) => `${s.step}@v${s.version}`)).toEqual(['plan@v1', 'implement@v1', 'test@v1', 'fix@v1', 'test@v2']);
  });

  it('following a task (submit --wait) prints step start/end lines as they come', async () => {
    h.standin.enqueueChat({ text: 'word '.repeat(200), tokensPerSecond: 100, hangAfterTokens: 3 });
    const follow = start(['submit', writeJson('hang.json', { prompt: 'hang' }), '--wait']);
    await waitFor(() => /^[\w-]+\n/.test(follow.out()), 10_000, 'the task id');
    const id = follow.out().split('\n')[0];
    await waitFor(() => statusOf(id) === 'running', 10_000, 'the task to run');
    appendEvents(id, STEP_EVENTS);
    await waitFor(() => follow.err().includes('✖ test@v1'), 10_000, `the step lines (${follow.err()})`);
    expect((await cli(['cancel', id])).code).toBe(0);
    expect(await follow.exit).toBe(1);
    const err = follow.err();
    const lines = ['▶ plan@v1 (qwen2.5-coder:7b)', '✔ plan@v1 · plan: 1 file, npm test · 3.1 s', '▶ test@v1', '✖ test@v1 · 2 of 7 tests failed: adds, parses · 1.4 s'];
    const at = lines.map((l) => err.indexOf(`${l}\n`));
    expect(at.every((i) => i >= 0), err).toBe(true);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    // Each on a line of its own, though the answer stopped mid-line.
    expect(err).toMatch(/(^|\n)▶ plan@v1 \(qwen2\.5-coder:7b\)\n/);
  });
});

describe('macs replay', () => {
  it('--no-follow queues the replay and says what will run; --json prints the API’s answer', async () => {
    const id = await finishedTask();
    giveBuildSteps(id);
    const run = await cli(['replay', id, 'test', '--no-follow']);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(new RegExp(`^${id} (queued|running): replaying test@v2\\.\\n$`));
    expect(run.err).toContain(`macs show ${id} --events`);

    const other = await finishedTask();
    giveBuildSteps(other);
    const json = await cli(['replay', other, 'test', '--version', '1', '--cascade', '--no-cache', '--no-follow', '--json']);
    expect(json.code, json.err).toBe(0);
    expect(JSON.parse(json.out)).toEqual({ task_id: other, status: expect.stringMatching(/^(queued|running)$/), replay: { step: 'test', version: 1, cascade: true, use_cache: false }, stream_token: expect.any(String) });
  });

  it('follows the task from the replay on, not the earlier run', async () => {
    const id = await finishedTask(FIRST);
    giveBuildSteps(id);
    const run = start(['replay', id, 'plan']);
    // What the replay itself runs into is the engine's business: give it a while, then stop following.
    const exited = await Promise.race([run.exit.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 15_000))]);
    if (!exited) {
      run.child.kill('SIGKILL');
      await run.exit;
    }
    expect(run.err()).toMatch(new RegExp(`^${id} (queued|running): replaying plan@v1\\n`));
    expect(run.out()).not.toContain('FIRST RUN');
  });

  it('exit codes: 2 for a bad step or version (nothing sent), 3 not found, 1 for a chat or running task, 5 without the key', async () => {
    const id = await finishedTask();
    giveBuildSteps(id);
    const badStep = await cli(['replay', id, 'deploy']);
    expect(badStep.code).toBe(2);
    expect(badStep.err).toMatch(/There is no step "deploy"; steps are plan, implement, docs, test, .*review \(design = plan\), optionally step@vN\./);
    expect(badStep.err).toContain('Usage: macs replay <task-id> <step>');
    const badVersion = await cli(['replay', id, 'test', '--version', 'latest']);
    expect(badVersion.code).toBe(2);
    expect(badVersion.err).toContain('--version must be a step version');
    expect((await cli(['replay', id])).code).toBe(2);

    const noVersion = await cli(['replay', id, 'test', '--version', '9']);
    expect(noVersion.code).toBe(3);
    expect(noVersion.err).toContain('[STEP_NOT_FOUND]');
    expect((await cli(['replay', 'no-such-task', 'test'])).code).toBe(3);
    expect((await cli(['replay', id, 'test', '--api-key', 'wrong'])).code).toBe(5);
    expect(statusOf(id)).toBe('succeeded');

    const chat = await finishedTask();
    const notBuild = await cli(['replay', chat, 'test']);
    expect(notBuild.code).toBe(1);
    expect(notBuild.err).toContain('[NOT_SUPPORTED]');

    h.standin.enqueueChat({ text: 'word '.repeat(200), tokensPerSecond: 100, hangAfterTokens: 3 });
    const hanging = (await cli(['submit', writeJson('hang2.json', { prompt: 'hang' })])).out.trim();
    await waitFor(() => statusOf(hanging) === 'running', 10_000, 'the task to run');
    giveBuildSteps(hanging);
    const running = await cli(['replay', hanging, 'test']);
    expect(running.code).toBe(1);
    expect(running.err).toContain('The task is running; wait until it has finished. [INVALID_INPUT]');
    expect((await cli(['cancel', hanging])).code).toBe(0);
  });
});

describe('--build', () => {
  it('submit --build queues a simple body as a build task', async () => {
    const run = await cli(['submit', writeJson('build.json', { prompt: 'an adder', metadata: { ticket: 'T-9' } }), '--build', '--json']);
    expect(run.code, run.err).toBe(0);
    const created = JSON.parse(run.out);
    expect(created.kind).toBe('build');
    const task = await apiGet(`/v1/tasks/${created.task_id}`);
    expect(task.metadata).toEqual({ ticket: 'T-9', mode_hint: 'build' });
  });

  it('run --build runs a build task headless', async () => {
    const own = tempDataDir('cli-steps-run');
    try {
      const run = start(['run', 'an adder', '--build', '--model', MODEL], { env: { MACS_DATA_DIR: own } });
      await waitFor(() => run.err().includes('task '), 15_000, `the task line (${run.err()})`);
      const conn = new Database(path.join(own, 'macs.db'), { readonly: true });
      const row = conn.prepare('SELECT kind, metadata_json FROM tasks').get() as { kind: string; metadata_json: string | null };
      conn.close();
      expect(row.kind).toBe('build');
      run.child.kill('SIGKILL');
      await run.exit;
    } finally {
      fs.rmSync(own, { recursive: true, force: true });
    }
  });
});
