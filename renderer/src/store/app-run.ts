// Running a project (issue 14), renderer side: each project's AppRun as the engine last
// reported it (app.updated), what apps.detect found, the preview's own state (shown, the
// width, the path, a reload counter), and the actions behind the Run button.
import type { AppRun, MethodResult, RunSettings, Task } from '../../../shared/index.js';
import type { AppClient } from '../client/index.js';
import { toClientError, type ClientError } from '../client/index.js';
import { errorLine } from '../lib/error-text.js';
import { becameReady, needsReload, type PreviewDevice } from '../lib/app-run-text.js';
import { appStore } from './app-state.js';
import { createStore, useStoreSelector } from './create-store.js';
import { pushToast } from './toasts.js';

export type DetectResult = MethodResult<'apps.detect'>;

export interface PreviewState {
  /** The Preview tab is the one shown in the editor area. */
  shown: boolean;
  device: PreviewDevice;
  /** The URL the preview loads (inside the app's origin); null: the app's root. */
  url: string | null;
  /** Goes up on every reload (the user's button, or the run's reloadSeq). */
  reloads: number;
}

export interface AppRunState {
  runs: Record<string, AppRun>;
  detect: Record<string, DetectResult>;
  /** Why the last call for a project failed (shown under the Run button), e.g. the engine has no apps.* yet. */
  callError: Record<string, ClientError | null>;
  /** A call is on its way (Run, Stop, Keep): its button waits. */
  pending: Record<string, 'run' | 'stop' | 'configure' | null>;
  preview: Record<string, PreviewState>;
  /** Fingerprints with a "Fix this error" turn on its way, and the ones refused with FIX_LIMIT_REACHED. */
  fixing: Record<string, 'sending' | 'limit'>;
}

export const appRunStore = createStore<AppRunState>({ runs: {}, detect: {}, callError: {}, pending: {}, preview: {}, fixing: {} });

export function useAppRun<T>(selector: (s: AppRunState) => T): T {
  return useStoreSelector(appRunStore, selector);
}

export const DEFAULT_PREVIEW: PreviewState = { shown: false, device: 'desktop', url: null, reloads: 0 };

export function previewOf(s: AppRunState, projectId: string | null): PreviewState {
  return (projectId && s.preview[projectId]) || DEFAULT_PREVIEW;
}

let client: AppClient | null = null;
function c(): AppClient {
  if (!client) throw new Error('app runs are not set up yet');
  return client;
}

function patchPreview(projectId: string, patch: Partial<PreviewState> | ((p: PreviewState) => Partial<PreviewState>)): void {
  appRunStore.setState((s) => {
    const prev = s.preview[projectId] ?? DEFAULT_PREVIEW;
    return { preview: { ...s.preview, [projectId]: { ...prev, ...(typeof patch === 'function' ? patch(prev) : patch) } } };
  });
}

export const showPreview = (projectId: string, shown: boolean) => patchPreview(projectId, { shown });
export const setPreviewDevice = (projectId: string, device: PreviewDevice) => patchPreview(projectId, { device });
export const navigatePreview = (projectId: string, url: string | null) => patchPreview(projectId, (p) => ({ url, reloads: p.reloads + 1 }));
export const reloadPreview = (projectId: string) => patchPreview(projectId, (p) => ({ reloads: p.reloads + 1 }));

/** The engine's word on a run: kept, and the preview opened (ready) or reloaded (reloadSeq went up). */
export function applyRun(run: AppRun): void {
  const prev = appRunStore.getState().runs[run.projectId] ?? null;
  appRunStore.setState((s) => ({ runs: { ...s.runs, [run.projectId]: run } }));
  if (becameReady(prev, run)) patchPreview(run.projectId, (p) => ({ shown: true, url: null, reloads: p.reloads + 1 }));
  else if (needsReload(prev, run)) reloadPreview(run.projectId);
}

function setPending(projectId: string, what: AppRunState['pending'][string]): void {
  appRunStore.setState((s) => ({ pending: { ...s.pending, [projectId]: what } }));
}

function setCallError(projectId: string, err: ClientError | null): void {
  appRunStore.setState((s) => ({ callError: { ...s.callError, [projectId]: err } }));
}

