/**
 * Files and failed attempts: a failure mid-file leaves no empty or half file behind as if it
 * were a result (in the user's own folder it leaves their file as it was), and a user's Stop
 * right after a file's closing fence does not call that complete file "cut off".
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodResult, TaskEvent } from '../../shared/index.js';
import type { Engine } from '../../electron/core/engine/index.js';
import { splitIntoTokens, startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { openEngine, tempDataDir, waitFor } from './helpers.js';

const MODEL = 'qwen2.5-coder:7b';
let standin: OllamaStandin;
let engine: Engine;
let dataDir: string;
let folder: string;

beforeEach(async () => {
  standin = await startOllamaStandin({ models: [{ name: MODEL }] });
  dataDir = tempDataDir('failed-files');
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-user-folder-'));
  engine = openEngine(dataDir, standin.url);
});
afterEach(async () => {
  await engine.close();
  await standin.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(folder, { recursive: true, force: true });
});

async function create(extra: Record<string, unknown>) {
  return ((await engine.invoke('tasks.create', { prompt: 'p', model: MODEL, ...extra })) as MethodResult<'tasks.create'>).task;
}
async function details(taskId: string) {
  const got = (await engine.invoke('tasks.get', { taskId })) as MethodResult<'tasks.get'>;
  const { events } = (await engine.invoke('tasks.events', { taskId })) as MethodResult<'tasks.events'>;
  return { ...got, events };
}
const closes = (events: TaskEvent[]) => events.filter((e) => e.type === 'file.close').map((e) => e.data as { path: string; truncated: boolean });

const HALF = 'File: app.py\n```python\ndef main():\n    print("half';
/** Tokens up to and including the opening fence's newline: the file is open and empty. */
const OPEN_ONLY = 'File: empty.py\n```python\n';

describe('a failed attempt and its files', () => {
  it('a failure right after a file opened leaves no empty file', async () => {
    standin.enqueueChat({ text: `${OPEN_ONLY}x = 1\n\`\`\`\n`, cutAfterTokens: splitIntoTokens(OPEN_ONLY).length });
    const task = await create({ maxAttempts: 1 });
    const final = await engine.waitForTask(task.id, 10_000);
    expect(final.status).toBe('failed');
    const { files, events } = await details(task.id);
    expect(fs.existsSync(path.join(final.workspacePath, 'empty.py'))).toBe(false);
    expect(files.filter((f) => f.path === 'empty.py' && f.state !== 'truncated')).toEqual([]);
    expect(files.some((f) => f.state === 'streaming')).toBe(false);
    expect(closes(events).filter((c) => c.path === 'empty.py' && !c.truncated)).toEqual([]);
  });

  it('a failure mid-file on the last attempt keeps the half file marked as cut off, never as written', async () => {
    standin.enqueueChat({ text: `${HALF} world")\n\`\`\`\n`, cutAfterTokens: splitIntoTokens(HALF).length });
    const task = await create({ maxAttempts: 1 });
    const final = await engine.waitForTask(task.id, 10_000);
    expect(final.status).toBe('failed');
    const { files, events } = await details(task.id);
    expect(files).toEqual([expect.objectContaining({ path: 'app.py', state: 'truncated' })]);
    expect(closes(events)).toEqual([expect.objectContaining({ path: 'app.py', truncated: true })]);
  });

  it('a retry that starts over does not keep the failed attempt\'s half files as results', async () => {
    standin.enqueueChat({ text: `${HALF} world")\n\`\`\`\n`, cutAfterTokens: splitIntoTokens(HALF).length });
    standin.enqueueChat({ text: 'File: other.py\n```python\nprint(2)\n```\n' });
    const task = await create({ maxAttempts: 2 });
    const final = await engine.waitForTask(task.id, 10_000);
    expect(final.status).toBe('succeeded');
    const { files } = await details(task.id);
    expect(files.map((f) => [f.path, f.state])).toEqual([['other.py', 'written']]);
    expect(fs.existsSync(path.join(final.workspacePath, 'app.py'))).toBe(false);
  });

  it('in the user\'s own folder a failure mid-file leaves their file as it was, and says so', async () => {
    fs.writeFileSync(path.join(folder, 'app.py'), 'def main():\n    print("the user\'s code")\n');
    const { workspace } = (await engine.invoke('workspaces.open', { path: folder })) as { workspace: { root: string } };
    standin.enqueueChat({ text: `${HALF} world")\n\`\`\`\n`, cutAfterTokens: splitIntoTokens(HALF).length });
    const task = await create({ maxAttempts: 1, workspace: workspace.root });
    const final = await engine.waitForTask(task.id, 10_000);
    expect(final.status).toBe('failed');
    expect(fs.readFileSync(path.join(folder, 'app.py'), 'utf8')).toBe('def main():\n    print("the user\'s code")\n');
    const { files, events } = await details(task.id);
    expect(files.filter((f) => f.path === 'app.py' && f.state === 'written')).toEqual([]);
    const refused = events.filter((e) => e.type === 'file.refused').map((e) => e.data as { path: string; code: string; reason: string });
    expect(refused).toEqual([expect.objectContaining({ path: 'app.py', code: 'CUT_OFF_BY_FAILURE' })]);
  });
});

describe('Stop and complete files', () => {
  it('a Stop right after a file\'s closing fence keeps that file complete (not "cut off")', async () => {
    const done = 'File: done.py\n```python\nprint(1)\n```';
    standin.enqueueChat({ text: `${done}\n\nFile: next.py\n\`\`\`python\nprint(2)\n\`\`\`\n`, hangAfterTokens: splitIntoTokens(done).length });
    const task = await create({});
    await waitFor(() => standin.requests.some((r) => r.path === '/api/chat'), 5000, 'chat request');
    await new Promise((r) => setTimeout(r, 400)); // the tokens up to the fence arrive and are applied
    await engine.invoke('tasks.cancel', { taskId: task.id });
    const final = await engine.waitForTask(task.id, 10_000);
    expect(final.status).toBe('cancelled');
    const { files, events } = await details(task.id);
    expect(files).toEqual([expect.objectContaining({ path: 'done.py', state: 'written' })]);
    expect(closes(events)).toEqual([expect.objectContaining({ path: 'done.py', truncated: false })]);
    expect(fs.readFileSync(path.join(final.workspacePath, 'done.py'), 'utf8')).toBe('print(1)\n');
  });
});
