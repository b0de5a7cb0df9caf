// The app's one store: what the engine told us, plus UI selection state.
import type {
  MethodResult,
  ModelInfo,
  OllamaStatus,
  Project,
  ProjectVersion,
  PullProgress,
  SandboxStatus,
  Settings,
  StepName,
  StepRecord,
  Task,
  TaskKind,
  VersionFileDiff,
} from '../../../shared/index.js';
import type { AppClient, ConnectionState, HostKind } from '../client/index.js';
import type { ErrorLike } from '../lib/error-text.js';
import { createStore, useStoreSelector } from './create-store.js';
import type { TaskView } from './task-view.js';

export type AppInfo = MethodResult<'app.info'>;
export type ModelCatalog = MethodResult<'models.catalog'>;

/** A pull as the UI tracks it: the last progress frame plus when it started (pullId 'pending:<name>' until the engine answers). */
export interface PullState extends PullProgress {
  startedAt: number;
}

export interface ExportState {
  taskId: string;
  running: boolean;
  percent: number;
  filesDone: number;
  fileCount: number;
}

export interface Toast {
  id: number;
  kind: 'info' | 'success' | 'error';
  text: string;
  detail?: string | null;
}

/** steps: build turns only; changes: turns in an opened folder only; versions: the project's history. */
export type PaneTab = 'chat' | 'steps' | 'changes' | 'versions' | 'timeline';

/** The selected project's versions (projects.versions), and the one whose diff is open. */
export interface VersionsState {
  projectId: string;
  rows: ProjectVersion[] | null;
  backend: 'git' | 'snapshots' | null;
  notice: string | null;
  loading: boolean;
  error: ErrorLike | null;
  /** The version whose changed files are listed (and the diff of one shown in the file pane). */
  openId: string | null;
  files: VersionFileDiff[] | null;
  filesError: ErrorLike | null;
  /** A restore / undo in flight, or the sentence it was refused with. */
  busy: boolean;
  actionError: ErrorLike | null;
}

/** The active build task's step attempts (tasks.steps), refetched when a step starts or ends. */
export interface StepsState {
  taskId: string;
  /** null until the first answer. */
  rows: StepRecord[] | null;
  loading: boolean;
  error: ErrorLike | null;
}

/** The step attempt open in the inspector. */
export interface InspectTarget {
  taskId: string;
  step: StepName;
  version: number;
}

export interface FeedbackState {
  rating: -1 | 1;
  sending: boolean;
  /** A comment was sent too. */
  commented: boolean;
  error: string | null;
}

export interface AppState {
  host: HostKind;
  connection: ConnectionState;
  /** The transport was open at least once (so "closed" means "reconnecting"). */
  everConnected: boolean;
  appInfo: AppInfo | null;
  /** What isolates the commands tasks and shells run (sandbox.status). */
  sandbox: SandboxStatus | null;
  settings: Settings | null;
  ollama: OllamaStatus | null;
  models: ModelInfo[];
  modelsState: 'idle' | 'loading' | 'ready' | 'error';
  modelsError: ErrorLike | null;
  selectedModel: string | null;
  /** models.catalog at the default context (drives the picker); null until loaded or when the engine has none. */
  catalog: ModelCatalog | null;
  catalogError: ErrorLike | null;
  /** The Models screen: open, the context it explores (null = the default), and its own catalog at that context. */
  modelsOpen: boolean;
  screenNumCtx: number | null;
  screenCatalog: ModelCatalog | null;
  /** A catalog or hardware request for the Models screen is in flight. */
  screenLoading: boolean;
  /** Model pulls in progress or failed, by pullId. */
  pulls: Record<string, PullState>;
  tasks: Task[];
  tasksLoaded: boolean;
  /** The sidebar: every project (pinned first, then last activity). */
  projects: Project[];
  projectsLoaded: boolean;
  /** The sidebar's search text. */
  projectQuery: string;
  /** The project the conversation, the files and the composer are about (null: New project). */
  activeProjectId: string | null;
  /** Its turns, oldest first (projects.get). */
  turns: Task[];
  turnsLoaded: boolean;
  /** Views of the turns other than the active one (the active one is `view`), loaded when shown. */
  turnViews: Record<string, TaskView>;
  versions: VersionsState | null;
  /** Chat tasks: Chat or the task's detail view (timeline, attempts). */
  paneTab: PaneTab;
  /** Build tasks remember their own tab (Steps by default). */
  buildPaneTab: PaneTab;
  /** What the composer creates: a chat answer or a build (plan → test → fix). Kept in localStorage. */
  composerKind: TaskKind;
  steps: StepsState | null;
  inspectStep: InspectTarget | null;
  /** Feedback given in this session, per task (the engine stores it; it has no read-back). */
  feedback: Record<string, FeedbackState>;
  activeTaskId: string | null;
  /** The active task's row (kept even if it falls out of the list page). */
  activeTask: Task | null;
  view: TaskView | null;
  selectedPath: string | null;
  /** The user clicked a file: stop following the file being written. */
  userPickedFile: boolean;
  /** The composer's text (kept in the store so example prompts can fill it). */
  draft: string;
  sending: boolean;
  composerError: ErrorLike | null;
  exportState: ExportState | null;
  toasts: Toast[];
  settingsOpen: boolean;
}

export const initialAppState = (host: HostKind, connection: ConnectionState): AppState => ({
  host,
  connection,
  everConnected: connection === 'open',
  appInfo: null,
  sandbox: null,
  settings: null,
  ollama: null,
  models: [],
  modelsState: 'idle',
  modelsError: null,
  selectedModel: null,
  catalog: null,
  catalogError: null,
  modelsOpen: false,
  screenNumCtx: null,
  screenCatalog: null,
  screenLoading: false,
  pulls: {},
  tasks: [],
  tasksLoaded: false,
  projects: [],
  projectsLoaded: false,
  projectQuery: '',
  activeProjectId: null,
  turns: [],
  turnsLoaded: false,
  turnViews: {},
  versions: null,
  paneTab: 'chat',
  buildPaneTab: 'steps',
  composerKind: 'chat',
  steps: null,
  inspectStep: null,
  feedback: {},
  activeTaskId: null,
  activeTask: null,
  view: null,
  selectedPath: null,
  userPickedFile: false,
  draft: '',
  sending: false,
  composerError: null,
  exportState: null,
  toasts: [],
  settingsOpen: false,
});

export const appStore = createStore<AppState>(initialAppState('browser', 'connecting'));

let currentClient: AppClient | null = null;

export function setClient(client: AppClient): void {
  currentClient = client;
}

export function client(): AppClient {
  if (!currentClient) throw new Error('The contract client is not set up yet.');
  return currentClient;
}

/** The tab shown for the active task: build tasks have their own (and a Steps tab); chat tasks never show Steps. */
export function currentPaneTab(s: Pick<AppState, 'activeTaskId' | 'activeTask' | 'paneTab' | 'buildPaneTab'> & { activeProjectId?: string | null }): PaneTab {
  if (!s.activeTaskId) return s.activeProjectId && s.paneTab === 'versions' ? 'versions' : 'chat';
  if (s.activeTask?.kind === 'build') return s.buildPaneTab;
  return s.paneTab === 'steps' ? 'chat' : s.paneTab;
}

/** The selected project's row, read from the list (not kept twice in the store). */
export function selectActiveProject(s: Pick<AppState, 'projects' | 'activeProjectId'>): Project | null {
  return s.activeProjectId ? (s.projects.find((p) => p.id === s.activeProjectId) ?? null) : null;
}

export function useApp<T>(selector: (state: AppState) => T): T {
  return useStoreSelector(appStore, selector);
}
