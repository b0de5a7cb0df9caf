import Database from 'better-sqlite3';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MethodResult } from '../../shared/index.js';
import { startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { deltaText, openEngine, tempDataDir, waitFor } from './helpers.js';

const ROOT = path.resolve(__dirname, '../..');
const MACS = path.join(ROOT, 'bin/macs.js');
const ANSWER = 'Intro.\nFile: app/main.py\n```python\n' + 'print("hello")\n'.repeat(200) + '```\nFile: README.md\n```markdown\n# App\n```\n';

let standin: OllamaStandin;
let dataDir: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  // The CLI runs from the bundle; build it if `npm test` has not already.
  if (!fs.existsSync(path.join(ROOT, 'dist/cli/macs.js'))) {
    const r = spawnSync(process.execPath, ['scripts/build-node.mjs'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('could not build the CLI');
  }
});
beforeEach(async () => {
  standin = await startOllamaStandin();
  dataDir = tempDataDir('cli');
});
afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  await standin.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function runMacs(args: string[]): { child: ChildProcess; out: () => string; err: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [MACS, ...args], {
    cwd: ROOT,
    env: { ...process.env, MACS_DATA_DIR: dataDir, OLLAMA_HOST: standin.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exit };
}

describe('macs CLI', () => {
  it('macs run streams the answer, writes the files, copies them to --out and exits 0', async () => {
    standin.setDefaultChat({ text: ANSWER, tokensPerSecond: 4000 });
    const outDir = path.join(dataDir, 'out');
    const run = runMacs(['run', 'a hello app', '--model', 'qwen2.5-coder:7b', '--out', outDir]);
    expect(await run.exit).toBe(0);
    expect(run.out()).toBe(ANSWER);
    expect(run.err()).toContain('→ writing app/main.py');
    expect(run.err()).toMatch(/✓ README\.md \(6 B\)/);
    expect(run.err()).toContain('succeeded: 2 file(s)');
    expect(fs.readFileSync(path.join(outDir, 'README.md'), 'utf8')).toBe('# App\n');
  });

  it('macs run without --model uses the model recommended for this machine', async () => {
    standin.setDefaultChat({ text: ANSWER, tokensPerSecond: 4000 });
    const run = runMacs(['run', 'a hello app']);
    expect(await run.exit).toBe(0);
    // The stand-in has qwen2.5-coder:7b and llama3.2:3b: the coding model wins.
    expect(run.err()).toContain('model qwen2.5-coder:7b (recommended for this machine');
    const chat = standin.requests.find((r) => r.path === '/api/chat')!.body as { model: string };
    expect(chat.model).toBe('qwen2.5-coder:7b');
  });

  it('macs run exits non-zero with a clear message when the model is missing', async () => {
    const run = runMacs(['run', 'hi', '--model', 'ghost:7b']);
    expect(await run.exit).toBe(1);
    expect(run.err()).toContain('ollama pull ghost:7b');
    expect(run.err()).toContain('[MODEL_NOT_FOUND]');
  });

  it('rejects bad usage with exit code 2 and the usage text', async () => {
    const run = runMacs(['run']);
    expect(await run.exit).toBe(2);
    expect(run.err()).toContain('needs a prompt');
  });

  it('kill -9 mid-stream: on restart the task is recovered and finishes; earlier events intact, nothing duplicated, database ok', async () => {
    standin.setDefaultChat({ text: ANSWER, tokensPerSecond: 300 });
    const run = runMacs(['run', 'a hello app', '--model', 'qwen2.5-coder:7b']);
    await waitFor(() => run.err().includes('→ writing app/main.py') && run.out().length > 200, 15_000, 'streaming to start');
    run.child.kill('SIGKILL');
    await run.exit;

    // What the dead process left: events up to the kill, still "running" under a dead lease.
    const db0 = new Database(path.join(dataDir, 'macs.db'), { readonly: true });
    const before = db0.prepare('SELECT seq, type, data_json FROM task_events ORDER BY seq').all() as { seq: number; type: string; data_json: string }[];
    const status0 = db0.prepare('SELECT status FROM tasks').pluck().get();
    db0.close();
    expect(status0).toBe('running');

    standin.setDefaultChat({ text: ANSWER, tokensPerSecond: 5000 });
    const engine = openEngine(dataDir, standin.url); // its worker recovers the dead process's task at start
    try {
      const { tasks } = (await engine.invoke('tasks.list', {})) as MethodResult<'tasks.list'>;
      expect(tasks).toHaveLength(1);
      const final = await engine.waitForTask(tasks[0].id, 15_000);
      expect(final).toMatchObject({ status: 'succeeded', attempts: 2 });
      const { events } = (await engine.invoke('tasks.events', { taskId: final.id })) as MethodResult<'tasks.events'>;
      // Every seq once, in order; the pre-crash events unchanged.
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      expect(events.slice(0, before.length).map((e) => [e.seq, e.type, JSON.stringify(e.data)])).toEqual(before.map((r) => [r.seq, r.type, r.data_json]));
      const firstAttempt = deltaText(events.slice(0, before.length));
      expect(ANSWER.startsWith(firstAttempt)).toBe(true);
      const statuses = events.filter((e) => e.type === 'status').map((e) => (e.data as { status: string }).status);
      expect(statuses).toEqual(['queued', 'running', 'interrupted', 'queued', 'running', 'succeeded']);
      // The second attempt streamed the whole answer once.
      const secondRunning = events.findIndex((e, i) => i >= before.length && e.type === 'status' && (e.data as { status: string }).status === 'running');
      expect(deltaText(events.slice(secondRunning))).toBe(ANSWER);
      expect(fs.readFileSync(path.join(final.workspacePath, 'README.md'), 'utf8')).toBe('# App\n');
      const attempts = (await engine.invoke('tasks.attempts', { taskId: final.id })) as MethodResult<'tasks.attempts'>;
      expect(attempts.attempts.map((a) => a.outcome)).toEqual(['interrupted', 'succeeded']);
    } finally {
      await engine.close();
    }
    const db = new Database(path.join(dataDir, 'macs.db'));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });
});
