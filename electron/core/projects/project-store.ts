import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Project, ProjectKind, ProjectModelOptions } from '../../../shared/index.js';
import { DEFAULT_PROJECT_MODEL_OPTIONS, MacsError, ProjectModelOptionsSchema } from '../../../shared/index.js';
import type { Db } from '../db/index.js';
import { cleanProjectName } from './project-name.js';
import { projectState, type StateInputs } from './project-state.js';

interface ProjectRow {
  id: string;
  name: string;
  kind: ProjectKind;
  root: string;
  language: string | null;
  pinned: number;
  paused: number;
  created_at: number;
  updated_at: number;
  turn_count: number;
  last_task_id: string | null;
  last_status: StateInputs['lastStatus'];
  last_kind: StateInputs['lastKind'];
  last_step: StateInputs['runningStep'];
  any_succeeded: number;
  model_options: string | null;
}

/** The list columns: the project plus what its badge and turn count are derived from, in one pass. */
const PROJECT_COLUMNS = `p.*,
  (SELECT COUNT(*) FROM tasks t WHERE t.project_id = p.id) AS turn_count,
  l.id AS last_task_id, l.status AS last_status, l.kind AS last_kind,
  (SELECT s.step FROM task_steps s WHERE s.task_id = l.id AND s.status = 'running' ORDER BY s.id DESC LIMIT 1) AS last_step,
  EXISTS (SELECT 1 FROM tasks t WHERE t.project_id = p.id AND t.status = 'succeeded') AS any_succeeded`;
const LAST_TASK = `LEFT JOIN tasks l ON l.id = (SELECT t.id FROM tasks t WHERE t.project_id = p.id ORDER BY t.created_at DESC, t.rowid DESC LIMIT 1)`;

export function newProjectId(): string {
  // Time-ordered like task ids, with a prefix so the two are never confused in a URL or a log.
  return `p-${Date.now().toString(36)}-${crypto.randomBytes(4).toString('hex')}`;
}

