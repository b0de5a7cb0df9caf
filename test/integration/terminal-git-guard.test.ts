// A sandboxed shell in the terminal pane, over real bubblewrap: git metadata made in it
// used to stay in the workspace until the shell exited (the user's editor runs git on
// the folder long before that), and the quarantine's report went nowhere. Now a sweep
// runs while the shell is open, and each move is a line in the terminal and an audit
// event on the shell's task.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectSandbox, type SandboxAudit } from '../../electron/core/sandbox/index.js';
import type { MethodResult } from '../../shared/index.js';
import { startOllamaStandin } from '../fixtures/ollama-standin/index.js';
import { openEngine } from './helpers.js';
import { fixturesRoot } from './sandbox-harness.js';
import { createHarness, waitFor } from './terminal-harness.js';

const sandbox = detectSandbox();
let root = '';

describe.skipIf(sandbox.backend !== 'bwrap')('terminal shells: the git guard runs while the shell is open, and says what it did', () => {
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(fixturesRoot(), 'terminal-git-'));
  });
  afterAll(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('a .git made in an open shell is moved out within the guard interval, shown in the terminal and on the task', async () => {
    const ws = path.join(root, 'ws');
    const mark = path.join(root, 'MARK');
    fs.mkdirSync(ws);
    const audits: Array<{ taskId: string; audit: SandboxAudit }> = [];
    const h = createHarness({
      sandbox: { buildCommand: (spec) => sandbox.buildCommand({ ...spec, quarantineDir: path.join(root, 'q') }), signalTree: (pid, sig) => sandbox.signalTree(pid, sig) },
      onAudit: (taskId, audit) => audits.push({ taskId, audit }),
      gitGuardIntervalMs: 300,
    });
    try {
      const s = h.manager.open({ taskId: 'task-g', cwd: ws, cols: 200, rows: 24, level: 'workspace-write' });
      await waitFor(() => /[$#] $/.test(h.record(s.sessionId).text), 15_000, 'the prompt');
      h.manager.input(s.sessionId, `git init -q . && printf '[core]\\n\\tfsmonitor = "touch ${mark}; false"\\n' >> .git/config && echo PLANT""ED\r`);
      await waitFor(() => h.record(s.sessionId).text.includes('PLANTED'), 10_000, 'the plant');
      // The shell is still open: the user's editor would run git now.
      await waitFor(() => !fs.existsSync(path.join(ws, '.git')), 5_000, 'the .git to be moved out while the shell is open');
      expect(h.manager.list({ taskId: 'task-g' })[0].alive).toBe(true);
      spawnSync('git', ['status'], { cwd: ws, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
      expect(fs.existsSync(mark)).toBe(false);
      await waitFor(() => h.record(s.sessionId).text.includes('moved out of the workspace'), 5_000, 'the line in the terminal');
      expect(audits).toHaveLength(1);
      expect(audits[0]).toMatchObject({ taskId: 'task-g', audit: { kind: 'quarantined' } });
      expect(audits[0].audit.message).toContain('.git');
    } finally {
      h.manager.dispose();
    }
  }, 40_000);

  it('what is made just before the shell exits is reported too (in the replay and on the task)', async () => {
    const ws = path.join(root, 'ws-exit');
    fs.mkdirSync(ws);
    const audits: SandboxAudit[] = [];
    const h = createHarness({
      sandbox: { buildCommand: (spec) => sandbox.buildCommand({ ...spec, quarantineDir: path.join(root, 'q2') }), signalTree: (pid, sig) => sandbox.signalTree(pid, sig) },
      onAudit: (_taskId, audit) => audits.push(audit),
      gitGuardIntervalMs: 60_000,
    });
    try {
      const s = h.manager.open({ taskId: 'task-e', cwd: ws, cols: 200, rows: 24, level: 'workspace-write' });
      await waitFor(() => /[$#] $/.test(h.record(s.sessionId).text), 15_000, 'the prompt');
      h.manager.input(s.sessionId, 'git init -q sub && exit\r');
      await waitFor(() => h.exits.length === 1, 10_000, 'the exit');
      expect(fs.existsSync(path.join(ws, 'sub', '.git'))).toBe(false);
      expect(audits.map((a) => a.kind)).toEqual(['quarantined']);
      expect(h.manager.replay(s.sessionId).data).toContain('moved out of the workspace');
    } finally {
      h.manager.dispose();
    }
  }, 40_000);

  it("through the engine: a shell's quarantine is an audit event on its task's timeline", async () => {
    const dataDir = path.join(root, 'engine-data');
    fs.mkdirSync(dataDir);
    const standin = await startOllamaStandin({ defaultChat: { text: 'File: app.py\n```python\nprint(1)\n```\n' } });
    const engine = openEngine(dataDir, standin.url);
    try {
      const { task } = (await engine.invoke('tasks.create', { prompt: 'p', model: 'qwen2.5-coder:7b' })) as MethodResult<'tasks.create'>;
      await engine.waitForTask(task.id);
      const session = (await engine.invoke('terminal.open', { taskId: task.id, cols: 120, rows: 30 })) as MethodResult<'terminal.open'>;
      await new Promise((r) => setTimeout(r, 1_000));
      await engine.invoke('terminal.input', { sessionId: session.sessionId, data: 'git init -q nested && exit\r' });
      let audit: string | undefined;
      for (let i = 0; i < 100 && !audit; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const events = ((await engine.invoke('tasks.events', { taskId: task.id })) as MethodResult<'tasks.events'>).events;
        const found = events.find((e) => e.type === 'audit' && e.data.kind === 'quarantined');
        audit = found && found.type === 'audit' ? found.data.message : undefined;
      }
      expect(audit).toContain(path.join('nested', '.git'));
    } finally {
      await engine.close();
      await standin.close();
    }
  }, 40_000);
});
