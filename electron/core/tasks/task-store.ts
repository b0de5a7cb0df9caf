import type { Db } from '../db/index.js';
import type { ErrorPayload, Task, TaskEvent, TaskEventDraft, TaskFile, TaskStatus } from '../../../shared/index.js';
import { MacsError } from '../../../shared/index.js';

interface TaskRow {
  id: string;
  kind: 'chat';
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
  file_count: number;
}

interface EventRow {
  task_id: string;
  seq: number;
  ts: number;
  type: string;
  data_json: string;
}

const TASK_COLUMNS = `t.*, (SELECT COUNT(*) FROM task_files f WHERE f.task_id = t.id) AS file_count`;

function toTask(row: TaskRow): Task {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    title: row.title,
    prompt: row.prompt,
    model: row.model,
    numCtx: row.num_ctx,
    workspacePath: row.workspace_path,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    error: row.error_json ? (JSON.parse(row.error_json) as ErrorPayload) : null,
    lastSeq: row.last_seq,
    evalTokens: row.eval_tokens,
    fileCount: row.file_count,
  };
}

function toEvent(row: EventRow): TaskEvent {
  return { taskId: row.task_id, seq: row.seq, ts: row.ts, type: row.type, data: JSON.parse(row.data_json) } as TaskEvent;
}

export interface NewTask {
  id: string;
  title: string;
  prompt: string;
  model: string;
  numCtx: number;
  workspacePath: string;
}

/** All SQL for tasks lives here; callers see domain objects only. */
export class TaskStore {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      insertTask: db.prepare(
        `INSERT INTO tasks (id, kind, status, title, prompt, model, num_ctx, workspace_path, created_at)
         VALUES (@id, 'chat', 'queued', @title, @prompt, @model, @numCtx, @workspacePath, @createdAt)`,
      ),
      getTask: db.prepare(`SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.id = ?`),
      listTasks: db.prepare(`SELECT ${TASK_COLUMNS} FROM tasks t ORDER BY t.created_at DESC, t.rowid DESC LIMIT ?`),
      lastSeq: db.prepare('SELECT last_seq FROM tasks WHERE id = ?').pluck(),
      insertEvent: db.prepare('INSERT INTO task_events (task_id, seq, ts, type, data_json) VALUES (?, ?, ?, ?, ?)'),
      bumpSeq: db.prepare('UPDATE tasks SET last_seq = ? WHERE id = ?'),
      listEvents: db.prepare('SELECT * FROM task_events WHERE task_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
      setStatus: db.prepare(
        `UPDATE tasks SET status = @status, error_json = @error,
           started_at = COALESCE(started_at, @startedAt), finished_at = @finishedAt WHERE id = @id`,
      ),
      addEvalTokens: db.prepare('UPDATE tasks SET eval_tokens = eval_tokens + ? WHERE id = ?'),
      upsertFile: db.prepare(
        `INSERT INTO task_files (task_id, path, state, size, sha256, updated_at) VALUES (@taskId, @path, @state, @size, @sha256, @now)
         ON CONFLICT (task_id, path) DO UPDATE SET state = excluded.state, size = excluded.size, sha256 = excluded.sha256, updated_at = excluded.updated_at`,
      ),
      listFiles: db.prepare('SELECT path, state, size, sha256 FROM task_files WHERE task_id = ? ORDER BY path'),
      unfinished: db.prepare(`SELECT id FROM tasks WHERE status IN ('queued', 'running')`).pluck(),
    };
  }

  createTask(input: NewTask): Task {
    this.stmts.insertTask.run({ ...input, createdAt: Date.now() });
    return this.requireTask(input.id);
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

  listTasks(limit = 100): Task[] {
    return (this.stmts.listTasks.all(limit) as TaskRow[]).map(toTask);
  }

  /** Number and store events in one transaction; seq continues from the task's last_seq. */
  appendEvents(taskId: string, drafts: readonly TaskEventDraft[]): TaskEvent[] {
    if (drafts.length === 0) return [];
    return this.db.transaction(() => {
      let seq = (this.stmts.lastSeq.get(taskId) as number | undefined) ?? 0;
      const ts = Date.now();
      const events: TaskEvent[] = [];
      for (const draft of drafts) {
        seq += 1;
        this.stmts.insertEvent.run(taskId, seq, ts, draft.type, JSON.stringify(draft.data));
        events.push({ taskId, seq, ts, ...draft } as TaskEvent);
      }
      this.stmts.bumpSeq.run(seq, taskId);
      return events;
    }).immediate();
  }

  listEvents(taskId: string, sinceSeq = 0, limit = 10_000): TaskEvent[] {
    return (this.stmts.listEvents.all(taskId, sinceSeq, limit) as EventRow[]).map(toEvent);
  }

  setStatus(taskId: string, status: TaskStatus, error: ErrorPayload | null = null): Task {
    const now = Date.now();
    const terminal = status === 'succeeded' || status === 'failed' || status === 'cancelled';
    this.stmts.setStatus.run({
      id: taskId,
      status,
      error: error ? JSON.stringify(error) : null,
      startedAt: status === 'running' ? now : null,
      finishedAt: terminal ? now : null,
    });
    return this.requireTask(taskId);
  }

  addEvalTokens(taskId: string, tokens: number): void {
    this.stmts.addEvalTokens.run(tokens, taskId);
  }

  upsertFile(taskId: string, file: TaskFile): void {
    this.stmts.upsertFile.run({ taskId, ...file, now: Date.now() });
  }

  listFiles(taskId: string): TaskFile[] {
    return this.stmts.listFiles.all(taskId) as TaskFile[];
  }

  /** Tasks that were queued or running when the process died. */
  listUnfinishedTaskIds(): string[] {
    return this.stmts.unfinished.all() as string[];
  }
}
