// keep_alive (Settings → keepAliveMinutes, default 30): every model request, chat turns and
// build steps alike, asks Ollama to keep the model loaded, so the next step or turn finds it.
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/core/engine/index.js';
import { startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { openEngine, tempDataDir } from './helpers.js';

let standin: OllamaStandin;
let engine: Engine;
let dataDir: string;

beforeEach(async () => {
  standin = await startOllamaStandin();
  dataDir = tempDataDir('keep-alive');
  engine = openEngine(dataDir, standin.url);
});

afterEach(async () => {
  await engine.close();
  await standin.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function chatTurn(): Promise<unknown> {
  const { task } = (await engine.invoke('tasks.create', { prompt: 'Say hi.', model: 'qwen2.5-coder:7b' })) as { task: { id: string } };
  expect((await engine.waitForTask(task.id, 20_000)).status).toBe('succeeded');
  return (standin.requests.filter((r) => r.path === '/api/chat').at(-1)!.body as { keep_alive?: unknown }).keep_alive;
}

describe('keep_alive', () => {
  it('a chat turn sends the setting as a duration (30m by default), -1 to keep the model loaded', async () => {
    expect(await chatTurn()).toBe('30m');
    await engine.invoke('settings.update', { keepAliveMinutes: 5 });
    expect(await chatTurn()).toBe('5m');
    await engine.invoke('settings.update', { keepAliveMinutes: -1 });
    expect(await chatTurn()).toBe(-1);
  });
});
