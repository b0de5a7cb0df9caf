// Speed sanity, not a benchmark: record 1,000 files with each backend, one at a time (as
// a task writing file after file does) and all at once (batched into a few saves), then
// list the changes and undo. Prints the times; asserts only that the results are right.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTaskSnapshot } from '../../electron/core/project-folder/snapshots/index.js';

const run = promisify(execFile);
const FILES = 1000;

let base: string;
let root: string;
let seq = 0;

beforeEach(async () => {
  base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'macs-snap-speed-')));
  root = path.join(base, 'project');
  for (let dir = 0; dir < FILES / 50; dir++) {
    await mkdir(path.join(root, `pkg${dir}`), { recursive: true });
    for (let i = 0; i < 50; i++) await writeFile(path.join(root, `pkg${dir}/file${i}.ts`), `export const v${dir}_${i} = ${'x'.repeat(200)};\n`);
  }
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

const paths = Array.from({ length: FILES }, (_, n) => `pkg${Math.floor(n / 50)}/file${n % 50}.ts`);

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await fn();
  return [result, performance.now() - start];
}

describe.each(['copy', 'git'] as const)(`%s backend, ${FILES} files`, (backend) => {
  beforeEach(async () => {
    if (backend === 'git') await run('git', ['init', '-q'], { cwd: root });
  });

  it('records one at a time and all at once, lists and undoes', { timeout: 180_000 }, async () => {
    const dataDir = path.join(base, 'data');
    const sequential = await openTaskSnapshot({ root, taskId: `speed-seq-${++seq}`, dataDir });
    expect(sequential.backend).toBe(backend);
    const [, seqMs] = await time(async () => {
      for (const p of paths) await sequential.recordBeforeWrite(p);
    });
    const [, againMs] = await time(async () => {
      for (const p of paths) await sequential.recordBeforeWrite(p);
    });

    const batched = await openTaskSnapshot({ root, taskId: `speed-all-${++seq}`, dataDir });
    const [, allMs] = await time(() => Promise.all(paths.map((p) => batched.recordBeforeWrite(p))));

    for (const p of paths) await writeFile(path.join(root, p), 'changed\n');
    const [changes, changesMs] = await time(() => batched.changes());
    expect(changes.filter((c) => c.status === 'modified')).toHaveLength(FILES);
    const [summary, undoMs] = await time(() => batched.undoTask());
    expect(summary.restored).toBe(FILES);
    expect(await readFile(path.join(root, paths[FILES - 1]!), 'utf8')).toMatch(/^export const v19_49/);

    const row = (label: string, ms: number) => `  ${label.padEnd(34)} ${ms.toFixed(0).padStart(7)} ms  (${(ms / FILES).toFixed(2)} ms/file)`;
    console.log(
      [
        `snapshots, ${backend} backend, ${FILES} files:`,
        row('recordBeforeWrite, one at a time', seqMs),
        row('recordBeforeWrite again (no-op)', againMs),
        row('recordBeforeWrite, all at once', allMs),
        row('changes()', changesMs),
        row('undoTask()', undoMs),
      ].join('\n'),
    );
  });
});
