// "Open folder": a path field (the engine checks it: exists, a folder, not a system
// folder); the folder becomes a project in the sidebar (folders opened before are there).
// The browser host cannot see where a dropped folder lives, so this is how folders open
// there; in Electron, dropping works too.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { describeError } from '../lib/error-text.js';
import { closeFolderDialog, openWorkspace } from '../store/workspace.js';
import { useWs, wsStore } from '../store/workspace-state.js';
import { useApp } from '../store/app-state.js';

export function OpenFolderDialog() {
  const opening = useWs((s) => s.opening);
  const error = useWs((s) => s.openError);
  const note = useWs((s) => s.dialogNote);
  const host = useApp((s) => s.host);
  const [path, setPath] = useState('');
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    input.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && closeFolderDialog();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void openWorkspace(path);
  };

  // The engine's own sentence says exactly what is wrong with the path ("… is a file, not a folder").
  const errText = error ? (error.code === 'INVALID_INPUT' || error.code === 'FILE_NOT_FOUND' ? error.message : describeError(error).text) : null;

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && closeFolderDialog()}>
      <form className="modal open-folder" role="dialog" aria-modal="true" aria-labelledby="open-folder-title" data-testid="open-folder-dialog" onSubmit={submit}>
        <h2 id="open-folder-title">Open a folder</h2>
        {note && (
          <div className="open-folder-note" data-testid="open-folder-note">
            {note}
          </div>
        )}
        <label className="field">
          <span className="field-label">Folder path</span>
          <span className="open-folder-row">
            <input
              ref={input}
              type="text"
              value={path}
              spellCheck={false}
              autoComplete="off"
              placeholder={host === 'electron' ? '/home/you/code/my-project (or drop the folder on the window)' : '/home/you/code/my-project'}
              aria-invalid={error ? 'true' : 'false'}
              aria-describedby="open-folder-help"
              data-testid="open-folder-path"
              onChange={(e) => {
                setPath(e.target.value);
                if (wsStore.getState().openError) wsStore.setState({ openError: null });
              }}
            />
            <button type="submit" className="btn btn-primary" disabled={opening || path.trim() === ''} data-testid="open-folder-submit">
              {opening && <span className="spinner" aria-hidden="true" />}
              Open
            </button>
          </span>
          {errText ? (
            <span className="field-error" role="alert" data-testid="open-folder-error" id="open-folder-help">
              {errText}
            </span>
          ) : (
            <span className="field-help" id="open-folder-help">
              The full path of a project folder on the machine the engine runs on. It becomes a project in the sidebar: turns work in it, every change can be reviewed and undone, and the folder is never deleted by MACS.
            </span>
          )}
        </label>
        <div className="modal-actions">
          <button type="button" className="btn" onClick={closeFolderDialog}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}
