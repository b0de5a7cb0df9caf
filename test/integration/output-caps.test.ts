// Model output is bounded: a file past the per-file cap is cut and marked, output past the
// per-task cap stops the task (OUTPUT_TOO_LARGE, files so far kept), and the database holds
// no second copy of a big file (it streams to disk; the events carry its first part only).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodResult, TaskEvent } from '../../shared/index.js';
import type { Engine } from '../../electron/core/engine/index.js';
import { startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { deltaText, openEngine, recordFrames, tempDataDir } from './helpers.js';

let standin: OllamaStandin;
let dataDir: string;
let engine: Engine | null = null;

beforeEach(async () => {
  standin = await startOllamaStandin();
  dataDir = tempDataDir('caps');
});
afterEach(async () => {
  await engine?.close().catch(() => undefined);
  engine = null;
  await standin.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A file block of `bytes` bytes of numbered lines, as big tokens (fast through the stand-in). */
function fileTokens(name: string, bytes: number): string[] {
  const line = (i: number) => `${String(i).padStart(8, '0')} ${'z'.repeat(1014)}\n`; // 1024 bytes
  const lines = Array.from({ length: Math.ceil(bytes / 1024) }, (_, i) => line(i));
  const tokens: string[] = [`File: ${name}\n\`\`\`\n`];
  for (let i = 0; i < lines.length; i += 4) tokens.push(lines.slice(i, i + 4).join(''));
  tokens.push('```\n\n');
  return tokens;
}

async function run(e: Engine, tokens: string[]) {
  standin.enqueueChat({ tokens });
  // The stand-in ends an answer at num_ctx tokens as Ollama does: room for 13k big tokens.
  const { task } = (await e.invoke('tasks.create', { prompt: 'big', model: 'qwen2.5-coder:7b', numCtx: 32_768 })) as MethodResult<'tasks.create'>;
  const final = await e.waitForTask(task.id, 60_000);
  const { files } = (await e.invoke('tasks.get', { taskId: task.id })) as MethodResult<'tasks.get'>;
  const { events } = (await e.invoke('tasks.events', { taskId: task.id })) as MethodResult<'tasks.events'>;
  return { final, files, events };
}

function logs(events: TaskEvent[], level: 'warn' | 'error' | 'info') {
  return events.flatMap((e) => (e.type === 'log' && e.data.level === level ? [e.data.message] : []));
}

describe('output caps', () => {
  it('a file past maxFileBytes is cut at the cap, marked truncated with a reason, and the next file is still written', async () => {
    engine = openEngine(dataDir, standin.url);
    await engine.invoke('settings.update', { maxFileBytes: 64 * 1024 });
    const { final, files, events } = await run(engine, ['Two files.\n\n', ...fileTokens('big.txt', 200 * 1024), 'File: small.txt\n```\nsmall\n```\n']);

    expect(final.status).toBe('succeeded');
    const big = fs.statSync(path.join(final.workspacePath, 'big.txt')).size;
    expect(big).toBeLessThanOrEqual(64 * 1024);
    expect(big).toBeGreaterThan(60 * 1024);
    expect(fs.readFileSync(path.join(final.workspacePath, 'small.txt'), 'utf8')).toBe('small\n');
    expect(files.find((f) => f.path === 'big.txt')?.state).toBe('truncated');
    expect(files.find((f) => f.path === 'small.txt')?.state).toBe('written');
    expect(logs(events, 'warn').join('\n')).toMatch(/big\.txt was cut at 64 KB.*per-file limit/);
    // The task says so too (a success with a warning, as REST and the task list show it).
    expect(final.error).toMatchObject({ code: 'FILE_TOO_LARGE', details: { paths: ['big.txt'], maxFileBytes: 64 * 1024 } });
  });

  it('output past maxTaskOutputBytes stops the task with OUTPUT_TOO_LARGE and keeps what was written', async () => {
    engine = openEngine(dataDir, standin.url);
    await engine.invoke('settings.update', { maxTaskOutputBytes: 256 * 1024 });
    const { final, files, events } = await run(engine, [...fileTokens('a.txt', 150 * 1024), ...fileTokens('b.txt', 150 * 1024), ...fileTokens('c.txt', 150 * 1024)]);

    expect(final.status).toBe('failed');
    expect(final.error?.code).toBe('OUTPUT_TOO_LARGE');
    expect(final.error?.details).toMatchObject({ maxTaskOutputBytes: 256 * 1024 });
    expect(fs.statSync(path.join(final.workspacePath, 'a.txt')).size).toBe(150 * 1024);
    expect(fs.statSync(path.join(final.workspacePath, 'b.txt')).size).toBeLessThanOrEqual(106 * 1024);
    expect(fs.existsSync(path.join(final.workspacePath, 'c.txt'))).toBe(false);
    expect(files.map((f) => [f.path, f.state])).toEqual([
      ['a.txt', 'written'],
      ['b.txt', 'truncated'],
    ]);
    expect(events.some((e) => e.type === 'status' && e.data.status === 'failed')).toBe(true);
    expect(logs(events, 'error').join('\n')).toMatch(/per-task output limit of 256 KB.*b\.txt was cut there/);
  });

  it('an answer of prose alone past maxTaskOutputBytes is stopped too', async () => {
    engine = openEngine(dataDir, standin.url);
    await engine.invoke('settings.update', { maxTaskOutputBytes: 128 * 1024 });
    const { final } = await run(engine, Array.from({ length: 200 }, () => `${'word '.repeat(204)}\n`));
    expect(final.status).toBe('failed');
    expect(final.error?.code).toBe('OUTPUT_TOO_LARGE');
    expect(final.error?.message).toMatch(/answer passed the per-task output limit of 128 KB/);
  });

  it('a 50 MB file reaches the disk whole while the database stays small, and live and stored events agree', async () => {
    engine = openEngine(dataDir, standin.url);
    const rec = recordFrames(engine);
    await engine.invoke('settings.update', { maxFileBytes: 64 * 1024 * 1024 }); // past the 20 MB default
    const size = 50 * 1024 * 1024;
    const { final, files, events } = await run(engine, ['Here it is.\n\n', ...fileTokens('data.txt', size), 'Done: run `cat data.txt`.\n']);

    expect(final.status).toBe('succeeded');
    expect(fs.statSync(path.join(final.workspacePath, 'data.txt')).size).toBe(size);
    expect(files).toEqual([{ path: 'data.txt', state: 'written', size, sha256: expect.any(String) }]);
    const dbBytes = ['macs.db', 'macs.db-wal'].reduce((n, f) => n + (fs.existsSync(path.join(dataDir, f)) ? fs.statSync(path.join(dataDir, f)).size : 0), 0);
    console.info(`50 MB answer: database + WAL = ${(dbBytes / 1024 / 1024).toFixed(1)} MB`);
    expect(dbBytes).toBeLessThan(8 * 1024 * 1024);

    // Replay = live: the same events, the chat text keeps its prose and says where the rest of the file went.
    const live = rec.events(final.id);
    expect(events.map((e) => e.seq)).toEqual(live.map((e) => e.seq));
    const text = deltaText(events);
    expect(text.startsWith('Here it is.\n\nFile: data.txt\n```\n00000000 ')).toBe(true);
    expect(text).toContain('data.txt continues on disk');
    expect(text.endsWith('```\n\nDone: run `cat data.txt`.\n')).toBe(true);
    const close = events.find((e) => e.type === 'file.close');
    expect(close?.data).toMatchObject({ path: 'data.txt', size, truncated: false });
  }, 120_000);
});
