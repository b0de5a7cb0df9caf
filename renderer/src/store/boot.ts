// Wire the client to the store: topics, connection state, initial load, resync on reconnect.
import type { AppClient } from '../client/index.js';
import { appStore, initialAppState, setClient } from './app-state.js';
import { loadModels } from './catalog.js';
import { applyOllamaStatus, checkOllama, loadAppInfo, loadSettings } from './engine.js';
import { onExportProgress } from './exporting.js';
import { onPullProgress } from './pulls.js';
import { loadTasks, onTaskFrame, syncActiveTask, upsertTask } from './tasks.js';

async function loadEverything(): Promise<void> {
  await Promise.all([loadAppInfo(), loadSettings(), loadTasks(), checkOllama(false)]);
  await loadModels();
}

export function bootApp(c: AppClient): void {
  setClient(c);
  appStore.setState(initialAppState(c.host, c.getState()));

  c.on('task.frame', (p) => onTaskFrame(p.taskId, p.events));
  c.on('task.updated', (p) => upsertTask(p.task));
  c.on('ollama.status', (p) => applyOllamaStatus(p));
  c.on('export.progress', (p) => onExportProgress(p));
  c.on('models.pull.progress', (p) => onPullProgress(p));

  c.subscribeState((state) => {
    const wasConnected = appStore.getState().everConnected;
    appStore.setState({ connection: state, everConnected: wasConnected || state === 'open' });
    if (state === 'open' && wasConnected) {
      // Reconnected: anything may have changed while we were away.
      void loadEverything();
      void syncActiveTask();
    }
  });
  if (c.getState() === 'open') appStore.setState({ everConnected: true });

  void loadEverything();
}
