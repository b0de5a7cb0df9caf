import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodResult } from '../../shared/index.js';
import type { Engine } from '../../electron/core/engine/index.js';
import { startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { closedPort, openEngine, tempDataDir } from './helpers.js';

const ANSWER = 'File: a.txt\n```\nhi\n```\n';
let local: OllamaStandin;
let gpuBox: OllamaStandin;
let dataDir: string;
let engine: Engine;

beforeEach(async () => {
  local = await startOllamaStandin({ models: [{ name: 'llama3.2:3b' }], defaultChat: { text: ANSWER } });
  gpuBox = await startOllamaStandin({ models: [{ name: 'qwen2.5-coder:32b' }, { name: 'llama3.2:3b' }], defaultChat: { text: ANSWER } });
  dataDir = tempDataDir('hosts');
  engine = openEngine(dataDir, local.url);
});
afterEach(async () => {
  await engine.close();
  await local.close();
  await gpuBox.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const chats = (s: OllamaStandin) => s.requests.filter((r) => r.path === '/api/chat').length;

describe('several Ollama hosts', () => {
  it('routes a task to the host that has its model, default host first', async () => {
    const down = `http://127.0.0.1:${await closedPort()}`;
    await engine.invoke('settings.update', { extraOllamaHosts: [down, gpuBox.url] });

    const big = ((await engine.invoke('tasks.create', { prompt: 'p', model: 'qwen2.5-coder:32b' })) as MethodResult<'tasks.create'>).task;
    expect(big.host).toBe(gpuBox.url);
    expect((await engine.waitForTask(big.id, 10_000)).status).toBe('succeeded');
    expect([chats(local), chats(gpuBox)]).toEqual([0, 1]);

    const small = ((await engine.invoke('tasks.create', { prompt: 'p', model: 'llama3.2:3b' })) as MethodResult<'tasks.create'>).task;
    expect(small.host).toBeNull(); // the default host has it: stays local
    expect((await engine.waitForTask(small.id, 10_000)).status).toBe('succeeded');
    expect([chats(local), chats(gpuBox)]).toEqual([1, 1]);
  });

  it('a model no host has fails on the default host with MODEL_NOT_FOUND naming it', async () => {
    await engine.invoke('settings.update', { extraOllamaHosts: [gpuBox.url] });
    const task = ((await engine.invoke('tasks.create', { prompt: 'p', model: 'ghost:1b' })) as MethodResult<'tasks.create'>).task;
    const final = await engine.waitForTask(task.id, 10_000);
    expect(final.error).toMatchObject({ code: 'MODEL_NOT_FOUND' });
    expect(final.error!.message).toContain(local.url);
  });

  it('an explicit host wins', async () => {
    await engine.invoke('settings.update', { extraOllamaHosts: [gpuBox.url] });
    const task = ((await engine.invoke('tasks.create', { prompt: 'p', model: 'llama3.2:3b', host: gpuBox.url })) as MethodResult<'tasks.create'>).task;
    await engine.waitForTask(task.id, 10_000);
    expect([chats(local), chats(gpuBox)]).toEqual([0, 1]);
  });
});

describe('per-model limit is per host', () => {
  it('the same model runs once on each host at the same time', async () => {
    await engine.invoke('settings.update', { extraOllamaHosts: [gpuBox.url], maxConcurrentTasks: 4, maxConcurrentPerModel: 1 });
    local.setDefaultChat({ text: ANSWER, firstTokenDelayMs: 300 });
    gpuBox.setDefaultChat({ text: ANSWER, firstTokenDelayMs: 300 });
    const a = ((await engine.invoke('tasks.create', { prompt: 'a', model: 'llama3.2:3b' })) as MethodResult<'tasks.create'>).task;
    const b = ((await engine.invoke('tasks.create', { prompt: 'b', model: 'llama3.2:3b', host: gpuBox.url })) as MethodResult<'tasks.create'>).task;
    const c = ((await engine.invoke('tasks.create', { prompt: 'c', model: 'llama3.2:3b' })) as MethodResult<'tasks.create'>).task;
    await new Promise((r) => setTimeout(r, 150));
    const byId = new Map(((await engine.invoke('tasks.list', {})) as MethodResult<'tasks.list'>).tasks.map((t) => [t.id, t.status]));
    expect([byId.get(a.id), byId.get(b.id), byId.get(c.id)]).toEqual(['running', 'running', 'queued']);
    for (const t of [a, b, c]) expect((await engine.waitForTask(t.id, 10_000)).status).toBe('succeeded');
  });
});