async function call(projectId: string, what: 'run' | 'stop' | 'configure', fn: () => Promise<{ run: AppRun }>): Promise<boolean> {
  setPending(projectId, what);
  try {
    applyRun((await fn()).run);
    setCallError(projectId, null);
    return true;
  } catch (err) {
    setCallError(projectId, toClientError(err));
    return false;
  } finally {
    setPending(projectId, null);
  }
}

/**
 * Run, or restart when it runs (apps.run restarts a live app). The preview opens at once for
 * a web app (or one not yet worked out): it says "installing", "starting" or why it failed.
 */
export function runApp(projectId: string): Promise<boolean> {
  if (appRunStore.getState().runs[projectId]?.plan?.web !== false) showPreview(projectId, true);
  return call(projectId, 'run', () => c().call('apps.run', { projectId }));
}
export const stopApp = (projectId: string) => call(projectId, 'stop', () => c().call('apps.stop', { projectId }));
export const configureApp = (projectId: string, patch: Partial<RunSettings>) =>
  call(projectId, 'configure', () => c().call('apps.configure', { projectId, ...patch }));

/** The project's run as the engine has it now (on selection, and after a reconnect). */
export async function loadRun(projectId: string): Promise<void> {
  try {
    const { run } = await c().call('apps.status', { projectId });
    applyRun(run);
    setCallError(projectId, null);
  } catch (err) {
    setCallError(projectId, toClientError(err));
  }
}

/** What the popover lists: every command MACS found, and what the user kept (or why it could not look). */
export async function loadDetect(projectId: string): Promise<DetectResult | ClientError> {
  try {
    const result = await c().call('apps.detect', { projectId });
    appRunStore.setState((s) => ({ detect: { ...s.detect, [projectId]: result } }));
    return result;
  } catch (err) {
    return toClientError(err);
  }
}

/**
 * "Fix this error": a new turn of the project. Its task is followed like any turn the user
 * sends; FIX_LIMIT_REACHED is remembered so the row offers the last working version instead.
 */
export async function fixError(projectId: string, fingerprintId: string, follow: (task: Task) => void): Promise<void> {
  appRunStore.setState((s) => ({ fixing: { ...s.fixing, [fingerprintId]: 'sending' } }));
  try {
    const { task } = await c().call('apps.fixError', { projectId, fingerprintId });
    appRunStore.setState((s) => ({ fixing: withoutKey(s.fixing, fingerprintId) }));
    follow(task);
  } catch (err) {
    const e = toClientError(err);
    if (e.code === 'FIX_LIMIT_REACHED') {
      appRunStore.setState((s) => ({ fixing: { ...s.fixing, [fingerprintId]: 'limit' } }));
      return;
    }
    appRunStore.setState((s) => ({ fixing: withoutKey(s.fixing, fingerprintId) }));
    pushToast({ kind: 'error', text: `Could not send the fix: ${errorLine(e)}` });
  }
}

function withoutKey<T>(rec: Record<string, T>, key: string): Record<string, T> {
  const next = { ...rec };
  delete next[key];
  return next;
}

/** Every app that runs now (any project): the sidebar marks them. */
async function loadRunning(): Promise<void> {
  try {
    const { runs } = await c().call('apps.list', {});
    for (const run of runs) applyRun(run);
  } catch (err) {
    console.warn('[macs] apps.list failed', err);
  }
}

/** Topics, the selected project's run on selection, everything again after a reconnect. */
export function initAppRuns(appClient: AppClient): void {
  client = appClient;
  appClient.on('app.updated', (p) => applyRun(p.run));
  void loadRunning();
  let projectId = appStore.getState().activeProjectId;
  if (projectId) void loadRun(projectId);
  appStore.subscribe(() => {
    const next = appStore.getState().activeProjectId;
    if (next === projectId) return;
    projectId = next;
    if (next) void loadRun(next);
  });
  let wasOpen = appClient.getState() === 'open';
  appClient.subscribeState((state) => {
    if (state === 'open' && !wasOpen) {
      void loadRunning();
      const id = appStore.getState().activeProjectId;
      if (id) void loadRun(id);
    }
    wasOpen = state === 'open';
  });
}
