import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodResult, Task, TaskEvent } from '../../shared/index.js';
import { createEngine, type Engine } from '../../electron/core/engine/index.js';
import { openDatabase } from '../../electron/core/db/index.js';
import { TaskQueue } from '../../electron/core/queue/index.js';
import { TaskStore } from '../../electron/core/tasks/index.js';
import { ollamaErrors, startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { deltaText, recordFrames, tempDataDir, waitFor } from './helpers.js';

const ROOT = path.resolve(__dirname, '../..');
const ANSWER = 'File: a.txt\n```\nhello\n```\n';
const MODEL = 'qwen2.5-coder:7b';

let standin: OllamaStandin;
let dataDir: string;
const engines: Engine[] = [];
const children: ChildProcess[] = [];

beforeEach(async () => {
  standin = await startOllamaStandin({ models: [{ name: MODEL }, { name: 'llama3.2:3b' }] });
  standin.setDefaultChat({ text: ANSWER });
  dataDir = tempDataDir('queue');
});
afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const e of engines.splice(0)) await e.close().catch(() => undefined);
  await standin.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function engine(opts: { maxConcurrentTasks?: number; maxConcurrentPerModel?: number; runsQueue?: boolean } = {}): Engine {
  const e = createEngine({
    dataDir,
    host: 'browser',
    version: 'test',
    ollamaHost: standin.url,
    runsQueue: opts.runsQueue,
    // A lease long enough for a loaded 2-core machine: a stalled event loop must not look like a dead worker.
    queue: { retryBaseMs: 40, pollMs: 50, recoverEveryMs: 100, leaseMs: 2000, heartbeatMs: 200 },
  });
  engines.push(e);
  return e;
}

async function settings(e: Engine, patch: Record<string, number>) {
  await e.invoke('settings.update', patch);
}

async function create(e: Engine, extra: Record<string, unknown> = {}): Promise<Task> {
  return ((await e.invoke('tasks.create', { prompt: 'p', model: MODEL, ...extra })) as MethodResult<'tasks.create'>).task;
}

function statuses(events: TaskEvent[]): string[] {
  return events.filter((e) => e.type === 'status').map((e) => (e.data as { status: string }).status);
}

async function eventsOf(e: Engine, taskId: string): Promise<TaskEvent[]> {
  return ((await e.invoke('tasks.events', { taskId })) as MethodResult<'tasks.events'>).events;
}

