// "Open folder": a path field (the engine checks it: exists, a folder, not a system
// folder); the folder becomes a project in the sidebar (folders opened before are there).
// The browser host cannot see where a dropped folder lives, so this is how folders open
// there; in Electron, dropping works too. Typing suggests the folders under what was
// typed (workspaces.complete): ↑ ↓ choose, Tab completes, Enter opens.
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import type { MethodResult } from '../../../shared/index.js';
import { client } from '../store/app-state.js';
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
  const [suggestions, setSuggestions] = useState<MethodResult<'workspaces.complete'>['folders']>([]);
  const [index, setIndex] = useState(-1);
  const asked = useRef(0);

  // Suggestions follow the typing (a short pause first: one request per word, not per key).
  useEffect(() => {
    const id = ++asked.current;
    if (!/^(\/|~|[a-zA-Z]:[\\/])/.test(path.trim())) {
      setSuggestions([]);
      return;
    }
    const timer = setTimeout(() => {
      client()
        .call('workspaces.complete', { partial: path })
        .then((r) => {
          if (id !== asked.current) return;
          setSuggestions(r.folders);
          setIndex(-1);
        })
        .catch(() => id === asked.current && setSuggestions([]));
    }, 120);
    return () => clearTimeout(timer);
  }, [path]);

  const choose = (p: string) => {
    setPath(p.endsWith('/') ? p : `${p}/`);
    if (wsStore.getState().openError) wsStore.setState({ openError: null });
    input.current?.focus();
  };

  const onInputKey = (e: ReactKeyboardEvent<HTMLInputElement>) => {
    if (suggestions.length === 0) return;
    if (e.key === 'ArrowDown') setIndex((i) => (i + 1) % suggestions.length);
    else if (e.key === 'ArrowUp') setIndex((i) => (i <= 0 ? suggestions.length - 1 : i - 1));
    else if (e.key === 'Tab' && !e.shiftKey) choose(suggestions[Math.max(0, index)].path);
    else if (e.key === 'Enter' && index >= 0) {
      // Enter on a suggestion opens it (the engine refuses a system folder with its sentence).
      const picked = suggestions[index].path;
      setPath(picked);
      void openWorkspace(picked);
    } else return;
    e.preventDefault();
  };

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
              role="combobox"
              aria-autocomplete="list"
              aria-expanded={suggestions.length > 0}
              aria-controls="open-folder-suggestions"
              aria-activedescendant={index >= 0 ? `open-folder-s-${index}` : undefined}
              data-testid="open-folder-path"
              onKeyDown={onInputKey}
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
          {suggestions.length > 0 && (
            <ul id="open-folder-suggestions" className="open-folder-suggestions" role="listbox" aria-label="Folders" data-testid="open-folder-suggestions">
              {suggestions.map((f, i) => (
                <li
                  key={f.path}
                  id={`open-folder-s-${i}`}
                  role="option"
                  aria-selected={i === index}
                  className={`open-folder-suggestion${i === index ? ' selected' : ''}${f.refused ? ' refused' : ''}`}
                  title={f.refused ?? f.path}
                  data-testid="open-folder-suggestion"
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => choose(f.path)}
                >
                  <span>{f.name}/</span>
                  {f.refused && <span className="why">cannot be opened</span>}
                </li>
              ))}
            </ul>
          )}
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
