// Wire the client to the store: topics, connection state, initial load, resync on reconnect.
import type { AppClient } from '../client/index.js';
import { appStore, initialAppState, setClient } from './app-state.js';
import { loadModels } from './catalog.js';
import { applyOllamaStatus, checkOllama, loadAppInfo, loadSettings } from './engine.js';
import { onExportProgress } from './exporting.js';
import { onPullProgress } from './pulls.js';
import { loadTasks, onTaskFrame, syncActiveTask, upsertTask } from './tasks.js';
import { loadProjects, onProjectUpdated, reloadActiveProject, restoreActiveProject } from './projects.js';
import { initTerminals } from './terminal.js';
import { initAppRuns } from './app-run.js';
import { initAppTerminal } from './terminal-app.js';
import { readComposerKind } from './composer.js';
import { fetchSteps } from './steps.js';
import { loadTree, onAppCommand, onWorkspaceChanged } from './workspace.js';
import { watchDraftForPreview } from './context.js';
import { applyProvidersStatus, loadProviders } from './providers.js';

async function loadEverything(): Promise<void> {
  await Promise.all([loadAppInfo(), loadSettings(), loadTasks(), loadProjects(), checkOllama(false), loadProviders()]);
  await restoreActiveProject();
  await loadModels();
}

export function bootApp(c: AppClient): void {
  setClient(c);
  appStore.setState({ ...initialAppState(c.host, c.getState()), composerKind: readComposerKind() });

  c.on('task.frame', (p) => onTaskFrame(p.taskId, p.events));
  c.on('task.updated', (p) => upsertTask(p.task));
  c.on('project.updated', (p) => onProjectUpdated(p));
  c.on('ollama.status', (p) => applyOllamaStatus(p));
  c.on('providers.status', (p) => applyProvidersStatus(p));
  c.on('export.progress', (p) => onExportProgress(p));
  c.on('models.pull.progress', (p) => onPullProgress(p));
  c.on('workspace.changed', (p) => onWorkspaceChanged(p));
  c.on('app.command', (p) => onAppCommand(p));
  watchDraftForPreview();
  initTerminals(c);
  initAppRuns(c);
  initAppTerminal();

  c.subscribeState((state) => {
    const wasConnected = appStore.getState().everConnected;
    appStore.setState({ connection: state, everConnected: wasConnected || state === 'open' });
    if (state === 'open' && wasConnected) {
      // Reconnected: anything may have changed while we were away.
      void loadEverything().then(reloadActiveProject);
      void loadTree(); // watcher batches sent while we were away are lost: list again
      void syncActiveTask();
      void fetchSteps();
    }
  });
  if (c.getState() === 'open') appStore.setState({ everConnected: true });

  void loadEverything();
}
