// Checks on one answer's files: names differing only in case are warned about (one file on
// macOS and Windows), and an answer whose every file was refused does not end as a plain
// "succeeded".
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodResult, TaskEvent } from '../../shared/index.js';
import type { Engine } from '../../electron/core/engine/index.js';
import { startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { openEngine, tempDataDir } from './helpers.js';

let standin: OllamaStandin;
let dataDir: string;
let engine: Engine | null = null;

beforeEach(async () => {
  standin = await startOllamaStandin();
  dataDir = tempDataDir('answer-checks');
});
afterEach(async () => {
  await engine?.close().catch(() => undefined);
  engine = null;
  await standin.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function run(text: string) {
  standin.enqueueChat({ text });
  engine ??= openEngine(dataDir, standin.url);
  const { task } = (await engine.invoke('tasks.create', { prompt: 'p', model: 'qwen2.5-coder:7b' })) as MethodResult<'tasks.create'>;
  const final = await engine.waitForTask(task.id, 10_000);
  const { events } = (await engine.invoke('tasks.events', { taskId: task.id })) as MethodResult<'tasks.events'>;
  return { final, events };
}

const warnings = (events: TaskEvent[]) => events.flatMap((e) => (e.type === 'log' && e.data.level === 'warn' ? [e.data.message] : []));

describe('one answer, checked', () => {
  it('warns when two files differ only in case (README.md / readme.md, and a folder Src/ beside src/)', async () => {
    const { final, events } = await run(
      ['File: README.md', '```', 'a', '```', 'File: readme.md', '```', 'b', '```', 'File: src/a.py', '```', 'x = 1', '```', 'File: Src/b.py', '```', 'y = 2', '```', ''].join('\n'),
    );
    expect(final.status).toBe('succeeded');
    const w = warnings(events);
    expect(w.some((m) => m.includes('"readme.md" and "README.md" differ only in case'))).toBe(true);
    expect(w.some((m) => m.includes('"Src" and "src" differ only in case'))).toBe(true);
    expect(w.filter((m) => m.includes('differ only in case'))).toHaveLength(2);
  });

  it('no warning for names that merely look alike', async () => {
    const { events } = await run(['File: a.py', '```', '1', '```', 'File: b.py', '```', '2', '```', 'File: a.py', '```', '3', '```', ''].join('\n'));
    expect(warnings(events).filter((m) => m.includes('differ only in case'))).toEqual([]);
  });

  it('an answer whose every file was refused fails with FILES_REFUSED listing them', async () => {
    const { final } = await run(['File: ../escape.txt', '```', 'x', '```', 'File: /etc/evil.conf', '```', 'y', '```', ''].join('\n'));
    expect(final.status).toBe('failed');
    expect(final.error?.code).toBe('FILES_REFUSED');
    expect(final.error?.message).toMatch(/All 2 files the model wrote were refused/);
    const refused = (final.error?.details?.refused ?? []) as Array<{ path: string }>;
    expect(refused.map((r) => r.path).sort()).toEqual(['../escape.txt', '/etc/evil.conf']);
    // REST and the UI read the same task row.
    const got = (await engine!.invoke('tasks.get', { taskId: final.id })) as MethodResult<'tasks.get'>;
    expect(got.task.error?.code).toBe('FILES_REFUSED');
  });

  it('an answer with one file refused and one written still succeeds (the refusal is an event)', async () => {
    const { final, events } = await run(['File: ../escape.txt', '```', 'x', '```', 'File: ok.txt', '```', 'y', '```', ''].join('\n'));
    expect(final.status).toBe('succeeded');
    expect(events.some((e) => e.type === 'file.refused')).toBe(true);
  });
});