/** All SQL for projects lives here; callers see domain objects only. */
export class ProjectStore {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO projects (id, name, kind, root, created_at, updated_at) VALUES (@id, @name, @kind, @root, @now, @now)`,
      ),
      get: db.prepare(`SELECT ${PROJECT_COLUMNS} FROM projects p ${LAST_TASK} WHERE p.id = ?`),
      byRoot: db.prepare(`SELECT id FROM projects WHERE root = ?`).pluck(),
      list: db.prepare(`SELECT ${PROJECT_COLUMNS} FROM projects p ${LAST_TASK} ORDER BY p.pinned DESC, p.updated_at DESC, p.rowid DESC LIMIT ?`),
      rename: db.prepare(`UPDATE projects SET name = ?, updated_at = ? WHERE id = ?`),
      pin: db.prepare(`UPDATE projects SET pinned = ? WHERE id = ?`),
      pause: db.prepare(`UPDATE projects SET paused = ? WHERE id = ?`),
      touch: db.prepare(`UPDATE projects SET updated_at = MAX(updated_at, ?) WHERE id = ?`),
      language: db.prepare(`UPDATE projects SET language = ? WHERE id = ?`),
      modelOptions: db.prepare(`UPDATE projects SET model_options = ? WHERE id = ?`),
      remove: db.prepare(`DELETE FROM projects WHERE id = ?`),
      unfinished: db.prepare(`SELECT id FROM tasks WHERE project_id = ? AND status IN ('queued','running','interrupted') ORDER BY created_at, rowid`).pluck(),
    };
  }

  create(input: { id?: string; name: string; kind: ProjectKind; root: string }): Project {
    const id = input.id ?? newProjectId();
    this.stmts.insert.run({ id, name: cleanProjectName(input.name) || 'New project', kind: input.kind, root: input.root, now: Date.now() });
    return this.require(id);
  }

  /** The project of an opened folder, made on first open (a folder is one project however often it is opened). */
  forFolder(root: string, name: string): Project {
    const id = this.stmts.byRoot.get(root) as string | undefined;
    if (id) {
      this.touch(id);
      return this.require(id);
    }
    return this.create({ name, kind: 'folder', root });
  }

  get(id: string): Project | null {
    const row = this.stmts.get.get(id) as ProjectRow | undefined;
    return row ? toProject(row) : null;
  }

  require(id: string): Project {
    const p = this.get(id);
    if (!p) throw new MacsError('PROJECT_NOT_FOUND', `There is no project ${id}: it was deleted, or it was never made here.`, { projectId: id });
    return p;
  }

  idOfRoot(root: string): string | null {
    return (this.stmts.byRoot.get(root) as string | undefined) ?? null;
  }

  /** Pinned first, then by last activity. */
  list(limit = 5000): Project[] {
    return (this.stmts.list.all(limit) as ProjectRow[]).map(toProject);
  }

  rename(id: string, name: string): void {
    this.require(id);
    const clean = cleanProjectName(name);
    if (!clean) throw new MacsError('INVALID_INPUT', 'A project needs a name with visible characters (control and invisible characters are dropped).', { projectId: id });
    this.stmts.rename.run(clean, Date.now(), id);
  }

  setPinned(id: string, pinned: boolean): void {
    this.require(id);
    this.stmts.pin.run(pinned ? 1 : 0, id);
  }

  setPaused(id: string, paused: boolean): void {
    this.require(id);
    this.stmts.pause.run(paused ? 1 : 0, id);
  }

  touch(id: string, at = Date.now()): void {
    this.stmts.touch.run(at, id);
  }

  setLanguage(id: string, language: string | null): void {
    this.stmts.language.run(language, id);
  }

  /** The project's temperature and system prompt; the defaults are stored as NULL. */
  setModelOptions(id: string, options: ProjectModelOptions): void {
    this.require(id);
    const clean = { temperature: options.temperature, systemPrompt: options.systemPrompt.trim() };
    const isDefault = clean.temperature === null && clean.systemPrompt === '';
    this.stmts.modelOptions.run(isDefault ? null : JSON.stringify(clean), id);
  }

  /** Turns not finished yet (queued, running, interrupted), oldest first. */
  unfinishedTurns(id: string): string[] {
    return this.stmts.unfinished.all(id) as string[];
  }

  /** The row and its turns (their events, steps, files rows cascade). Files on disk are the caller's business. */
  remove(id: string): void {
    this.stmts.remove.run(id);
  }
}

function toProject(row: ProjectRow): Project {
  return {
    id: row.id,
    // Rows written before names were cleaned (migrated tasks' prompts) are shown clean too.
    name: cleanProjectName(row.name) || 'New project',
    kind: row.kind,
    root: row.root,
    language: row.language,
    pinned: row.pinned === 1,
    paused: row.paused === 1,
    state: projectState({ lastStatus: row.last_status, lastKind: row.last_kind, runningStep: row.last_step, anySucceeded: row.any_succeeded === 1 }),
    turnCount: row.turn_count,
    lastTaskId: row.last_task_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    folderMissing: !folderReadable(row.root, row.kind, row.turn_count),
    modelOptions: modelOptionsOf(row.model_options),
  };
}

/** A row's options; a value that no longer parses (hand-edited database) counts as the defaults. */
function modelOptionsOf(json: string | null): ProjectModelOptions {
  if (!json) return DEFAULT_PROJECT_MODEL_OPTIONS;
  try {
    const parsed = ProjectModelOptionsSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : DEFAULT_PROJECT_MODEL_OPTIONS;
  } catch {
    return DEFAULT_PROJECT_MODEL_OPTIONS;
  }
}

/** A generated project with no turn yet has no folder either; that is not "missing". */
function folderReadable(root: string, kind: ProjectKind, turns: number): boolean {
  try {
    fs.accessSync(root, fs.constants.R_OK);
    return fs.statSync(root).isDirectory();
  } catch {
    return kind === 'generated' && turns === 0;
  }
}
