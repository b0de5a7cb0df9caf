import type { ErrorPayload, StepName, StepRecord, StepStatus } from '../../../shared/index.js';
import { ModelUsageSchema } from '../../../shared/index.js';
import { MacsError } from '../../../shared/index.js';
import type { Db } from '../db/index.js';
import { nextAction } from './next-action.js';

interface StepRow {
  id: number;
  task_id: string;
  step: StepName;
  version: number;
  attempt: number;
  status: StepStatus;
  model: string | null;
  model_reason: string | null;
  started_at: number;
  finished_at: number | null;
  llm_ms: number;
  command_ms: number;
  prompt_tokens: number;
  eval_tokens: number;
  llm_calls: number;
  cached_calls: number;
  summary: string;
  error_json: string | null;
  replay_of: number | null;
  artifact: string | null;
  output_json: string | null;
}

/** The step's model usage, stored beside its result in output_json (no column of its own). */
function usageOf(outputJson: string | null): StepRecord['usage'] {
  if (!outputJson) return undefined;
  try {
    const parsed = ModelUsageSchema.safeParse((JSON.parse(outputJson) as { usage?: unknown } | null)?.usage);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function toRecord(r: StepRow): StepRecord {
  const usage = usageOf(r.output_json);
  return {
    id: r.id,
    taskId: r.task_id,
    step: r.step,
    version: r.version,
    attempt: r.attempt,
    status: r.status,
    model: r.model,
    modelReason: r.model_reason,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    llmMs: r.llm_ms,
    commandMs: r.command_ms,
    promptTokens: r.prompt_tokens,
    evalTokens: r.eval_tokens,
    cachedCalls: r.cached_calls,
    llmCalls: r.llm_calls,
    summary: r.summary,
    error: r.error_json ? (JSON.parse(r.error_json) as ErrorPayload) : null,
    replayOf: r.replay_of,
    artifact: r.artifact,
    ...(usage ? { usage } : {}),
  };
}

export interface StepFinish {
  status: Exclude<StepStatus, 'running'>;
  summary: string;
  error?: ErrorPayload | null;
  model?: string | null;
  modelReason?: string | null;
  llmMs: number;
  commandMs: number;
  promptTokens: number;
  evalTokens: number;
  llmCalls: number;
  cachedCalls: number;
  artifact: string | null;
  /** What later steps read back (plan, report, files). */
  output?: unknown;
}

export interface ReplayRequest {
  step: StepName;
  version: number | null;
  cascade: boolean;
  useCache: boolean;
}

/**
 * Step attempts of build tasks. Writes are fenced like events: only the worker holding
 * the task's lease may start or finish a step, so a worker that lost its lease (and runs
 * on, unaware) cannot interleave rows with the attempt that replaced it.
 */
export class StepStore {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      holds: db.prepare(`SELECT 1 FROM tasks WHERE id = ? AND lease_owner = ? AND status = 'running'`).pluck(),
      nextVersion: db.prepare(`SELECT COALESCE(MAX(version), 0) + 1 FROM task_steps WHERE task_id = ? AND step = ?`).pluck(),
      insert: db.prepare(
        `INSERT INTO task_steps (task_id, step, version, attempt, status, started_at, replay_of, model, model_reason)
         VALUES (@taskId, @step, @version, @attempt, 'running', @now, @replayOf, @model, @modelReason) RETURNING *`,
      ),
      finish: db.prepare(
        `UPDATE task_steps SET status = @status, finished_at = @now, summary = @summary, error_json = @error,
                model = COALESCE(@model, model), model_reason = COALESCE(@modelReason, model_reason),
                llm_ms = @llmMs, command_ms = @commandMs, prompt_tokens = @promptTokens, eval_tokens = @evalTokens,
                llm_calls = @llmCalls, cached_calls = @cachedCalls, artifact = @artifact, output_json = @output
          WHERE id = @id AND status = 'running' RETURNING *`,
      ),
      list: db.prepare(`SELECT * FROM task_steps WHERE task_id = ? ORDER BY id`),
      get: db.prepare(`SELECT * FROM task_steps WHERE task_id = ? AND step = ? AND version = ?`),
      latest: db.prepare(`SELECT * FROM task_steps WHERE task_id = ? AND step = ? ORDER BY version DESC LIMIT 1`),
      abandon: db.prepare(
        `UPDATE task_steps SET status = 'cancelled', finished_at = @now, summary = 'interrupted (the app stopped or crashed)'
          WHERE task_id = @taskId AND status = 'running' RETURNING *`,
      ),
      putReplay: db.prepare(
        `INSERT INTO task_replays (task_id, step, version, cascade, use_cache, requested_at) VALUES (@taskId, @step, @version, @cascade, @useCache, @now)
         ON CONFLICT (task_id) DO UPDATE SET step = excluded.step, version = excluded.version, cascade = excluded.cascade,
                                             use_cache = excluded.use_cache, requested_at = excluded.requested_at`,
      ),
      getReplay: db.prepare(`SELECT * FROM task_replays WHERE task_id = ?`),
      dropReplay: db.prepare(`DELETE FROM task_replays WHERE task_id = ?`),
    };
  }

  private requireLease(taskId: string, owner: string): void {
    if (!this.stmts.holds.get(taskId, owner)) {
      throw new MacsError('TASK_INTERRUPTED', 'This worker no longer holds the task (another process took it over).', { taskId });
    }
  }

  begin(input: { taskId: string; step: StepName; attempt: number; owner: string; replayOf?: number | null; model?: string | null; modelReason?: string | null }, now = Date.now()): StepRecord {
    return this.db.transaction(() => {
      this.requireLease(input.taskId, input.owner);
      const version = this.stmts.nextVersion.get(input.taskId, input.step) as number;
      const row = this.stmts.insert.get({
        taskId: input.taskId,
        step: input.step,
        version,
        attempt: input.attempt,
        now,
        replayOf: input.replayOf ?? null,
        model: input.model ?? null,
        modelReason: input.modelReason ?? null,
      }) as StepRow;
      return toRecord(row);
    }).immediate();
  }

  finish(record: StepRecord, owner: string, f: StepFinish, now = Date.now()): StepRecord {
    return this.db.transaction(() => {
      this.requireLease(record.taskId, owner);
      const row = this.stmts.finish.get({
        id: record.id,
        now,
        status: f.status,
        summary: f.summary,
        error: f.error ? JSON.stringify(f.error) : null,
        model: f.model ?? null,
        modelReason: f.modelReason ?? null,
        llmMs: f.llmMs,
        commandMs: f.commandMs,
        promptTokens: f.promptTokens,
        evalTokens: f.evalTokens,
        llmCalls: f.llmCalls,
        cachedCalls: f.cachedCalls,
        artifact: f.artifact,
        output: f.output === undefined ? null : JSON.stringify(f.output),
      }) as StepRow | undefined;
      if (!row) throw new MacsError('INTERNAL', `Step ${record.step}@v${record.version} was already finished.`);
      return toRecord(row);
    }).immediate();
  }

  list(taskId: string): StepRecord[] {
    return (this.stmts.list.all(taskId) as StepRow[]).map(toRecord);
  }

  /** Rows with the structured output later steps read. */
  listWithOutput(taskId: string): Array<StepRecord & { output: unknown }> {
    return (this.stmts.list.all(taskId) as StepRow[]).map((r) => ({ ...toRecord(r), output: r.output_json ? JSON.parse(r.output_json) : null }));
  }

  get(taskId: string, step: StepName, version: number): (StepRecord & { output: unknown }) | null {
    const row = this.stmts.get.get(taskId, step, version) as StepRow | undefined;
    return row ? { ...toRecord(row), output: row.output_json ? JSON.parse(row.output_json) : null } : null;
  }

  latest(taskId: string, step: StepName): (StepRecord & { output: unknown }) | null {
    const row = this.stmts.latest.get(taskId, step) as StepRow | undefined;
    return row ? { ...toRecord(row), output: row.output_json ? JSON.parse(row.output_json) : null } : null;
  }

  /** Steps a crashed attempt left "running" are closed as cancelled before the next attempt starts. */
  closeAbandoned(taskId: string, now = Date.now()): StepRecord[] {
    return (this.stmts.abandon.all({ taskId, now }) as StepRow[]).map(toRecord);
  }

  requestReplay(taskId: string, req: ReplayRequest, now = Date.now()): void {
    this.stmts.putReplay.run({ taskId, step: req.step, version: req.version, cascade: req.cascade ? 1 : 0, useCache: req.useCache ? 1 : 0, now });
  }

  pendingReplay(taskId: string): ReplayRequest | null {
    const row = this.stmts.getReplay.get(taskId) as { step: StepName; version: number | null; cascade: number; use_cache: number } | undefined;
    return row ? { step: row.step, version: row.version, cascade: row.cascade === 1, useCache: row.use_cache === 1 } : null;
  }

  clearReplay(taskId: string): void {
    this.stmts.dropReplay.run(taskId);
  }
}

/**
 * A build's checks all passed: its stored steps say it is done (its last tests passed and the
 * review let it through) and, when it ran a web check, the last one ran its scenarios and they
 * passed (a check skipped for want of a browser does not count). Read from the steps, not the
 * task's status: the project's version is made as the turn ends, before that is written.
 * The project marks the turn's version "working" on this.
 */
export function buildChecksPassed(db: Db, taskId: string): boolean {
  const kind = db.prepare('SELECT kind FROM tasks WHERE id = ?').pluck().get(taskId);
  if (kind !== 'build') return false;
  const history = new StepStore(db).listWithOutput(taskId);
  if (nextAction(history, { maxFixRounds: 0 }).kind !== 'done') return false;
  const web = history.findLast((e) => e.step === 'webcheck' && (e.status === 'succeeded' || e.status === 'failed'));
  return !web || (web.output as { result?: { passed?: unknown } } | null)?.result?.passed === true;
}
