import { mapDiskFull, type Db } from '../db/index.js';
import type { Task, TaskEvent, TaskEventDraft, TaskFile, TaskKind, TaskStatus } from '../../../shared/index.js';
import type { ErrorPayload } from '../../../shared/index.js';
import { MacsError } from '../../../shared/index.js';

export interface TaskRow {
  id: string;
  kind: TaskKind;
  status: TaskStatus;
  title: string;
  prompt: string;
  model: string;
  num_ctx: number;
  workspace_path: string;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  error_json: string | null;
  last_seq: number;
  eval_tokens: number;
  priority: number;
  attempts: number;
  max_attempts: number;
  not_before: number | null;
  metadata_json: string | null;
  lease_owner: string | null;
  lease_expires_at: number | null;
  cancel_requested: number;
  host: string | null;
  project_id: string | null;
  file_count: number;
  worked_ms: number | null;
  running_since: number | null;
}

interface EventRow {
  task_id: string;
  seq: number;
  ts: number;
  type: string;
  data_json: string;
}

/**
 * Time spent working = the attempts' runs added up (a replay days later adds its own run, not the idle
 * days between); the running attempt's start lets a client count the live one up.
 */
export const TASK_COLUMNS = `t.*, (SELECT COUNT(*) FROM task_files f WHERE f.task_id = t.id) AS file_count,
  (SELECT CASE WHEN COUNT(*) = 0 THEN NULL ELSE COALESCE(SUM(a.finished_at - a.started_at), 0) END
     FROM task_attempts a WHERE a.task_id = t.id) AS worked_ms,
  (SELECT MAX(a.started_at) FROM task_attempts a WHERE a.task_id = t.id AND a.finished_at IS NULL AND t.status = 'running') AS running_since`;

export function toTask(row: TaskRow): Task {
  return {
    id: row.id,
    kind: row.kind,
    priority: row.priority,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    notBefore: row.not_before,
    host: row.host,
    metadata: row.metadata_json ? (JSON.parse(row.metadata_json) as Record<string, unknown>) : null,
    status: row.status,
    title: row.title,
    prompt: row.prompt,
    model: row.model,
    numCtx: row.num_ctx,
    workspacePath: row.workspace_path,
    projectId: row.project_id,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    error: row.error_json ? (JSON.parse(row.error_json) as ErrorPayload) : null,
    lastSeq: row.last_seq,
    evalTokens: row.eval_tokens,
    fileCount: row.file_count,
    workedMs: row.worked_ms,
    runningSince: row.running_since,
  };
}

function toEvent(row: EventRow): TaskEvent {
  return { taskId: row.task_id, seq: row.seq, ts: row.ts, type: row.type, data: JSON.parse(row.data_json) } as TaskEvent;
}

export interface NewTask {
  id: string;
  kind: TaskKind;
  title: string;
  prompt: string;
  model: string;
  numCtx: number;
  workspacePath: string;
  priority: number;
  maxAttempts: number;
  metadata: Record<string, unknown> | null;
  host?: string | null;
  /** The project this task is a turn of. */
  projectId?: string | null;
}

/** All SQL for tasks lives here; callers see domain objects only. */
export class TaskStore {
  private readonly stmts;

