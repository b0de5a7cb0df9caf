// The pure parts of the undo snapshots: the manifest's JSON form, the task id rule, and
// the concurrency helpers that make recording cheap and durable.
import { describe, expect, it } from 'vitest';
import { MacsError } from '../../shared/errors.js';
import { mapLimit, Mutex, SaveCoalescer } from '../../electron/core/project-folder/snapshots/concurrency.js';
import { assertTaskId, snapshotRef } from '../../electron/core/project-folder/snapshots/locations.js';
import { SnapshotTree } from '../../electron/core/project-folder/snapshots/git-tree.js';
import { emptyManifest, parseManifest, parseTaskFile, serializeGitPointer, serializeManifest } from '../../electron/core/project-folder/snapshots/manifest.js';

const SHA = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);

describe('snapshot manifest', () => {
  it('round-trips files, modes, git blob ids, acceptance and new directories', () => {
    const manifest = emptyManifest('git', 't1', '/work/project');
    manifest.files.set('src/a.ts', { before: { sha256: SHA, size: 12, mode: 0o755, blob: 'c'.repeat(40) }, accepted: null });
    manifest.files.set('src/new.ts', { before: null, accepted: { sha256: OTHER, mode: 0o644 } });
    manifest.files.set('gone.txt', { before: { sha256: OTHER, size: 0, mode: 0o600, blob: OTHER }, accepted: { sha256: null, mode: null } });
    manifest.newDirs.add('src/deep');

    const text = serializeManifest(manifest);
    const json = JSON.parse(text);
    // The copy backend's shape: before is the sha256 (or null), the blob id only when it differs.
    expect(json.files['src/a.ts']).toEqual({ before: SHA, beforeSize: 12, beforeMode: 0o755, beforeBlob: 'c'.repeat(40) });
    expect(json.files['gone.txt']).toEqual({ before: OTHER, beforeSize: 0, beforeMode: 0o600, accepted: { sha256: null, mode: null } });
    expect(json.files['src/new.ts']).toEqual({ before: null, accepted: { sha256: OTHER, mode: 0o644 } });

    const back = parseManifest(text, 'test');
    expect(back).toEqual(manifest);
  });

  it('keeps a file literally named __proto__ (zod records would drop it)', () => {
    const manifest = emptyManifest('copy', 't1', '/p');
    manifest.files.set('__proto__', { before: null, accepted: null });
    manifest.files.set('constructor', { before: { sha256: SHA, size: 1, mode: 0o644, blob: SHA }, accepted: null });
    const back = parseManifest(serializeManifest(manifest), 'test');
    expect([...back.files.keys()].sort()).toEqual(['__proto__', 'constructor']);
  });

  it('refuses a damaged manifest with a typed error naming where it came from', () => {
    for (const text of ['{', '{"version":2}', JSON.stringify({ version: 1, backend: 'copy', taskId: 't', root: '/', createdAt: 'x', newDirs: [], files: { a: { before: 'nothex' } } })]) {
      let caught: unknown;
      try {
        parseManifest(text, '/data/snapshots/tasks/t.json');
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(MacsError);
      expect((caught as MacsError).code).toBe('INTERNAL');
      expect((caught as MacsError).message).toContain('/data/snapshots/tasks/t.json');
    }
  });

  it('tells a git pointer from a copy manifest', () => {
    const pointer = serializeGitPointer({ taskId: 't', root: '/p', gitDir: '/p/.git', ref: snapshotRef('t') });
    expect(parseTaskFile(pointer, 'x')).toMatchObject({ kind: 'git-pointer', pointer: { ref: 'refs/macs/snapshots/t', gitDir: '/p/.git' } });
    expect(parseTaskFile(serializeManifest(emptyManifest('copy', 't', '/p')), 'x')).toMatchObject({ kind: 'manifest' });
  });
});

describe('task ids', () => {
  it.each(['01HZX3', 'mabc12-4f3a9b2c1d', 'task_1.attempt-2'])('accepts %s', (id) => {
    expect(() => assertTaskId(id)).not.toThrow();
  });
  it.each(['', '.x', 'a/b', '../a', 'a..b', 'a.lock', 'a b', 'a:b', 'x'.repeat(129), 'a.', 'ä'])('refuses %j', (id) => {
    expect(() => assertTaskId(id)).toThrow(MacsError);
  });
});

describe('SaveCoalescer', () => {
  function deferred() {
    let resolve!: () => void;
    let reject!: (err: Error) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  }

  it('runs one save for requests that arrive while another is running, and always a save after the last request', async () => {
    const saves: Array<{ state: number; done: ReturnType<typeof deferred> }> = [];
    let state = 0;
    const saver = new SaveCoalescer(() => {
      const done = deferred();
      saves.push({ state, done }); // captured synchronously, as stores must
      return done.promise;
    });

    state = 1;
    const first = saver.request();
    state = 2;
    const second = saver.request();
    state = 3;
    const third = saver.request();
    expect(second).toBe(third); // both wait for the same queued save
    expect(saves.map((s) => s.state)).toEqual([1]);

    saves[0]!.done.resolve();
    await first;
    await Promise.resolve();
    await new Promise((r) => setTimeout(r, 0));
    expect(saves.map((s) => s.state)).toEqual([1, 3]); // the queued save sees the latest state
    saves[1]!.done.resolve();
    await Promise.all([second, third]);
  });

  it('reports a failed save to its callers and keeps working', async () => {
    let fail = true;
    let calls = 0;
    const saver = new SaveCoalescer(async () => {
      calls++;
      if (fail) throw new Error('disk full');
    });
    await expect(saver.request()).rejects.toThrow('disk full');
    fail = false;
    await expect(saver.request()).resolves.toBeUndefined();
    expect(calls).toBe(2);
  });
});

describe('Mutex and mapLimit', () => {
  it('Mutex runs one at a time, in order, past failures', async () => {
    const mutex = new Mutex();
    const log: string[] = [];
    const step = (name: string, fail = false) =>
      mutex.run(async () => {
        log.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, 5));
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
      });
    const results = await Promise.allSettled([step('a'), step('b', true), step('c')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('mapLimit keeps order and never exceeds the limit', async () => {
    let active = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 4, 2, 3, 0], 2, async (n) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, n));
      active--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30, 0]);
    expect(peak).toBe(2);
    expect(await mapLimit([], 4, async () => 1)).toEqual([]);
  });
});

