// Wire the client to the store: topics, connection state, initial load, resync on reconnect.
import type { AppClient } from '../client/index.js';
import { appStore, initialAppState, setClient } from './app-state.js';
import { loadModels } from './catalog.js';
import { applyOllamaStatus, checkOllama, loadAppInfo, loadSettings } from './engine.js';
import { onExportProgress } from './exporting.js';
import { onPullProgress } from './pulls.js';
import { loadTasks, onTaskFrame, openTask, syncActiveTask, upsertTask } from './tasks.js';
import { initTerminals } from './terminal.js';
import { readComposerKind } from './composer.js';
import { fetchSteps } from './steps.js';
import { loadTree, onAppCommand, onWorkspaceChanged, restoreWorkspace } from './workspace.js';
import { watchDraftForPreview } from './context.js';

const ACTIVE_TASK_KEY = 'macs.activeTaskId';

/** A reload (or a reconnecting window) comes back to the task the user was looking at. */
function rememberActiveTask(): void {
  let last = appStore.getState().activeTaskId;
  appStore.subscribe(() => {
    const id = appStore.getState().activeTaskId;
    if (id === last) return;
    last = id;
    try {
      if (id) sessionStorage.setItem(ACTIVE_TASK_KEY, id);
      else sessionStorage.removeItem(ACTIVE_TASK_KEY);
    } catch {
      // storage disabled: nothing to remember
    }
  });
}

function restoreActiveTask(): void {
  let id: string | null = null;
  try {
    id = sessionStorage.getItem(ACTIVE_TASK_KEY);
  } catch {
    return;
  }
  if (id && !appStore.getState().activeTaskId && appStore.getState().tasks.some((t) => t.id === id)) void openTask(id);
}

async function loadEverything(): Promise<void> {
  await Promise.all([loadAppInfo(), loadSettings(), loadTasks(), checkOllama(false), restoreWorkspace()]);
  restoreActiveTask();
  await loadModels();
}

export function bootApp(c: AppClient): void {
  setClient(c);
  appStore.setState({ ...initialAppState(c.host, c.getState()), composerKind: readComposerKind() });

  c.on('task.frame', (p) => onTaskFrame(p.taskId, p.events));
  c.on('task.updated', (p) => upsertTask(p.task));
  c.on('ollama.status', (p) => applyOllamaStatus(p));
  c.on('export.progress', (p) => onExportProgress(p));
  c.on('models.pull.progress', (p) => onPullProgress(p));
  c.on('workspace.changed', (p) => onWorkspaceChanged(p));
  c.on('app.command', (p) => onAppCommand(p));
  watchDraftForPreview();
  initTerminals(c);
  rememberActiveTask();

  c.subscribeState((state) => {
    const wasConnected = appStore.getState().everConnected;
    appStore.setState({ connection: state, everConnected: wasConnected || state === 'open' });
    if (state === 'open' && wasConnected) {
      // Reconnected: anything may have changed while we were away.
      void loadEverything();
      void loadTree(); // watcher batches sent while we were away are lost: list again
      void syncActiveTask();
      void fetchSteps();
    }
  });
  if (c.getState() === 'open') appStore.setState({ everConnected: true });

  void loadEverything();
}
