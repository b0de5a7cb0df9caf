// The file tree's actions on a real project folder through the engine: new file and folder,
// rename/move, delete to MACS's trash and restore; refused outside the folder, through
// symlinks that leave it, and while a turn of the project runs. Also Open folder's completion.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodResult, Task } from '../../shared/index.js';
import { createEngine, type Engine } from '../../electron/core/engine/index.js';
import { startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { tempDataDir, waitFor } from './helpers.js';

const MODEL = 'qwen2.5-coder:7b';
let standin: OllamaStandin;
let engine: Engine;
let dataDir: string;
let repo: string;
let outside: string;
let root: string;

beforeEach(async () => {
  standin = await startOllamaStandin({ models: [{ name: MODEL }] });
  dataDir = tempDataDir('file-tree');
  repo = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-tree-'));
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-tree-outside-'));
  fs.mkdirSync(path.join(repo, 'src'));
  fs.writeFileSync(path.join(repo, 'src/app.js'), 'app\n');
  fs.writeFileSync(path.join(repo, 'README.md'), 'readme\n');
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'secret\n');
  engine = createEngine({ dataDir, host: 'browser', version: 'test', ollamaHost: standin.url, queue: { pollMs: 50, retryBaseMs: 40 } });
  root = ((await engine.invoke('workspaces.open', { path: repo })) as MethodResult<'workspaces.open'>).workspace.root;
});

afterEach(async () => {
  await engine.close();
  await standin.close();
  for (const d of [dataDir, repo, outside]) fs.rmSync(d, { recursive: true, force: true });
});

const at = (rel: string) => path.join(root, rel);