describe('SnapshotTree', () => {
  it('writes only the changed directories, deepest first, each with its entries', async () => {
    const tree = new SnapshotTree();
    const written: string[] = [];
    let n = 0;
    const makeTree = async (input: string) => {
      written.push(input);
      return `t${++n}`.padEnd(40, '0');
    };
    tree.setBlob('files/src/a.ts', '100644', 'a'.repeat(40));
    tree.setBlob('files/run.sh', '100755', 'b'.repeat(40));
    tree.setBlob('.macs-snapshot.json', '100644', 'c'.repeat(40));
    const first = await tree.write(makeTree);
    expect(written).toEqual([
      `100644 blob ${'a'.repeat(40)}\ta.ts\x00\x00`,
      `040000 tree ${'t1'.padEnd(40, '0')}\tsrc\x00100755 blob ${'b'.repeat(40)}\trun.sh\x00\x00`,
      `040000 tree ${'t2'.padEnd(40, '0')}\tfiles\x00100644 blob ${'c'.repeat(40)}\t.macs-snapshot.json\x00\x00`,
    ]);
    expect(first).toBe('t3'.padEnd(40, '0'));

    // Unchanged entries write nothing; a change in files/ rewrites files/ and the root only.
    tree.setBlob('files/src/a.ts', '100644', 'a'.repeat(40));
    expect(await tree.write(makeTree)).toBe(first);
    tree.setBlob('files/run.sh', '100755', 'd'.repeat(40));
    written.length = 0;
    await tree.write(makeTree);
    expect(written).toHaveLength(2);
    expect(written[0]).toContain(`100755 blob ${'d'.repeat(40)}\trun.sh`);
    expect(written[0]).toContain(`040000 tree ${'t1'.padEnd(40, '0')}\tsrc`);
  });
});
