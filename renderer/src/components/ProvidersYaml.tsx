// Import / export of the provider configuration as Software Maker's YAML (`llm:` with mode,
// providers, routing). Keys are never in it (only api_key_env), so the text is safe to show.
import { useState } from 'react';
import type { ClientError } from '../client/index.js';
import { describeError, fieldErrors } from '../lib/error-text.js';
import { exportProvidersYaml, importProvidersYaml } from '../store/providers.js';
import { CopyButton } from './CopyButton.js';

/** "line 3, column 7" from CONFIG_INVALID details (line/col or line/column), when the engine gave them. */
export function yamlWhere(details: Record<string, unknown> | undefined): string | null {
  const line = details?.line;
  const col = details?.col ?? details?.column;
  if (typeof line !== 'number') return null;
  return typeof col === 'number' ? `line ${line}, column ${col}` : `line ${line}`;
}

/** "4:1: YAML syntax error…" → "line 4, column 1: YAML syntax error…" (a bare 4:1 reads like a ratio or a time). */
export function withLineWords(message: string): string {
  return message.replace(/^(\d+):(\d+):\s*/, 'line $1, column $2: ');
}

/**
 * The error as lines to show: what happened with where in the YAML (the engine's message
 * usually says it already), then each field the message does not already name.
 */
export function importErrorLines(err: ClientError): string[] {
  if (err.code !== 'CONFIG_INVALID') {
    const d = describeError(err);
    return [d.detail ? `${d.text} (${d.detail})` : d.text];
  }
  const where = yamlWhere(err.details);
  const line = err.details?.line;
  const col = err.details?.col ?? err.details?.column;
  const said = typeof line === 'number' && err.message.startsWith(typeof col === 'number' ? `${line}:${col}` : `${line}`);
  const at = where && !said ? ` (${where})` : '';
  const fields = fieldErrors(err.details)
    .filter((f) => !err.message.includes(f.message))
    .map((f) => (f.field ? `${f.field}: ${f.message}` : f.message));
  return [`Not imported${at}: ${withLineWords(err.message)}`, ...fields];
}

function download(text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/yaml' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = 'macs-providers.yaml';
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

export function ProvidersYaml() {
  const [exported, setExported] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const doExport = async () => {
    setErrors([]);
    try {
      const yaml = await exportProvidersYaml();
      setExported(yaml);
      download(yaml);
    } catch (e) {
      setErrors(importErrorLines(e as ClientError));
    }
  };
  const doImport = async () => {
    if (!text.trim()) return;
    setBusy(true);
    setErrors([]);
    setDone(null);
    try {
      await importProvidersYaml(text);
      setDone('Imported: the providers and routes above are the imported ones.');
      setText('');
      setOpen(false);
    } catch (e) {
      setErrors(importErrorLines(e as ClientError));
    } finally {
      setBusy(false);
    }
  };

  return (
    <fieldset className="field-group providers-yaml" data-testid="providers-yaml">
      <legend>Import / export (YAML)</legend>
      <div className="provider-card-actions provider-yaml-actions">
        <button type="button" className="btn btn-small" data-testid="providers-export" onClick={() => void doExport()}>
          Export YAML
        </button>
        {exported !== null && <CopyButton text={exported} label="Copy YAML" testId="providers-export-copy" />}
        <button type="button" className="btn btn-small" data-testid="providers-import-open" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          Import YAML…
        </button>
      </div>
      {open && (
        <div className="field">
          <label className="field-label" htmlFor="providers-import-text">
            Paste the YAML, or choose a file
          </label>
          <textarea
            id="providers-import-text"
            className="providers-yaml-text"
            data-testid="providers-import-text"
            rows={8}
            spellCheck={false}
            value={text}
            placeholder={'llm:\n  mode: hybrid\n  providers: …'}
            onChange={(e) => setText(e.target.value)}
          />
          <div className="provider-card-actions">
            <input
              type="file"
              accept=".yaml,.yml,text/yaml,application/yaml"
              aria-label="Choose a YAML file"
              data-testid="providers-import-file"
              onChange={(e) => {
                const f = e.target.files?.[0];
                if (f) void f.text().then(setText);
              }}
            />
            <span className="provider-card-spacer" />
            <button type="button" className="btn btn-small btn-primary" data-testid="providers-import" disabled={busy || !text.trim()} onClick={() => void doImport()}>
              Import
            </button>
          </div>
        </div>
      )}
      {done && (
        <span className="field-help" role="status">
          {done}
        </span>
      )}
      {errors.length > 0 && (
        <div className="field-error general" role="alert" data-testid="providers-import-error">
          {errors.map((l, i) => (
            <div key={i}>{l}</div>
          ))}
        </div>
      )}
    </fieldset>
  );
}
