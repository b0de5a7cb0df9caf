// Build tasks over their life: replaying one step, Stop during the sandboxed tests, a crash
// during the fix step (resume), the whole-task time budget, and per-role models.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StepRecord } from '../../shared/index.js';
import type { Engine } from '../../electron/core/engine/index.js';
import { openDatabase } from '../../electron/core/db/index.js';
import { TaskStore } from '../../electron/core/tasks/index.js';
import { startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { adder, answer, approve, filesAnswer, planJson, stepOf } from '../fixtures/build-scripts.js';
import { openEngine, recordFrames, tempDataDir, waitFor } from './helpers.js';

const ROOT = path.resolve(__dirname, '../..');
const MODEL = 'qwen2.5-coder:7b';
let standin: OllamaStandin;
let engine: Engine | undefined;
let dataDir: string;
const children: ChildProcess[] = [];

beforeEach(async () => {
  standin = await startOllamaStandin();
  dataDir = tempDataDir('build-life');
});

afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  await engine?.close();
  engine = undefined;
  await standin.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const chats = () => standin.requests.filter((r) => r.path === '/api/chat').map((r) => r.body as Record<string, unknown>);
const steps = async (taskId: string) => ((await engine!.invoke('tasks.steps', { taskId })) as { steps: StepRecord[] }).steps;
const label = (s: StepRecord) => `${s.step}@v${s.version}:${s.status}`;

/** A project whose "tests" never end and leave a heartbeat: proof of whether the process still lives. */
const HANG = {
  plan: planJson({ files: [['hang.js', 'a test that never ends']], test_command: 'node hang.js' }),
  files: filesAnswer({ 'hang.js': "import fs from 'node:fs';\nlet n = 0;\nsetInterval(() => fs.writeFileSync('beat.txt', String(++n)), 40);\n", 'package.json': '{ "type": "module" }\n' }),
};

async function heartbeatStops(workspace: string): Promise<void> {
  const beat = path.join(workspace, 'beat.txt');
  await waitFor(() => fs.existsSync(beat), 10_000, 'the heartbeat file');
  return;
}

async function expectHeartbeatStopped(workspace: string): Promise<void> {
  const beat = path.join(workspace, 'beat.txt');
  await new Promise((r) => setTimeout(r, 200));
  const a = fs.readFileSync(beat, 'utf8');
  await new Promise((r) => setTimeout(r, 400));
  expect(fs.readFileSync(beat, 'utf8')).toBe(a);
}

async function happyBuild(): Promise<string> {
  standin.enqueueChat(answer('plan', adder.plan));
  standin.enqueueChat(answer('implement', adder.buggy));
  standin.enqueueChat(answer('docs', adder.readme));
  standin.enqueueChat(answer('fix', adder.fixed));
  standin.enqueueChat(answer('review', approve));
  engine = openEngine(dataDir, standin.url);
  const { task } = (await engine.invoke('tasks.create', { prompt: 'Write a tiny math library with tests.', kind: 'build', model: MODEL })) as { task: { id: string } };
  expect((await engine.waitForTask(task.id, 60_000)).status).toBe('succeeded');
  return task.id;
}

describe('build pipeline: replay', () => {
  it('replays one step from its stored context, answered from the cache, without re-running later steps', async () => {
    const id = await happyBuild();
    const callsBefore = chats().length;
    await engine!.invoke('tasks.replayStep', { taskId: id, step: 'fix', version: 1 });
    const task = await engine!.waitForTask(id, 30_000);
    expect(task.status).toBe('succeeded');
    expect(chats().length).toBe(callsBefore); // the cache answered
    const all = await steps(id);
    const replay = all.at(-1)!;
    expect(label(replay)).toBe('fix@v2:succeeded');
    expect(replay.replayOf).toBe(1);
    expect(replay.cachedCalls).toBe(1);
    expect(all.filter((s) => s.step === 'test')).toHaveLength(2); // later steps did not run again
    // The replay sent exactly the stored messages.
    const a1 = JSON.parse(fs.readFileSync(path.join(dataDir, 'artifacts', id, 'fix@v1.json'), 'utf8'));
    const a2 = JSON.parse(fs.readFileSync(path.join(dataDir, 'artifacts', id, 'fix@v2.json'), 'utf8'));
    expect(a2.calls[0].messages).toEqual(a1.calls[0].messages);
    expect(a2.calls[0].output).toBe(a1.calls[0].output);
  });

  it('with cascade and without the cache: asks the model again, then runs every later step', async () => {
    const id = await happyBuild();
    standin.enqueueChat(answer('review', approve));
    const callsBefore = chats().length;
    await engine!.invoke('tasks.replayStep', { taskId: id, step: 'test', cascade: true, useCache: false });
    const task = await engine!.waitForTask(id, 30_000);
    expect(task.status).toBe('succeeded');
    const after = (await steps(id)).slice(-2).map(label);
    expect(after).toEqual(['test@v3:succeeded', 'review@v2:succeeded']);
    expect(chats().length).toBe(callsBefore + 1); // review asked the model again
  });

  it('refuses to replay a running task, an unknown step, or a chat task', async () => {
    standin.enqueueChat(answer('plan', HANG.plan));
    standin.enqueueChat(answer('implement', HANG.files));
    engine = openEngine(dataDir, standin.url);
    const { task } = (await engine.invoke('tasks.create', { prompt: 'hang', kind: 'build', model: MODEL })) as { task: { id: string; workspacePath: string } };
    await waitFor(() => fs.existsSync(path.join(task.workspacePath, 'beat.txt')), 20_000, 'the test step');
    await expect(engine.invoke('tasks.replayStep', { taskId: task.id, step: 'plan' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await engine.invoke('tasks.cancel', { taskId: task.id });
    await expect(engine.invoke('tasks.replayStep', { taskId: task.id, step: 'review' })).rejects.toMatchObject({ code: 'STEP_NOT_FOUND' });
    standin.enqueueChat({ text: 'hello' });
    const { task: chat } = (await engine.invoke('tasks.create', { prompt: 'hi', model: MODEL })) as { task: { id: string } };
    await engine.waitForTask(chat.id, 10_000);
    await expect(engine.invoke('tasks.replayStep', { taskId: chat.id, step: 'plan' })).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
  });
});

describe('build pipeline: stopping', () => {
  it('Stop during the test step kills the sandboxed process and marks the step and task cancelled', async () => {
    standin.enqueueChat(answer('plan', HANG.plan));
    standin.enqueueChat(answer('implement', HANG.files));
    engine = openEngine(dataDir, standin.url);
    const frames = recordFrames(engine);
    const { task } = (await engine.invoke('tasks.create', { prompt: 'hang', kind: 'build', model: MODEL })) as { task: { id: string; workspacePath: string } };
    await heartbeatStops(task.workspacePath);
    const { task: cancelled } = (await engine.invoke('tasks.cancel', { taskId: task.id })) as { task: { status: string } };
    expect(cancelled.status).toBe('cancelled');
    await expectHeartbeatStopped(task.workspacePath);
    expect((await steps(task.id)).map(label)).toEqual(['plan@v1:succeeded', 'implement@v1:succeeded', 'test@v1:cancelled']);
    const execEnd = frames.events(task.id).find((e) => e.type === 'exec' && e.data.phase === 'end');
    expect(execEnd && execEnd.type === 'exec' && execEnd.data.killed).toBe(true);
  });

  it('the whole-task time budget (constraints.latency_ms) cancels with a clear reason', async () => {
    standin.enqueueChat(answer('plan', HANG.plan));
    standin.enqueueChat(answer('implement', HANG.files));
    engine = openEngine(dataDir, standin.url);
    const spec = { type: 'CODE', input: { goal: 'hang', constraints: { latency_ms: 2500 } } };
    const { task } = (await engine.invoke('tasks.create', { prompt: 'hang', kind: 'build', model: MODEL, metadata: { spec } })) as { task: { id: string; workspacePath: string } };
    const final = await engine.waitForTask(task.id, 20_000);
    expect(final.status).toBe('cancelled');
    expect(final.error?.code).toBe('TIME_BUDGET_EXCEEDED');
    expect(final.error?.message).toMatch(/latency_ms = 2500 ms/);
    await expectHeartbeatStopped(task.workspacePath);
  });

  it('a crash during the fix step resumes at the fix step: plan and implement are not run again', async () => {
    standin.enqueueChat(answer('plan', adder.plan));
    standin.enqueueChat(answer('implement', adder.buggy));
    standin.enqueueChat(answer('docs', adder.readme));
    standin.enqueueChat(answer('fix', adder.fixed, { hangAfterTokens: 3 }));
    // Enqueued straight into the database; a worker in another process claims it.
    const db = openDatabase(path.join(dataDir, 'macs.db'));
    const id = 'crash-in-fix';
    new TaskStore(db).createTask({
      id,
      kind: 'build',
      title: 'math',
      prompt: 'Write a tiny math library with tests.',
      model: MODEL,
      numCtx: 8192,
      workspacePath: path.join(dataDir, 'workspaces', id),
      priority: 0,
      maxAttempts: 3,
      metadata: null,
    });
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/queue-worker-process.ts'], {
      cwd: ROOT,
      env: { ...process.env, MACS_DATA_DIR: dataDir, OLLAMA_HOST: standin.url },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    await waitFor(() => db.prepare(`SELECT 1 FROM task_steps WHERE task_id = ? AND step = 'fix' AND status = 'running'`).get(id) !== undefined, 45_000, 'the fix step to start');
    // Kill only once the hanging fix answer is in flight, so the resumed attempt gets the next one.
    await waitFor(() => chats().some((b) => stepOf(b) === 'fix'), 15_000, 'the fix request');
    db.close();
    const task = { id };
    child.kill('SIGKILL');

    standin.enqueueChat(answer('fix', adder.fixed));
    standin.enqueueChat(answer('review', approve));
    engine = openEngine(dataDir, standin.url);
    const final = await engine.waitForTask(task.id, 60_000);
    expect(final.error).toBeNull();
    expect(final.status).toBe('succeeded');
    expect(final.attempts).toBe(2);
    const all = (await steps(task.id)).map(label);
    expect(all.filter((s) => s.startsWith('plan'))).toEqual(['plan@v1:succeeded']);
    expect(all.filter((s) => s.startsWith('implement'))).toEqual(['implement@v1:succeeded']);
    expect(all.filter((s) => s.startsWith('fix'))).toEqual(['fix@v1:cancelled', 'fix@v2:succeeded']);
    expect(chats().filter((b) => stepOf(b) === 'plan')).toHaveLength(1);
    expect(fs.readFileSync(path.join(final.workspacePath, 'src/math.js'), 'utf8')).toContain('a + b');
  }, 90_000);
});

describe('build pipeline: models per role', () => {
  it('uses the role setting, and falls back when the configured model is not installed', async () => {
    engine = openEngine(dataDir, standin.url);
    await engine.invoke('settings.update', { roleModels: { plan: 'not-installed:1b', implement: null, fix: null, review: 'llama3.2:3b' } });
    standin.enqueueChat(answer('plan', planJson({ files: [['src/math.js', 'add'], ['test/math.test.js', 'tests']] })));
    standin.enqueueChat(answer('implement', adder.buggy.replace('a - b', 'a + b')));
    standin.enqueueChat(answer('review', approve));
    const { task } = (await engine.invoke('tasks.create', { prompt: 'Write a tiny math library with tests.', kind: 'build', model: MODEL })) as { task: { id: string } };
    expect((await engine.waitForTask(task.id, 60_000)).status).toBe('succeeded');
    const all = await steps(task.id);
    const plan = all.find((s) => s.step === 'plan')!;
    expect(plan.model).toBe(MODEL);
    expect(plan.modelReason).toMatch(/not-installed:1b \(role setting for plan\) is not installed/);
    const review = all.find((s) => s.step === 'review')!;
    expect(review.model).toBe('llama3.2:3b');
    expect(chats().find((b) => stepOf(b) === 'review')!.model).toBe('llama3.2:3b');
  });
});
