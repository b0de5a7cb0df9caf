// The watcher's parts without a native watch: how raw events fold into one batch,
// how native errors become MacsErrors a user can act on, and the new-folder scan.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MacsError } from '../../shared/errors.js';
import { EventCoalescer, type RawEventType } from '../../electron/core/project-folder/watch/coalesce.js';
import { addNewFolderContents } from '../../electron/core/project-folder/watch/new-folders.js';
import { toWatchError } from '../../electron/core/project-folder/watch/index.js';

function fold(events: Array<[RawEventType, string]>) {
  const coalescer = new EventCoalescer();
  for (const [type, relPath] of events) coalescer.add(type, relPath);
  return coalescer.take();
}

describe('EventCoalescer', () => {
  it.each<[string, RawEventType[], 'created' | 'updated' | 'deleted' | null]>([
    ['create', ['create'], 'created'],
    ['update', ['update'], 'updated'],
    ['delete', ['delete'], 'deleted'],
    ['create + update → created', ['create', 'update', 'update'], 'created'],
    ['create + delete → nothing', ['create', 'update', 'delete'], null],
    ['delete + create (atomic save) → updated', ['delete', 'create'], 'updated'],
    ['update + delete → deleted', ['update', 'delete'], 'deleted'],
    ['update + create → updated', ['update', 'create'], 'updated'],
    ['delete + create + delete → deleted', ['delete', 'create', 'delete'], 'deleted'],
    ['create + delete + create → created', ['create', 'delete', 'create'], 'created'],
  ])('%s', (_name, types, expected) => {
    const batch = fold(types.map((t) => [t, 'a.txt']));
    if (expected === null) {
      expect(batch).toBeNull();
    } else {
      expect(batch).toEqual({ created: [], updated: [], deleted: [], [expected]: ['a.txt'] });
    }
  });

  it('keeps paths apart, sorts them, and starts empty after take()', () => {
    const coalescer = new EventCoalescer();
    coalescer.add('create', 'b.txt');
    coalescer.add('create', 'a.txt');
    coalescer.add('update', 'src/x.ts');
    coalescer.add('delete', 'old.txt');
    expect(coalescer.size).toBe(4);
    expect(coalescer.take()).toEqual({ created: ['a.txt', 'b.txt'], updated: ['src/x.ts'], deleted: ['old.txt'] });
    expect(coalescer.size).toBe(0);
    expect(coalescer.take()).toBeNull();
  });
});

describe('toWatchError', () => {
  it('explains inotify ENOSPC as the watch limit, not a full disk', () => {
    const err = toWatchError(new Error("inotify_add_watch on '/p/src' failed: No space left on device"), '/p');
    expect(err).toBeInstanceOf(MacsError);
    expect(err.code).toBe('NOT_SUPPORTED');
    expect(err.details).toMatchObject({ root: '/p', reason: 'watch-limit', limit: 'max_user_watches' });
    expect(err.message).toMatch(/fs\.inotify\.max_user_watches/);
    expect(err.message).toMatch(/disk is not full/);
  });

  it('explains inotify EMFILE as too many watcher instances', () => {
    const err = toWatchError(new Error('Unable to initialize inotify: Too many open files'), '/p');
    expect(err.code).toBe('NOT_SUPPORTED');
    expect(err.details).toMatchObject({ reason: 'watch-limit', limit: 'max_user_instances' });
  });

  it('maps a missing folder to FILE_NOT_FOUND and anything else to INTERNAL with the cause', () => {
    const gone = toWatchError(Object.assign(new Error('ENOENT: no such file or directory'), { code: 'ENOENT' }), '/p');
    expect(gone.code).toBe('FILE_NOT_FOUND');
    expect(gone.details?.reason).toBe('workspace-gone');
    const other = toWatchError(new Error('Unable to poll: Interrupted'), '/p');
    expect(other.code).toBe('INTERNAL');
    expect(other.details?.reason).toBe('watch-failed');
    expect(other.message).toContain('Unable to poll');
  });

  it('passes a MacsError through unchanged', () => {
    const original = new MacsError('INVALID_INPUT', 'bad');
    expect(toWatchError(original, '/p')).toBe(original);
  });
});

describe('addNewFolderContents', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'macs-watch-scan-'));
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const skip = (relPath: string) => /(^|\/)node_modules(\/|$)/.test(relPath);

  it('reports what is inside a new folder as created, even where the native events said updated', async () => {
    await mkdir(path.join(root, 'build', 'sub', 'node_modules', 'x'), { recursive: true });
    await writeFile(path.join(root, 'build', 'out.js'), '');
    await writeFile(path.join(root, 'build', 'sub', 'deep.js'), '');
    await writeFile(path.join(root, 'build', 'sub', 'node_modules', 'x', 'i.js'), '');
    await writeFile(path.join(root, 'plain.txt'), '');
    const batch = { created: ['build', 'build/sub', 'plain.txt'], updated: ['build/out.js'], deleted: ['build/sub/deep.js', 'gone.txt'] };
    const folders = await addNewFolderContents(batch, `${root}/`, skip);
    expect(folders).toEqual(['build', 'build/sub']);
    expect(batch).toEqual({
      created: ['build', 'build/out.js', 'build/sub', 'build/sub/deep.js', 'plain.txt'],
      updated: [],
      deleted: ['gone.txt'],
    });
  });

  it('leaves a batch without new folders alone', async () => {
    await writeFile(path.join(root, 'a.txt'), '');
    const batch = { created: ['a.txt', 'vanished'], updated: ['b.txt'], deleted: [] };
    expect(await addNewFolderContents(batch, `${root}/`, skip)).toEqual([]);
    expect(batch).toEqual({ created: ['a.txt', 'vanished'], updated: ['b.txt'], deleted: [] });
  });
});
