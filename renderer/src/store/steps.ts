// The active build task's step attempts (tasks.steps). Fetched when the task opens and
// again, debounced, whenever a `step` event arrives or the task row changes status, so
// the Steps tab follows the pipeline live without a request per event.
import type { Task } from '../../../shared/index.js';
import { toClientError } from '../client/index.js';
import { appStore, client, type InspectTarget } from './app-state.js';

export const STEPS_REFRESH_MS = 200;

let timer: ReturnType<typeof setTimeout> | null = null;
let inFlight: Promise<void> | null = null;
let again = false;

/** Start tracking a task's steps (build tasks), or stop (null / chat tasks). */
export function trackSteps(task: Pick<Task, 'id' | 'kind'> | null, opts: { fresh?: boolean } = {}): void {
  if (timer) clearTimeout(timer);
  timer = null;
  if (!task || task.kind !== 'build') {
    appStore.setState({ steps: null });
    return;
  }
  const cur = appStore.getState().steps;
  if (cur?.taskId !== task.id) {
    appStore.setState({ steps: { taskId: task.id, rows: opts.fresh ? [] : null, loading: !opts.fresh, error: null } });
  }
  if (!opts.fresh) void fetchSteps();
}

/** Something about the active build task's steps changed: refetch soon (coalesces bursts). */
export function scheduleStepsRefresh(delayMs = STEPS_REFRESH_MS): void {
  if (!appStore.getState().steps || timer) return;
  timer = setTimeout(() => {
    timer = null;
    void fetchSteps();
  }, delayMs);
}

/** One request at a time; a refresh asked for meanwhile runs once more after it. */
export function fetchSteps(): Promise<void> {
  if (inFlight) {
    again = true;
    return inFlight;
  }
  inFlight = (async () => {
    do {
      again = false;
      await fetchOnce();
    } while (again);
  })().finally(() => {
    inFlight = null;
  });
  return inFlight;
}

async function fetchOnce(): Promise<void> {
  const cur = appStore.getState().steps;
  if (!cur) return;
  const taskId = cur.taskId;
  appStore.setState({ steps: { ...cur, loading: true } });
  try {
    const { steps } = await client().call('tasks.steps', { taskId });
    const now = appStore.getState().steps;
    if (now?.taskId !== taskId) return; // the user switched tasks
    appStore.setState({ steps: { taskId, rows: steps, loading: false, error: null } });
  } catch (err) {
    const now = appStore.getState().steps;
    if (now?.taskId !== taskId) return;
    // Keep the rows we had: a failed refresh should not blank a long pipeline.
    appStore.setState({ steps: { ...now, loading: false, error: toClientError(err) } });
  }
}

export function inspectStep(target: InspectTarget | null): void {
  appStore.setState({ inspectStep: target });
}
