// Task status words and groupings the UI uses everywhere (badges, filter, buttons).
import { TERMINAL_STATUSES, type Task, type TaskStatus } from '../../../shared/index.js';

export const STATUS_LABEL: Record<TaskStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Done',
  failed: 'Failed',
  cancelled: 'Stopped',
  interrupted: 'Interrupted',
};

/** The history filter's choices, in the order shown. */
export const FILTER_STATUSES: readonly TaskStatus[] = ['running', 'queued', 'succeeded', 'failed', 'cancelled', 'interrupted'];

export function isFinished(status: TaskStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** Still has work ahead of it: can be cancelled. */
export function isActive(status: TaskStatus): boolean {
  return !isFinished(status);
}

/** The engine's tasks.retry accepts failed and cancelled tasks. */
export function canRetry(status: TaskStatus): boolean {
  return status === 'failed' || status === 'cancelled';
}

/** A queued task whose retry is waiting for its backoff: ms left, else null. */
export function retryWaitMs(task: Pick<Task, 'status' | 'notBefore'>, now: number): number | null {
  if (task.status !== 'queued' || task.notBefore === null || task.notBefore === undefined) return null;
  const left = task.notBefore - now;
  return left > 0 ? left : null;
}

/**
 * Position of each ready queued task in the queue (1 = next), as the engine orders it:
 * higher priority first, FIFO within a priority. Tasks waiting on a retry backoff are left out.
 */
export function queuePositions(tasks: readonly Task[], now: number): Map<string, number> {
  const ready = tasks
    .filter((t) => t.status === 'queued' && retryWaitMs(t, now) === null)
    .sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0) || a.createdAt - b.createdAt);
  return new Map(ready.map((t, i) => [t.id, i + 1]));
}

/**
 * Time the task spent working: its attempts' runs added up (workedMs), plus the running attempt so far.
 * Not finished − started: a replay run later would count the idle time in between (8.6 s became 28.6 s).
 * Tasks from before attempts were recorded (workedMs null) fall back to finished − started.
 */
export function taskDurationMs(task: Pick<Task, 'status' | 'startedAt' | 'finishedAt' | 'workedMs' | 'runningSince'>, now: number): number | null {
  if (task.startedAt === null) return null;
  const live = task.status === 'running' ? Math.max(0, now - (task.runningSince ?? task.startedAt)) : 0;
  if (task.workedMs !== null && task.workedMs !== undefined) return task.workedMs + live;
  if (task.status === 'running') return live;
  if (task.finishedAt !== null) return Math.max(0, task.finishedAt - task.startedAt);
  return null;
}
