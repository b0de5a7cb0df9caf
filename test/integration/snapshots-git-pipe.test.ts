// GitPipe, the warm git processes behind the git backend: answers in order, a dying
// process fails only its own requests and is replaced, and an idle pipe never keeps a
// short-lived process (the CLI) from exiting.
import { execFile } from 'node:child_process';
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MacsError } from '../../shared/errors.js';
import { GitPipe } from '../../electron/core/project-folder/snapshots/git-pipe.js';

const run = promisify(execFile);
const REPO_ROOT = path.resolve(__dirname, '../..');
let base: string;
let gitDir: string;

beforeEach(async () => {
  base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'macs-gitpipe-')));
  await run('git', ['init', '-q', base]);
  gitDir = path.join(base, '.git');
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('GitPipe', () => {
  it('answers concurrent requests in order from one process', async () => {
    const files = await Promise.all(
      ['one', 'two', 'three'].map(async (name) => {
        const file = path.join(base, name);
        await writeFile(file, `${name}\n`);
        return file;
      }),
    );
    const pipe = new GitPipe(gitDir, ['hash-object', '-w', '--no-filters', '--stdin-paths']);
    const answers = await Promise.all(files.map((file) => pipe.request(`${file}\n`)));
    const expected = await Promise.all(files.map(async (file) => (await run('git', ['hash-object', file])).stdout.trim()));
    expect(answers.map((a) => a[0])).toEqual(expected);
    pipe.close();
  });

  it('a process that dies fails its requests with git’s message, and the next request gets a new one', async () => {
    const pipe = new GitPipe(gitDir, ['update-ref', '--stdin']);
    const bogus = '1'.repeat(40);
    const err = await pipe.request(`start\nupdate refs/macs/x ${bogus}\nprepare\ncommit\n`, 3).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MacsError);
    expect((err as MacsError).message).toMatch(/update-ref failed: .*(fatal|error)/s);

    await run('git', ['-C', base, 'hash-object', '-w', '/dev/null']); // the empty blob, for the ref to point at
    const emptyBlob = 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391';
    expect(await pipe.request(`start\nupdate refs/macs/y ${emptyBlob} ${'0'.repeat(40)}\nprepare\ncommit\n`, 3)).toEqual(['start: ok', 'prepare: ok', 'commit: ok']);
    pipe.close();
  });

  it('an idle pipe does not keep the process alive', async () => {
    const script = path.join(base, 'idle.mts');
    await writeFile(path.join(base, 'a.txt'), 'a\n');
    await writeFile(
      script,
      `import { GitPipe } from ${JSON.stringify(path.join(REPO_ROOT, 'electron/core/project-folder/snapshots/git-pipe.ts'))};
const pipe = new GitPipe(${JSON.stringify(gitDir)}, ['hash-object', '--stdin-paths']);
process.stdout.write((await pipe.request(${JSON.stringify(path.join(base, 'a.txt'))} + '\\n'))[0]);
`,
    );
    const started = performance.now();
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script], { cwd: REPO_ROOT, timeout: 20_000 });
    expect(stdout).toMatch(/^[0-9a-f]{40}$/);
    // The pipe's idle timeout is 15 s; exiting well before it means nothing held the loop.
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