  /** onStored: told every batch of events once it is committed (the task journal's events.jsonl). */
  constructor(
    private readonly db: Db,
    private readonly onStored?: (events: readonly TaskEvent[]) => void,
  ) {
    this.stmts = {
      insertTask: db.prepare(
        `INSERT INTO tasks (id, kind, status, title, prompt, model, num_ctx, workspace_path, created_at, priority, max_attempts, metadata_json, host, project_id)
         VALUES (@id, @kind, 'queued', @title, @prompt, @model, @numCtx, @workspacePath, @createdAt, @priority, @maxAttempts, @metadataJson, @host, @projectId)`,
      ),
      getTask: db.prepare(`SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.id = ?`),
      listTasks: db.prepare(`SELECT ${TASK_COLUMNS} FROM tasks t ORDER BY t.created_at DESC, t.rowid DESC LIMIT ?`),
      listProjectTasks: db.prepare(`SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.project_id = ? ORDER BY t.created_at, t.rowid`),
      listTasksByStatus: db.prepare(`SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.status = ? ORDER BY t.created_at DESC, t.rowid DESC LIMIT ?`),
      lastSeq: db.prepare('SELECT last_seq FROM tasks WHERE id = ?').pluck(),
      leaseOf: db.prepare(`SELECT lease_owner FROM tasks WHERE id = ? AND status = 'running'`).pluck(),
      insertEvent: db.prepare('INSERT INTO task_events (task_id, seq, ts, type, data_json) VALUES (?, ?, ?, ?, ?)'),
      bumpSeq: db.prepare('UPDATE tasks SET last_seq = ? WHERE id = ?'),
      listEvents: db.prepare('SELECT * FROM task_events WHERE task_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
      lastStatusSeq: db.prepare(`SELECT MAX(seq) FROM task_events WHERE task_id = ? AND type = 'status' AND json_extract(data_json, '$.status') = ?`).pluck(),
      addEvalTokens: db.prepare('UPDATE tasks SET eval_tokens = eval_tokens + ? WHERE id = ?'),
      upsertFile: db.prepare(
        `INSERT INTO task_files (task_id, path, state, size, sha256, updated_at) VALUES (@taskId, @path, @state, @size, @sha256, @now)
         ON CONFLICT (task_id, path) DO UPDATE SET state = excluded.state, size = excluded.size, sha256 = excluded.sha256, updated_at = excluded.updated_at`,
      ),
      clearFiles: db.prepare('DELETE FROM task_files WHERE task_id = ?'),
      removeFile: db.prepare('DELETE FROM task_files WHERE task_id = ? AND path = ?'),
      listFiles: db.prepare('SELECT path, state, size, sha256 FROM task_files WHERE task_id = ? ORDER BY path'),
    };
  }

  /** Insert a queued task and its first event, in one transaction. */
  createTask(input: NewTask): { task: Task; events: TaskEvent[] } {
    return this.db.transaction(() => {
      const { metadata, host, projectId, ...rest } = input;
      this.stmts.insertTask.run({ ...rest, host: host ?? null, projectId: projectId ?? null, metadataJson: metadata ? JSON.stringify(metadata) : null, createdAt: Date.now() });
      const events = this.appendEvents(input.id, [{ type: 'status', data: { status: 'queued' } }]);
      return { task: this.requireTask(input.id), events };
    }).immediate();
  }

  getTask(id: string): Task | null {
    const row = this.stmts.getTask.get(id) as TaskRow | undefined;
    return row ? toTask(row) : null;
  }

  requireTask(id: string): Task {
    const task = this.getTask(id);
    if (!task) throw new MacsError('TASK_NOT_FOUND', `No task with id ${id}.`, { taskId: id });
    return task;
  }

  listTasks(limit = 100, status?: TaskStatus): Task[] {
    const rows = status ? this.stmts.listTasksByStatus.all(status, limit) : this.stmts.listTasks.all(limit);
    return (rows as TaskRow[]).map(toTask);
  }

  /** A project's turns, oldest first. */
  listProjectTasks(projectId: string): Task[] {
    return (this.stmts.listProjectTasks.all(projectId) as TaskRow[]).map(toTask);
  }

  /**
   * Number and store events in one transaction; seq continues from the task's last_seq.
   * With `owner`, nothing is written unless that worker still holds the task's lease, so a
   * worker that lost its task to crash recovery cannot interleave events with the new attempt.
   */
  appendEvents(taskId: string, drafts: readonly TaskEventDraft[], owner?: string): TaskEvent[] {
    if (drafts.length === 0) return [];
    const json = drafts.map((d) => JSON.stringify(d.data));
    const neededBytes = json.reduce((n, j) => n + j.length + 64, 0);
    const stored = this.write(`the task's events`, neededBytes, () => this.db.transaction(() => {
      if (owner !== undefined && this.stmts.leaseOf.get(taskId) !== owner) return [];
      let seq = (this.stmts.lastSeq.get(taskId) as number | undefined) ?? 0;
      const first = seq + 1;
      const ts = Date.now();
      const events: TaskEvent[] = [];
      for (const draft of drafts) {
        seq += 1;
        this.stmts.insertEvent.run(taskId, seq, ts, draft.type, json[seq - first]);
        events.push({ taskId, seq, ts, ...draft } as TaskEvent);
      }
      this.stmts.bumpSeq.run(seq, taskId);
      // The task's token count is the sum of its stored usage events, whichever runner (chat, build
      // steps) made them: counted here, once, in the same transaction.
      const evalTokens = drafts.reduce((n, d) => (d.type === 'usage' ? n + d.data.evalTokens : n), 0);
      if (evalTokens > 0) this.stmts.addEvalTokens.run(evalTokens, taskId);
      return events;
    }).immediate());
    if (stored.length > 0) this.onStored?.(stored);
    return stored;
  }

  /** The seq of the task's last `status` event with this status (0: none). */
  lastStatusSeq(taskId: string, status: TaskStatus): number {
    return (this.stmts.lastStatusSeq.get(taskId, status) as number | null) ?? 0;
  }

  /** Every write goes through here: a full disk (SQLITE_FULL) becomes DISK_FULL naming the database file. */
  private write<T>(what: string, neededBytes: number, run: () => T): T {
    return mapDiskFull({ path: this.db.name, what, neededBytes }, run);
  }

  listEvents(taskId: string, sinceSeq = 0, limit = 10_000): TaskEvent[] {
    return (this.stmts.listEvents.all(taskId, sinceSeq, limit) as EventRow[]).map(toEvent);
  }

  upsertFile(taskId: string, file: TaskFile): void {
    this.write(`the task's file list`, 256, () => this.stmts.upsertFile.run({ taskId, ...file, now: Date.now() }));
  }

  /** A new attempt writes the project again from scratch. */
  clearFiles(taskId: string): void {
    this.stmts.clearFiles.run(taskId);
  }

  /** A file that was opened but never became a result (cut off by a failure before anything was written). */
  removeFile(taskId: string, path: string): void {
    this.stmts.removeFile.run(taskId, path);
  }

  listFiles(taskId: string): TaskFile[] {
    return this.stmts.listFiles.all(taskId) as TaskFile[];
  }

}
