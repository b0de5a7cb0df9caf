// The project header's "Model" popover: a temperature and a system prompt for this project's turns.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Project } from '../../../shared/index.js';
import { draftOf, MAX_SYSTEM_PROMPT, modelOptionsSummary, parseModelOptionsDraft } from '../lib/model-options-draft.js';
import { setProjectModelOptions } from '../store/projects.js';

function OptionsPopover({ project, onClose }: { project: Project; onClose: () => void }) {
  const [draft, setDraft] = useState(() => draftOf(project.modelOptions));
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const first = useRef<HTMLInputElement>(null);
  const result = parseModelOptionsDraft(draft);
  // A bad temperature says why as it is typed; the prompt's length only once it is too long.
  const errors = result.ok ? {} : result.errors;

  useEffect(() => {
    first.current?.focus();
    const onDown = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) onClose();
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [onClose]);

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onClose();
    }
  };
  const save = async () => {
    setTried(true);
    if (!result.ok) return;
    setBusy(true);
    const ok = await setProjectModelOptions(project.id, result.options);
    setBusy(false);
    if (ok) onClose();
  };

  return (
    <div className="popover model-options-popover" ref={ref} role="dialog" aria-label="Model options of this project" onKeyDown={onKey} data-testid="model-options-popover">
      <div className="popover-title">Model options of this project</div>
      <p className="popover-help">Sent with every call of its turns, from the next turn on.</p>
      <label className="model-options-field">
        <span>Temperature</span>
        <input
          ref={first}
          className="run-input model-options-temperature"
          inputMode="decimal"
          value={draft.temperature}
          placeholder="the steps’ own"
          onChange={(e) => setDraft({ ...draft, temperature: e.target.value })}
          aria-invalid={errors.temperature ? true : undefined}
          data-testid="model-options-temperature"
        />
      </label>
      {errors.temperature && (
        <span className="field-error" role="alert" data-testid="model-options-temperature-error">
          {errors.temperature}
        </span>
      )}
      <label className="model-options-field model-options-prompt">
        <span>System prompt, after MACS’s</span>
        <textarea
          rows={5}
          value={draft.systemPrompt}
          placeholder="e.g. Use tabs. Comments in German."
          onChange={(e) => setDraft({ ...draft, systemPrompt: e.target.value })}
          aria-invalid={errors.systemPrompt ? true : undefined}
          data-testid="model-options-prompt"
        />
      </label>
      <span className={errors.systemPrompt ? 'field-error' : 'popover-help'} data-testid="model-options-prompt-count">
        {errors.systemPrompt ?? `${draft.systemPrompt.trim().length.toLocaleString('en-US')} / ${MAX_SYSTEM_PROMPT.toLocaleString('en-US')}`}
      </span>
      <div className="popover-actions">
        <button type="button" className="btn btn-small btn-ghost" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="btn btn-small btn-primary" disabled={busy || (tried && !result.ok)} onClick={() => void save()} data-testid="model-options-save">
          Save
        </button>
      </div>
    </div>
  );
}

export function ProjectModelOptionsButton({ project }: { project: Project }) {
  const [open, setOpen] = useState(false);
  const summary = modelOptionsSummary(project.modelOptions);
  return (
    <span className="model-options-anchor">
      <button
        type="button"
        className={`btn btn-small${summary ? ' model-options-set' : ''}`}
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        title="Temperature and system prompt for this project's turns"
        data-testid="model-options-button"
      >
        Model{summary ? `: ${summary}` : ''}
      </button>
      {open && <OptionsPopover project={project} onClose={() => setOpen(false)} />}
    </span>
  );
}
