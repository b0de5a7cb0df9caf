// TerminalManager against real node-pty shells (passthrough sandbox): typing, resize, the
// process tree dying on close, replay + seq continuity, the Runs log, and a 50 MB flood
// with bounded pending output and a responsive event loop.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { detectSandbox } from '../../electron/core/sandbox/index.js';
import { createHarness, isSeqRun, processesWith, waitFor, type Harness } from './terminal-harness.js';

const linux = process.platform === 'linux';
let cwd = '';
let harness: Harness | null = null;

beforeAll(() => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-term-'));
});

afterEach(() => {
  harness?.manager.dispose();
  harness = null;
});

function setup(options: Parameters<typeof createHarness>[0] = {}): Harness {
  harness = createHarness(options);
  return harness;
}

/** Open a sandbox-style shell (bash --noprofile --norc -i) and wait for its prompt. */
async function openShell(h: Harness, cols = 80, rows = 24) {
  const session = h.manager.open({ taskId: 'task-1', cwd, cols, rows, level: 'workspace-write' });
  await waitFor(() => /[$#] $/.test(h.record(session.sessionId).text), 10_000, 'the prompt');
  return session;
}

describe.skipIf(!linux)('terminal (node-pty)', () => {
  it('runs what is typed and shows the answer, with a clear sandbox prompt', async () => {
    const h = setup();
    const s = await openShell(h);
    expect(s).toMatchObject({ kind: 'shell', taskId: 'task-1', cwd, level: 'workspace-write', alive: true, title: 'bash' });
    expect(h.record(s.sessionId).text).toContain('[sandbox workspace-write]');
    h.manager.input(s.sessionId, 'echo hi\r');
    await waitFor(() => /[\r\n]hi\r\n/.test(h.record(s.sessionId).text), 5_000, 'hi');
    h.manager.input(s.sessionId, 'echo $((6*7))\r');
    await waitFor(() => /[\r\n]42\r\n/.test(h.record(s.sessionId).text), 5_000, '42');
    expect(isSeqRun(h.record(s.sessionId).seqs)).toBe(true);
  });

  it('resizes the pty', async () => {
    const h = setup();
    const s = await openShell(h, 80, 24);
    h.manager.resize(s.sessionId, 123, 37);
    h.manager.input(s.sessionId, 'stty size\r');
    await waitFor(() => h.record(s.sessionId).text.includes('37 123'), 5_000, 'stty size');
    expect(h.manager.list({ taskId: 'task-1' })[0]).toMatchObject({ cols: 123, rows: 37 });
  });

  it('close kills the whole process tree: background, nohup and HUP-ignoring children included', async () => {
    const h = setup();
    const s = await openShell(h);
    const marker = `${process.pid}${Date.now() % 100000}`;
    h.manager.input(s.sessionId, `sleep 999.${marker}1 &\r`);
    h.manager.input(s.sessionId, `nohup sleep 999.${marker}2 >/dev/null 2>&1 &\r`);
    h.manager.input(s.sessionId, `(trap '' HUP TERM; sleep 999.${marker}3; true) &\r`);
    h.manager.input(s.sessionId, `sleep 999.${marker}4\r`); // in the foreground
    await waitFor(() => processesWith(`999.${marker}`).length === 4, 5_000, 'four sleeps');
    h.manager.close(s.sessionId);
    await waitFor(() => processesWith(`999.${marker}`).length === 0, 3_000, 'no survivors');
    await waitFor(() => h.exits.some((e) => e.sessionId === s.sessionId), 3_000, 'the exit');
    expect(h.manager.list()).toEqual([]);
  });

  it('a shell that exits reports its code, in the output and as terminal.exit', async () => {
    const h = setup();
    const s = await openShell(h);
    h.manager.input(s.sessionId, 'exit 3\r');
    await waitFor(() => h.exits.length === 1, 5_000, 'exit');
    expect(h.exits[0]).toEqual({ sessionId: s.sessionId, exitCode: 3, signal: null });
    expect(h.record(s.sessionId).text).toContain('[process exited with code 3]');
    expect(h.manager.list()[0]).toMatchObject({ alive: false, exitCode: 3 });
    expect(h.manager.replay(s.sessionId).data).toContain('[process exited with code 3]');
  });

  it('replay returns the capped tail and lastSeq; live frames continue right after it', async () => {
    const h = setup({ scrollbackBytes: 256 * 1024 });
    const s = await openShell(h);
    h.manager.input(s.sessionId, `for i in $(seq 1 20000); do echo "line $i of the replay test"; done; echo REPLAY-DONE\r`);
    await waitFor(() => /\r\nREPLAY-DONE\r\n/.test(h.record(s.sessionId).text), 15_000, 'the loop');
    await new Promise((r) => setTimeout(r, 50)); // let the prompt's frame go out
    const rec = h.record(s.sessionId);
    const replay = h.manager.replay(s.sessionId);
    expect(replay.lastSeq).toBe(rec.seqs.at(-1));
    expect(replay.data.length).toBeLessThanOrEqual(256 * 1024);
    expect(replay.data.length).toBeGreaterThan(200 * 1024);
    expect(rec.text.endsWith(replay.data)).toBe(true);
    // Cut at a line start: the tail begins with a whole line.
    expect(replay.data).toMatch(/^line \d+ of the replay test\r\n/);
    h.manager.input(s.sessionId, 'echo AFTER\r');
    await waitFor(() => /[\r\n]AFTER\r\n/.test(rec.text), 5_000, 'AFTER');
    expect(rec.seqs.filter((q) => q > replay.lastSeq)[0]).toBe(replay.lastSeq + 1);
    expect(isSeqRun(rec.seqs)).toBe(true);
  });

  it('keeps up with 50 MB of output: complete, pending output bounded, event loop responsive', async () => {
    const h = setup();
    const s = await openShell(h, 200, 50);
    h.countOnly.add(s.sessionId);
    let maxLag = 0;
    let last = performance.now();
    const tick = setInterval(() => {
      const now = performance.now();
      maxLag = Math.max(maxLag, now - last - 10);
      last = now;
    }, 10);
    const started = performance.now();
    h.manager.input(s.sessionId, "head -c 50000000 /dev/zero | tr '\\0' a; echo; echo FLOOD-DONE\r");
    try {
      await waitFor(() => /\r\nFLOOD-DONE\r\n/.test(h.record(s.sessionId).text), 60_000, 'the flood');
    } finally {
      clearInterval(tick);
    }
    const seconds = (performance.now() - started) / 1000;
    const rec = h.record(s.sessionId);
    const stats = h.manager.stats(s.sessionId);
    console.log(`50 MB in ${seconds.toFixed(2)} s (${(50 / seconds).toFixed(1)} MB/s), frames ${rec.seqs.length}, max pending ${stats.maxPendingBytes}, max loop lag ${maxLag.toFixed(1)} ms`);
    // Every byte arrived: 50 MB of "a" + the echoed command + prompts.
    expect(rec.bytes).toBeGreaterThanOrEqual(50_000_000);
    expect(rec.bytes).toBeLessThan(50_000_000 + 4096);
    expect(isSeqRun(rec.seqs)).toBe(true);
    expect(stats.maxPendingBytes).toBeLessThanOrEqual(1024 * 1024 + 128 * 1024);
    expect(maxLag).toBeLessThan(150);
  }, 90_000);

  it('pauses the pty while a slow transport is backed up, and loses nothing', async () => {
    // A transport that drains 20 MB/s and reports itself backed up above 512 KB queued.
    let queued = 0;
    let lastDrain = performance.now();
    const drain = () => {
      const now = performance.now();
      queued = Math.max(0, queued - ((now - lastDrain) / 1000) * 20e6);
      lastDrain = now;
    };
    const h = setup({
      highWaterBytes: 256 * 1024,
      isBackedUp: () => {
        drain();
        return queued > 512 * 1024;
      },
    });
    const s = await openShell(h);
    h.countOnly.add(s.sessionId);
    const rec = h.record(s.sessionId);
    const before = rec.bytes;
    let watched = before;
    // What the pump publishes lands in the transport's queue.
    const watch = setInterval(() => {
      queued += rec.bytes - watched;
      watched = rec.bytes;
    }, 1);
    h.manager.input(s.sessionId, "head -c 10000000 /dev/zero | tr '\\0' b; echo; echo SLOW-DONE\r");
    try {
      await waitFor(() => /\r\nSLOW-DONE\r\n/.test(rec.text), 30_000, 'the slow flood');
    } finally {
      clearInterval(watch);
    }
    const stats = h.manager.stats(s.sessionId);
    expect(stats.pauses).toBeGreaterThan(0);
    expect(stats.maxPendingBytes).toBeLessThanOrEqual(256 * 1024 + 128 * 1024);
    expect(rec.bytes - before).toBeGreaterThanOrEqual(10_000_000);
    expect(isSeqRun(rec.seqs)).toBe(true);
  }, 60_000);

  it('shows pipeline commands in the read-only Runs log with header, output and footer', async () => {
    const h = setup();
    const writer = h.manager.attachRun('task-1', { command: ['npm', 'test', '--', 'a b'], cwd, level: 'workspace-write' });
    writer.write('> tests\n');
    writer.write(Buffer.from('ok ✓\nFAIL', 'utf8').subarray(0, 7)); // cut inside the multi-byte ✓
    writer.write(Buffer.from('ok ✓\nFAIL', 'utf8').subarray(7));
    writer.end({ exitCode: 1, durationMs: 3200 });
    const second = h.manager.attachRun('task-1', { command: ['sleep', '600'], cwd, level: 'workspace-write+net' });
    second.end({ exitCode: null, signal: 'SIGKILL', durationMs: 600_000, timedOut: true, killed: true, timeoutMs: 600_000 });

    const sessions = h.manager.list({ taskId: 'task-1' });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ kind: 'runs', title: 'Runs', taskId: 'task-1', level: 'workspace-write+net' });
    const id = sessions[0].sessionId;
    await waitFor(() => h.record(id).text.includes('timeout'), 2_000, 'the footer');
    const plain = h.manager.replay(id).data.replace(/\x1b\[[0-9;]*m/g, '');
    expect(plain).toContain(`━━ $ npm test -- 'a b'  (cwd ${cwd}, isolation workspace-write) ━━\r\n> tests\r\nok ✓\r\nFAIL\r\n━━ exit 1 · 3.2 s ━━`);
    expect(plain).toContain('━━ $ sleep 600');
    expect(plain).toContain('━━ killed (timeout 600 s) · 600 s ━━');
    expect(() => h.manager.input(id, 'x')).toThrow(/read-only/);
    expect(() => h.manager.close(id)).toThrow(/stays/);
    expect(() => h.manager.replay('nope')).toThrow(/no terminal session/);
  });

  it('caps the number of live sessions', async () => {
    const h = setup({ maxSessions: 2 });
    await openShell(h);
    await openShell(h);
    expect(() => h.manager.open({ taskId: 'task-1', cwd, cols: 80, rows: 24 })).toThrow(/close one first/);
  });

  const bwrap = linux && detectSandbox().backend === 'bwrap';
  it.skipIf(!bwrap)('runs through the real bwrap sandbox: answers, is confined, and dies whole on close', async () => {
    const h = setup({ sandbox: detectSandbox() });
    const s = await openShell(h);
    expect(s.level).toBe('workspace-write');
    const marker = `${process.pid}${Date.now() % 100000}`;
    h.manager.input(s.sessionId, `echo $((6*7)); touch /etc/pwned-${marker}; sleep 999.${marker} &\r`);
    await waitFor(() => /Read-only file system/.test(h.record(s.sessionId).text), 5_000, 'the refusal');
    expect(h.record(s.sessionId).text).toMatch(/[\r\n]42\r\n/);
    expect(fs.existsSync(`/etc/pwned-${marker}`)).toBe(false);
    await waitFor(() => processesWith(`999.${marker}`).length === 1, 5_000, 'the sleep');
    h.manager.close(s.sessionId);
    await waitFor(() => processesWith(`999.${marker}`).length === 0, 3_000, 'no survivors');
  });
});