describe('file tree actions', () => {
  it('creates files and folders, never over an existing entry', async () => {
    expect(await engine.invoke('workspaces.createFile', { root, path: 'lib/util/new.ts' })).toEqual({ path: 'lib/util/new.ts' });
    expect(fs.readFileSync(at('lib/util/new.ts'), 'utf8')).toBe('');
    expect(await engine.invoke('workspaces.createFolder', { root, path: 'docs/guides' })).toEqual({ path: 'docs/guides' });
    expect(fs.statSync(at('docs/guides')).isDirectory()).toBe(true);
    await expect(engine.invoke('workspaces.createFile', { root, path: 'README.md' })).rejects.toMatchObject({ code: 'PATH_EXISTS', message: expect.stringContaining('"README.md" already exists') });
    await expect(engine.invoke('workspaces.createFolder', { root, path: 'src' })).rejects.toMatchObject({ code: 'PATH_EXISTS' });
    expect(fs.readFileSync(at('README.md'), 'utf8')).toBe('readme\n');
  });

  it('renames and moves files and folders; refuses a taken name and a folder into itself', async () => {
    expect(await engine.invoke('workspaces.move', { root, from: 'src/app.js', to: 'src/main.js' })).toEqual({ from: 'src/app.js', to: 'src/main.js' });
    expect(fs.existsSync(at('src/app.js'))).toBe(false);
    expect(fs.readFileSync(at('src/main.js'), 'utf8')).toBe('app\n');
    await engine.invoke('workspaces.move', { root, from: 'src', to: 'packages/core/src' });
    expect(fs.readFileSync(at('packages/core/src/main.js'), 'utf8')).toBe('app\n');
    await expect(engine.invoke('workspaces.move', { root, from: 'packages', to: 'packages/core/inner' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(engine.invoke('workspaces.move', { root, from: 'README.md', to: 'packages' })).rejects.toMatchObject({ code: 'PATH_EXISTS' });
    await expect(engine.invoke('workspaces.move', { root, from: 'gone.txt', to: 'x.txt' })).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });

  it('refuses paths that leave the folder, through .. or a symlink, and .git', async () => {
    fs.symlinkSync(outside, at('out'));
    const refused = { code: 'PATH_OUTSIDE_WORKSPACE' };
    await expect(engine.invoke('workspaces.createFile', { root, path: '../escape.txt' })).rejects.toMatchObject(refused);
    await expect(engine.invoke('workspaces.createFile', { root, path: 'out/planted.txt' })).rejects.toMatchObject(refused);
    await expect(engine.invoke('workspaces.createFolder', { root, path: 'out/dir' })).rejects.toMatchObject(refused);
    await expect(engine.invoke('workspaces.move', { root, from: 'README.md', to: 'out/README.md' })).rejects.toMatchObject(refused);
    await expect(engine.invoke('workspaces.move', { root, from: 'out/secret.txt', to: 'stolen.txt' })).rejects.toMatchObject(refused);
    await expect(engine.invoke('workspaces.delete', { root, path: 'out/secret.txt' })).rejects.toMatchObject(refused);
    await expect(engine.invoke('workspaces.createFile', { root, path: '.git/hooks/pre-commit' })).rejects.toMatchObject(refused);
    await expect(engine.invoke('workspaces.createFile', { root: outside, path: 'x.txt' })).rejects.toMatchObject({ code: 'FOLDER_NOT_OPENED' });
    expect(fs.readdirSync(outside)).toEqual(['secret.txt']);
    expect(fs.existsSync(path.join(path.dirname(root), 'escape.txt'))).toBe(false);
    // Deleting the link trashes the link, never what it points to.
    await engine.invoke('workspaces.delete', { root, path: 'out' });
    expect(fs.existsSync(at('out'))).toBe(false);
    expect(fs.readFileSync(path.join(outside, 'secret.txt'), 'utf8')).toBe('secret\n');
  });

  it('deletes to the trash under the data folder and restores exactly; refuses to restore over a new file', async () => {
    const { trashId, path: gone } = (await engine.invoke('workspaces.delete', { root, path: 'src' })) as MethodResult<'workspaces.delete'>;
    expect(gone).toBe('src');
    expect(fs.existsSync(at('src'))).toBe(false);
    expect(fs.readFileSync(path.join(dataDir, 'trash', trashId, 'item', 'app.js'), 'utf8')).toBe('app\n');
    expect(await engine.invoke('workspaces.restore', { trashId })).toEqual({ root, path: 'src' });
    expect(fs.readFileSync(at('src/app.js'), 'utf8')).toBe('app\n');
    await expect(engine.invoke('workspaces.restore', { trashId })).rejects.toMatchObject({ code: 'TRASH_ITEM_NOT_FOUND' });
    await expect(engine.invoke('workspaces.restore', { trashId: '../../etc' })).rejects.toMatchObject({ code: 'TRASH_ITEM_NOT_FOUND' });

    const second = (await engine.invoke('workspaces.delete', { root, path: 'README.md' })) as MethodResult<'workspaces.delete'>;
    fs.writeFileSync(at('README.md'), 'new\n');
    await expect(engine.invoke('workspaces.restore', { trashId: second.trashId })).rejects.toMatchObject({ code: 'PATH_EXISTS' });
    expect(fs.readFileSync(at('README.md'), 'utf8')).toBe('new\n');
  });

  it('refuses every tree action while a turn of the project runs', async () => {
    const { trashId } = (await engine.invoke('workspaces.delete', { root, path: 'src' })) as MethodResult<'workspaces.delete'>;
    standin.setDefaultChat({ text: 'File: a.txt\n```\nslow\n```\n', hangAfterTokens: 2 });
    const { task } = (await engine.invoke('tasks.create', { prompt: 'slow', model: MODEL, workspace: root })) as MethodResult<'tasks.create'>;
    let running = false;
    engine.onTopic((topic, payload) => {
      if (topic === 'task.updated' && (payload as { task: Task }).task.id === task.id) running ||= (payload as { task: Task }).task.status === 'running';
    });
    await waitFor(() => running, 10_000, 'the turn to run');
    const busy = { code: 'PROJECT_BUSY', message: expect.stringContaining('is running') };
    await expect(engine.invoke('workspaces.createFile', { root, path: 'x.txt' })).rejects.toMatchObject(busy);
    await expect(engine.invoke('workspaces.createFolder', { root, path: 'x' })).rejects.toMatchObject(busy);
    await expect(engine.invoke('workspaces.move', { root, from: 'README.md', to: 'R.md' })).rejects.toMatchObject(busy);
    await expect(engine.invoke('workspaces.delete', { root, path: 'README.md' })).rejects.toMatchObject(busy);
    await expect(engine.invoke('workspaces.restore', { trashId })).rejects.toMatchObject(busy);
    expect(fs.existsSync(at('README.md'))).toBe(true);
    expect(fs.existsSync(at('src'))).toBe(false);
    await engine.invoke('tasks.cancel', { taskId: task.id });
    await engine.waitForTask(task.id, 10_000);
    await engine.invoke('workspaces.move', { root, from: 'README.md', to: 'R.md' });
    expect(fs.existsSync(at('R.md'))).toBe(true);
  });

  it('reveal is for the desktop app only; the browser host is told so after the path is checked', async () => {
    await expect(engine.invoke('workspaces.reveal', { root, path: 'README.md' })).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
    await expect(engine.invoke('workspaces.reveal', { root, path: '../x' })).rejects.toMatchObject({ code: 'PATH_OUTSIDE_WORKSPACE' });
  });

  it('completes folder paths for Open folder: folders only, by prefix, system folders marked', async () => {
    fs.mkdirSync(path.join(repo, 'srcgen'));
    fs.mkdirSync(path.join(repo, '.hidden'));
    const typed = (await engine.invoke('workspaces.complete', { partial: path.join(repo, 'SR') })) as MethodResult<'workspaces.complete'>;
    expect(typed.folders.map((f) => f.name)).toEqual(['src', 'srcgen']);
    const listed = (await engine.invoke('workspaces.complete', { partial: `${repo}/` })) as MethodResult<'workspaces.complete'>;
    expect(listed.folders.map((f) => f.name)).toEqual(['src', 'srcgen']); // no README.md, no .hidden
    const dotted = (await engine.invoke('workspaces.complete', { partial: `${repo}/.h` })) as MethodResult<'workspaces.complete'>;
    expect(dotted.folders.map((f) => f.name)).toEqual(['.hidden']);
    const system = (await engine.invoke('workspaces.complete', { partial: '/et' })) as MethodResult<'workspaces.complete'>;
    expect(system.folders.find((f) => f.name === 'etc')?.refused).toMatch(/system/i);
    const relative = (await engine.invoke('workspaces.complete', { partial: 'src' })) as MethodResult<'workspaces.complete'>;
    expect(relative.folders).toEqual([]);
  });
});
