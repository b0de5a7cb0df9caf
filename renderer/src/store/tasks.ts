// Task list, the active task, and keeping its event view in sync with the engine:
// live frames are applied only if contiguous (seq === lastSeq + 1); any gap, a
// reconnect or a terminal status triggers one catch-up fetch `tasks.events {sinceSeq}`.
import { TERMINAL_STATUSES, type ContextChoice, type Task, type TaskEvent } from '../../../shared/index.js';
import { toClientError } from '../client/index.js';
import { appStore, client } from './app-state.js';
import { pushToast } from './toasts.js';
import { errorLine } from '../lib/error-text.js';
import { applyEvents, emptyTaskView, withFiles, type TaskView } from './task-view.js';
import { HISTORY_LIMIT, sortTasks } from './history.js';
import { scheduleStepsRefresh, trackSteps } from './steps.js';
import { openDoc } from './workspace-docs.js';
import { revealInTree } from './workspace.js';
import { adoptTurn, onTurnFrame, onTurnUpdated, stashActiveView } from './projects.js';

const PAGE = 5_000;

export async function loadTasks(): Promise<void> {
  try {
    const { tasks } = await client().call('tasks.list', { limit: HISTORY_LIMIT });
    appStore.setState((s) => ({
      tasks: sortTasks([...tasks]),
      tasksLoaded: true,
      activeTask: s.activeTaskId ? (tasks.find((t) => t.id === s.activeTaskId) ?? s.activeTask) : null,
    }));
  } catch (err) {
    pushToast({ kind: 'error', text: `Could not load the task history: ${errorLine(toClientError(err))}` });
  }
}

export function upsertTask(task: Task): void {
  const before = appStore.getState();
  const prevStatus = before.activeTaskId === task.id ? (before.activeTask?.status ?? null) : null;
  appStore.setState((s) => {
    const others = s.tasks.filter((t) => t.id !== task.id);
    return {
      tasks: sortTasks([task, ...others]),
      activeTask: s.activeTaskId === task.id ? task : s.activeTask,
    };
  });
  onTurnUpdated(task);
  // A status change (queued again for a replay, cancelled, finished) can change step rows without a step event.
  if (prevStatus !== null && prevStatus !== task.status) scheduleStepsRefresh();
  const s = appStore.getState();
  if (s.activeTaskId === task.id && s.view && task.lastSeq > s.view.lastSeq && TERMINAL_STATUSES.includes(task.status)) {
    void syncActiveTask();
  }
}

// ---- live frames, batched to animation frames so React renders at most once per frame ----

let pendingEvents: TaskEvent[] = [];
let flushScheduled = false;

function scheduleFlush(): void {
  if (flushScheduled) return;
  flushScheduled = true;
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    flushScheduled = false;
    flushEvents();
  };
  requestAnimationFrame(run);
  // rAF stops in hidden tabs; don't let the view fall behind for long.
  setTimeout(run, 100);
}

export function onTaskFrame(taskId: string, events: TaskEvent[]): void {
  if (appStore.getState().activeTaskId !== taskId) {
    onTurnFrame(taskId, events); // another turn of the project shown
    return;
  }
  pendingEvents.push(...events);
  scheduleFlush();
}

function flushEvents(): void {
  const events = pendingEvents;
  pendingEvents = [];
  const s = appStore.getState();
  if (!s.view || events.length === 0) return;
  const mine = events.filter((e) => e.taskId === s.view?.taskId);
  applyToView(mine);
}

function applyToView(events: TaskEvent[]): { gap: boolean } {
  const s = appStore.getState();
  if (!s.view) return { gap: false };
  const result = applyEvents(s.view, events);
  const patch: Partial<typeof s> = { view: result.view };
  if (result.opened.length > 0 && !s.userPickedFile) patch.selectedPath = result.opened[result.opened.length - 1];
  appStore.setState(patch);
  // A step started or ended (live, or found by a catch-up fetch): the Steps tab refetches its rows. The first load fetches them anyway.
  if (s.view.loaded && events.some((e) => e.type === 'step')) scheduleStepsRefresh();
  // While the history is still loading, the loader fills the gap.
  if (result.gap && s.view.loaded) void syncActiveTask();
  return { gap: result.gap };
}

// ---- catch-up fetch (single flight; re-runs once if asked again while running) ----

let syncing: Promise<void> | null = null;
let syncAgain = false;

export function syncActiveTask(): Promise<void> {
  if (syncing) {
    syncAgain = true;
    return syncing;
  }
  syncing = (async () => {
    do {
      syncAgain = false;
      await fetchMissing();
    } while (syncAgain);
  })().finally(() => {
    syncing = null;
  });
  return syncing;
}

