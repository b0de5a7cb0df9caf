// Issue 18 §5: a project's temperature and system prompt (stored per project, real SQLite file)
// ride on every call of its turns: a chat turn and each step of a build, against the Ollama stand-in.
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodResult } from '../../shared/index.js';
import { isMacsError } from '../../shared/index.js';
import { createEngine, type Engine } from '../../electron/core/engine/index.js';
import { PROJECT_PROMPT_HEADING } from '../../electron/core/projects/index.js';
import { startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { adder, answer, approve } from '../fixtures/build-scripts.js';
import { tempDataDir } from './helpers.js';

const MODEL = 'qwen2.5-coder:7b';
let standin: OllamaStandin;
let dataDir: string;
let engine: Engine;

const open = () => createEngine({ dataDir, host: 'browser', version: 'test', ollamaHost: standin.url, queue: { pollMs: 50, retryBaseMs: 40 } });

beforeEach(async () => {
  standin = await startOllamaStandin({ models: [{ name: MODEL }] });
  standin.setDefaultChat({ text: 'File: a.txt\n```\nfirst\n```\n' });
  dataDir = tempDataDir('project-model-options');
  engine = open();
});
afterEach(async () => {
  await engine.close();
  await standin.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

interface ChatBody {
  messages: Array<{ role: string; content: string }>;
  options?: { temperature?: number };
}
const chatsSince = (n: number) => standin.requests.filter((r) => r.path === '/api/chat').slice(n).map((r) => r.body as ChatBody);
const chatCount = () => standin.requests.filter((r) => r.path === '/api/chat').length;

async function turn(prompt: string, extra: Record<string, unknown> = {}) {
  const { task } = (await engine.invoke('tasks.create', { prompt, model: MODEL, ...extra })) as MethodResult<'tasks.create'>;
  return engine.waitForTask(task.id, 60_000);
}

describe("a project's model options", () => {
  it('are stored, survive a restart, and go with every call of its chat and build turns', async () => {
    const first = await turn('Write a.txt');
    const projectId = first.projectId!;
    // Before: the steps' own temperature and MACS's system prompt alone.
    expect(chatsSince(0).every((b) => !b.messages[0].content.includes(PROJECT_PROMPT_HEADING))).toBe(true);

    const options = { temperature: 0.65, systemPrompt: 'Use tabs, never spaces.' };
    const { project } = (await engine.invoke('projects.update', { projectId, modelOptions: options })) as MethodResult<'projects.update'>;
    expect(project.modelOptions).toEqual(options);
    await engine.close();
    engine = open();
    const reread = (await engine.invoke('projects.get', { projectId })) as MethodResult<'projects.get'>;
    expect(reread.project.modelOptions).toEqual(options);

    let from = chatCount();
    await turn('Now change a.txt', { projectId });
    const chat = chatsSince(from);
    expect(chat.length).toBeGreaterThan(0);
    for (const body of chat) {
      expect(body.options?.temperature).toBe(0.65);
      const system = body.messages.find((m) => m.role === 'system')!;
      // Appended to ours, not instead of it.
      expect(system.content.length).toBeGreaterThan(200);
      expect(system.content.endsWith(`${PROJECT_PROMPT_HEADING}\nUse tabs, never spaces.`)).toBe(true);
    }

    from = chatCount();
    standin.enqueueChat(answer('plan', adder.plan));
    standin.enqueueChat(answer('implement', adder.buggy));
    standin.enqueueChat(answer('docs', adder.readme));
    standin.enqueueChat(answer('fix', adder.fixed));
    standin.enqueueChat(answer('review', approve));
    expect((await turn('an adder with tests', { projectId, kind: 'build' })).status).toBe('succeeded');
    const build = chatsSince(from);
    expect(build.length).toBeGreaterThanOrEqual(4);
    for (const body of build) {
      expect(body.options?.temperature).toBe(0.65);
      expect(body.messages.find((m) => m.role === 'system')?.content).toContain('Use tabs, never spaces.');
    }

    // Back to the defaults: nothing of them is sent.
    await engine.invoke('projects.update', { projectId, modelOptions: { temperature: null, systemPrompt: '  ' } });
    from = chatCount();
    await turn('once more', { projectId });
    for (const body of chatsSince(from)) {
      expect(body.options?.temperature).not.toBe(0.65);
      expect(body.messages[0].content).not.toContain(PROJECT_PROMPT_HEADING);
    }
  });

  it('refuses a temperature out of range with a sentence', async () => {
    const first = await turn('Write a.txt');
    const err = await engine.invoke('projects.update', { projectId: first.projectId!, modelOptions: { temperature: 3, systemPrompt: '' } }).catch((e: unknown) => e);
    expect(isMacsError(err)).toBe(true);
    expect(JSON.stringify(err)).toMatch(/2 at most/);
  });
});
