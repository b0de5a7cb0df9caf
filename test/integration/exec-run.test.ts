import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodResult, TaskEvent } from '../../shared/index.js';
import type { Engine } from '../../electron/core/engine/index.js';
import { detectSandbox } from '../../electron/core/sandbox/index.js';
import { startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { openEngine, recordFrames, tempDataDir } from './helpers.js';

const bwrap = detectSandbox().backend === 'bwrap';
if (!bwrap) console.log(`exec.run sandbox tests SKIPPED: ${detectSandbox().status().hint}`);

let standin: OllamaStandin;
let dataDir: string;
let engine: Engine;

beforeEach(async () => {
  standin = await startOllamaStandin({ defaultChat: { text: 'File: run.sh\n```bash\necho from-the-model\n```\n' } });
  dataDir = tempDataDir('exec');
  engine = openEngine(dataDir, standin.url);
});
afterEach(async () => {
  await engine.close();
  await standin.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe.skipIf(!bwrap)('exec.run: commands in a task workspace, sandboxed and audited', () => {
  it('runs in the workspace, records start/end events, and keeps the host safe', async () => {
    const rec = recordFrames(engine);
    const { task } = (await engine.invoke('tasks.create', { prompt: 'p', model: 'qwen2.5-coder:7b' })) as MethodResult<'tasks.create'>;
    await engine.waitForTask(task.id);
    const status = (await engine.invoke('sandbox.status', {})) as MethodResult<'sandbox.status'>;
    expect(status).toMatchObject({ backend: 'bwrap', available: true });

    const ok = (await engine.invoke('exec.run', { taskId: task.id, command: ['bash', 'run.sh'] })) as MethodResult<'exec.run'>;
    expect(ok).toMatchObject({ exitCode: 0, timedOut: false, killed: false, level: 'workspace-write' });
    expect(ok.tail).toContain('from-the-model');

    const hostile = (await engine.invoke('exec.run', { taskId: task.id, command: ['sh', '-c', 'touch /etc/macs-pwned; echo done'] })) as MethodResult<'exec.run'>;
    expect(hostile.tail).toMatch(/Read-only file system/);
    expect(fs.existsSync('/etc/macs-pwned')).toBe(false);

    const timedOut = (await engine.invoke('exec.run', { taskId: task.id, command: ['sleep', '30'], timeoutMs: 300 })) as MethodResult<'exec.run'>;
    expect(timedOut).toMatchObject({ timedOut: true, killed: true });

    const events = ((await engine.invoke('tasks.events', { taskId: task.id })) as MethodResult<'tasks.events'>).events;
    const execs = events.filter((e): e is Extract<TaskEvent, { type: 'exec' }> => e.type === 'exec');
    expect(execs.map((e) => [e.data.phase, e.data.command[0]])).toEqual([
      ['start', 'bash'],
      ['end', 'bash'],
      ['start', 'sh'],
      ['end', 'sh'],
      ['start', 'sleep'],
      ['end', 'sleep'],
    ]);
    const audits = events.filter((e) => e.type === 'audit').map((e) => (e.data as { kind: string }).kind);
    expect(audits).toContain('denied');
    expect(audits).toContain('timeout');
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(rec.events(task.id).some((e) => e.type === 'exec')).toBe(true); // published live too
    expect(fs.readdirSync(path.join(dataDir, 'logs', 'exec', task.id)).length).toBeGreaterThan(0);
  });

  it('validates the command and the level', async () => {
    const { task } = (await engine.invoke('tasks.create', { prompt: 'p', model: 'qwen2.5-coder:7b' })) as MethodResult<'tasks.create'>;
    await expect(engine.invoke('exec.run', { taskId: task.id, command: [] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(engine.invoke('exec.run', { taskId: task.id, command: ['true'], level: 'root' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
