// Projects: the sidebar's list (projects.list, kept live by project.updated), the selected
// project (its turns from projects.get, its folder in the file pane), and what the user
// does to a project (rename, pin, pause, delete, locate). The turn the chat follows live is
// the app store's active task; the other turns' views are folded once when shown.
import type { Project, ProjectModelOptions, Task, TaskEvent, TopicPayload } from '../../../shared/index.js';
import { toClientError } from '../client/index.js';
import { errorLine } from '../lib/error-text.js';
import { sortProjects } from '../lib/project-text.js';
import { appStore, client } from './app-state.js';
import { applyEvents, emptyTaskView, type TaskView } from './task-view.js';
import { newChat, openTask } from './tasks.js';
import { pushToast } from './toasts.js';
import { confirmLeaveFolder, showProjectFolder } from './workspace.js';
import { loadVersions, scheduleVersionsRefresh } from './versions.js';

const PROJECT_KEY = 'macs.activeProjectId';
/** Enough for the 1,000-project bench with room; the engine caps at 5,000. */
const LIST_LIMIT = 5_000;
const EVENTS_PAGE = 5_000;

function remember(id: string | null): void {
  try {
    if (id) sessionStorage.setItem(PROJECT_KEY, id);
    else sessionStorage.removeItem(PROJECT_KEY);
  } catch {
    // storage disabled
  }
}

export async function loadProjects(): Promise<void> {
  try {
    const { projects } = await client().call('projects.list', { limit: LIST_LIMIT });
    // The sidebar measures its first paint from here (the bench target: 1,000 projects < 100 ms).
    if (!appStore.getState().projectsLoaded) performance.mark('macs-projects-response');
    appStore.setState({ projects: sortProjects([...projects]), projectsLoaded: true });
  } catch (err) {
    appStore.setState({ projectsLoaded: true });
    pushToast({ kind: 'error', text: `Could not load the projects: ${errorLine(toClientError(err))}` });
  }
}

/** A reload comes back to the project the user was looking at. */
export async function restoreActiveProject(): Promise<void> {
  let id: string | null = null;
  try {
    id = sessionStorage.getItem(PROJECT_KEY);
  } catch {
    return;
  }
  const s = appStore.getState();
  if (id && !s.activeProjectId && s.projects.some((p) => p.id === id)) await selectProject(id);
}

function upsertProject(project: Project): void {
  appStore.setState((s) => ({
    projects: sortProjects([project, ...s.projects.filter((p) => p.id !== project.id)]),
  }));
}

/** The turn the chat follows live: the running one, else the newest. */
export function pickActiveTurn(turns: readonly Task[]): Task | null {
  return turns.find((t) => t.status === 'running') ?? turns[turns.length - 1] ?? null;
}

/** Keep the active turn's view among the turn views before the chat follows another turn. */
export function stashActiveView(): void {
  const s = appStore.getState();
  if (s.view && s.view.loaded && s.activeProjectId) appStore.setState({ turnViews: { ...s.turnViews, [s.view.taskId]: s.view } });
}

/** Follow one turn live (its tabs, its streaming files). */
export async function focusTurn(taskId: string): Promise<void> {
  if (appStore.getState().activeTaskId === taskId) return;
  stashActiveView();
  appStore.setState((s) => {
    const turnViews = { ...s.turnViews };
    delete turnViews[taskId]; // the live view replaces it
    return { turnViews };
  });
  await openTask(taskId);
}

let selecting = 0;

/** Select a project (null: New project — the composer starts a new one). */
export async function selectProject(id: string | null): Promise<void> {
  const s = appStore.getState();
  if (s.activeProjectId === id) return;
  if (!confirmLeaveFolder()) return;
  const seq = ++selecting;
  const project = id ? (s.projects.find((p) => p.id === id) ?? null) : null;
  newChat();
  appStore.setState({
    activeProjectId: id,
    turns: [],
    turnsLoaded: id === null,
    turnViews: {},
    versions: null,
    paneTab: s.paneTab === 'versions' && id ? 'versions' : 'chat',
  });
  remember(id);
  showProjectFolder(project);
  if (!id) return;
  await loadTurns(id, seq);
  void loadVersions(id);
}

