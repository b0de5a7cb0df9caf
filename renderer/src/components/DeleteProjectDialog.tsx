// Delete a project (asks first). A generated project's files go only if the user ticks the
// box (off by default); an opened folder is never deleted, only forgotten — the dialog says so.
import { useEffect, useState } from 'react';
import type { Project } from '../../../shared/index.js';
import { deleteProject } from '../store/projects.js';

export function DeleteProjectDialog({ project, onClose }: { project: Project; onClose: () => void }) {
  const [alsoFiles, setAlsoFiles] = useState(false);
  const [busy, setBusy] = useState(false);
  const folder = project.kind === 'folder';

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const confirm = async () => {
    setBusy(true);
    const ok = await deleteProject(project.id, !folder && alsoFiles);
    setBusy(false);
    if (ok) onClose();
  };

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="modal project-dialog" role="dialog" aria-modal="true" aria-labelledby="delete-project-title" data-testid="delete-project-dialog">
        <h2 id="delete-project-title">{folder ? `Forget “${project.name}”?` : `Delete “${project.name}”?`}</h2>
        {folder ? (
          <p className="project-dialog-text">
            The project and its conversation leave MACS. <strong>The folder is never deleted:</strong> {project.root} stays as it is, and opening it again
            makes a new project of it.
          </p>
        ) : (
          <>
            <p className="project-dialog-text">The project and its conversation ({project.turnCount} turn{project.turnCount === 1 ? '' : 's'}) leave MACS.</p>
            <label className="check-row">
              <input type="checkbox" checked={alsoFiles} onChange={(e) => setAlsoFiles(e.target.checked)} data-testid="delete-project-files" />
              <span>
                Also delete its files <span className="muted">({project.root})</span>
              </span>
            </label>
            {!alsoFiles && <p className="project-dialog-note muted">Its files stay on disk.</p>}
          </>
        )}
        <div className="modal-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn btn-danger" data-testid="delete-project-confirm" disabled={busy} onClick={() => void confirm()}>
            {busy && <span className="spinner" aria-hidden="true" />}
            {folder ? 'Forget' : alsoFiles ? 'Delete project and files' : 'Delete project'}
          </button>
        </div>
      </div>
    </div>
  );
}
