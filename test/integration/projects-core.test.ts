import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../electron/core/db/migrations.js';
import { openDatabase, type Db } from '../../electron/core/db/index.js';
import { ProjectStore } from '../../electron/core/projects/index.js';
import { TaskQueue } from '../../electron/core/queue/index.js';
import { TaskStore } from '../../electron/core/tasks/index.js';
import { tempDataDir } from './helpers.js';

let dir: string;
const dbs: Db[] = [];
beforeEach(() => {
  dir = tempDataDir('projects-core');
});
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function open(file: string, migrations = MIGRATIONS): Db {
  const db = openDatabase(file, migrations);
  dbs.push(db);
  return db;
}

const LIMITS = { maxRunning: 8, maxPerModel: 8, leaseMs: 60_000 };

describe('migration 8: every task of an older database becomes a turn of a project', () => {
  it('keeps every task: generated workspaces become one-turn projects, folder tasks join their folder’s project', () => {
    const file = path.join(dir, 'macs.db');
    // The schema today's release ships (migrations 1–7, forward-only and never edited), with its data.
    const old = openDatabase(file, MIGRATIONS.filter((m) => m.version <= 7));
    const insert = old.prepare(
      `INSERT INTO tasks (id, kind, status, title, prompt, model, num_ctx, workspace_path, created_at, finished_at) VALUES (?, 'chat', ?, ?, ?, 'm', 8192, ?, ?, ?)`,
    );
    const ws = (id: string) => path.join(dir, 'workspaces', id);
    insert.run('t1', 'succeeded', 'csv2json', 'Write csv2json', ws('t1'), 1000, 1500);
    insert.run('t2', 'failed', 'Add tests', 'Add tests', '/home/u/code/app', 2000, 2500);
    insert.run('t3', 'succeeded', 'Fix bug', 'Fix bug', '/home/u/code/app', 3000, 3500);
    insert.run('t4', 'queued', 'Todo app', 'Todo app', ws('t4'), 4000, null);
    old.prepare(`INSERT INTO task_events (task_id, seq, ts, type, data_json) VALUES ('t1', 1, 1000, 'log', '{"level":"info","message":"kept"}')`).run();
    old.prepare(`INSERT INTO workspaces (root, name, is_git, opened_at) VALUES ('/home/u/code/app', 'app', 1, 1900), ('/home/u/other', 'other', 0, 500)`).run();
    old.close();

    const db = open(file);
    const tasks = db.prepare('SELECT id, project_id, status FROM tasks ORDER BY created_at').all() as Array<{ id: string; project_id: string; status: string }>;
    expect(tasks.map((t) => t.status)).toEqual(['succeeded', 'failed', 'succeeded', 'queued']);
    expect(tasks.every((t) => t.project_id)).toBe(true);
    expect(tasks[1].project_id).toBe(tasks[2].project_id); // both turns of the opened folder
    expect(new Set(tasks.map((t) => t.project_id)).size).toBe(3);
    expect(db.prepare(`SELECT COUNT(*) FROM task_events WHERE task_id = 't1'`).pluck().get()).toBe(1);

    const projects = new ProjectStore(db).list();
    const byRoot = new Map(projects.map((p) => [p.root, p]));
    expect(projects).toHaveLength(4); // t1, t4, the app folder, and the folder opened without a task
    expect(byRoot.get(ws('t1'))).toMatchObject({ kind: 'generated', name: 'csv2json', turnCount: 1, state: 'READY' });
    expect(byRoot.get(ws('t4'))).toMatchObject({ kind: 'generated', turnCount: 1, state: 'PLANNING' });
    expect(byRoot.get('/home/u/code/app')).toMatchObject({ kind: 'folder', name: 'app', turnCount: 2, state: 'READY', lastTaskId: 't3' });
    expect(byRoot.get('/home/u/other')).toMatchObject({ kind: 'folder', turnCount: 0, state: 'NEW' });
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'workspaces'`).get()).toBeUndefined();
  });
});

describe('turns of one project run one at a time, in order', () => {
  function setup() {
    const db = open(path.join(dir, 'macs.db'));
    const store = new TaskStore(db);
    const queue = new TaskQueue(db, store);
    const projects = new ProjectStore(db);
    let n = 0;
    const turn = (projectId: string | null) =>
      store.createTask({ id: `t${++n}`, kind: 'chat', title: 't', prompt: 'p', model: 'm', numCtx: 8192, workspacePath: dir, priority: 0, maxAttempts: 1, metadata: null, projectId }).task;
    return { db, store, queue, projects, turn };
  }

  it('a second turn waits behind the first; another project runs beside it', () => {
    const { queue, projects, turn } = setup();
    const a = projects.create({ name: 'a', kind: 'generated', root: path.join(dir, 'a') });
    const b = projects.create({ name: 'b', kind: 'generated', root: path.join(dir, 'b') });
    const a1 = turn(a.id);
    const a2 = turn(a.id);
    const b1 = turn(b.id);
    expect(queue.claimNext('w', LIMITS)?.task.id).toBe(a1.id);
    expect(queue.claimNext('w', LIMITS)?.task.id).toBe(b1.id); // a2 is not claimable while a1 runs
    expect(queue.claimNext('w', LIMITS)).toBeNull();
    expect(queue.claimTask(a2.id, 'cli', 60_000)).toBeNull(); // nor by another process asking for it by id
    queue.finish(a1.id, 'w', { status: 'succeeded' });
    expect(queue.claimNext('w', LIMITS)?.task.id).toBe(a2.id);
  });

  it('a higher priority does not let a later turn overtake an earlier one of the same project', () => {
    const { store, queue, projects, turn, db } = setup();
    const a = projects.create({ name: 'a', kind: 'generated', root: path.join(dir, 'a') });
    const first = turn(a.id);
    const second = turn(a.id);
    db.prepare('UPDATE tasks SET priority = 50 WHERE id = ?').run(second.id);
    expect(queue.claimNext('w', LIMITS)?.task.id).toBe(first.id);
    expect(store.requireTask(second.id).status).toBe('queued');
  });

  it('a paused project’s turns wait until it is resumed; tasks outside projects are not held up', () => {
    const { queue, projects, turn } = setup();
    const a = projects.create({ name: 'a', kind: 'generated', root: path.join(dir, 'a') });
    projects.setPaused(a.id, true);
    const a1 = turn(a.id);
    const loose = turn(null);
    expect(queue.claimNext('w', LIMITS)?.task.id).toBe(loose.id);
    expect(queue.claimNext('w', LIMITS)).toBeNull();
    projects.setPaused(a.id, false);
    expect(queue.claimNext('w', LIMITS)?.task.id).toBe(a1.id);
  });
});
