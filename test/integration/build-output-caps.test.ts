// The output caps hold for build tasks too: Settings' maxFileBytes / maxTaskOutputBytes reach
// every step's files, and the per-task cap counts the whole build (implement + docs + fixes),
// not each model call on its own.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/core/engine/index.js';
import type { MethodResult } from '../../shared/index.js';
import { startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { answer, approve, filesAnswer, planJson } from '../fixtures/build-scripts.js';
import { openEngine, tempDataDir } from './helpers.js';

let standin: OllamaStandin;
let dataDir: string;
let engine: Engine | null = null;

beforeEach(async () => {
  standin = await startOllamaStandin();
  dataDir = tempDataDir('build-caps');
});
afterEach(async () => {
  await engine?.close().catch(() => undefined);
  engine = null;
  await standin.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const line = (i: number) => `// line ${String(i).padStart(4, '0')} ${'x'.repeat(80)}\n`; // 94 bytes
const body = (lines: number) => Array.from({ length: lines }, (_, i) => line(i)).join('');

async function build(e: Engine) {
  const { task } = (await e.invoke('tasks.create', { prompt: 'Write a tiny library.', kind: 'build', model: 'qwen2.5-coder:7b' })) as MethodResult<'tasks.create'>;
  return e.waitForTask(task.id, 60_000);
}

describe('build tasks and the output caps', () => {
  it('the per-task cap counts every step of the build: implement under it, docs past it → OUTPUT_TOO_LARGE, implement files kept', async () => {
    engine = openEngine(dataDir, standin.url);
    await engine.invoke('settings.update', { maxTaskOutputBytes: 20 * 1024 });
    standin.enqueueChat(answer('plan', planJson({ files: [['src/a.js', 'a'], ['src/b.js', 'b'], ['README.md', 'docs']] })));
    // 2 × ~9.4 KB: under 20 KB on its own.
    standin.enqueueChat(answer('implement', filesAnswer({ 'src/a.js': body(100), 'src/b.js': body(100) })));
    // ~9.4 KB more: past 20 KB only when counted with implement's files.
    standin.enqueueChat(answer('docs', filesAnswer({ 'README.md': body(100) })));
    standin.enqueueChat(answer('review', approve));

    const final = await build(engine);
    expect(final.status).toBe('failed');
    expect(final.error?.code).toBe('OUTPUT_TOO_LARGE');
    expect(final.error?.details).toMatchObject({ maxTaskOutputBytes: 20 * 1024, path: 'README.md' });
    expect(fs.statSync(path.join(final.workspacePath, 'src/a.js')).size).toBe(9400);
    expect(fs.statSync(path.join(final.workspacePath, 'src/b.js')).size).toBe(9400);
    expect(fs.statSync(path.join(final.workspacePath, 'README.md')).size).toBeLessThan(9400);
  });

  it("the per-file cap from Settings applies to a build's files (cut and marked truncated)", async () => {
    engine = openEngine(dataDir, standin.url);
    await engine.invoke('settings.update', { maxFileBytes: 4 * 1024 });
    standin.enqueueChat(answer('plan', planJson({ files: [['src/a.js', 'a'], ['README.md', 'docs']], test_command: 'true' })));
    standin.enqueueChat(answer('implement', filesAnswer({ 'src/a.js': body(100) })));
    standin.enqueueChat(answer('docs', filesAnswer({ 'README.md': '# a\n' })));
    standin.enqueueChat(answer('review', approve));

    const final = await build(engine);
    const { files } = (await engine.invoke('tasks.get', { taskId: final.id })) as MethodResult<'tasks.get'>;
    expect(fs.statSync(path.join(final.workspacePath, 'src/a.js')).size).toBeLessThanOrEqual(4 * 1024);
    expect(files.find((f) => f.path === 'src/a.js')?.state).toBe('truncated');
  });
});
