// Issue 12 "Data dir exposure": the sandbox hides HOME, /tmp and /run, but a data dir
// elsewhere (/srv/macs) held the API key and macs.db in plain view of sandboxed code.
// The data dir must be hidden wherever it lives, while a task workspace inside it
// (<data dir>/workspaces/<task>) stays visible and writable.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MethodResult } from '../../shared/index.js';
import { startOllamaStandin } from '../fixtures/ollama-standin/index.js';
import { fixturesRoot, HAS_BWRAP, sh } from './sandbox-harness.js';
import { openEngine } from './helpers.js';

/** A folder outside HOME and the temp dirs: /srv when writable, else the fixtures root (also outside them). */
function outsideHomeAndTmp(label: string): string {
  const hidden = [os.tmpdir(), '/tmp', '/run', os.homedir()].map((p) => path.resolve(p) + path.sep);
  for (const base of ['/srv', fixturesRoot()]) {
    try {
      fs.mkdirSync(base, { recursive: true });
      const dir = fs.mkdtempSync(path.join(base, `macs-${label}-`));
      if (!hidden.some((h) => (fs.realpathSync(dir) + path.sep).startsWith(h))) return fs.realpathSync(dir);
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // not writable: next
    }
  }
  throw new Error('no folder outside HOME and /tmp to test with');
}

const SECRET = `secret-${randomBytes(8).toString('hex')}`;
const made: string[] = [];

function plantSecrets(dataDir: string): void {
  fs.writeFileSync(path.join(dataDir, 'api-key'), `${SECRET}\n`);
  fs.writeFileSync(path.join(dataDir, 'macs.db.sample'), `rows ${SECRET}\n`);
  fs.mkdirSync(path.join(dataDir, 'workspaces', 'other-task'), { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'workspaces', 'other-task', 'private.txt'), `${SECRET}\n`);
}

const PROBE = 'for f in "$DATA/api-key" "$DATA/macs.db.sample" "$DATA/workspaces/other-task/private.txt"; do cat "$f" 2>&1; done; ls -a "$DATA" 2>&1; cat mine.txt; echo written > out.txt && echo WROTE';

describe.skipIf(!HAS_BWRAP)('sandbox (bubblewrap): the data dir is hidden wherever it lives', () => {
  afterAll(() => {
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('through the engine: exec.run in a task workspace under /srv/<data dir>/workspaces cannot read api-key, macs.db or another workspace', async () => {
    const dataDir = outsideHomeAndTmp('datadir');
    made.push(dataDir);
    const standin = await startOllamaStandin({ defaultChat: { text: 'File: mine.txt\n```\nmine\n```\n' } });
    const engine = openEngine(dataDir, standin.url);
    try {
      plantSecrets(dataDir);
      const { task } = (await engine.invoke('tasks.create', { prompt: 'p', model: 'qwen2.5-coder:7b' })) as MethodResult<'tasks.create'>;
      await engine.waitForTask(task.id);
      const { task: done } = (await engine.invoke('tasks.get', { taskId: task.id })) as MethodResult<'tasks.get'>;
      expect(fs.realpathSync(done.workspacePath).startsWith(dataDir + path.sep)).toBe(true);
      const run = (await engine.invoke('exec.run', { taskId: task.id, command: ['bash', '-c', PROBE.replaceAll('$DATA', dataDir)] })) as MethodResult<'exec.run'>;
      expect(run.tail).not.toContain(SECRET);
      expect(run.tail).toContain('mine');
      expect(run.tail).toContain('WROTE');
      expect(fs.readFileSync(path.join(done.workspacePath, 'out.txt'), 'utf8')).toBe('written\n');
      // Relative paths from the workspace reach the same hidden place.
      const rel = (await engine.invoke('exec.run', { taskId: task.id, command: ['bash', '-c', 'cat ../../api-key 2>&1; cat ../../macs.db 2>&1 | head -c 100'] })) as MethodResult<'exec.run'>;
      expect(rel.tail).not.toContain(SECRET);
      expect(rel.tail).not.toContain('SQLite format');
    } finally {
      await engine.close();
      await standin.close();
    }
  });

  it('MACS_DATA_DIR counts even when no engine registered it (macs exec), and a workspace outside it is unaffected', async () => {
    const dataDir = outsideHomeAndTmp('envdir');
    const ws = outsideHomeAndTmp('ws');
    made.push(dataDir, ws);
    plantSecrets(dataDir);
    fs.writeFileSync(path.join(ws, 'mine.txt'), 'mine\n');
    const before = process.env.MACS_DATA_DIR;
    process.env.MACS_DATA_DIR = dataDir;
    try {
      const run = await sh(ws, PROBE.replaceAll('$DATA', dataDir));
      expect(run.output).not.toContain(SECRET);
      expect(run.output).toContain('mine');
      expect(run.output).toContain('WROTE');
    } finally {
      if (before === undefined) delete process.env.MACS_DATA_DIR;
      else process.env.MACS_DATA_DIR = before;
    }
  });

  it('a data dir inside the workspace folder is hidden too', async () => {
    const ws = outsideHomeAndTmp('ws-with-data');
    made.push(ws);
    const dataDir = path.join(ws, '.macs-data');
    fs.mkdirSync(dataDir);
    plantSecrets(dataDir);
    fs.writeFileSync(path.join(ws, 'mine.txt'), 'mine\n');
    const before = process.env.MACS_DATA_DIR;
    process.env.MACS_DATA_DIR = dataDir;
    try {
      const run = await sh(ws, PROBE.replaceAll('$DATA', dataDir));
      expect(run.output).not.toContain(SECRET);
      expect(run.output).toContain('WROTE');
      expect(fs.readFileSync(path.join(dataDir, 'api-key'), 'utf8')).toBe(`${SECRET}\n`);
    } finally {
      if (before === undefined) delete process.env.MACS_DATA_DIR;
      else process.env.MACS_DATA_DIR = before;
    }
  });
});
