/**
 * An answer that outgrows num_ctx. Real Ollama shifts the context and goes on (the model loses
 * the start of its prompt) unless the request says "shift": false (Ollama ≥ 0.12.6), then it
 * ends with done_reason "length". MACS asks for "length", detects a shift anyway (older
 * servers), and never calls such an answer a clean success.
 */
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodResult, Task, TaskEvent } from '../../shared/index.js';
import type { Engine } from '../../electron/core/engine/index.js';
import { splitIntoTokens, startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { openEngine, tempDataDir } from './helpers.js';

const MODEL = 'qwen2.5-coder:7b';
const NUM_CTX = 1024;
/** A file far longer than the window: ~2,400 tokens in the stand-in's tokenizer. */
const LONG_FILE = `File: big.py\n\`\`\`python\n${Array.from({ length: 300 }, (_, i) => `x${i} = ${i}`).join('\n')}\n\`\`\`\n`;

let standin: OllamaStandin;
let engine: Engine;
let dataDir: string;

beforeEach(() => {
  dataDir = tempDataDir('overflow');
});
afterEach(async () => {
  await engine?.close();
  await standin?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function run(version?: string): Promise<{ task: Task; events: TaskEvent[]; files: MethodResult<'tasks.get'>['files'] }> {
  standin = await startOllamaStandin({ version, models: [{ name: MODEL }], defaultChat: { text: LONG_FILE } });
  engine = openEngine(dataDir, standin.url);
  const created = ((await engine.invoke('tasks.create', { prompt: 'write big.py', model: MODEL, numCtx: NUM_CTX })) as MethodResult<'tasks.create'>).task;
  const task = await engine.waitForTask(created.id, 20_000);
  const { events } = (await engine.invoke('tasks.events', { taskId: task.id })) as MethodResult<'tasks.events'>;
  const { files } = (await engine.invoke('tasks.get', { taskId: task.id })) as MethodResult<'tasks.get'>;
  return { task, events, files };
}

const warnings = (events: TaskEvent[]) => events.filter((e) => e.type === 'log' && e.data.level === 'warn').map((e) => (e.data as { message: string }).message);

describe('context overflow', () => {
  it('asks Ollama not to shift ("shift": false), so a too-long answer ends with "length"; the task says it was cut off', async () => {
    const { task, events, files } = await run();
    const chat = standin.requests.find((r) => r.path === '/api/chat')!.body as { shift?: boolean; options: { num_ctx: number } };
    expect(chat.shift).toBe(false);
    expect(chat.options.num_ctx).toBe(NUM_CTX);
    expect(task.status).toBe('succeeded');
    expect(task.error).toMatchObject({ code: 'CONTEXT_OVERFLOW', details: { kind: 'cut-off', numCtx: NUM_CTX } });
    expect(warnings(events).some((m) => m.includes(`num_ctx ${NUM_CTX}`))).toBe(true);
    const terminal = events.filter((e) => e.type === 'status').at(-1)!.data as { status: string; error?: { code: string } };
    expect(terminal).toMatchObject({ status: 'succeeded', error: { code: 'CONTEXT_OVERFLOW' } });
    expect(files).toEqual([expect.objectContaining({ path: 'big.py', state: 'truncated' })]);
  });

  it('an Ollama without the shift option (< 0.12.6) shifts and goes on: detected from prompt_eval_count + eval_count > num_ctx', async () => {
    const { task, events } = await run('0.12.3');
    expect(task.status).toBe('succeeded');
    expect(task.error).toMatchObject({ code: 'CONTEXT_OVERFLOW', details: { kind: 'shifted', numCtx: NUM_CTX } });
    expect(warnings(events).some((m) => /past the context window/.test(m))).toBe(true);
  });
});

describe('a chat answer cut off at num_ctx is continued within the window', () => {
  it('asks again with the prompt, the answer\'s tail and "continue", joins the rest into the same file, and succeeds cleanly', async () => {
    const body = Array.from({ length: 160 }, (_, i) => `value_${i} = ${i} * 2`).join('\n');
    const full = `File: long.py\n\`\`\`python\n${body}\n\`\`\`\n`;
    const tokens = splitIntoTokens(full);
    const firstLen = NUM_CTX - 100; // the window holds 100 prompt tokens + this much answer
    expect(tokens.length).toBeGreaterThan(firstLen);
    standin = await startOllamaStandin({ models: [{ name: MODEL }] });
    standin.enqueueChat({ tokens, promptEvalCount: 100 });
    // The model goes on a little before where it stopped (an overlap the joiner removes).
    standin.enqueueChat({ tokens: tokens.slice(firstLen - 12), promptEvalCount: 400 });
    engine = openEngine(dataDir, standin.url);
    const created = ((await engine.invoke('tasks.create', { prompt: 'write long.py', model: MODEL, numCtx: NUM_CTX })) as MethodResult<'tasks.create'>).task;
    const task = await engine.waitForTask(created.id, 20_000);
    expect(task.status).toBe('succeeded');
    expect(task.error).toBeNull();
    const chats = standin.requests.filter((r) => r.path === '/api/chat').map((r) => r.body as { shift: boolean; options: { num_ctx: number }; messages: Array<{ role: string; content: string }> });
    expect(chats).toHaveLength(2);
    const [, second] = chats;
    expect(second.options.num_ctx).toBe(NUM_CTX);
    expect(second.shift).toBe(false);
    expect(second.messages.at(-1)).toEqual({ role: 'user', content: expect.stringContaining('Continue exactly where it stopped') });
    const tail = second.messages.at(-2)!;
    expect(tail.role).toBe('assistant');
    const firstPiece = tokens.slice(0, firstLen).join('');
    expect(firstPiece.endsWith(tail.content)).toBe(true);
    expect(tail.content.length).toBeLessThan(firstPiece.length);
    const { files } = (await engine.invoke('tasks.get', { taskId: task.id })) as MethodResult<'tasks.get'>;
    expect(files).toEqual([expect.objectContaining({ path: 'long.py', state: 'written' })]);
    expect(fs.readFileSync(`${task.workspacePath}/long.py`, 'utf8')).toBe(`${body}\n`);
  });
});
