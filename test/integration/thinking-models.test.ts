// Thinking models end to end: the engine sends `think` only to models whose /api/show lists
// the capability, shows and stores the reasoning as `thinking` events, and never writes a file
// from it — whether Ollama splits it into message.thinking or it leaks into content
// (<think> tags, DeepSeek-R1's lone </think>, gpt-oss harmony channels). Build plans asked
// for with `format` still parse with thinking on.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodResult, TaskEvent } from '../../shared/index.js';
import type { Engine } from '../../electron/core/engine/index.js';
import { startOllamaStandin, type OllamaStandin, type StandinModel } from '../fixtures/ollama-standin/index.js';
import { adder, answer, approve, stepOf } from '../fixtures/build-scripts.js';
import { deltaText, openEngine, recordFrames, tempDataDir } from './helpers.js';

const MODELS: StandinModel[] = [
  { name: 'qwen2.5-coder:7b', size: 4_683_087_332, family: 'qwen2', parameterSize: '7.6B', quantizationLevel: 'Q4_K_M' },
  { name: 'qwen3:8b', size: 5_225_387_923, family: 'qwen3', parameterSize: '8.2B', quantizationLevel: 'Q4_K_M' },
  { name: 'gpt-oss:20b', size: 13_780_173_734, family: 'gptoss', parameterSize: '20.9B', quantizationLevel: 'MXFP4' },
  // Imported GGUFs whose templates have no thinking tags: no capability, reasoning leaks into content.
  { name: 'deepseek-r1-import:7b', size: 4_683_075_271, family: 'qwen2', parameterSize: '7.6B', quantizationLevel: 'Q4_K_M', thinking: false },
  { name: 'my-reasoner:latest', size: 4_683_075_271, family: 'qwen2', parameterSize: '7.6B', quantizationLevel: 'Q4_K_M', thinking: false },
  { name: 'gpt-oss-gguf:20b', size: 13_780_173_734, family: 'gptoss', parameterSize: '20.9B', quantizationLevel: 'MXFP4', thinking: false },
];

const DRAFT = ['The user wants a cleanup script. A first draft:', '', 'File: x.py', '```python', 'import os', 'os.system("rm -rf ~")', '```', '', 'No: that deletes the home folder. Only build/ must go.'].join('\n');
const ANSWER = ['Here is the script.', '', 'File: clean.py', '```python', 'import shutil', 'shutil.rmtree("build", ignore_errors=True)', '```', ''].join('\n');

let standin: OllamaStandin;
let dataDir: string;
let engine: Engine | null = null;

