// How tasks look on the REST API: snake_case like the task API this product grew from,
// ISO times for people, and durations in ms so scripts need no date arithmetic.
import type { ModelInfo, Task, TaskEvent, TaskFile } from '../../../shared/index.js';
import { TERMINAL_STATUSES } from '../../../shared/index.js';
import type { CompactStep } from './step-view.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Phases still in progress are measured up to `now`, so a running task's numbers grow. */
function durationsOf(task: Task, now = Date.now()): { queued: number; running: number | null; total: number } {
  const end = task.finishedAt ?? now;
  return {
    queued: (task.startedAt ?? end) - task.createdAt,
    running: task.startedAt === null ? null : end - task.startedAt,
    total: end - task.createdAt,
  };
}

export function isTerminal(task: Pick<Task, 'status'>): boolean {
  return TERMINAL_STATUSES.includes(task.status);
}

/** One row of GET /v1/tasks. */
export function taskSummary(task: Task, now = Date.now()) {
  return {
    task_id: task.id,
    /** The project this task is a turn of. */
    project_id: task.projectId,
    status: task.status,
    kind: task.kind,
    title: task.title,
    model: task.model,
    priority: task.priority,
    attempts: task.attempts,
    max_attempts: task.maxAttempts,
    created_at: iso(task.createdAt),
    started_at: iso(task.startedAt),
    finished_at: iso(task.finishedAt),
    not_before: iso(task.notBefore),
    durations_ms: durationsOf(task, now),
    error: task.error,
    file_count: task.fileCount,
    eval_tokens: task.evalTokens,
    last_seq: task.lastSeq,
  };
}
export type TaskSummary = ReturnType<typeof taskSummary>;

/** GET /v1/tasks/{id}: the summary plus what is too big for a list. */
export function taskSnapshot(task: Task, now = Date.now()) {
  return { ...taskSummary(task, now), prompt: task.prompt, metadata: task.metadata, workspace_path: task.workspacePath };
}
export type TaskSnapshot = ReturnType<typeof taskSnapshot>;

/** GET /v1/tasks/{id}: the snapshot, plus `steps` for a build task (chat tasks have none, so no key). */
export function taskDetail(task: Task, steps?: CompactStep[], now = Date.now()): TaskDetail {
  return steps === undefined ? taskSnapshot(task, now) : { ...taskSnapshot(task, now), steps };
}
export type TaskDetail = TaskSnapshot & { steps?: CompactStep[] };

export function fileView(file: TaskFile) {
  return { path: file.path, sha256: file.sha256, size: file.size, truncated: file.state === 'truncated' };
}

/**
 * The answer of the last attempt, picked from the event log as it is paged through (GET /final
 * streams it, never holding the log): the deltas after the `running` status of attempt number
 * `attempts` (the task row's count; every claim numbers its `running` event), up to a later
 * attempt's start (a retry after the task was read). Earlier attempts' text stays in the log
 * but is not the result. A log whose `running` events carry no number (none written today)
 * is not found here: `lastRunningSeq` then says where a second pass should start.
 */
export class LastAttemptText {
  private phase: 'before' | 'in' | 'after';
  /** Whether the start of the attempt was seen (false: read again from lastRunningSeq). */
  found = false;
  lastRunningSeq = 0;

  constructor(private readonly attempts: number) {
    this.phase = attempts === 0 ? 'in' : 'before';
    this.found = attempts === 0;
  }

  /** Starts reading right after this seq, as the text of the last attempt (the second pass). */
  static from(seq: number): LastAttemptText {
    const text = new LastAttemptText(0);
    text.lastRunningSeq = seq;
    return text;
  }

  /** The text pieces among these events, in order. */
  take(events: readonly TaskEvent[]): string[] {
    const pieces: string[] = [];
    for (const e of events) {
      if (e.type === 'status' && e.data.status === 'running') {
        this.lastRunningSeq = e.seq;
        const attempt = e.data.attempt;
        if (attempt === this.attempts && this.phase === 'before') {
          this.phase = 'in';
          this.found = true;
        } else if (this.phase === 'in' && attempt !== undefined && attempt > this.attempts && this.attempts > 0) {
          this.phase = 'after';
        }
      } else if (e.type === 'delta' && this.phase === 'in') {
        pieces.push(e.data.text);
      }
    }
    return pieces;
  }
}

export function modelView(m: ModelInfo) {
  return {
    name: m.name,
    size: m.size,
    digest: m.digest,
    modified_at: m.modifiedAt,
    family: m.family,
    parameter_size: m.parameterSize,
    quantization_level: m.quantizationLevel,
  };
}
