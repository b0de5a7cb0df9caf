// Issue 18 §2: a turn fails because its model is not installed; the error names the model and its
// host (what the notice's Pull button pulls), the pull runs through the engine with progress, and
// the task then runs again and succeeds. Real SQLite file, the Ollama stand-in.
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodResult, PullProgress } from '../../shared/index.js';
import { createEngine, type Engine } from '../../electron/core/engine/index.js';
import { describeError } from '../../renderer/src/lib/error-text.js';
import { startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { tempDataDir, waitFor } from './helpers.js';

const INSTALLED = 'qwen2.5-coder:7b';
const MISSING = 'qwen2.5-coder:3b'; // in the stand-in's registry, not installed
let standin: OllamaStandin;
let dataDir: string;
let engine: Engine;

beforeEach(async () => {
  standin = await startOllamaStandin({ models: [{ name: INSTALLED }], pullStepDelayMs: 5 });
  standin.setDefaultChat({ text: 'File: a.txt\n```\nhello\n```\n' });
  dataDir = tempDataDir('missing-model-pull');
  engine = createEngine({ dataDir, host: 'browser', version: 'test', ollamaHost: standin.url, queue: { pollMs: 50, retryBaseMs: 40 } });
});
afterEach(async () => {
  await engine.close();
  await standin.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('a task whose model is missing', () => {
  it('offers the pull of that model on its host; after the pull the task runs again and succeeds', async () => {
    const { task } = (await engine.invoke('tasks.create', { prompt: 'Write a.txt', model: MISSING })) as MethodResult<'tasks.create'>;
    const failed = await engine.waitForTask(task.id, 20_000);
    expect(failed.status).toBe('failed');
    expect(failed.error?.code).toBe('MODEL_NOT_FOUND');

    // What the notice shows: a Pull of this model on this host, not "pull it in Models".
    const notice = describeError(failed.error!, { model: failed.model });
    expect(notice.missingModel).toEqual({ name: MISSING, host: standin.url });
    expect(notice.text).not.toMatch(/in Models/);

    const progress: PullProgress[] = [];
    engine.onTopic((topic, payload) => {
      if (topic === 'models.pull.progress') progress.push(payload as PullProgress);
    });
    await engine.invoke('models.pull', { name: notice.missingModel!.name, host: notice.missingModel!.host! });
    await waitFor(() => progress.some((p) => p.done), 20_000);
    const last = progress.at(-1)!;
    expect(last).toMatchObject({ name: MISSING, done: true, error: null, cancelled: false });
    expect(progress.some((p) => !p.done && p.totalBytes > 0)).toBe(true);

    await engine.invoke('tasks.retry', { taskId: task.id });
    const again = await engine.waitForTask(task.id, 20_000);
    expect(again.status).toBe('succeeded');
    expect(standin.requests.filter((r) => r.path === '/api/chat').at(-1)?.body).toMatchObject({ model: MISSING });
  });
});
