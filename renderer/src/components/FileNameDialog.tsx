// The name of a new file or folder, or the new name of an entry (F2): a small dialog over
// the tree. Enter saves, Escape cancels; the engine's refusal stays under the field.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { cancelNameEdit, submitNameEdit, useFileActions } from '../store/file-actions.js';

const TITLES = { rename: 'Rename', 'new-file': 'New file', 'new-folder': 'New folder' } as const;

export function FileNameDialog() {
  const edit = useFileActions((s) => s.edit);
  const initial = edit?.kind === 'rename' ? edit.path.slice(edit.path.lastIndexOf('/') + 1) : '';
  const [name, setName] = useState(initial);
  const input = useRef<HTMLInputElement>(null);
  const editKey = edit ? `${edit.kind}:${edit.path}` : null;

  useEffect(() => {
    setName(initial);
    const el = input.current;
    if (!el) return;
    el.focus();
    // Select the name without its extension, as editors do: typing replaces "Widget" in "Widget.tsx".
    const dot = initial.lastIndexOf('.');
    el.setSelectionRange(0, dot > 0 ? dot : initial.length);
  }, [editKey]);

  if (!edit) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void submitNameEdit(name).then((ok) => ok && document.querySelector<HTMLElement>('[data-testid="ws-tree"]')?.focus());
  };
  const where = edit.kind === 'rename' ? edit.path : edit.path ? `in ${edit.path}/` : 'in the project folder';
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && cancelNameEdit()}>
      <form className="modal ws-name-dialog" role="dialog" aria-modal="true" aria-labelledby="ws-name-title" data-testid="ws-name-dialog" onSubmit={submit}>
        <h2 id="ws-name-title">{TITLES[edit.kind]}</h2>
        <label className="field">
          <span className="field-label">{edit.kind === 'rename' ? `New name of ${where}` : `Name (${where}; "a/b" makes folders)`}</span>
          <input
            ref={input}
            type="text"
            value={name}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={edit.error ? 'true' : 'false'}
            data-testid="ws-name-input"
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.preventDefault();
                e.stopPropagation();
                cancelNameEdit();
                document.querySelector<HTMLElement>('[data-testid="ws-tree"]')?.focus();
              }
            }}
          />
          {edit.error && (
            <span className="field-error" role="alert" data-testid="ws-name-error">
              {edit.error}
            </span>
          )}
        </label>
        <div className="modal-actions">
          <button type="button" className="btn" onClick={cancelNameEdit}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={edit.busy} data-testid="ws-name-submit">
            {edit.kind === 'rename' ? 'Rename' : 'Create'}
          </button>
        </div>
      </form>
    </div>
  );
}
