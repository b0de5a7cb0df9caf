import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodResult, Project, Task } from '../../shared/index.js';
import { createEngine, type Engine } from '../../electron/core/engine/index.js';
import { startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { tempDataDir, waitFor } from './helpers.js';
import { adder, answer, approve } from '../fixtures/build-scripts.js';

const MODEL = 'qwen2.5-coder:7b';
let standin: OllamaStandin;
let dataDir: string;
let engine: Engine;

beforeEach(async () => {
  standin = await startOllamaStandin({ models: [{ name: MODEL }] });
  standin.setDefaultChat({ text: 'File: a.txt\n```\nfirst\n```\n' });
  dataDir = tempDataDir('projects-engine');
  engine = createEngine({ dataDir, host: 'browser', version: 'test', ollamaHost: standin.url, queue: { pollMs: 50, retryBaseMs: 40 } });
});
afterEach(async () => {
  await engine.close();
  await standin.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function turn(prompt: string, projectId?: string): Promise<Task> {
  const { task } = (await engine.invoke('tasks.create', { prompt, model: MODEL, ...(projectId ? { projectId } : {}) })) as MethodResult<'tasks.create'>;
  return task;
}
const project = async (id: string) => ((await engine.invoke('projects.get', { projectId: id })) as MethodResult<'projects.get'>).project;
const versions = async (id: string) => ((await engine.invoke('projects.versions', { projectId: id })) as MethodResult<'projects.versions'>).versions;

describe('a project keeps evolving, turn after turn', () => {
  it('a prompt with no project makes one; the next turn works in the same folder, and each turn is a git commit', async () => {
    const first = await engine.waitForTask((await turn('Write a.txt')).id, 20_000);
    expect(first.status).toBe('succeeded');
    const p = await project(first.projectId!);
    expect(p).toMatchObject({ kind: 'generated', name: 'Write a.txt', turnCount: 1, state: 'READY' });
    expect(p.root).toBe(path.join(dataDir, 'projects', p.id));

    standin.setDefaultChat({ text: 'File: b.txt\n```\nsecond\n```\n' });
    const second = await engine.waitForTask((await turn('Now add b.txt', p.id)).id, 20_000);
    expect(second.workspacePath).toBe(p.root);
    expect(fs.readFileSync(path.join(p.root, 'a.txt'), 'utf8')).toBe('first\n');
    expect(fs.readFileSync(path.join(p.root, 'b.txt'), 'utf8')).toBe('second\n');

    const log = execFileSync('git', ['log', '--format=%s%n%b%x00'], { cwd: p.root, encoding: 'utf8' });
    expect(log).toContain('Now add b.txt');
    expect(log).toContain(`MACS-Turn: ${second.id}`);
    const list = await versions(p.id);
    expect(list.filter((v) => v.kind === 'turn').map((v) => v.taskId)).toEqual([first.id, second.id]);
    expect((await project(p.id)).turnCount).toBe(2);
  });

  it('two turns sent at once run in order: the second starts after the first has finished', async () => {
    // Room for both at once: only the project's order may hold the second back.
    await engine.invoke('settings.update', { maxConcurrentTasks: 4, maxConcurrentPerModel: 4 });
    standin.setDefaultChat({ text: 'File: a.txt\n```\nx\n```\n', tokensPerSecond: 200 });
    const t1 = await turn('one');
    const t2 = await turn('two', t1.projectId!);
    const [d1, d2] = await Promise.all([engine.waitForTask(t1.id, 20_000), engine.waitForTask(t2.id, 20_000)]);
    expect(d1.status).toBe('succeeded');
    expect(d2.status).toBe('succeeded');
    expect(d2.startedAt!).toBeGreaterThanOrEqual(d1.finishedAt!);
  });

  it('a retry never empties the project folder: earlier turns’ files stay', async () => {
    const t1 = await engine.waitForTask((await turn('Write a.txt')).id, 20_000);
    standin.enqueueChat({ error: { status: 404, message: `model "${MODEL}" not found, try pulling it first` } });
    const t2 = await engine.waitForTask((await turn('Break', t1.projectId!)).id, 20_000);
    expect(t2.status).toBe('failed');
    standin.setDefaultChat({ text: 'File: c.txt\n```\nc\n```\n' });
    await engine.invoke('tasks.retry', { taskId: t2.id });
    expect((await engine.waitForTask(t2.id, 20_000)).status).toBe('succeeded');
    expect(fs.readFileSync(path.join(t1.workspacePath, 'a.txt'), 'utf8')).toBe('first\n');
    expect(fs.existsSync(path.join(t1.workspacePath, 'c.txt'))).toBe(true);
  });

  it('hand edits between turns become their own version before the next turn writes', async () => {
    const t1 = await engine.waitForTask((await turn('Write a.txt')).id, 20_000);
    fs.writeFileSync(path.join(t1.workspacePath, 'notes.md'), 'mine\n');
    standin.setDefaultChat({ text: 'File: b.txt\n```\nb\n```\n' });
    await engine.waitForTask((await turn('add b', t1.projectId!)).id, 20_000);
    const kinds = (await versions(t1.projectId!)).map((v) => v.kind);
    expect(kinds.slice(-3)).toEqual(['turn', 'hand-edit', 'turn']);
  });

  it('restore is refused while a turn runs; a turn for a deleted project is PROJECT_NOT_FOUND', async () => {
    const t1 = await engine.waitForTask((await turn('Write a.txt')).id, 20_000);
    const id = t1.projectId!;
    standin.setDefaultChat({ text: 'File: a.txt\n```\nslow\n```\n', hangAfterTokens: 2 });
    const t2 = await turn('slow', id);
    let running = false;
    engine.onTopic((topic, payload) => {
      if (topic === 'task.updated' && (payload as { task: Task }).task.id === t2.id) running ||= (payload as { task: Task }).task.status === 'running';
    });
    await waitFor(() => running, 10_000, 'the second turn to run');
    const [v1] = await versions(id);
    await expect(engine.invoke('projects.restore', { projectId: id, versionId: v1.id })).rejects.toMatchObject({ code: 'PROJECT_BUSY' });
    await expect(engine.invoke('projects.delete', { projectId: id })).rejects.toMatchObject({ code: 'PROJECT_BUSY' });
    await engine.invoke('tasks.cancel', { taskId: t2.id });
    await engine.invoke('projects.delete', { projectId: id });
    await expect(turn('again', id)).rejects.toMatchObject({ code: 'PROJECT_NOT_FOUND', message: expect.stringContaining(id) });
    expect(fs.existsSync(t1.workspacePath)).toBe(true); // its files go only when the user says so
  });

  it('deleting a generated project removes its files only when asked; an opened folder is only forgotten', async () => {
    const t1 = await engine.waitForTask((await turn('Write a.txt')).id, 20_000);
    expect(await engine.invoke('projects.delete', { projectId: t1.projectId!, deleteFiles: true })).toEqual({ deleted: true, filesDeleted: true });
    expect(fs.existsSync(t1.workspacePath)).toBe(false);

    const folder = fs.mkdtempSync(path.join(dataDir, '..', 'macs-user-folder-'));
    try {
      fs.writeFileSync(path.join(folder, 'keep.txt'), 'x');
      const { project: opened } = (await engine.invoke('projects.create', { folder })) as { project: Project };
      expect(opened.kind).toBe('folder');
      await expect(engine.invoke('projects.delete', { projectId: opened.id, deleteFiles: true })).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
      await engine.invoke('projects.delete', { projectId: opened.id });
      expect(fs.readFileSync(path.join(folder, 'keep.txt'), 'utf8')).toBe('x');
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('a build turn moves the project badge through its steps, live on project.updated', async () => {
    const first = await engine.waitForTask((await turn('Write a.txt')).id, 20_000);
    const states: string[] = [];
    engine.onTopic((topic, payload) => {
      const p = (payload as { project: Project | null }).project;
      if (topic === 'project.updated' && p?.id === first.projectId && states.at(-1) !== p.state) states.push(p.state);
    });
    standin.enqueueChat(answer('plan', adder.plan));
    standin.enqueueChat(answer('implement', adder.buggy));
    standin.enqueueChat(answer('docs', adder.readme));
    standin.enqueueChat(answer('fix', adder.fixed));
    standin.enqueueChat(answer('review', approve));
    const { task } = (await engine.invoke('tasks.create', { prompt: 'an adder with tests', model: MODEL, kind: 'build', projectId: first.projectId! })) as MethodResult<'tasks.create'>;
    expect((await engine.waitForTask(task.id, 60_000)).status).toBe('succeeded');
    // Each state the build passed through, in order (a quick step may be missed between two looks: not the order).
    for (const state of ['CODING', 'TESTING', 'DEBUGGING', 'READY']) expect(states).toContain(state);
    expect(states.indexOf('CODING')).toBeLessThan(states.indexOf('DEBUGGING'));
    expect(states.at(-1)).toBe('READY');
  });
});

describe('a save from the editor racing a restore', () => {
  it('is never lost: it lands before the restore (kept as a hand-edit version) or after it (in the folder)', async () => {
    const t1 = await engine.waitForTask((await turn('Write a.txt')).id, 20_000);
    standin.setDefaultChat({ text: 'File: a.txt\n```\nsecond\n```\n' });
    await engine.waitForTask((await turn('change a', t1.projectId!)).id, 20_000);
    const id = t1.projectId!;
    const root = t1.workspacePath;
    for (let i = 0; i < 8; i++) {
      const [v1] = await versions(id);
      const mine = `mine ${i}\n`;
      const restore = engine.invoke('projects.restore', { projectId: id, versionId: v1.id });
      // The save is sent while the restore is under way (its hand-edit commit, then its checkout).
      await new Promise((r) => setTimeout(r, i * 3));
      await engine.invoke('workspaces.write', { root, path: 'a.txt', content: mine });
      await restore;
      const onDisk = fs.readFileSync(path.join(root, 'a.txt'), 'utf8');
      const history = execFileSync('git', ['log', '-p', '--all'], { cwd: root, encoding: 'utf8' });
      expect(onDisk === mine || history.includes(`+${mine.trim()}`)).toBe(true);
    }
  });
});