describe('queue: states, retries, limits', () => {
  it('queued → running → succeeded, every transition an event, one attempt recorded', async () => {
    const e = engine();
    const task = await create(e);
    expect(task.status === 'queued' || task.status === 'running').toBe(true);
    const final = await e.waitForTask(task.id);
    expect(final).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(statuses(await eventsOf(e, task.id))).toEqual(['queued', 'running', 'succeeded']);
    const { attempts } = (await e.invoke('tasks.attempts', { taskId: task.id })) as MethodResult<'tasks.attempts'>;
    expect(attempts).toEqual([expect.objectContaining({ attempt: 1, outcome: 'succeeded', worker: e.workerId })]);
  });

  it('retries transient faults with growing backoff, then succeeds; attempts are recorded', async () => {
    standin.enqueueChat({ error: { status: 503, message: 'server busy' } });
    standin.enqueueChat({ error: { status: 502, message: 'bad gateway' } });
    standin.enqueueChat({ text: ANSWER });
    const e = engine();
    const task = await create(e, { maxAttempts: 4 });
    const final = await e.waitForTask(task.id, 10_000);
    expect(final).toMatchObject({ status: 'succeeded', attempts: 3 });
    const events = await eventsOf(e, task.id);
    expect(statuses(events)).toEqual(['queued', 'running', 'queued', 'running', 'queued', 'running', 'succeeded']);
    const retries = events.filter((ev) => ev.type === 'status' && ev.data.reason === 'retry').map((ev) => (ev.data as { retryInMs: number }).retryInMs);
    // Equal jitter: attempt n waits between half and all of base·2^(n−1).
    expect(retries[0]).toBeGreaterThanOrEqual(20);
    expect(retries[0]).toBeLessThanOrEqual(40);
    expect(retries[1]).toBeGreaterThanOrEqual(40);
    expect(retries[1]).toBeLessThanOrEqual(80);
    const chats = standin.requests.filter((r) => r.path === '/api/chat').map((r) => r.at);
    expect(chats[1] - chats[0]).toBeGreaterThanOrEqual(retries[0] - 5);
    const { attempts } = (await e.invoke('tasks.attempts', { taskId: task.id })) as MethodResult<'tasks.attempts'>;
    expect(attempts.map((a) => [a.outcome, a.error?.code ?? null])).toEqual([
      ['retrying', 'OLLAMA_ERROR'],
      ['retrying', 'OLLAMA_ERROR'],
      ['succeeded', null],
    ]);
  });

  it('gives up after maxAttempts with the last error, and never retries a missing model', async () => {
    for (let i = 0; i < 2; i++) standin.enqueueChat({ error: { status: 500, message: `error reading llama-server response ${i}` } });
    const e = engine();
    const failed = await e.waitForTask((await create(e, { maxAttempts: 2 })).id, 10_000);
    expect(failed).toMatchObject({ status: 'failed', attempts: 2, error: { code: 'OLLAMA_ERROR' } });
    expect(failed.error!.message).toContain('response 1');
    // The last attempt is recorded as failed, not "retrying".
    const { attempts } = (await e.invoke('tasks.attempts', { taskId: failed.id })) as MethodResult<'tasks.attempts'>;
    expect(attempts.map((a) => a.outcome)).toEqual(['retrying', 'failed']);

    const missing = await e.waitForTask((await create(e, { model: 'ghost:1b', maxAttempts: 5 })).id, 10_000);
    expect(missing).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'MODEL_NOT_FOUND' } });
  });

  it('a task cancelled while its retry waits ends with its last attempt failed, not "retrying" (also on an older database)', async () => {
    standin.enqueueChat({ error: { status: 503, message: 'server busy' } });
    const e = createEngine({
      dataDir,
      host: 'browser',
      version: 'test',
      ollamaHost: standin.url,
      queue: { retryBaseMs: 60_000, pollMs: 50, recoverEveryMs: 100, leaseMs: 2000, heartbeatMs: 200 },
    });
    engines.push(e);
    const task = await create(e, { maxAttempts: 3 });
    const db = openDatabase(path.join(dataDir, 'macs.db'));
    const outcomeOf = db.prepare(`SELECT outcome FROM task_attempts WHERE task_id = ? AND attempt = 1`).pluck();
    await waitFor(() => outcomeOf.get(task.id) === 'retrying', 5000, 'retry scheduled');
    expect(((await e.invoke('tasks.cancel', { taskId: task.id })) as MethodResult<'tasks.cancel'>).task.status).toBe('cancelled');
    const after = (await e.invoke('tasks.attempts', { taskId: task.id })) as MethodResult<'tasks.attempts'>;
    expect(after.attempts.map((a) => [a.outcome, a.error?.code ?? null])).toEqual([['failed', 'OLLAMA_ERROR']]);
    // A database written before cancels settled the attempt still says "retrying": it is read as failed.
    db.prepare(`UPDATE task_attempts SET outcome = 'retrying' WHERE task_id = ?`).run(task.id);
    db.close();
    const old = (await e.invoke('tasks.attempts', { taskId: task.id })) as MethodResult<'tasks.attempts'>;
    expect(old.attempts.map((a) => a.outcome)).toEqual(['failed']);
  });

  it('manual retry puts a failed task back in the queue as a new attempt', async () => {
    const e = engine();
    const failed = await e.waitForTask((await create(e, { model: 'ghost:1b' })).id);
    expect(failed.status).toBe('failed');
    standin.setModels([{ name: 'ghost:1b' }, { name: MODEL }]);
    await e.invoke('tasks.retry', { taskId: failed.id });
    const final = await e.waitForTask(failed.id, 10_000);
    expect(final).toMatchObject({ status: 'succeeded', attempts: 2, error: null });
    await expect(e.invoke('tasks.retry', { taskId: failed.id })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('runs higher priority first, FIFO within a priority, within the global limit', async () => {
    const e = engine();
    await settings(e, { maxConcurrentTasks: 1 });
    standin.enqueueChat({ text: ANSWER, firstTokenDelayMs: 300 }); // holds the only slot while we enqueue
    const blocker = await create(e, { prompt: 'blocker' });
    await waitFor(() => standin.requests.some((r) => r.path === '/api/chat'), 5000, 'blocker running');
    const order = ['low-1', 'high-1', 'low-2', 'high-2', 'mid'];
    const prio: Record<string, number> = { 'low-1': 0, 'high-1': 5, 'low-2': 0, 'high-2': 5, mid: 2 };
    const tasks = [];
    for (const name of order) tasks.push(await create(e, { prompt: name, priority: prio[name] }));
    for (const t of [blocker, ...tasks]) await e.waitForTask(t.id, 10_000);
    const prompts = standin.requests
      .filter((r) => r.path === '/api/chat')
      .map((r) => (r.body as { messages: { role: string; content: string }[] }).messages.at(-1)!.content);
    expect(prompts).toEqual(['blocker', 'high-1', 'high-2', 'mid', 'low-1', 'low-2']);
  });

  it('allows one running generation per model by default; other models run beside it', async () => {
    const e = engine();
    await settings(e, { maxConcurrentTasks: 4, maxConcurrentPerModel: 1 });
    standin.setDefaultChat({ text: ANSWER, firstTokenDelayMs: 250 });
    const a1 = await create(e);
    const a2 = await create(e);
    const b1 = await create(e, { model: 'llama3.2:3b' });
    await waitFor(() => standin.requests.filter((r) => r.path === '/api/chat').length >= 2, 5000, 'two chats');
    const snapshot = ((await e.invoke('tasks.list', {})) as MethodResult<'tasks.list'>).tasks;
    const byId = new Map(snapshot.map((t) => [t.id, t.status]));
    expect([byId.get(a1.id), byId.get(a2.id), byId.get(b1.id)]).toEqual(['running', 'queued', 'running']);
    for (const t of [a1, a2, b1]) expect((await e.waitForTask(t.id, 10_000)).status).toBe('succeeded');
  });

  it('cancels a queued task at once, without it ever reaching Ollama', async () => {
    const e = engine();
    await settings(e, { maxConcurrentTasks: 1 });
    standin.enqueueChat({ text: ANSWER, hangAfterTokens: 1 });
    const running = await create(e, { prompt: 'running' });
    await waitFor(() => standin.requests.some((r) => r.path === '/api/chat'), 5000, 'first task running');
    const queued = await create(e, { prompt: 'queued' });
    const started = Date.now();
    const { task } = (await e.invoke('tasks.cancel', { taskId: queued.id })) as MethodResult<'tasks.cancel'>;
    expect(Date.now() - started).toBeLessThan(100);
    expect(task.status).toBe('cancelled');
    expect(statuses(await eventsOf(e, queued.id))).toEqual(['queued', 'cancelled']);
    await e.invoke('tasks.cancel', { taskId: running.id });
    expect(standin.requests.filter((r) => r.path === '/api/chat')).toHaveLength(1);
  });

  it('recovers a task whose lease expired (owner vanished) and runs it again', async () => {
    // A "dead" worker claims the task with a short lease and never renews it.
    const db = openDatabase(path.join(dataDir, 'macs.db'));
    const store = new TaskStore(db);
    const queue = new TaskQueue(db, store);
    store.createTask({ id: 't-lease', kind: 'chat', title: 't', prompt: 'p', model: MODEL, numCtx: 2048, workspacePath: path.join(dataDir, 'workspaces', 't-lease'), priority: 0, maxAttempts: 3, metadata: null });
    expect(queue.claimTask('t-lease', 'other-host/1/dead', 200)).not.toBeNull();
    db.close();

    const e = engine();
    const final = await e.waitForTask('t-lease', 10_000);
    expect(final).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(statuses(await eventsOf(e, 't-lease'))).toEqual(['queued', 'running', 'interrupted', 'queued', 'running', 'succeeded']);
  });

  it('a graceful close puts the running task back in the queue; the next start finishes it', async () => {
    standin.enqueueChat({ text: ANSWER, hangAfterTokens: 2 });
    const first = engine();
    const task = await create(first);
    await waitFor(() => standin.requests.some((r) => r.path === '/api/chat'), 5000, 'running');
    await first.close();
    engines.splice(engines.indexOf(first), 1);
    const second = engine();
    const final = await second.waitForTask(task.id, 10_000);
    expect(final).toMatchObject({ status: 'succeeded', attempts: 2, maxAttempts: 4 });
  });
});

describe('queue: several processes on one database', () => {
  function startWorkerProcess(): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/queue-worker-process.ts'], {
      cwd: ROOT,
      env: { ...process.env, MACS_DATA_DIR: dataDir, OLLAMA_HOST: standin.url },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    return new Promise((resolve, reject) => {
      child.stdout!.on('data', (d) => String(d).includes('ready') && resolve(child));
      child.on('exit', (code) => reject(new Error(`worker exited ${code}`)));
    });
  }

  it('two processes racing for 40 tasks run each exactly once', async () => {
    // Enqueue straight into the database (no worker in this process), then let two processes race.
    const db = openDatabase(path.join(dataDir, 'macs.db'));
    const store = new TaskStore(db);
    // Limits above the task count: the race is then only between the two claimers.
    db.prepare(`INSERT INTO settings (key, value_json) VALUES ('maxConcurrentTasks', '64'), ('maxConcurrentPerModel', '64')`).run();
    const ids = Array.from({ length: 40 }, (_, i) => `race-${String(i).padStart(2, '0')}`);
    standin.setDefaultChat({ text: ANSWER, tokensPerSecond: 500, firstTokenDelayMs: 150 });
    await Promise.all([startWorkerProcess(), startWorkerProcess()]);
    // Trickle the tasks in from a third process so both pollers compete the whole time.
    for (const id of ids) {
      store.createTask({ id, kind: 'chat', title: id, prompt: id, model: MODEL, numCtx: 2048, workspacePath: path.join(dataDir, 'workspaces', id), priority: 0, maxAttempts: 1, metadata: null });
      await new Promise((r) => setTimeout(r, 15));
    }
    await waitFor(() => (db.prepare(`SELECT COUNT(*) FROM tasks WHERE status = 'succeeded'`).pluck().get() as number) === 40, 30_000, 'all 40 tasks');

    const prompts = standin.requests.filter((r) => r.path === '/api/chat').map((r) => (r.body as { messages: { content: string }[] }).messages.at(-1)!.content);
    expect(prompts.sort()).toEqual(ids);
    const attempts = db.prepare('SELECT task_id, COUNT(*) AS n, MIN(worker) AS w FROM task_attempts GROUP BY task_id').all() as { n: number; w: string }[];
    expect(attempts).toHaveLength(40);
    expect(attempts.every((a) => a.n === 1)).toBe(true);
    expect(new Set(attempts.map((a) => a.w)).size).toBe(2); // both processes did work
    for (const id of ids) {
      const events = store.listEvents(id);
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      expect(deltaText(events)).toBe(ANSWER);
    }
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('a task another process runs is published live to this process’s clients', async () => {
    const long = 'File: a.txt\n```\n' + 'line of text\n'.repeat(60) + '```\n';
    standin.setDefaultChat({ text: long, tokensPerSecond: 150 });
    await startWorkerProcess();
    const viewer = engine({ runsQueue: false }); // like a second UI host on the same data dir
    const rec = recordFrames(viewer);
    const updates: string[] = [];
    viewer.onTopic((topic, payload) => {
      if (topic === 'task.updated') updates.push((payload as { task: Task }).task.status);
    });
    const db = openDatabase(path.join(dataDir, 'macs.db'));
    const store = new TaskStore(db);
    store.createTask({ id: 'elsewhere', kind: 'chat', title: 't', prompt: 'p', model: MODEL, numCtx: 2048, workspacePath: path.join(dataDir, 'workspaces', 'elsewhere'), priority: 0, maxAttempts: 1, metadata: null });
    await waitFor(() => updates.includes('succeeded'), 20_000, 'the final state from the other process');
    const live = rec.events('elsewhere');
    expect(live.filter((e) => e.type === 'delta').length).toBeGreaterThan(0);
    // What arrived live is a gap-free run of the stored events, ending with the final status.
    const stored = store.listEvents('elsewhere');
    expect(live.map((e) => e.seq)).toEqual(stored.slice(stored.length - live.length).map((e) => e.seq));
    expect(live.at(-1)).toMatchObject({ type: 'status', data: { status: 'succeeded' } });
    db.close();
  });

  it('cancel from another process reaches the running work within 1 s', async () => {
    standin.setDefaultChat({ text: ANSWER, hangAfterTokens: 3 });
    await startWorkerProcess();
    const client = engine({ runsQueue: false }); // this process only enqueues and cancels
    const db = openDatabase(path.join(dataDir, 'macs.db'));
    const store = new TaskStore(db);
    store.createTask({ id: 'remote', kind: 'chat', title: 'remote', prompt: 'p', model: MODEL, numCtx: 2048, workspacePath: path.join(dataDir, 'workspaces', 'remote'), priority: 0, maxAttempts: 1, metadata: null });
    await waitFor(() => store.getTask('remote')?.status === 'running' && standin.requests.some((r) => r.path === '/api/chat'), 10_000, 'remote running');
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    const { task } = (await client.invoke('tasks.cancel', { taskId: 'remote' })) as MethodResult<'tasks.cancel'>;
    const elapsed = Date.now() - started;
    expect(task.status).toBe('cancelled');
    expect(elapsed).toBeLessThan(1000);
    await standin.waitForAbort(2000);
    db.close();
  });
});

describe('frames', () => {
  it('live frames of a retried task carry every transition', async () => {
    standin.enqueueChat({ error: { status: 503, message: 'busy' } });
    const e = engine();
    const rec = recordFrames(e);
    const task = await create(e);
    await e.waitForTask(task.id, 10_000);
    await waitFor(() => statuses(rec.events(task.id)).includes('succeeded'), 2000, 'final frame');
    expect(statuses(rec.events(task.id))).toEqual(['queued', 'running', 'queued', 'running', 'succeeded']);
  });
});

describe('queue: model crashes', () => {
  it('a deterministic crash mid-stream (GGML_ASSERT) fails at once with the runner text; one without a cause is tried once more', async () => {
    standin.enqueueChat({ text: ANSWER, midStreamError: { afterTokens: 2, message: 'an error was encountered while running the model: GGML_ASSERT(n_tokens_all <= cparams.n_batch) failed' } });
    const e = engine();
    const crashed = await e.waitForTask((await create(e, { maxAttempts: 3 })).id, 10_000);
    expect(crashed).toMatchObject({ status: 'failed', error: { code: 'MODEL_CRASHED', details: { deterministic: true } } });
    const tries = (await e.invoke('tasks.attempts', { taskId: crashed.id })) as MethodResult<'tasks.attempts'>;
    expect(tries.attempts.filter((a) => a.outcome === 'retrying')).toEqual([]);
    expect(crashed.error!.details!.ollamaMessage).toContain('GGML_ASSERT');

    const stopped = 'model runner has unexpectedly stopped, this may be due to resource limitations or an internal error, check ollama server logs for details';
    for (let i = 0; i < 3; i++) standin.enqueueChat({ text: ANSWER, midStreamError: { afterTokens: 2, message: stopped } });
    const twice = await e.waitForTask((await create(e, { maxAttempts: 3 })).id, 10_000);
    expect(twice).toMatchObject({ status: 'failed', error: { code: 'MODEL_CRASHED' } });
    const twiceTries = (await e.invoke('tasks.attempts', { taskId: twice.id })) as MethodResult<'tasks.attempts'>;
    expect(twiceTries.attempts.filter((a) => a.outcome === 'retrying')).toHaveLength(1);
  });
});

describe('queue: out of memory in the words of each Ollama version', () => {
  it.each([
    ['≥ 0.30, before the stream', { error: { status: 500, message: ollamaErrors.UNABLE_TO_LOAD_FULL_MODEL } }],
    ['≥ 0.30, llama-server startup', { error: { status: 500, message: ollamaErrors.llamaServerOutOfMemory() } }],
    ['≤ 0.29', { error: { status: 500, message: ollamaErrors.requiresMoreSystemMemory() } }],
    ['mid-stream (no status)', { text: ANSWER, midStreamError: { afterTokens: 2, message: ollamaErrors.errorWhileRunning('CUDA error: out of memory') } }],
  ])('%s → MODEL_OUT_OF_MEMORY on the first attempt, not retried', async (_label, script) => {
    for (let i = 0; i < 3; i++) standin.enqueueChat(script);
    const e = engine();
    const final = await e.waitForTask((await create(e, { maxAttempts: 3 })).id, 10_000);
    expect(final).toMatchObject({ status: 'failed', error: { code: 'MODEL_OUT_OF_MEMORY' } });
    // Not retried (an attempt "interrupted" by a lease lost on a loaded machine is not a retry).
    const { attempts } = (await e.invoke('tasks.attempts', { taskId: final.id })) as MethodResult<'tasks.attempts'>;
    expect(attempts.filter((a) => a.outcome === 'retrying')).toEqual([]);
    expect(attempts.at(-1)).toMatchObject({ outcome: 'failed', error: { code: 'MODEL_OUT_OF_MEMORY' } });
  });
});
