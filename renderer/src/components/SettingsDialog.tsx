import { useEffect, useRef, useState, type FormEvent } from 'react';
import { appStore, useApp } from '../store/app-state.js';
import { updateSettings } from '../store/engine.js';
import { describeError, type FieldError } from '../lib/error-text.js';
import type { ClientError } from '../client/index.js';

function close(): void {
  appStore.setState({ settingsOpen: false });
}

export function SettingsDialog() {
  const settings = useApp((s) => s.settings);
  const ollama = useApp((s) => s.ollama);
  const [host, setHost] = useState(settings?.ollamaHost ?? '');
  const [numCtx, setNumCtx] = useState(String(settings?.numCtx ?? 8192));
  const [saving, setSaving] = useState(false);
  const [fields, setFields] = useState<FieldError[]>([]);
  const [general, setGeneral] = useState<string | null>(null);
  const first = useRef<HTMLInputElement>(null);

  useEffect(() => {
    first.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && close();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const fieldError = (name: string) => fields.filter((f) => f.field === name || f.field.endsWith(`.${name}`)).map((f) => f.message).join(' ');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFields([]);
    setGeneral(null);
    const ctx = Number(numCtx);
    if (!Number.isInteger(ctx)) {
      setFields([{ field: 'numCtx', message: 'Enter a whole number of tokens, e.g. 8192.' }]);
      return;
    }
    setSaving(true);
    try {
      await updateSettings({ ollamaHost: host.trim(), numCtx: ctx });
      close();
    } catch (err) {
      const d = describeError(err as ClientError);
      const known = d.fields.filter((f) => /(^|\.)(ollamaHost|numCtx)$/.test(f.field));
      setFields(d.fields);
      if (known.length === 0) setGeneral(d.detail ? `${d.text} (${d.detail})` : d.text);
    } finally {
      setSaving(false);
    }
  };

  const hostErr = fieldError('ollamaHost');
  const ctxErr = fieldError('numCtx');

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <form className="modal" role="dialog" aria-modal="true" aria-labelledby="settings-title" data-testid="settings-dialog" onSubmit={(e) => void submit(e)}>
        <h2 id="settings-title">Settings</h2>
        <label className="field">
          <span className="field-label">Ollama host</span>
          <input
            ref={first}
            type="text"
            data-testid="settings-ollama-host"
            value={host}
            onChange={(e) => setHost(e.target.value)}
            placeholder="http://127.0.0.1:11434"
            aria-invalid={hostErr ? true : undefined}
            spellCheck={false}
          />
          {hostErr ? (
            <span className="field-error">{hostErr}</span>
          ) : (
            <span className="field-help">
              Where Ollama listens. {ollama && (ollama.reachable ? `Reachable now (Ollama ${ollama.version ?? ''}).` : `Not reachable at ${ollama.host}.`)}
            </span>
          )}
        </label>
        <label className="field">
          <span className="field-label">Context length (num_ctx)</span>
          <input
            type="number"
            data-testid="settings-num-ctx"
            value={numCtx}
            min={512}
            step={512}
            onChange={(e) => setNumCtx(e.target.value)}
            aria-invalid={ctxErr ? true : undefined}
          />
          {ctxErr ? (
            <span className="field-error">{ctxErr}</span>
          ) : (
            <span className="field-help">Tokens of context sent with every request. Larger needs more memory.</span>
          )}
        </label>
        {general && (
          <div className="field-error general" role="alert">
            {general}
          </div>
        )}
        <div className="modal-actions">
          <button type="button" className="btn btn-ghost" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={saving} data-testid="settings-save">
            {saving && <span className="spinner" aria-hidden="true" />}
            Save
          </button>
        </div>
      </form>
    </div>
  );
}