async function loadTurns(id: string, seq = selecting): Promise<void> {
  try {
    const { project, turns } = await client().call('projects.get', { projectId: id });
    if (seq !== selecting || appStore.getState().activeProjectId !== id) return;
    appStore.setState({ turns, turnsLoaded: true });
    upsertProject(project);
    showProjectFolder(project);
    const active = pickActiveTurn(turns);
    if (active && !appStore.getState().activeTaskId) await openTask(active.id);
  } catch (err) {
    if (seq !== selecting) return;
    appStore.setState({ turnsLoaded: true });
    const e = toClientError(err);
    pushToast({ kind: 'error', text: `Could not open the project: ${errorLine(e)}` });
    if (e.code === 'PROJECT_NOT_FOUND') {
      appStore.setState((st) => ({ projects: st.projects.filter((p) => p.id !== id) }));
      void selectProject(null);
    }
  }
}

/** New project: nothing selected; the next prompt makes one. */
export function newProject(): void {
  void selectProject(null);
  document.querySelector<HTMLTextAreaElement>('[data-testid="prompt-input"]')?.focus();
}

/** tasks.create answered: the turn joins the selected project, or its new project becomes the selection. */
export function adoptTurn(task: Task): void {
  if (!task.projectId) return;
  const s = appStore.getState();
  if (s.activeProjectId === task.projectId) {
    appStore.setState({ turns: [...s.turns.filter((t) => t.id !== task.id), task] });
    return;
  }
  ++selecting;
  appStore.setState({ activeProjectId: task.projectId, turns: [task], turnsLoaded: false, turnViews: {}, versions: null });
  remember(task.projectId);
  void loadTurns(task.projectId).then(() => loadVersions(task.projectId as string));
}

// ---- live updates ----

export function onProjectUpdated(p: TopicPayload<'project.updated'>): void {
  const s = appStore.getState();
  if (!p.project) {
    appStore.setState({ projects: s.projects.filter((x) => x.id !== p.projectId) });
    if (s.activeProjectId === p.projectId) void selectProject(null);
    return;
  }
  upsertProject(p.project);
  if (s.activeProjectId !== p.projectId) return;
  showProjectFolder(p.project);
  // A turn added elsewhere (the CLI, another window): list it.
  if (p.project.turnCount !== s.turns.length) void loadTurns(p.projectId);
  scheduleVersionsRefresh();
}

/** A task row changed: keep the selected project's turns in step, and follow the turn that starts running. */
export function onTurnUpdated(task: Task): void {
  const s = appStore.getState();
  if (!task.projectId || task.projectId !== s.activeProjectId) return;
  const i = s.turns.findIndex((t) => t.id === task.id);
  const turns = i >= 0 ? s.turns.map((t) => (t.id === task.id ? task : t)) : [...s.turns, task];
  appStore.setState({ turns });
  const active = s.activeTask;
  const activeSettled = !active || (active.status !== 'running' && active.status !== 'queued');
  if (task.status === 'running' && task.id !== s.activeTaskId && activeSettled) void focusTurn(task.id);
  // A turn made a version (or a restore marked some undone): the versions follow.
  if (task.status !== 'running' && task.status !== 'queued') scheduleVersionsRefresh();
}

// ---- views of the turns the chat does not follow live ----

const loadingViews = new Set<string>();