beforeEach(async () => {
  standin = await startOllamaStandin({ models: MODELS });
  dataDir = tempDataDir('thinking');
});
afterEach(async () => {
  await engine?.close().catch(() => undefined);
  engine = null;
  await standin.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const chatBodies = () => standin.requests.filter((r) => r.path === '/api/chat').map((r) => r.body as Record<string, unknown>);
const thinkingText = (events: TaskEvent[]) => events.map((e) => (e.type === 'thinking' ? e.data.text : '')).join('');

async function runChat(model: string, prompt = 'a script that deletes the build folder') {
  engine ??= openEngine(dataDir, standin.url);
  const rec = recordFrames(engine);
  const { task } = (await engine.invoke('tasks.create', { prompt, model })) as MethodResult<'tasks.create'>;
  const final = await engine.waitForTask(task.id, 20_000);
  return { final, events: rec.events(task.id) };
}

/** No file was ever opened from the draft, and only clean.py is on disk. */
function expectOnlyTheAnswersFile(events: TaskEvent[], workspace: string) {
  expect(events.filter((e) => e.type === 'file.open').map((e) => e.data)).toEqual([{ path: 'clean.py' }]);
  expect(JSON.stringify(events.filter((e) => e.type.startsWith('file.')))).not.toContain('rm -rf');
  expect(fs.existsSync(path.join(workspace, 'x.py'))).toBe(false);
  expect(fs.readFileSync(path.join(workspace, 'clean.py'), 'utf8')).toContain('shutil.rmtree');
}

describe('thinking models through the engine', () => {
  it('sends think: true to a model with the capability; reasoning streams as thinking events, is stored, and makes no file', async () => {
    standin.enqueueChat({ thinking: DRAFT, text: ANSWER, tokensPerSecond: 3000 });
    const { final, events } = await runChat('qwen3:8b');
    expect(final.status).toBe('succeeded');
    expect(chatBodies()[0].think).toBe(true);
    expect(thinkingText(events)).toBe(DRAFT);
    expect(deltaText(events)).toBe(ANSWER);
    // Reasoning comes first, then the answer.
    expect(events.findIndex((e) => e.type === 'thinking')).toBeLessThan(events.findIndex((e) => e.type === 'delta'));
    // Coalesced like deltas: far fewer events than tokens.
    expect(events.filter((e) => e.type === 'thinking').length).toBeLessThan(DRAFT.length / 8);
    expectOnlyTheAnswersFile(events, final.workspacePath);

    // Stored with the task: a reload rebuilds the reasoning.
    await engine!.close();
    engine = openEngine(dataDir, standin.url);
    const stored = (await engine.invoke('tasks.events', { taskId: final.id })) as MethodResult<'tasks.events'>;
    expect(thinkingText(stored.events)).toBe(DRAFT);
  });

  it('never sends think to a model without the capability (Ollama would answer 400)', async () => {
    standin.enqueueChat({ text: ANSWER });
    const { final } = await runChat('qwen2.5-coder:7b');
    expect(final.status).toBe('succeeded');
    expect(chatBodies()[0]).not.toHaveProperty('think');
  });

  it('the per-model switch turns thinking off: think: false is sent (Ollama would default it on)', async () => {
    engine = openEngine(dataDir, standin.url);
    await engine.invoke('settings.update', { thinkingModels: { 'qwen3:8b': false } });
    standin.enqueueChat({ thinking: DRAFT, text: ANSWER });
    const { final, events } = await runChat('qwen3:8b');
    expect(final.status).toBe('succeeded');
    expect(chatBodies()[0].think).toBe(false);
    expect(thinkingText(events)).toBe('');
  });

  it('gpt-oss gets a thinking level, not a boolean', async () => {
    standin.enqueueChat({ thinking: 'Plan the script.', text: ANSWER });
    const { final, events } = await runChat('gpt-oss:20b');
    expect(final.status).toBe('succeeded');
    expect(chatBodies()[0].think).toBe('medium');
    expect(thinkingText(events)).toBe('Plan the script.');
  });

  it('inline <think> in content (no server-side parsing): the draft is reasoning, not a file', async () => {
    standin.enqueueChat({ thinking: DRAFT, thinkingShape: 'inline', text: ANSWER, tokensPerSecond: 3000 });
    const { final, events } = await runChat('my-reasoner:latest');
    expect(final.status).toBe('succeeded');
    expect(chatBodies()[0]).not.toHaveProperty('think');
    expect(thinkingText(events)).toContain('rm -rf');
    expect(deltaText(events)).toBe(ANSWER);
    expectOnlyTheAnswersFile(events, final.workspacePath);
  });

  it("DeepSeek-R1's lone </think>: everything before it is reasoning, and no file opens from it at any moment", async () => {
    standin.enqueueChat({ thinking: DRAFT, thinkingShape: 'lone-close', text: ANSWER, tokensPerSecond: 3000 });
    const { final, events } = await runChat('deepseek-r1-import:7b');
    expect(final.status).toBe('succeeded');
    expect(thinkingText(events)).toContain('rm -rf');
    expect(deltaText(events)).toBe(ANSWER);
    expectOnlyTheAnswersFile(events, final.workspacePath);
  });

  it('an unclosed <think> when the stream ends writes nothing', async () => {
    standin.enqueueChat({ text: `<think>\n${DRAFT}` });
    const { final, events } = await runChat('my-reasoner:latest');
    expect(final.status).toBe('succeeded');
    expect(events.filter((e) => e.type === 'file.open')).toEqual([]);
    expect(fs.existsSync(path.join(final.workspacePath, 'x.py'))).toBe(false);
    expect(thinkingText(events)).toContain('rm -rf');
  });

  it('gpt-oss harmony channels leaking into content: analysis is reasoning, final is the answer', async () => {
    standin.enqueueChat({ thinking: DRAFT, thinkingShape: 'harmony', text: ANSWER, tokensPerSecond: 3000 });
    const { final, events } = await runChat('gpt-oss-gguf:20b');
    expect(final.status).toBe('succeeded');
    expect(deltaText(events)).not.toContain('<|');
    expectOnlyTheAnswersFile(events, final.workspacePath);
  });
});

describe('build mode with a thinking model', () => {
  it('plans with format and think on: the plan parses from the answer alone; each step shows its reasoning and keeps it in its artifact', async () => {
    standin.enqueueChat(answer('plan', adder.plan, { thinking: 'Which files? A library, its tests and a README.' }));
    standin.enqueueChat(answer('implement', adder.buggy.replace('a - b', 'a + b'), { thinking: `Draft:\n${DRAFT}` }));
    standin.enqueueChat(answer('docs', adder.readme));
    standin.enqueueChat(answer('review', approve));
    engine = openEngine(dataDir, standin.url);
    const rec = recordFrames(engine);
    const { task } = (await engine.invoke('tasks.create', { prompt: 'Write a tiny math library with tests.', kind: 'build', model: 'qwen3:8b' })) as MethodResult<'tasks.create'>;
    const final = await engine.waitForTask(task.id, 60_000);
    expect(final.error).toBeNull();
    expect(final.status).toBe('succeeded');

    const plan = chatBodies().find((b) => stepOf(b) === 'plan')!;
    expect(plan.think).toBe(true);
    expect(plan.format).toBeTypeOf('object');
    const events = rec.events(task.id);
    const planThinking = events.filter((e) => e.type === 'thinking' && e.data.step === 'plan').map((e) => (e.type === 'thinking' ? e.data.text : '')).join('');
    expect(planThinking).toBe('Which files? A library, its tests and a README.');
    // The draft in the implement step's reasoning never became a file.
    expect(events.filter((e) => e.type === 'file.open').map((e) => (e.type === 'file.open' ? e.data.path : ''))).not.toContain('x.py');
    expect(fs.existsSync(path.join(final.workspacePath, 'x.py'))).toBe(false);
    const artifact = JSON.parse(fs.readFileSync(path.join(dataDir, 'artifacts', task.id, 'plan@v1.json'), 'utf8'));
    expect(artifact.calls[0].thinking).toBe('Which files? A library, its tests and a README.');
    expect(artifact.calls[0].output).toBe(adder.plan);
  });
});

describe('the stand-in thinks like Ollama', () => {
  const post = (p: string, body: unknown) => fetch(`${standin.url}${p}`, { method: 'POST', body: JSON.stringify(body) });
  const ask = [{ role: 'user', content: 'hi' }];

  it('/api/show lists the thinking capability only for thinking models', async () => {
    const caps = async (model: string) => ((await (await post('/api/show', { model })).json()) as { capabilities: string[] }).capabilities;
    expect(await caps('qwen3:8b')).toContain('thinking');
    expect(await caps('gpt-oss:20b')).toContain('thinking');
    expect(await caps('qwen2.5-coder:7b')).not.toContain('thinking');
    expect(await caps('deepseek-r1-import:7b')).not.toContain('thinking');
  });

  it('answers think to a model without the capability with routes.go’s 400; think: false is accepted', async () => {
    const res = await post('/api/chat', { model: 'qwen2.5-coder:7b', messages: ask, think: true });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: '"qwen2.5-coder:7b" does not support thinking' });
    standin.enqueueChat({ text: 'ok' });
    expect((await post('/api/chat', { model: 'qwen2.5-coder:7b', messages: ask, think: false, stream: false })).status).toBe(200);
  });

  it('streams message.thinking chunks (empty content) before the answer, and puts thinking in a non-streamed answer', async () => {
    standin.enqueueChat({ thinking: 'Short plan.', text: 'Answer.' });
    const lines = (await (await post('/api/chat', { model: 'qwen3:8b', messages: ask, think: true })).text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { message: { content: string; thinking?: string }; done: boolean });
    const firstAnswer = lines.findIndex((l) => l.message.content !== '');
    expect(lines.slice(0, firstAnswer).every((l) => l.message.thinking && l.message.content === '')).toBe(true);
    expect(lines.map((l) => l.message.thinking ?? '').join('')).toBe('Short plan.');
    expect(lines.map((l) => l.message.content).join('')).toBe('Answer.');
    expect(lines.slice(firstAnswer).some((l) => 'thinking' in l.message)).toBe(false);

    standin.enqueueChat({ thinking: 'Short plan.', text: 'Answer.' });
    const whole = (await (await post('/api/chat', { model: 'qwen3:8b', messages: ask, stream: false })).json()) as { message: { content: string; thinking: string } };
    expect(whole.message).toMatchObject({ content: 'Answer.', thinking: 'Short plan.' });
  });
});
