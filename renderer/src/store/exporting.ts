// Export the selected project (at a version) as a zip: browser → download link; Electron → native save dialog.
import type { TopicPayload } from '../../../shared/index.js';
import { toClientError } from '../client/index.js';
import { errorLine } from '../lib/error-text.js';
import { formatBytes } from '../lib/format.js';
import { appStore, client } from './app-state.js';
import { pushToast } from './toasts.js';

function triggerDownload(url: string, fileName: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** A zip of the project at a version (default: the files as they are now). */
export async function exportProject(projectId: string, versionId?: string): Promise<void> {
  if (appStore.getState().exportState?.running) return;
  appStore.setState({ exportState: { taskId: projectId, running: true, percent: 0, filesDone: 0, fileCount: 0 } });
  try {
    const result = await client().call('projects.export', { projectId, ...(versionId ? { versionId } : {}) });
    const summary = `${result.fileCount} file${result.fileCount === 1 ? '' : 's'}, ${formatBytes(result.bytes)}`;
    if (result.downloadUrl) {
      triggerDownload(result.downloadUrl, result.fileName);
      pushToast({ kind: 'success', text: `Exported ${result.fileName}`, detail: summary });
    } else if (result.savedPath) {
      pushToast({ kind: 'success', text: `Saved to ${result.savedPath}`, detail: summary });
    } else {
      pushToast({ kind: 'info', text: 'Export cancelled.' });
    }
  } catch (err) {
    pushToast({ kind: 'error', text: `Export failed: ${errorLine(toClientError(err))}` });
  } finally {
    appStore.setState({ exportState: null });
  }
}

export function onExportProgress(p: TopicPayload<'export.progress'>): void {
  const cur = appStore.getState().exportState;
  if (!cur || cur.taskId !== p.taskId || !cur.running) return;
  appStore.setState({
    exportState: { ...cur, percent: p.percent, filesDone: p.filesDone, fileCount: p.fileCount },
  });
}
