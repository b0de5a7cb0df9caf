// watchWorkspace against real temp folders and the real native watcher
// (@parcel/watcher): what is reported, how it is batched, how fast, and how it ends.
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MacsError } from '../../shared/errors.js';
import { watchWorkspace, type WatchBatch, type WatchWorkspaceOptions, type WorkspaceWatcher } from '../../electron/core/project-folder/watch/index.js';

let root: string;
let watcher: WorkspaceWatcher | null;
let batches: WatchBatch[];
let errors: MacsError[];

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'macs-watch-'));
  watcher = null;
  batches = [];
  errors = [];
});

afterEach(async () => {
  await watcher?.close();
  await rm(root, { recursive: true, force: true });
});

async function start(opts: WatchWorkspaceOptions = {}): Promise<WorkspaceWatcher> {
  watcher = await watchWorkspace(root, (batch) => batches.push(batch), { onError: (err) => errors.push(err), ...opts });
  return watcher;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; batches: ${JSON.stringify(batches)}`);
    await sleep(5);
  }
}

const all = (kind: keyof WatchBatch) => batches.flatMap((b) => b[kind]);
const seen = (kind: keyof WatchBatch, relPath: string) => all(kind).includes(relPath);

describe('watchWorkspace: what is reported', () => {
  it('reports a created file, then an edit, then a delete, as relative POSIX paths', async () => {
    await mkdir(path.join(root, 'src', 'deep'), { recursive: true });
    await start();
    await writeFile(path.join(root, 'src', 'deep', 'a.ts'), 'one');
    await waitFor('create', () => seen('created', 'src/deep/a.ts'));
    await sleep(150); // let the create settle so the edit is a batch of its own
    batches = [];
    await writeFile(path.join(root, 'src', 'deep', 'a.ts'), 'two');
    await waitFor('update', () => seen('updated', 'src/deep/a.ts'));
    batches = [];
    await rm(path.join(root, 'src', 'deep', 'a.ts'));
    await waitFor('delete', () => seen('deleted', 'src/deep/a.ts'));
    expect(errors).toEqual([]);
  });

  it('reports a rename as delete of the old path and create of the new', async () => {
    await writeFile(path.join(root, 'old.txt'), 'x');
    await start();
    await rename(path.join(root, 'old.txt'), path.join(root, 'new.txt'));
    await waitFor('rename', () => seen('deleted', 'old.txt') && seen('created', 'new.txt'));
  });

  it('reports new folders and files inside them', async () => {
    await start();
    await mkdir(path.join(root, 'pkg', 'lib'), { recursive: true });
    await writeFile(path.join(root, 'pkg', 'lib', 'x.js'), '');
    await waitFor('folder and file', () => seen('created', 'pkg') && seen('created', 'pkg/lib/x.js'));
  });

  it('does not report .git internals or node_modules, at any depth, but does report gitignored paths', async () => {
    await mkdir(path.join(root, '.git', 'objects'), { recursive: true });
    await mkdir(path.join(root, 'node_modules', 'dep'), { recursive: true });
    await writeFile(path.join(root, '.gitignore'), 'build/\n');
    await start();
    await writeFile(path.join(root, '.git', 'index'), 'x');
    await writeFile(path.join(root, '.git', 'objects', 'ab'), 'x');
    await writeFile(path.join(root, 'node_modules', 'dep', 'index.js'), 'x');
    await mkdir(path.join(root, 'packages', 'a', 'node_modules', 'x'), { recursive: true });
    await writeFile(path.join(root, 'packages', 'a', 'node_modules', 'x', 'y.js'), 'x');
    await mkdir(path.join(root, 'build'));
    await writeFile(path.join(root, 'build', 'out.js'), 'x');
    await writeFile(path.join(root, 'marker.txt'), 'x');
    await waitFor('marker', () => seen('created', 'marker.txt') && seen('created', 'build/out.js'));
    await sleep(150);
    const reported = [...all('created'), ...all('updated'), ...all('deleted')];
    expect(reported.filter((p) => /(^|\/)(\.git|node_modules)(\/|$)/.test(p))).toEqual([]);
    expect(reported).toContain('packages/a');
  });

  it('reports files written into a just-created deep folder (the inotify gap)', async () => {
    await start();
    for (let i = 0; i < 5; i++) {
      await mkdir(path.join(root, `n${i}`, 'a', 'b', 'c'), { recursive: true });
      await writeFile(path.join(root, `n${i}`, 'a', 'b', 'c', 'file.ts'), 'x');
    }
    await waitFor('all five files', () => [0, 1, 2, 3, 4].every((i) => seen('created', `n${i}/a/b/c/file.ts`)));
  });

  it('reports the contents of a folder moved in from outside, except node_modules', async () => {
    const outside = await mkdtemp(path.join(os.tmpdir(), 'macs-watch-outside-'));
    try {
      await mkdir(path.join(outside, 'proj', 'src', 'lib'), { recursive: true });
      await mkdir(path.join(outside, 'proj', 'node_modules', 'dep'), { recursive: true });
      await writeFile(path.join(outside, 'proj', 'src', 'lib', 'a.ts'), '');
      await writeFile(path.join(outside, 'proj', 'README.md'), '');
      await writeFile(path.join(outside, 'proj', 'node_modules', 'dep', 'index.js'), '');
      await start();
      await rename(path.join(outside, 'proj'), path.join(root, 'proj'));
      await waitFor('moved contents', () => seen('created', 'proj/src/lib/a.ts'));
      expect(all('created').sort()).toEqual(['proj', 'proj/README.md', 'proj/src', 'proj/src/lib', 'proj/src/lib/a.ts']);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('filters through the ignore function when one is given', async () => {
    await start({ ignore: (relPath) => relPath.endsWith('.tmp') });
    await writeFile(path.join(root, 'scratch.tmp'), '');
    await writeFile(path.join(root, 'kept.txt'), '');
    await waitFor('kept', () => seen('created', 'kept.txt'));
    await sleep(150);
    expect(seen('created', 'scratch.tmp')).toBe(false);
  });
});

describe('watchWorkspace: batching', () => {
  it('delivers 500 files written at once in a few batches, each file once', async () => {
    await mkdir(path.join(root, 'gen'));
    await start();
    await Promise.all(Array.from({ length: 500 }, (_, i) => writeFile(path.join(root, 'gen', `f${i}.txt`), `file ${i}`)));
    await waitFor('500 files', () => new Set(all('created').filter((p) => p.startsWith('gen/'))).size === 500);
    await sleep(200);
    const created = all('created').filter((p) => p.startsWith('gen/'));
    expect(created).toHaveLength(500); // no path twice
    expect(all('deleted')).toEqual([]);
    console.log(`[watcher] 500 files arrived in ${batches.length} batch(es) of sizes ${batches.map((b) => b.created.length + b.updated.length).join(', ')}`);
    expect(batches.length).toBeLessThanOrEqual(5);
  });

  it('cancels a file created and deleted within one window', async () => {
    await start({ debounceMs: 200 });
    await writeFile(path.join(root, 'flash.txt'), 'x');
    await rm(path.join(root, 'flash.txt'));
    await writeFile(path.join(root, 'stays.txt'), 'x');
    await waitFor('stays', () => seen('created', 'stays.txt'));
    await sleep(300);
    expect([...all('created'), ...all('updated'), ...all('deleted')]).not.toContain('flash.txt');
  });
});

describe('watchWorkspace: latency', () => {
  it('delivers an outside edit well within the 300 ms target', async () => {
    await writeFile(path.join(root, 'edited.txt'), 'v0');
    await start();
    const samples: number[] = [];
    for (let i = 1; i <= 5; i++) {
      // Quiet first, as between a user's saves, so each edit stands alone.
      await sleep(i === 1 ? 100 : 600);
      batches = [];
      const started = performance.now();
      let arrived = 0;
      await writeFile(path.join(root, 'edited.txt'), `v${i}`);
      await waitFor('the edit', () => {
        if (seen('updated', 'edited.txt') || seen('created', 'edited.txt')) arrived ||= performance.now();
        return arrived > 0;
      });
      samples.push(Math.round(arrived - started));
    }
    const sorted = [...samples].sort((a, b) => a - b);
    console.log(`[watcher] outside edit → batch latency (ms): ${samples.join(', ')}; median ${sorted[2]}, max ${sorted[4]} (target < 300)`);
    // Asserted loosely: the VM is shared and noisy; the printed numbers are the measurement.
    for (const ms of samples) expect(ms).toBeLessThan(1000);
  });
});

describe('watchWorkspace: ending', () => {
  it('delivers nothing after close', async () => {
    const w = await start();
    await writeFile(path.join(root, 'before.txt'), '');
    await waitFor('before', () => seen('created', 'before.txt'));
    await w.close();
    await w.close(); // idempotent
    const count = batches.length;
    await writeFile(path.join(root, 'after.txt'), '');
    await sleep(300);
    expect(batches.length).toBe(count);
  });

  it('reports a deleted workspace folder through onError, once, and stops', async () => {
    await mkdir(path.join(root, 'ws', 'src'), { recursive: true });
    await writeFile(path.join(root, 'ws', 'src', 'a.ts'), '');
    watcher = await watchWorkspace(path.join(root, 'ws'), (b) => batches.push(b), { onError: (err) => errors.push(err) });
    await rm(path.join(root, 'ws'), { recursive: true });
    await waitFor('the error', () => errors.length > 0);
    await sleep(200);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(MacsError);
    expect(errors[0].code).toBe('FILE_NOT_FOUND');
    expect(errors[0].details?.reason).toBe('workspace-gone');
    // Recreating the folder does not revive the watch.
    const count = batches.length;
    await mkdir(path.join(root, 'ws'));
    await writeFile(path.join(root, 'ws', 'new.txt'), '');
    await sleep(200);
    expect(batches.length).toBe(count);
  });

  it('turns a throwing listener into an onError report and keeps watching', async () => {
    let calls = 0;
    watcher = await watchWorkspace(
      root,
      (batch) => {
        calls++;
        batches.push(batch);
        if (calls === 1) throw new Error('listener bug');
      },
      { onError: (err) => errors.push(err) },
    );
    await writeFile(path.join(root, 'one.txt'), '');
    await waitFor('the error', () => errors.length === 1);
    expect(errors[0].code).toBe('INTERNAL');
    await sleep(600);
    await writeFile(path.join(root, 'two.txt'), '');
    await waitFor('second batch', () => seen('created', 'two.txt'));
  });

  it('refuses to start on a missing folder or a file, with MacsErrors', async () => {
    const missing = await watchWorkspace(path.join(root, 'nope'), () => {}).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(MacsError);
    expect((missing as MacsError).code).toBe('FILE_NOT_FOUND');
    await writeFile(path.join(root, 'file.txt'), '');
    const notDir = await watchWorkspace(path.join(root, 'file.txt'), () => {}).catch((e: unknown) => e);
    expect((notDir as MacsError).code).toBe('INVALID_INPUT');
    const badDebounce = await watchWorkspace(root, () => {}, { debounceMs: -1 }).catch((e: unknown) => e);
    expect((badDebounce as MacsError).code).toBe('INVALID_INPUT');
  });
});
