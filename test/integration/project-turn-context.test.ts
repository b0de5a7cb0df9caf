import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContextReceipt, MethodResult, Task } from '../../shared/index.js';
import { createEngine, type Engine } from '../../electron/core/engine/index.js';
import { CHAT_SYSTEM_PROMPT } from '../../electron/core/llm/index.js';
import { startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { adder, answer, approve, filesAnswer, planJson, stepOf } from '../fixtures/build-scripts.js';
import { recordFrames, tempDataDir } from './helpers.js';

// Each turn of a project sees the project as it is now and the conversation so far: asserted
// on what the Ollama stand-in RECEIVED, over a real SQLite file and real folders.
const MODEL = 'qwen2.5-coder:7b';
let standin: OllamaStandin;
let dataDir: string;
let engine: Engine;

beforeEach(async () => {
  standin = await startOllamaStandin({ models: [{ name: MODEL }] });
  dataDir = tempDataDir('turn-context');
  engine = createEngine({ dataDir, host: 'browser', version: 'test', ollamaHost: standin.url, queue: { pollMs: 50, retryBaseMs: 40 } });
});
afterEach(async () => {
  await engine.close();
  await standin.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

type Message = { role: string; content: string };
const chatRequests = () => standin.requests.filter((r) => r.path === '/api/chat').map((r) => (r.body as { messages: Message[] }).messages);

async function turn(prompt: string, answer: string, projectId?: string): Promise<{ task: Task; messages: Message[] }> {
  standin.enqueueChat({ text: answer, tokensPerSecond: 5000 });
  const before = chatRequests().length;
  const { task } = (await engine.invoke('tasks.create', { prompt, model: MODEL, ...(projectId ? { projectId } : {}) })) as MethodResult<'tasks.create'>;
  const done = await engine.waitForTask(task.id, 20_000);
  expect(done.status).toBe('succeeded');
  const sent = chatRequests().slice(before);
  expect(sent).toHaveLength(1);
  return { task: done, messages: sent[0] };
}

describe('a project turn sees the project as it is now and the conversation so far', () => {
  it("turn N's request holds the files as turn N-1 left them, a hand edit made between turns, and the earlier prompts; its receipt gets the model's count", async () => {
    const rec = recordFrames(engine);
    const first = await turn('Write a CSV to JSON CLI', 'Here it is.\n\nFile: cli.py\n```python\nprint("v1")\n```\n\nFile: util.py\n```python\nSEP = ","\n```\n');
    // The first turn of a new project is a new task, exactly as before: no files, no history, no receipt.
    expect(first.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(first.messages[0].content).toBe(CHAT_SYSTEM_PROMPT);
    expect(rec.events(first.task.id).some((e) => e.type === 'receipt')).toBe(false);
    const projectId = first.task.projectId!;
    const root = first.task.workspacePath;

    const second = await turn('Now add a --version flag', 'PROSE-OF-TURN-2: I added the flag.\n\nFile: cli.py\n```python\nprint("v2 with --version")\n```\n', projectId);
    expect(second.messages.some((m) => m.content.includes('print("v1")'))).toBe(true); // turn 1's files
    expect(second.messages.some((m) => m.role === 'user' && m.content === 'Write a CSV to JSON CLI')).toBe(true);

    // The user edits a file by hand between turns.
    await new Promise((r) => setTimeout(r, 20));
    fs.writeFileSync(path.join(root, 'util.py'), 'SEP = ";"  # HAND-EDIT\n');

    const third = await turn('And a --help text', 'File: cli.py\n```python\nprint("v3")\n```\n', projectId);
    const all = third.messages.map((m) => m.content).join('\n');
    expect(all).toContain('print("v2 with --version")'); // as turn 2 left it
    expect(all).not.toContain('print("v1")');
    expect(all).toContain('HAND-EDIT'); // read from disk now
    // Earlier prompts, oldest first, after the files and before the new prompt; answers only as accounts.
    const prompts = third.messages.filter((m) => m.role === 'user').map((m) => m.content);
    const at = (p: string) => prompts.indexOf(p);
    expect(at('Write a CSV to JSON CLI')).toBeGreaterThan(0);
    expect(at('Now add a --version flag')).toBeGreaterThan(at('Write a CSV to JSON CLI'));
    expect(third.messages.at(-1)).toEqual({ role: 'user', content: 'And a --help text' });
    expect(prompts[0]).toContain('File: util.py');
    expect(all).not.toContain('PROSE-OF-TURN-2');
    expect(all).toContain('wrote cli.py');

    const receipts = rec.events(third.task.id).flatMap((e) => (e.type === 'receipt' ? [e.data as ContextReceipt] : []));
    expect(receipts).toHaveLength(2);
    expect(receipts[0].promptEvalCount).toBeNull();
    expect(receipts[0].files.map((f) => f.path).sort()).toEqual(['cli.py', 'util.py']);
    expect(receipts[0].turns.map((t) => t.taskId)).toEqual([first.task.id, second.task.id]);
    const usage = rec.events(third.task.id).find((e) => e.type === 'usage');
    expect(usage?.type === 'usage' && usage.data.promptTokens).toBeGreaterThan(0);
    expect(receipts[1].promptEvalCount).toBe(usage?.type === 'usage' ? usage.data.promptTokens : -1);
    // The estimate is of the whole request (a conservative count: more than the model's, never far below it).
    expect(receipts[0].estimatedTokens).toBeGreaterThanOrEqual(receipts[1].promptEvalCount! * 0.9);
  });

  it('a build turn after a chat turn: every step sees the files, then the conversation, then its goal and instruction', async () => {
    const rec = recordFrames(engine);
    const first = await turn('Write a math library with tests', `${adder.fixed}\n${filesAnswer({ 'package.json': '{\n  "name": "adder",\n  "type": "module",\n  "private": true\n}\n' })}`);
    const projectId = first.task.projectId!;
    const subtract = 'export function add(a, b) {\n  return a + b;\n}\n\nexport function multiply(a, b) {\n  return a * b;\n}\n\nexport function subtract(a, b) {\n  return a - b;\n}\n';
    const tests = "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { subtract } from '../src/math.js';\n\ntest('subtracts', () => {\n  assert.equal(subtract(5, 3), 2);\n});\n";
    standin.enqueueChat(answer('plan', planJson({ files: [['src/math.js', 'add subtract'], ['test/math.test.js', 'a test of subtract']] })));
    standin.enqueueChat(answer('implement', filesAnswer({ 'src/math.js': subtract, 'test/math.test.js': tests })));
    standin.enqueueChat(answer('review', approve));
    const before = standin.requests.length;
    const { task } = (await engine.invoke('tasks.create', { prompt: 'Add a subtract function', kind: 'build', model: MODEL, projectId })) as MethodResult<'tasks.create'>;
    const done = await engine.waitForTask(task.id, 60_000);
    expect(done.error).toBeNull();
    const calls = standin.requests.slice(before).filter((r) => r.path === '/api/chat').map((r) => r.body as Record<string, unknown>);
    const byStep = new Map(calls.map((b) => [stepOf(b), (b.messages as Message[]).map((m) => m.content).join('\n')]));
    for (const step of ['plan', 'implement', 'review'] as const) {
      const text = byStep.get(step) ?? '';
      const at = (s: string) => text.indexOf(s);
      expect(at('File: src/math.js'), step).toBeGreaterThanOrEqual(0);
      expect(at('Write a math library with tests'), step).toBeGreaterThan(at('File: src/math.js')); // the conversation after the files
      expect(at('Add a subtract function'), step).toBeGreaterThan(at('Write a math library with tests')); // this turn's goal after it
    }
    const receipts = rec.events(task.id).flatMap((e) => (e.type === 'receipt' ? [e.data as ContextReceipt] : []));
    expect(receipts.map((r) => r.promptEvalCount === null)).toEqual([true, false]);
    expect(receipts[0].turns.map((t) => t.taskId)).toEqual([first.task.id]);
  });
});
