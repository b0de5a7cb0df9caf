// A machine without git: a generated project is versioned by copies in the data dir from
// its first turn, and says why. (Its own file: "is git installed" is checked once per process.)
import { chmod, mkdir, mkdtemp, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { NO_GIT_NOTICE, openProjectHistory } from '../../electron/core/project-folder/index.js';

const savedPath = process.env.PATH;
let base: string;

beforeAll(async () => {
  base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'macs-versions-nogit-')));
  const bin = path.join(base, 'bin');
  await mkdir(bin);
  process.env.PATH = bin; // no git on PATH
});
afterAll(async () => {
  process.env.PATH = savedPath;
  await rm(base, { recursive: true, force: true });
});

it('versions a generated project by copies when git is not installed', async () => {
  const dataDir = path.join(base, 'data');
  const root = path.join(dataDir, 'projects', 'p1');
  await mkdir(root, { recursive: true });
  const open = () => openProjectHistory({ root, kind: 'generated', dataDir, projectId: 'p1' });
  const history = await open();
  expect(history.backend).toBe('snapshots');
  expect(history.notice).toBe(NO_GIT_NOTICE);
  expect(await history.list()).toEqual([]);

  await writeFile(path.join(root, 'tool.sh'), '#!/bin/sh\necho 1\n');
  await chmod(path.join(root, 'tool.sh'), 0o755);
  await mkdir(path.join(root, 'node_modules'));
  await writeFile(path.join(root, 'node_modules', 'dep.js'), 'dep');
  const v1 = await history.commitTurn({ taskId: 't1', prompt: 'Make a tool', model: 'm' });
  expect(v1).toMatchObject({ number: 1, kind: 'turn', filesChanged: 1 });
  expect((await history.filesAt()).map((file) => file.path)).toEqual(['tool.sh']);

  await writeFile(path.join(root, 'tool.sh'), '#!/bin/sh\necho 2\n');
  await chmod(path.join(root, 'tool.sh'), 0o644);
  await writeFile(path.join(root, 'extra.txt'), 'x');
  await history.commitTurn({ taskId: 't2', prompt: 'Change it', model: 'm' });

  const undone = await (await open()).undoLastTurn();
  expect(undone).toMatchObject({ number: 3, kind: 'restore', message: 'Restore version 1' });
  expect(await readFile(path.join(root, 'tool.sh'), 'utf8')).toBe('#!/bin/sh\necho 1\n');
  expect((await stat(path.join(root, 'tool.sh'))).mode & 0o777).toBe(0o755);
  await expect(stat(path.join(root, 'extra.txt'))).rejects.toThrow();
  expect(await readFile(path.join(root, 'node_modules', 'dep.js'), 'utf8')).toBe('dep');
  expect((await history.list()).map((v) => v.undone)).toEqual([false, true, false]);
});
