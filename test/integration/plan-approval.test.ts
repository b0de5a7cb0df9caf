// Settings → review plans first: a build stops after its plan until tasks.approvePlan (as is or
// edited); cancel ends the wait; a crash while waiting resumes waiting on the stored plan with
// no new model call; with the setting off nothing changes. Real SQLite files, the Ollama stand-in.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Plan, StepRecord, Task, TaskEvent } from '../../shared/index.js';
import type { Engine } from '../../electron/core/engine/index.js';
import { openDatabase } from '../../electron/core/db/index.js';
import { TaskStore } from '../../electron/core/tasks/index.js';
import { startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { answer, approve, filesAnswer, planJson, stepOf } from '../fixtures/build-scripts.js';
import { openEngine, tempDataDir, waitFor } from './helpers.js';

const ROOT = path.resolve(__dirname, '../..');
const MODEL = 'qwen2.5-coder:7b';
let standin: OllamaStandin;
let engine: Engine | undefined;
let dataDir: string;
const children: ChildProcess[] = [];

beforeEach(async () => {
  standin = await startOllamaStandin();
  dataDir = tempDataDir('plan-approval');
});

afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  await engine?.close();
  engine = undefined;
  await standin.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const PLAN = planJson({ files: [['src/math.js', 'add'], ['test/math.test.js', 'tests']] });
const TEST = "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { add } from '../src/sum.js';\n\ntest('adds', () => assert.equal(add(2, 3), 5));\n";
const SUM_FILES = filesAnswer({ 'src/sum.js': 'export function add(a, b) {\n  return a + b;\n}\n', 'test/math.test.js': TEST, 'package.json': '{ "type": "module" }\n' });

const chats = () => standin.requests.filter((r) => r.path === '/api/chat').map((r) => r.body as Record<string, unknown>);
const asked = (step: string) => chats().filter((b) => stepOf(b) === step).length;
const steps = async (taskId: string) => ((await engine!.invoke('tasks.steps', { taskId })) as { steps: StepRecord[] }).steps;
const pending = async (taskId: string) => (await engine!.invoke('tasks.pendingPlan', { taskId })) as { waiting: boolean; planVersion: number | null; plan: Plan | null };
const events = async (taskId: string) => ((await engine!.invoke('tasks.events', { taskId })) as { events: TaskEvent[] }).events;

async function createBuild(): Promise<Task> {
  const { task } = (await engine!.invoke('tasks.create', { prompt: 'Write a tiny math library with tests.', kind: 'build', model: MODEL })) as { task: Task };
  return task;
}

async function untilWaiting(taskId: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await pending(taskId)).waiting) {
    if (Date.now() > deadline) throw new Error('the build never waited for its plan');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('review plans first', () => {
  it('waits after the plan (no implement request) until approved; the edited plan is what implement writes', async () => {
    standin.enqueueChat(answer('plan', PLAN));
    standin.enqueueChat(answer('implement', SUM_FILES));
    standin.enqueueChat(answer('review', approve));
    engine = openEngine(dataDir, standin.url);
    await engine.invoke('settings.update', { reviewPlansFirst: true });
    const task = await createBuild();
    expect(task.metadata).toMatchObject({ reviewPlansFirst: true });
    // Captured at creation: switching the setting off now does not let this build run on.
    await engine.invoke('settings.update', { reviewPlansFirst: false });
    await untilWaiting(task.id);
    await new Promise((r) => setTimeout(r, 800));
    expect(asked('implement')).toBe(0);
    expect((await engine.invoke('tasks.get', { taskId: task.id }) as { task: Task }).task.status).toBe('running');
    expect((await events(task.id)).some((e) => e.type === 'log' && /waiting for your approval/.test(e.data.message))).toBe(true);

    const shown = (await pending(task.id)).plan!;
    expect(shown.files.map((f) => f.path)).toEqual(['src/math.js', 'test/math.test.js']);
    // Refusals name the field.
    await expect(engine.invoke('tasks.approvePlan', { taskId: task.id, plan: { ...shown, files: [] } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(engine.invoke('tasks.approvePlan', { taskId: task.id, plan: { ...shown, files: [{ path: '../escape.js', purpose: 'x' }] } })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('plan.files[0].path'),
    });

    const edited: Plan = { ...shown, files: [{ path: 'src/sum.js', purpose: 'add' }, shown.files[1]] };
    await engine.invoke('tasks.approvePlan', { taskId: task.id, plan: edited });
    const final = await engine.waitForTask(task.id, 60_000);
    expect(final.error).toBeNull();
    expect(final.status).toBe('succeeded');
    // The user's part of the request (the system prompt's example names src/math.js of its own).
    const implementAsk = JSON.stringify((chats().find((b) => stepOf(b) === 'implement')!.messages as Array<{ role: string }>).filter((m) => m.role !== 'system'));
    expect(implementAsk).toContain('src/sum.js');
    expect(implementAsk).not.toContain('src/math.js');
    expect(fs.existsSync(path.join(final.workspacePath, 'src/sum.js'))).toBe(true);
    expect(fs.existsSync(path.join(final.workspacePath, 'src/math.js'))).toBe(false);
    const plans = (await steps(task.id)).filter((s) => s.step === 'plan');
    expect(plans.map((s) => `${s.version}:${s.status}`)).toEqual(['1:succeeded', '2:succeeded']);
    expect(plans[1].summary).toMatch(/^edited and approved by you/);
    expect(asked('plan')).toBe(1);
    await expect(engine.invoke('tasks.approvePlan', { taskId: task.id })).rejects.toMatchObject({ code: 'PLAN_NOT_WAITING' });
  }, 90_000);

  it('cancel while waiting ends the build cancelled, with no implement request', async () => {
    standin.enqueueChat(answer('plan', PLAN));
    engine = openEngine(dataDir, standin.url);
    await engine.invoke('settings.update', { reviewPlansFirst: true });
    const task = await createBuild();
    await untilWaiting(task.id);
    await engine.invoke('tasks.cancel', { taskId: task.id });
    expect((await engine.waitForTask(task.id, 10_000)).status).toBe('cancelled');
    expect(asked('implement')).toBe(0);
    expect((await pending(task.id)).waiting).toBe(false);
    await expect(engine.invoke('tasks.approvePlan', { taskId: task.id })).rejects.toMatchObject({ code: 'PLAN_NOT_WAITING' });
  }, 60_000);

  it('a crash while waiting: the next attempt waits again on the stored plan, with no new plan request', async () => {
    standin.enqueueChat(answer('plan', PLAN));
    const db = openDatabase(path.join(dataDir, 'macs.db'));
    const id = 'crash-while-waiting';
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
      metadata: { reviewPlansFirst: true },
    });
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/queue-worker-process.ts'], {
      cwd: ROOT,
      env: { ...process.env, MACS_DATA_DIR: dataDir, OLLAMA_HOST: standin.url },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    await waitFor(() => db.prepare(`SELECT 1 FROM task_steps WHERE task_id = ? AND step = 'plan' AND status = 'succeeded'`).get(id) !== undefined, 45_000, 'the plan');
    db.close();
    child.kill('SIGKILL');

    standin.enqueueChat(answer('implement', SUM_FILES.replaceAll('sum.js', 'math.js')));
    standin.enqueueChat(answer('review', approve));
    engine = openEngine(dataDir, standin.url);
    // Recovered (lease expiry) and waiting again.
    const deadline = Date.now() + 45_000;
    while (!((await engine.invoke('tasks.get', { taskId: id })) as { task: Task }).task.attempts || ((await engine.invoke('tasks.get', { taskId: id })) as { task: Task }).task.attempts < 2) {
      if (Date.now() > deadline) throw new Error('the task was not recovered');
      await new Promise((r) => setTimeout(r, 100));
    }
    await untilWaiting(id);
    await new Promise((r) => setTimeout(r, 500));
    expect(asked('plan')).toBe(1);
    expect(asked('implement')).toBe(0);
    await engine.invoke('tasks.approvePlan', { taskId: id });
    const final = await engine.waitForTask(id, 60_000);
    expect(final.status).toBe('succeeded');
    expect(asked('plan')).toBe(1);
    const plans = (await steps(id)).filter((s) => s.step === 'plan');
    expect(plans.at(-1)!.summary).toMatch(/^approved by you/);
  }, 120_000);

  it('with the setting off (the default) the build runs straight through and approvePlan is refused', async () => {
    standin.enqueueChat(answer('plan', PLAN));
    standin.enqueueChat(answer('implement', SUM_FILES.replaceAll('sum.js', 'math.js')));
    standin.enqueueChat(answer('review', approve));
    engine = openEngine(dataDir, standin.url);
    expect(((await engine.invoke('settings.get', {})) as { reviewPlansFirst: boolean }).reviewPlansFirst).toBe(false);
    const task = await createBuild();
    expect(task.metadata?.reviewPlansFirst).toBeUndefined();
    expect((await engine.waitForTask(task.id, 60_000)).status).toBe('succeeded');
    expect((await steps(task.id)).filter((s) => s.step === 'plan')).toHaveLength(1);
    await expect(engine.invoke('tasks.approvePlan', { taskId: task.id })).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
  }, 60_000);
});
