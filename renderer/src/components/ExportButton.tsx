import { useApp } from '../store/app-state.js';
import { exportTask } from '../store/exporting.js';
import { isActive } from '../lib/status.js';

export function ExportButton() {
  const task = useApp((s) => s.activeTask);
  const exp = useApp((s) => s.exportState);
  const running = exp?.running ?? false;
  // The engine refuses to export a task that is still writing files.
  const taskBusy = task !== null && isActive(task.status);
  const fileCount = useApp((s) => Math.max(s.view?.fileOrder.length ?? 0, s.activeTask?.fileCount ?? 0));
  const disabled = !task || running || taskBusy || fileCount === 0;

  const progress = running && exp && exp.fileCount > 0 ? ` ${Math.round(exp.percent)}%` : '';
  return (
    <button
      type="button"
      className="btn btn-primary-outline"
      data-testid="export-button"
      disabled={disabled}
      title={
        !task
          ? 'Select a task to export'
          : taskBusy
            ? 'Export when the task has finished'
            : fileCount === 0
              ? 'This task wrote no files'
              : `Export “${task.title}” as a zip (files + manifest.json)`
      }
      onClick={() => task && void exportTask(task.id)}
    >
      {running && <span className="spinner" aria-hidden="true" />}
      {!running && (
        <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
          <path fill="currentColor" d="M7.25 1h1.5v7.4l2.7-2.7 1.06 1.06L8 11.28 3.5 6.76l1.06-1.06 2.7 2.7V1zM2 13h12v1.5H2z" />
        </svg>
      )}
      {running ? `Exporting…${progress}` : 'Export zip'}
    </button>
  );
}
