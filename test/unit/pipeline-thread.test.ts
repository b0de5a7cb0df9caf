// The build as one conversation: a step continues the last call only while the files are as
// the conversation says, on the same model, within the context.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ModelProvider } from '../../electron/core/llm/index.js';
import { TokenCounter } from '../../electron/core/pipeline/context-budget.js';
import { LlmClient, type CallRecord } from '../../electron/core/pipeline/llm-client.js';
import { ModelDirectory } from '../../electron/core/pipeline/model-directory.js';
import { BuildThread } from '../../electron/core/pipeline/steps/thread.js';
import { Workspace } from '../../electron/core/project-folder/guard/index.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-thread-'));
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, 'src/a.js'), 'export const a = 1;\n');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Only answers the thread's questions (which model a role uses, the budget); never asked to generate. */
const provider = { host: 'http://unused:11434' } as unknown as ModelProvider;

function llm(review: string | null = null): LlmClient {
  return new LlmClient({
    chat: (ref) => ({ provider, model: ref }),
    route: (role) => [...(role === 'review' && review ? [{ ref: review, reason: 'role setting for review' }] : []), { ref: 'm1', reason: "the task's model" }],
    directory: new ModelDirectory(new Map([['m1', { digest: 'a', contextLength: 32768, maxGpuContext: 16384 }], ['m2', { digest: 'b', contextLength: 32768, maxGpuContext: 16384 }]]), null, provider.host),
    counter: new TokenCounter(),
    cache: null,
    taskModel: 'm1',
    floorCtx: 4096,
    signal: new AbortController().signal,
    emit: () => {},
    continuePrompt: 'continue',
  });
}

const call = (over: Partial<CallRecord> = {}): CallRecord => ({
  model: 'm1',
  modelReason: '',
  messages: [
    { role: 'system', content: 'S' },
    { role: 'user', content: 'Write these files now' },
  ],
  options: { num_ctx: 16384 },
  output: 'File: src/a.js\n```js\nexport const a = 1;\n```\n',
  doneReason: 'stop',
  promptTokens: 10,
  evalTokens: 10,
  durationMs: 1,
  cached: false,
  continuations: 0,
  ...over,
});

describe('BuildThread', () => {
  it('continues the last call: its messages, its answer, then the new instruction', async () => {
    const thread = new BuildThread(await Workspace.open(dir), llm());
    await thread.record(call(), true);
    const next = await thread.continueWith('fix', "The project's tests fail.", 4096);
    expect(next?.model).toBe('m1');
    expect(next?.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(next?.messages.at(-2)?.content).toBe(call().output);
    expect(next?.messages.at(-1)?.content).toBe("The project's tests fail.");
  });

  it('starts afresh when a file changed since, the step left files unlike its answer, or the answer was cut off', async () => {
    const ws = await Workspace.open(dir);
    const thread = new BuildThread(ws, llm());
    await thread.record(call(), true);
    fs.writeFileSync(path.join(dir, 'src/a.js'), 'export const a = 2; // edited by hand\n');
    expect(await thread.continueWith('fix', 'x', 4096)).toBeNull();
    await thread.record(call(), false);
    expect(await thread.continueWith('fix', 'x', 4096)).toBeNull();
    await thread.record(call({ doneReason: 'length' }), true);
    expect(await thread.continueWith('fix', 'x', 4096)).toBeNull();
    await thread.record(call(), true);
    thread.invalidate();
    expect(await thread.continueWith('fix', 'x', 4096)).toBeNull();
  });

  it('starts afresh when a file the step needs is nowhere in the conversation', async () => {
    const thread = new BuildThread(await Workspace.open(dir), llm());
    await thread.record(call(), true);
    expect(await thread.continueWith('fix', 'x', 4096, ['src/a.js'])).not.toBeNull();
    expect(await thread.continueWith('fix', 'x', 4096, ['src/a.js', 'src/b.js'])).toBeNull();
  });

  it('starts afresh for another model, or when the conversation would not fit the context', async () => {
    const thread = new BuildThread(await Workspace.open(dir), llm('m2'));
    await thread.record(call(), true);
    expect(await thread.continueWith('review', 'x', 800)).toBeNull();
    expect(await thread.continueWith('fix', 'x', 800)).not.toBeNull();
    await thread.record(call({ output: 'y'.repeat(60_000) }), true);
    expect(await thread.continueWith('fix', 'x', 800)).toBeNull();
  });
});
