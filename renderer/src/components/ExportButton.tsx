import { selectActiveProject, useApp } from '../store/app-state.js';
import { exportProject } from '../store/exporting.js';

/** Export the selected project's files as they are now (a version's zip: the Versions tab). */
export function ExportButton() {
  const project = useApp(selectActiveProject);
  const exp = useApp((s) => s.exportState);
  const running = exp?.running ?? false;
  const disabled = !project || running || project.folderMissing;

  const progress = running && exp && exp.fileCount > 0 ? ` ${Math.round(exp.percent)}%` : '';
  return (
    <button
      type="button"
      className="btn btn-primary-outline"
      data-testid="export-button"
      disabled={disabled}
      title={
        !project
          ? 'Select a project to export'
          : project.folderMissing
            ? 'The project’s folder is missing: Locate… it first'
            : `Export “${project.name}” as a zip (its files as they are now)`
      }
      onClick={() => project && void exportProject(project.id)}
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
