// Workspace folders in the engine: opening (and refusing) folders, the tree, the watcher,
// context selection, a chat task editing the folder in place (whole files and
// SEARCH/REPLACE blocks), and reviewing, reverting and undoing what it changed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContextSelection, FileChange, TopicPayload, TreeEntry } from '../../shared/index.js';
import type { Engine } from '../../electron/core/engine/index.js';
import { startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { openEngine, recordFrames, tempDataDir, waitFor } from './helpers.js';

const FIXTURE = path.resolve(__dirname, '../fixtures/retrieval-repo');
const MODEL = 'qwen2.5-coder:7b';
let standin: OllamaStandin;
let engine: Engine;
let dataDir: string;
let repo: string;

/** A long file (over the whole-file limit) that the model must change with a SEARCH/REPLACE block. */
const BIG = Array.from({ length: 220 }, (_, i) => (i === 100 ? 'export const RETRIES = 3;' : `export const value${i} = ${i};`)).join('\n') + '\n';

beforeEach(async () => {
  standin = await startOllamaStandin();
  dataDir = tempDataDir('folders');
  repo = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-repo-'));
  fs.cpSync(FIXTURE, repo, { recursive: true });
  fs.writeFileSync(path.join(repo, 'src/big.js'), BIG);
  engine = openEngine(dataDir, standin.url);
});

afterEach(async () => {
  await engine.close();
  await standin.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(repo, { recursive: true, force: true });
});

const snapshotOf = (root: string) => {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else out[path.relative(root, full)] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(root);
  return out;
};

const FIXED_TOKEN = fs.readFileSync(path.join(FIXTURE, 'src/auth/token.js'), 'utf8').replace('const exp = now + config.tokenTtlSeconds;', 'const exp = Math.floor(now / 1000) + config.tokenTtlSeconds;');

describe('workspace folders', () => {
  it('opens a project folder, refuses system folders, lists the tree and follows outside edits', async () => {
    const { workspace } = (await engine.invoke('workspaces.open', { path: repo })) as { workspace: { root: string; name: string } };
    expect(workspace.root).toBe(fs.realpathSync(repo));
    for (const bad of ['/etc', '/', os.homedir(), dataDir]) {
      await expect(engine.invoke('workspaces.open', { path: bad })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    await expect(engine.invoke('workspaces.open', { path: path.join(repo, 'README.md') })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(engine.invoke('workspaces.tree', { root: '/etc' })).rejects.toMatchObject({ code: 'FOLDER_NOT_OPENED' });
    const { workspaces } = (await engine.invoke('workspaces.recent', {})) as { workspaces: Array<{ root: string }> };
    expect(workspaces.map((w) => w.root)).toEqual([workspace.root]);

    const { entries } = (await engine.invoke('workspaces.tree', { root: workspace.root })) as { entries: TreeEntry[] };
    expect(entries.find((e) => e.path === 'src/auth/token.js')?.kind).toBe('file');
    const read = (await engine.invoke('workspaces.read', { root: workspace.root, path: 'src/config.js' })) as { content: string };
    expect(read.content).toContain('tokenTtlSeconds');
    await expect(engine.invoke('workspaces.read', { root: workspace.root, path: '../outside.txt' })).rejects.toMatchObject({ code: 'PATH_OUTSIDE_WORKSPACE' });

    const changes: Array<TopicPayload<'workspace.changed'> & { at: number }> = [];
    engine.onTopic((topic, payload) => topic === 'workspace.changed' && changes.push({ ...(payload as TopicPayload<'workspace.changed'>), at: performance.now() }));
    expect(await engine.whenWatching(workspace.root)).toBe(true); // started by the tree listing
    const t0 = performance.now();
    fs.writeFileSync(path.join(workspace.root, 'notes.txt'), 'outside edit\n');
    await waitFor(() => changes.some((c) => c.created.includes('notes.txt')), 3000, 'the watcher event');
    const latency = changes.find((c) => c.created.includes('notes.txt'))!.at - t0;
    console.log(`watcher: outside edit reported after ${latency.toFixed(0)} ms`);
    expect(latency).toBeLessThan(1000);
  });

  it('a chat task edits the folder in place with context, whole files and edit blocks; changes can be reviewed, reverted, accepted and undone', async () => {
    const { workspace } = (await engine.invoke('workspaces.open', { path: repo })) as { workspace: { root: string } };
    const root = workspace.root;
    const before = snapshotOf(root);
    const preview = (await engine.invoke('context.preview', { root, prompt: 'fix the login token expiry', model: MODEL })) as ContextSelection;
    expect(preview.files.slice(0, 3).map((f) => f.path)).toContain('src/auth/token.js');

    standin.enqueueChat({
      text: [
        'The expiry mixes milliseconds and seconds. Fixed:',
        '',
        'File: src/auth/token.js',
        '```javascript',
        FIXED_TOKEN.trimEnd(),
        '```',
        '',
        'File: src/big.js',
        '```javascript',
        '<<<<<<< SEARCH',
        'export const RETRIES = 3;',
        '=======',
        'export const RETRIES = 5;',
        '>>>>>>> REPLACE',
        '```',
        '',
        'File: CHANGELOG.md',
        '```markdown',
        '- Token expiry is computed in seconds.',
        '```',
        '',
      ].join('\n'),
    });
    const frames = recordFrames(engine);
    const { task } = (await engine.invoke('tasks.create', { prompt: 'fix the login token expiry', model: MODEL, workspace: root, context: { pinned: ['src/config.js'] } })) as {
      task: { id: string; workspacePath: string };
    };
    expect(task.workspacePath).toBe(root);
    const done = await engine.waitForTask(task.id, 20_000);
    expect(done.error).toBeNull();

    // The model saw the chosen files, the pinned one marked (shown longest-unchanged first, for the prompt cache).
    const context = frames.events(task.id).find((e) => e.type === 'context');
    expect(context?.type === 'context' && context.data.files.find((f) => f.path === 'src/config.js')).toMatchObject({ pinned: true });
    const prompt = (standin.requests.find((r) => r.path === '/api/chat')!.body as { messages: Array<{ content: string }> }).messages[1].content;
    expect(prompt).toContain('File: src/auth/token.js');

    expect(fs.readFileSync(path.join(root, 'src/auth/token.js'), 'utf8')).toBe(FIXED_TOKEN);
    expect(fs.readFileSync(path.join(root, 'src/big.js'), 'utf8')).toBe(BIG.replace('RETRIES = 3', 'RETRIES = 5'));
    expect(fs.existsSync(path.join(root, 'CHANGELOG.md'))).toBe(true);

    const { changes } = (await engine.invoke('tasks.changes', { taskId: task.id })) as { changes: FileChange[] };
    const byPath = Object.fromEntries(changes.map((c) => [c.path, c.status]));
    expect(byPath).toMatchObject({ 'src/auth/token.js': 'modified', 'src/big.js': 'modified', 'CHANGELOG.md': 'added' });
    const left = (await engine.invoke('tasks.fileBefore', { taskId: task.id, path: 'src/auth/token.js' })) as { content: string; existed: boolean };
    expect(left.content).toBe(before['src/auth/token.js']);

    await engine.invoke('tasks.revertFile', { taskId: task.id, path: 'src/big.js' });
    expect(fs.readFileSync(path.join(root, 'src/big.js'), 'utf8')).toBe(BIG);
    const accepted = (await engine.invoke('tasks.acceptFile', { taskId: task.id, path: 'src/auth/token.js' })) as { changes: FileChange[] };
    expect(accepted.changes.find((c) => c.path === 'src/auth/token.js')?.accepted).toBe(true);

    const undo = (await engine.invoke('tasks.undo', { taskId: task.id })) as { restored: number; deleted: number };
    expect(undo.deleted).toBe(1);
    expect(snapshotOf(root)).toEqual(before);
  });

  it('an edit block that does not match is retried once with the closest lines', async () => {
    const { workspace } = (await engine.invoke('workspaces.open', { path: repo })) as { workspace: { root: string } };
    const block = (search: string) => ['File: src/big.js', '```javascript', '<<<<<<< SEARCH', search, '=======', 'export const RETRIES = 7;', '>>>>>>> REPLACE', '```', ''].join('\n');
    standin.enqueueChat({ text: block('export const RETRIES = 4;') });
    standin.enqueueChat({ text: block('export const RETRIES = 3;') });
    const { task } = (await engine.invoke('tasks.create', { prompt: 'raise the retries', model: MODEL, workspace: workspace.root })) as { task: { id: string } };
    expect((await engine.waitForTask(task.id, 20_000)).status).toBe('succeeded');
    const retry = standin.requests.filter((r) => r.path === '/api/chat')[1].body as { messages: Array<{ role: string; content: string }> };
    expect(retry.messages.at(-1)!.content).toContain('export const RETRIES = 3;');
    expect(fs.readFileSync(path.join(workspace.root, 'src/big.js'), 'utf8')).toContain('RETRIES = 7;');
  });
});

describe('workspace folders: TaskV1.1 repo scope', () => {
  it('repo.include / repo.exclude narrow the files the model may see', async () => {
    const { workspace } = (await engine.invoke('workspaces.open', { path: repo })) as { workspace: { root: string } };
    standin.enqueueChat({ text: 'Nothing to change.' });
    const spec = { type: 'CODE', input: { goal: 'fix the login token expiry', repo: { path: repo, include: ['src/**'], exclude: ['src/auth/login.js'] } } };
    const frames = recordFrames(engine);
    const { task } = (await engine.invoke('tasks.create', { prompt: 'fix the login token expiry', model: MODEL, workspace: workspace.root, metadata: { spec } })) as { task: { id: string } };
    await engine.waitForTask(task.id, 20_000);
    const context = frames.events(task.id).find((e) => e.type === 'context');
    const paths = context?.type === 'context' ? context.data.files.map((f) => f.path) : [];
    expect(paths).toContain('src/auth/token.js');
    expect(paths.every((p) => p.startsWith('src/') && p !== 'src/auth/login.js')).toBe(true);
  });
});