async function fetchMissing(): Promise<void> {
  for (;;) {
    const view = appStore.getState().view;
    if (!view) return;
    const { events, lastSeq } = await client().call('tasks.events', { taskId: view.taskId, sinceSeq: view.lastSeq, limit: PAGE });
    const current = appStore.getState().view;
    if (!current || current.taskId !== view.taskId) return; // the user switched tasks
    applyToView(events);
    const after = appStore.getState().view;
    if (!after || events.length === 0 || after.lastSeq >= lastSeq) return;
  }
}

// ---- opening / creating / cancelling ----

export async function openTask(taskId: string): Promise<void> {
  const s = appStore.getState();
  if (s.activeTaskId === taskId && s.view) return;
  pendingEvents = [];
  const row = s.tasks.find((t) => t.id === taskId) ?? null;
  appStore.setState({
    activeTaskId: taskId,
    activeTask: row,
    view: emptyTaskView(taskId),
    selectedPath: null,
    userPickedFile: false,
    composerError: null,
    inspectStep: null,
  });
  trackSteps(row);
  try {
    const [got] = await Promise.all([client().call('tasks.get', { taskId }), syncActiveTask()]);
    const cur = appStore.getState();
    if (cur.activeTaskId !== taskId || !cur.view) return;
    const view: TaskView = { ...withFiles(cur.view, got.files), loaded: true };
    // A finished task opens on its first file; a running one keeps following the file being written.
    const finished = TERMINAL_STATUSES.includes(got.task.status);
    appStore.setState({
      view,
      activeTask: got.task,
      selectedPath: cur.userPickedFile ? cur.selectedPath : finished ? (view.fileOrder[0] ?? null) : (cur.selectedPath ?? view.fileOrder[0] ?? null),
    });
    if (!row) trackSteps(got.task); // the row was not in the list page: now its kind is known
    await syncActiveTask(); // anything that arrived while loading
  } catch (err) {
    const cur = appStore.getState();
    if (cur.activeTaskId === taskId && cur.view) appStore.setState({ view: { ...cur.view, loaded: true } });
    pushToast({ kind: 'error', text: `Could not load the task: ${errorLine(toClientError(err))}` });
  }
}

/** Follow no turn (a project without turns, or New project). */
export function newChat(): void {
  pendingEvents = [];
  appStore.setState({
    activeTaskId: null,
    activeTask: null,
    view: null,
    selectedPath: null,
    userPickedFile: false,
    composerError: null,
    paneTab: 'chat',
    inspectStep: null,
  });
  trackSteps(null);
}

/** Where a turn goes: the selected project (with the user's context choice), else a new project. */
export interface SendTarget {
  projectId?: string;
  context?: ContextChoice;
}

export async function sendPrompt(prompt: string, target: SendTarget = {}): Promise<boolean> {
  const s = appStore.getState();
  if (!s.selectedModel) {
    appStore.setState({ composerError: { code: 'INVALID_INPUT', message: 'Pick a model first.' } });
    return false;
  }
  appStore.setState({ sending: true, composerError: null });
  try {
    const { task } = await client().call('tasks.create', {
      prompt,
      model: s.selectedModel,
      ...(s.settings ? { numCtx: s.settings.numCtx } : {}),
      // Chat is the engine's default; say so only for a build, so an older engine still takes chats.
      ...(s.composerKind === 'build' ? { kind: 'build' as const } : {}),
      ...(target.projectId ? { projectId: target.projectId } : {}),
      ...(target.projectId && target.context ? { context: target.context } : {}),
    });
    pendingEvents = [];
    stashActiveView(); // the turn before stays in the conversation
    adoptTurn(task);
    appStore.setState((st) => ({
      sending: false,
      tasks: sortTasks([task, ...st.tasks.filter((t) => t.id !== task.id)]),
      activeTaskId: task.id,
      activeTask: task,
      view: { ...emptyTaskView(task.id), loaded: true },
      selectedPath: null,
      userPickedFile: false,
      inspectStep: null,
    }));
    trackSteps(task, { fresh: true });
    void syncActiveTask(); // frames may have gone out before we knew the id
    return true;
  } catch (err) {
    appStore.setState({ sending: false, composerError: toClientError(err) });
    return false;
  }
}


/** A file chip in the chat: open it in the project's editor (and stop following the file being written). */
export function selectFile(path: string): void {
  appStore.setState({ selectedPath: path, userPickedFile: true });
  revealInTree(path);
  openDoc(path);
}
