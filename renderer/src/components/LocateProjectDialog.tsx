// Locate… a folder project whose folder moved: a path field (checked like an open).
import { useEffect, useState, type FormEvent } from 'react';
import type { Project } from '../../../shared/index.js';
import { toClientError } from '../client/index.js';
import { describeError } from '../lib/error-text.js';
import { locateProject } from '../store/projects.js';

export function LocateProjectDialog({ project, onClose }: { project: Project; onClose: () => void }) {
  const [path, setPath] = useState(project.root);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await locateProject(project.id, path);
      onClose();
    } catch (err) {
      const ce = toClientError(err);
      // The engine's sentence says exactly what is wrong with the path.
      setError(ce.code === 'INVALID_INPUT' || ce.code === 'FILE_NOT_FOUND' ? ce.message : describeError(ce).text);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <form className="modal project-dialog" role="dialog" aria-modal="true" aria-labelledby="locate-title" data-testid="locate-project-dialog" onSubmit={(e) => void submit(e)}>
        <h2 id="locate-title">Locate “{project.name}”</h2>
        <p className="project-dialog-text">
          The folder <code>{project.root}</code> is gone or unreadable. If it moved, give its new path: the project and its conversation follow it.
        </p>
        <label className="field">
          <span className="field-label">Folder path</span>
          <input type="text" value={path} autoFocus spellCheck={false} autoComplete="off" data-testid="locate-path" onChange={(e) => (setPath(e.target.value), setError(null))} />
          {error && (
            <span className="field-error" role="alert" data-testid="locate-error">
              {error}
            </span>
          )}
        </label>
        <div className="modal-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || path.trim() === ''} data-testid="locate-submit">
            {busy && <span className="spinner" aria-hidden="true" />}
            Locate
          </button>
        </div>
      </form>
    </div>
  );
}