/** Fold a turn's whole event history once (its chat message), unless it is loaded or loading. */
export async function ensureTurnView(taskId: string): Promise<void> {
  const s = appStore.getState();
  if (s.turnViews[taskId] || loadingViews.has(taskId) || s.activeTaskId === taskId) return;
  loadingViews.add(taskId);
  try {
    let view: TaskView = emptyTaskView(taskId);
    for (;;) {
      const { events, lastSeq } = await client().call('tasks.events', { taskId, sinceSeq: view.lastSeq, limit: EVENTS_PAGE });
      view = applyEvents(view, events).view;
      if (events.length === 0 || view.lastSeq >= lastSeq) break;
    }
    const cur = appStore.getState();
    if (!cur.turns.some((t) => t.id === taskId) || cur.activeTaskId === taskId) return;
    appStore.setState({ turnViews: { ...cur.turnViews, [taskId]: { ...view, loaded: true } } });
  } catch (err) {
    console.warn('[macs] could not load a turn', taskId, err);
  } finally {
    loadingViews.delete(taskId);
  }
}

/** Live frames of a turn the chat shows but does not follow (a turn finishing after the user looked at another). */
export function onTurnFrame(taskId: string, events: TaskEvent[]): void {
  const s = appStore.getState();
  const view = s.turnViews[taskId];
  if (!view) return;
  const result = applyEvents(view, events);
  if (result.gap) {
    const turnViews = { ...s.turnViews };
    delete turnViews[taskId];
    appStore.setState({ turnViews });
    void ensureTurnView(taskId);
    return;
  }
  if (result.view !== view) appStore.setState({ turnViews: { ...s.turnViews, [taskId]: result.view } });
}

// ---- what the user does to a project ----

async function act(what: string, fn: () => Promise<{ project: Project }>): Promise<boolean> {
  try {
    const { project } = await fn();
    upsertProject(project);
    return true;
  } catch (err) {
    pushToast({ kind: 'error', text: `Could not ${what}: ${errorLine(toClientError(err))}` });
    return false;
  }
}

export const renameProject = (projectId: string, name: string) => act('rename the project', () => client().call('projects.update', { projectId, name }));
export const setPinned = (projectId: string, pinned: boolean) => act(pinned ? 'pin the project' : 'unpin the project', () => client().call('projects.update', { projectId, pinned }));
export const setProjectModelOptions = (projectId: string, modelOptions: ProjectModelOptions) =>
  act("save the project's model options", () => client().call('projects.update', { projectId, modelOptions }));
export const pauseProject = (projectId: string) => act('pause the project', () => client().call('projects.pause', { projectId }));
export const resumeProject = (projectId: string) => act('resume the project', () => client().call('projects.resume', { projectId }));

/** Point a moved folder's project at its new path; throws the client error for the field to show. */
export async function locateProject(projectId: string, path: string): Promise<void> {
  const { project } = await client().call('projects.locate', { projectId, path: path.trim() });
  upsertProject(project);
  if (appStore.getState().activeProjectId === projectId) showProjectFolder(project);
}

/** Delete (or, for an opened folder, forget) a project; its files go only with deleteFiles. */
export async function deleteProject(projectId: string, deleteFiles: boolean): Promise<boolean> {
  try {
    await client().call('projects.delete', { projectId, ...(deleteFiles ? { deleteFiles: true } : {}) });
    appStore.setState((s) => ({ projects: s.projects.filter((p) => p.id !== projectId) }));
    if (appStore.getState().activeProjectId === projectId) await selectProject(null);
    return true;
  } catch (err) {
    pushToast({ kind: 'error', text: `Could not delete the project: ${errorLine(toClientError(err))}` });
    return false;
  }
}

/** Open a folder (the dialog, a drop, the menu): its project, made on first open, becomes the selection. */
export async function openFolderProject(path: string): Promise<Project> {
  const { project } = await client().call('projects.create', { folder: path.trim() });
  upsertProject(project);
  await selectProject(project.id);
  return project;
}

/** After a reconnect: the selected project's turns and versions may have changed while we were away. */
export function reloadActiveProject(): void {
  const id = appStore.getState().activeProjectId;
  if (!id) return;
  void loadTurns(id);
  void loadVersions(id);
}
