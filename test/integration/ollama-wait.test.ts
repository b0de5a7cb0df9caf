/**
 * Ollama stopped or restarting does not kill a task: it waits (Settings → ollamaWaitMinutes),
 * tries again with backoff, and goes on the moment the host answers again.
 */
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodResult, Task, TaskEvent } from '../../shared/index.js';
import { createEngine, type Engine } from '../../electron/core/engine/index.js';
import { startOllamaStandin, type ChatScript, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { closedPort, tempDataDir, waitFor } from './helpers.js';

const MODEL = 'qwen2.5-coder:7b';
const ANSWER = 'File: a.txt\n```\nhello\n```\n';

let dataDir: string;
const engines: Engine[] = [];
const standins: OllamaStandin[] = [];

beforeEach(() => {
  dataDir = tempDataDir('ollama-wait');
});
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close().catch(() => undefined);
  for (const s of standins.splice(0)) await s.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function standinOn(port?: number, defaultChat: ChatScript = { text: ANSWER }): Promise<OllamaStandin> {
  const s = await startOllamaStandin({ port, models: [{ name: MODEL }], defaultChat });
  standins.push(s);
  return s;
}

function engine(host: string, opts: { monitorOllama?: boolean; waitFirstMs?: number; waitMaxMs?: number; cli?: boolean } = {}): Engine {
  const e = createEngine({
    dataDir,
    host: opts.cli ? 'cli' : 'browser',
    version: 'test',
    ollamaHost: host,
    runsQueue: !opts.cli,
    monitorOllama: opts.monitorOllama,
    queue: { retryBaseMs: 40, pollMs: 50, recoverEveryMs: 100, leaseMs: 2000, heartbeatMs: 200, ollamaWaitFirstMs: opts.waitFirstMs ?? 100, ollamaWaitMaxMs: opts.waitMaxMs ?? 400 },
  });
  engines.push(e);
  return e;
}

async function create(e: Engine, extra: Record<string, unknown> = {}): Promise<Task> {
  return ((await e.invoke('tasks.create', { prompt: 'p', model: MODEL, ...extra })) as MethodResult<'tasks.create'>).task;
}

async function eventsOf(e: Engine, taskId: string): Promise<TaskEvent[]> {
  return ((await e.invoke('tasks.events', { taskId })) as MethodResult<'tasks.events'>).events;
}

function waits(events: TaskEvent[]) {
  return events.filter((ev) => ev.type === 'status' && ev.data.reason === 'waiting for Ollama').map((ev) => ev.data as { retryInMs?: number; error?: { code: string; details?: { host?: string } } });
}

describe('waiting for Ollama', () => {
  it('a task whose Ollama is down waits instead of burning its attempts, then runs when Ollama comes up', async () => {
    const port = await closedPort();
    const host = `http://127.0.0.1:${port}`;
    const e = engine(host);
    const task = await create(e, { maxAttempts: 3 });
    // Before: three attempts in a couple of seconds, then failed.
    await new Promise((r) => setTimeout(r, 2500));
    const waiting = (await e.invoke('tasks.get', { taskId: task.id })) as MethodResult<'tasks.get'>;
    expect(waiting.task.status).not.toBe('failed');
    const w = waits(await eventsOf(e, task.id));
    expect(w.length).toBeGreaterThan(0);
    expect(w[0].error?.code).toBe('OLLAMA_UNREACHABLE');
    expect(w[0].error?.details?.host).toBe(host);
    expect(w[0].retryInMs).toBeGreaterThan(0);
    // Waiting does not use up the task's attempts.
    expect(waiting.task.maxAttempts - waiting.task.attempts).toBeGreaterThanOrEqual(2);

    await standinOn(port);
    const final = await e.waitForTask(task.id, 10_000);
    expect(final.status).toBe('succeeded');
  }, 30_000);

  it('the CLI (which runs only its own task) waits too, and runs its task when Ollama comes up', async () => {
    const port = await closedPort();
    const e = engine(`http://127.0.0.1:${port}`, { cli: true });
    const task = await create(e, { maxAttempts: 3 });
    await new Promise((r) => setTimeout(r, 1500));
    await standinOn(port);
    const final = await e.waitForTask(task.id, 10_000);
    expect(final.status).toBe('succeeded');
  }, 30_000);

  it('Ollama going away mid-answer on the last attempt is a wait, not the end of the task', async () => {
    const first = await standinOn(undefined, { text: `File: a.txt\n\`\`\`\n${'word '.repeat(300)}\n\`\`\`\n`, tokensPerSecond: 100 });
    const port = first.port;
    const e = engine(first.url);
    const task = await create(e, { maxAttempts: 1 });
    await waitFor(() => first.requests.some((r) => r.path === '/api/chat'), 10_000, 'the chat request');
    await new Promise((r) => setTimeout(r, 300));
    await first.close();
    standins.splice(standins.indexOf(first), 1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(((await e.invoke('tasks.get', { taskId: task.id })) as MethodResult<'tasks.get'>).task.status).toBe('queued');
    await standinOn(port);
    const final = await e.waitForTask(task.id, 15_000);
    expect(final.status).toBe('succeeded');
  }, 40_000);

  it('gives up after the configured wait, saying how long it waited', async () => {
    const host = `http://127.0.0.1:${await closedPort()}`;
    const e = engine(host);
    await e.invoke('settings.update', { ollamaWaitMinutes: 0.02 }); // 1.2 s
    const started = Date.now();
    const final = await e.waitForTask((await create(e, { maxAttempts: 3 })).id, 15_000);
    expect(final.status).toBe('failed');
    expect(final.error?.code).toBe('OLLAMA_UNREACHABLE');
    expect(final.error?.message).toMatch(/waited/i);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1100);
  }, 30_000);

  it('ollamaWaitMinutes 0: no waiting, the task fails with OLLAMA_UNREACHABLE as before', async () => {
    const e = engine(`http://127.0.0.1:${await closedPort()}`);
    await e.invoke('settings.update', { ollamaWaitMinutes: 0 });
    const final = await e.waitForTask((await create(e)).id, 15_000);
    expect(final).toMatchObject({ status: 'failed', error: { code: 'OLLAMA_UNREACHABLE' } });
  }, 30_000);

  it('Ollama stopped for 20 s mid-answer: the task still finishes, resumed within a poll of Ollama coming back', async () => {
    const long = `File: story.txt\n\`\`\`\n${'word '.repeat(400)}\n\`\`\`\n`;
    const first = await standinOn(undefined, { text: long });
    first.setDefaultChat({ text: long, tokensPerSecond: 40 });
    const port = first.port;
    // Real polling (5 s) and the real backoff cap (20 s): the monitor, not the backoff, brings it back.
    const e = engine(first.url, { monitorOllama: true, waitFirstMs: 2000, waitMaxMs: 20_000 });
    const task = await create(e, { maxAttempts: 3 });
    await waitFor(() => first.requests.some((r) => r.path === '/api/chat'), 10_000, 'the first chat request');
    await new Promise((r) => setTimeout(r, 500)); // mid-answer
    await first.close();
    standins.splice(standins.indexOf(first), 1);
    await new Promise((r) => setTimeout(r, 20_000));
    const during = (await e.invoke('tasks.get', { taskId: task.id })) as MethodResult<'tasks.get'>;
    expect(during.task.status).toBe('queued');
    expect(during.task.error?.code).toBe('OLLAMA_UNREACHABLE');

    const back = await standinOn(port, { text: ANSWER });
    const backAt = Date.now();
    const final = await e.waitForTask(task.id, 30_000);
    expect(final.status).toBe('succeeded');
    // The 20 s backoff would have ended later; the 5 s monitor poll woke it.
    const resumedMs = Date.now() - backAt;
    console.info(`ollama-wait: finished ${resumedMs} ms after Ollama came back`);
    expect(resumedMs).toBeLessThan(8000);
    expect(back.requests.some((r) => r.path === '/api/chat')).toBe(true);
    const { files } = (await e.invoke('tasks.get', { taskId: task.id })) as MethodResult<'tasks.get'>;
    expect(files.map((f) => [f.path, f.state])).toEqual([['a.txt', 'written']]);
  }, 90_000);
});

describe('waiting for Ollama: cancel', () => {
  it('a task waiting for Ollama is cancelled at once and never runs when Ollama comes back', async () => {
    const port = await closedPort();
    const e = engine(`http://127.0.0.1:${port}`);
    const task = await create(e);
    await new Promise((r) => setTimeout(r, 800));
    const { task: cancelled } = (await e.invoke('tasks.cancel', { taskId: task.id })) as MethodResult<'tasks.cancel'>;
    expect(cancelled.status).toBe('cancelled');
    const s = await standinOn(port);
    await new Promise((r) => setTimeout(r, 1000));
    expect(s.requests.filter((r) => r.path === '/api/chat')).toHaveLength(0);
    expect(((await e.invoke('tasks.get', { taskId: task.id })) as MethodResult<'tasks.get'>).task.status).toBe('cancelled');
  }, 20_000);
});
