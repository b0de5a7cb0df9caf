// A full disk must fail the task with DISK_FULL, keep the engine alive and keep what was
// written. Two ways to fill it: SQLite's PRAGMA max_page_count (deterministic, any host)
// and a real 8 MB tmpfs under the data dir (needs mount: root in CI; skipped, saying so, elsewhere).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MethodResult, TaskEvent, TaskEventDraft } from '../../shared/index.js';
import { MacsError } from '../../shared/index.js';
import { ensureDiskReserve, openDatabase, releaseDiskReserve, type Db } from '../../electron/core/db/index.js';
import { EventCoalescer } from '../../electron/core/stream/index.js';
import { TaskStore } from '../../electron/core/tasks/index.js';
import type { Engine } from '../../electron/core/engine/index.js';
import { startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { openEngine, tempDataDir, waitFor } from './helpers.js';

function newTask(store: TaskStore, id: string) {
  return store.createTask({ id, kind: 'chat', title: 't', prompt: 'p', model: 'm', numCtx: 2048, workspacePath: '/nowhere', priority: 0, maxAttempts: 1, metadata: null }).task;
}

describe('a database that cannot grow (PRAGMA max_page_count)', () => {
  let dir: string;
  let db: Db;
  beforeAll(() => {
    dir = tempDataDir('dbfull');
    db = openDatabase(path.join(dir, 'macs.db'));
  });
  afterAll(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('appendEvents fails with DISK_FULL naming the database, and the coalescer timer reports it instead of throwing', async () => {
    const store = new TaskStore(db);
    newTask(store, 'full-1');
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages + 2}`);
    try {
      const big: TaskEventDraft = { type: 'delta', data: { text: 'x'.repeat(200_000) } };
      let thrown: unknown;
      try {
        store.appendEvents('full-1', [big]);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(MacsError);
      expect((thrown as MacsError).code).toBe('DISK_FULL');
      expect((thrown as MacsError).details).toMatchObject({ path: path.join(dir, 'macs.db'), neededBytes: expect.any(Number) });
      // Nothing half-written: the task's seq did not move.
      expect(store.requireTask('full-1').lastSeq).toBe(1);

      // The same failure from the coalescer's own timer: reported, never thrown (it would kill the process).
      const errors: Array<{ taskId: string; err: unknown }> = [];
      const published: TaskEvent[] = [];
      const coalescer = new EventCoalescer({
        intervalMs: 5,
        commit: (taskId, drafts) => store.appendEvents(taskId, drafts),
        publish: (_t, events) => published.push(...events),
        onError: (taskId, err) => errors.push({ taskId, err }),
      });
      coalescer.push('full-1', big);
      await waitFor(() => errors.length > 0, 2000, 'the coalescer to report the failed commit');
      expect(errors[0].taskId).toBe('full-1');
      expect((errors[0].err as MacsError).code).toBe('DISK_FULL');
      // Later events of the failed task are dropped quietly (the task is being failed), not thrown at the runner.
      expect(() => coalescer.push('full-1', { type: 'delta', data: { text: 'more' } })).not.toThrow();
      expect(coalescer.close('full-1')).toEqual([]);
      expect(errors).toHaveLength(1);
      expect(published).toEqual([]);
    } finally {
      db.pragma('max_page_count = 1073741823');
    }
    // Room again: the store works as before.
    expect(store.appendEvents('full-1', [{ type: 'log', data: { level: 'info', message: 'ok' } }])[0].seq).toBe(2);
  });
});

describe('the space reserve beside the database', () => {
  it('is created with real bytes, freed on demand, and made again when there is room', () => {
    const dir = tempDataDir('reserve');
    const db = path.join(dir, 'macs.db');
    try {
      ensureDiskReserve(db);
      const file = `${db}.space-reserve`;
      expect(fs.statSync(file).size).toBe(2 * 1024 * 1024);
      expect(fs.statSync(file).blocks * 512).toBeGreaterThanOrEqual(2 * 1024 * 1024); // not sparse: deleting it frees space
      expect(releaseDiskReserve(db)).toBe(true);
      expect(fs.existsSync(file)).toBe(false);
      expect(releaseDiskReserve(db)).toBe(false);
      ensureDiskReserve(db);
      expect(fs.existsSync(file)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------

function tryMountTmpfs(dir: string, size: string): string | null {
  if (os.platform() !== 'linux') return 'tmpfs mounts are a Linux test';
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
    return null;
  } catch (err) {
    return `mount -t tmpfs is not permitted here (${(err as Error).message.split('\n')[0]})`;
  }
}

const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-smalldisk-'));
const skipReason = tryMountTmpfs(mountPoint, '8m');
if (skipReason) console.warn(`disk-full tmpfs test skipped: ${skipReason}`);
// Unmounted once, after every test of the file (each describe below fills the same small disk).
afterAll(() => {
  if (skipReason === null) {
    try {
      execFileSync('umount', [mountPoint], { stdio: 'pipe' });
    } catch {
      // a still-open file keeps it busy: lazy unmount
      execFileSync('umount', ['-l', mountPoint], { stdio: 'pipe' });
    }
  }
  fs.rmSync(mountPoint, { recursive: true, force: true });
});

/** Never fill a real disk: the mount must still be the small tmpfs. */
function assertSmallDisk(): void {
  const s = fs.statfsSync(mountPoint);
  if (Number(s.blocks) * Number(s.bsize) > 16 * 1024 * 1024) throw new Error(`${mountPoint} is not the 8 MB tmpfs any more; refusing to fill it`);
}

describe.skipIf(skipReason !== null)('a data dir on a full 8 MB tmpfs', () => {
  let standin: OllamaStandin;
  let engine: Engine | null = null;
  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown) => uncaught.push(err);

  beforeAll(async () => {
    standin = await startOllamaStandin();
    process.on('uncaughtException', onUncaught);
  });
  afterEach(async () => {
    await engine?.close().catch(() => undefined);
    engine = null;
  });
  afterAll(async () => {
    process.off('uncaughtException', onUncaught);
    await standin.close();
  });

  async function fillTheDisk(dataDir: string, tokens: string[]) {
    assertSmallDisk();
    standin.enqueueChat({ tokens, tokensPerSecond: 20_000 });
    engine = openEngine(dataDir, standin.url);
    const task = ((await engine.invoke('tasks.create', { prompt: 'fill the disk', model: 'qwen2.5-coder:7b' })) as MethodResult<'tasks.create'>).task;
    const final = await engine.waitForTask(task.id, 30_000);
    expect(uncaught).toEqual([]);
    expect(final.status).toBe('failed');
    expect(final.error?.code).toBe('DISK_FULL');
    expect(fs.readFileSync(path.join(final.workspacePath, 'small.txt'), 'utf8')).toBe('keep me\n');
    // Still serving: reads answer.
    const list = (await engine.invoke('tasks.list', {})) as MethodResult<'tasks.list'>;
    expect(list.tasks.map((t) => t.id)).toContain(task.id);
    // After a restart the task still says why it failed (not INTERNAL, not interrupted).
    await engine.close();
    engine = openEngine(dataDir, standin.url);
    const again = (await engine.invoke('tasks.get', { taskId: task.id })) as MethodResult<'tasks.get'>;
    expect(again.task.status).toBe('failed');
    expect(again.task.error?.code).toBe('DISK_FULL');
    await engine.close();
    engine = null;
    fs.rmSync(dataDir, { recursive: true, force: true });
    return final;
  }

  const line = `${'y'.repeat(4095)}\n`;
  const small = 'File: small.txt\n```\nkeep me\n```\n\n';

  it('a huge answer in prose fills the database: DISK_FULL naming macs.db with the free space, the engine keeps serving, a restart still says DISK_FULL', async () => {
    const final = await fillTheDisk(path.join(mountPoint, 'prose'), [small, ...Array.from({ length: 6000 }, () => line)]);
    expect(final.error?.details).toMatchObject({ path: path.join(mountPoint, 'prose', 'macs.db'), freeBytes: expect.any(Number), neededBytes: expect.any(Number) });
  }, 120_000);

  it('a huge file fills the disk when written: DISK_FULL naming the file, what was written before is kept', async () => {
    const final = await fillTheDisk(path.join(mountPoint, 'file'), [small, 'File: huge.txt\n```\n', ...Array.from({ length: 3000 }, () => line), '```\n']);
    expect(final.error?.details).toMatchObject({ path: 'huge.txt', absPath: expect.stringContaining(mountPoint), freeBytes: expect.any(Number) });
  }, 120_000);
});

describe.skipIf(skipReason !== null)('undo snapshots on a full disk (git backend)', () => {
  it('recording a file before the write fails with DISK_FULL, not INTERNAL', async () => {
    const root = path.join(mountPoint, 'repo');
    fs.mkdirSync(root, { recursive: true });
    execFileSync('git', ['init', '-q', root]);
    fs.writeFileSync(path.join(root, 'a.txt'), randomBytes(300_000).toString('base64'));
    const dataDir = path.join(os.tmpdir(), `macs-snapfull-${process.pid}`);
    const { openTaskSnapshot } = await import('../../electron/core/project-folder/snapshots/index.js');
    const snapshot = await openTaskSnapshot({ root, taskId: 'snapfull1', dataDir });
    // Fill what is left of the disk.
    const filler = path.join(mountPoint, 'filler');
    assertSmallDisk();
    try {
      execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k', 'count=256'], { stdio: 'pipe' }); // at most 16 MB, whatever happens
    } catch {
      // dd stops with ENOSPC: that is the point
    }
    try {
      let thrown: unknown;
      await snapshot.recordBeforeWrite('a.txt').catch((err: unknown) => {
        thrown = err;
      });
      expect((thrown as MacsError | undefined)?.code).toBe('DISK_FULL');
    } finally {
      fs.rmSync(filler, { force: true });
      fs.rmSync(root, { recursive: true, force: true });
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
