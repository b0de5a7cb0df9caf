import crypto from 'node:crypto';
import path from 'node:path';
import type { Db } from './open-database.js';

interface TaskRow {
  id: string;
  title: string;
  workspace_path: string;
  created_at: number;
  finished_at: number | null;
  started_at: number | null;
}

/**
 * Migration 8's data move: nothing a user made is lost on upgrade. Every task becomes a turn:
 * a task that ran in a folder MACS made (`<data dir>/workspaces/<task id>`) becomes a one-turn
 * generated project whose folder stays where it is; tasks that ran in a folder the user opened
 * become turns of that folder's project, in their order; opened folders with no task yet become
 * projects too. The old workspaces table goes (its rows are projects now).
 */
export function adoptTasksIntoProjects(db: Db): void {
  const insert = db.prepare(
    `INSERT INTO projects (id, name, kind, root, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (root) DO UPDATE SET updated_at = MAX(updated_at, excluded.updated_at)`,
  );
  const idOfRoot = db.prepare(`SELECT id FROM projects WHERE root = ?`).pluck();
  const assign = db.prepare(`UPDATE tasks SET project_id = ? WHERE id = ?`);

  for (const f of db.prepare(`SELECT root, name, opened_at FROM workspaces ORDER BY opened_at`).all() as Array<{ root: string; name: string; opened_at: number }>) {
    insert.run(folderProjectId(f.root), f.name, 'folder', f.root, f.opened_at, f.opened_at);
  }
  const tasks = db.prepare(`SELECT id, title, workspace_path, created_at, finished_at, started_at FROM tasks ORDER BY created_at, rowid`).all() as TaskRow[];
  for (const t of tasks) {
    const lastActivity = t.finished_at ?? t.started_at ?? t.created_at;
    const generated = isTaskOwnWorkspace(t.workspace_path, t.id);
    if (generated) insert.run(`p-${t.id}`, t.title, 'generated', t.workspace_path, t.created_at, lastActivity);
    else insert.run(folderProjectId(t.workspace_path), path.basename(t.workspace_path) || t.workspace_path, 'folder', t.workspace_path, t.created_at, lastActivity);
    assign.run(idOfRoot.get(t.workspace_path) as string, t.id);
  }
  db.exec('DROP TABLE workspaces');
}

/** Before projects, MACS made `<data dir>/workspaces/<task id>/` for each task: the only folders it may treat as its own. */
function isTaskOwnWorkspace(workspacePath: string, taskId: string): boolean {
  const parts = workspacePath.split(/[\\/]+/);
  return parts.at(-1) === taskId && parts.at(-2) === 'workspaces';
}

/** Stable per folder, so the same folder maps to the same project on every upgraded database. */
function folderProjectId(root: string): string {
  return `f-${crypto.createHash('sha256').update(root).digest('hex').slice(0, 16)}`;
}
