// One provider in Settings → Providers: its fields as a draft, saved as a whole list with
// providers.update (the contract takes the list), errors shown beside the field they name.
import { useState } from 'react';
import type { LlmConfigView, ProviderConfig, ProviderView } from '../../../shared/index.js';
import { providerLeavesMachine } from '../../../shared/index.js';
import type { ClientError } from '../client/index.js';
import { describeError, fieldErrors, type FieldError } from '../lib/error-text.js';
import { configFromDraft, fieldsForProvider, looksLikeKey, removalBlockedText, rolesRoutedTo, storedProviders, type ProviderDraft } from '../lib/provider-drafts.js';
import { updateProviders, useProviders } from '../store/providers.js';
import { LeavesMachineBadge } from './LeavesMachineBadge.js';
import { ProviderKeyField } from './ProviderKeyField.js';
import { ProviderStatusDot, ProviderStatusLine } from './ProviderStatusItems.js';

interface Props {
  config: LlmConfigView;
  /** The saved provider; null while a new card is not saved yet. */
  saved: ProviderView | null;
  initial: ProviderDraft;
  /** Called when a new card was saved or dropped. */
  onDone?: () => void;
}

function TextField(props: { label: string; name: keyof ProviderDraft; draft: ProviderDraft; set: (d: ProviderDraft) => void; error: string; help?: string; placeholder?: string; list?: string; disabled?: boolean; inputMode?: 'numeric' }) {
  const { label, name, draft, set, error, help, placeholder, list, disabled, inputMode } = props;
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <input
        type="text"
        data-testid={`provider-${name}`}
        value={String(draft[name])}
        placeholder={placeholder}
        list={list}
        disabled={disabled}
        inputMode={inputMode}
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        onChange={(e) => set({ ...draft, [name]: e.target.value })}
      />
      {error ? (
        <span className="field-error" role="alert" data-testid={`provider-${name}-error`}>
          {error}
        </span>
      ) : (
        help && <span className="field-help">{help}</span>
      )}
    </label>
  );
}

export function ProviderCard({ config, saved, initial, onDone }: Props) {
  const [draft, setDraft] = useState<ProviderDraft>(initial);
  const [fields, setFields] = useState<FieldError[]>([]);
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const models = useProviders((s) => (saved ? s.models[saved.id] : undefined));
  const isNew = saved === null;
  const stored = storedProviders(config);
  const others = stored.filter((p) => p.id !== saved?.id);
  const err = (name: string) => fields.filter((f) => f.field === name).map((f) => f.message).join(' ');
  const leaves = providerLeavesMachine(draft.kind, draft.baseUrl);
  const listId = `provider-models-${draft.id}`;

  const send = async (list: ProviderConfig[], index: number) => {
    setBusy(true);
    setFields([]);
    setGeneral(null);
    try {
      await updateProviders({ providers: list });
      onDone?.();
    } catch (e) {
      const d = describeError(e as ClientError);
      // CONFIG_INVALID / INVALID_INPUT: details.fields names the field (describeError reads them for INVALID_INPUT only).
      const mine = index >= 0 ? fieldsForProvider(fieldErrors((e as ClientError).details), index) : [];
      setFields(mine);
      if (mine.length === 0) setGeneral(d.detail ? `${d.text} (${d.detail})` : d.text);
    } finally {
      setBusy(false);
    }
  };
  const save = () => {
    const checked = configFromDraft(draft, others.map((p) => p.id));
    if ('fields' in checked) {
      setFields(checked.fields);
      // A key pasted as the variable name does not stay on screen in a plain text field.
      if (looksLikeKey(draft.apiKeyEnv)) setDraft({ ...draft, apiKeyEnv: '' });
      return;
    }
    const index = isNew ? stored.length : stored.findIndex((p) => p.id === saved.id);
    const list = isNew ? [...stored, checked.config] : stored.map((p, i) => (i === index ? checked.config : p));
    void send(list, index);
  };
  const remove = () => {
    // Said here, before asking: the engine's refusal names "routing.implement.targets.1.provider".
    const roles = saved ? rolesRoutedTo(config.routing, saved.id) : [];
    if (roles.length > 0) {
      setFields([]);
      setGeneral(removalBlockedText(saved?.label || draft.id, roles));
      return;
    }
    void send(others, -1);
  };

  return (
    <section className="provider-card" data-testid="provider-card" data-provider={draft.id} data-new={isNew ? 'true' : undefined} aria-label={`Provider ${draft.label || draft.id}`}>
      <header className="provider-card-head">
        <span className="provider-card-title">{draft.label || draft.id}</span>
        <span className="provider-kind">{draft.kind === 'anthropic' ? 'Anthropic' : 'OpenAI-compatible'}</span>
        {saved && <ProviderStatusDot id={saved.id} />}
        {leaves && <LeavesMachineBadge providers={[draft.label || draft.id]} hosts={[draft.baseUrl]} />}
        <span className="provider-card-spacer" />
        <label className="field-check provider-enabled">
          <input type="checkbox" role="switch" data-testid="provider-enabled" checked={draft.enabled} onChange={(e) => setDraft({ ...draft, enabled: e.target.checked })} />
          Enabled
        </label>
      </header>
      {saved && saved.enabled && <ProviderStatusLine id={saved.id} />}
      <div className="provider-grid">
        <TextField label="Label" name="label" draft={draft} set={setDraft} error={err('label')} placeholder={draft.id} />
        <TextField label="Id" name="id" draft={draft} set={setDraft} error={err('id')} disabled={!isNew} help={isNew ? 'Model refs use it: @id/model.' : undefined} />
        <TextField
          label="Base URL"
          name="baseUrl"
          draft={draft}
          set={setDraft}
          error={err('baseUrl')}
          help={draft.kind === 'anthropic' ? 'Anthropic’s API root (no /v1).' : 'Up to and including /v1.'}
        />
        <TextField label="Default model" name="model" draft={draft} set={setDraft} error={err('model')} list={listId} placeholder={models?.[0]?.name ?? 'as the route or task says'} />
        <TextField label="Key variable (api_key_env)" name="apiKeyEnv" draft={draft} set={setDraft} error={err('apiKeyEnv')} placeholder="e.g. OPENAI_API_KEY" help="Read at call time; the key is never copied." />
        <TextField
          label="Context length override"
          name="contextLength"
          draft={draft}
          set={setDraft}
          error={err('contextLength')}
          inputMode="numeric"
          placeholder="as the server reports"
          help="Empty: the size the server reports."
        />
      </div>
      <datalist id={listId}>
        {(models ?? []).map((m) => (
          <option key={m.ref} value={m.name} />
        ))}
      </datalist>
      {saved ? <ProviderKeyField provider={saved} /> : <span className="field-help">Save the provider, then add its key (if it needs one).</span>}
      {general && (
        <div className="field-error general" role="alert" data-testid="provider-card-error">
          {general}
        </div>
      )}
      <div className="provider-card-actions">
        {isNew ? (
          <button type="button" className="btn btn-small btn-ghost" onClick={onDone}>
            Discard
          </button>
        ) : (
          <button type="button" className="btn btn-small btn-ghost" data-testid="provider-remove" disabled={busy} onClick={remove}>
            Remove provider
          </button>
        )}
        <button type="button" className="btn btn-small btn-primary" data-testid="provider-save" disabled={busy} onClick={save}>
          {busy && <span className="spinner" aria-hidden="true" />}
          {isNew ? 'Add provider' : 'Save provider'}
        </button>
      </div>
    </section>
  );
}
