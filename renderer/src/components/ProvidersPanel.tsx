// Settings → Providers: the "Local only" switch, the mode, a card per provider (Ollama first,
// read-only here), presets to add one, routing per role, and YAML import / export.
// Changes here apply at once (each has its own button): they are not part of the General tab's Save.
import { useEffect, useState } from 'react';
import { OLLAMA_PROVIDER_ID, type LlmMode, type ProviderView } from '../../../shared/index.js';
import type { ClientError } from '../client/index.js';
import { errorLine } from '../lib/error-text.js';
import { draftFromPreset, draftOf, PROVIDER_PRESETS, type ProviderDraft } from '../lib/provider-drafts.js';
import { loadProviders, updateProviders, useProviders } from '../store/providers.js';
import { LeavesMachineBadge } from './LeavesMachineBadge.js';
import { ProviderCard } from './ProviderCard.js';
import { ProviderStatusDot } from './ProviderStatusItems.js';
import { ProvidersYaml } from './ProvidersYaml.js';
import { RoutingEditor } from './RoutingEditor.js';

const MODES: { value: LlmMode; label: string; line: string }[] = [
  { value: 'local', label: 'Local', line: 'Only providers on this machine or its local network answer.' },
  { value: 'openai', label: 'OpenAI', line: 'The OpenAI-compatible provider answers every role; routing is not used.' },
  { value: 'claude', label: 'Claude', line: 'Anthropic answers every role; routing is not used.' },
  { value: 'hybrid', label: 'Hybrid', line: 'Each role follows its route below (plan here, implement there).' },
];

/** What the card's remount key changes with: its stored fields (not the key hint, which setKey changes). */
function cardKey(p: ProviderView): string {
  return JSON.stringify([p.id, p.kind, p.label, p.enabled, p.baseUrl, p.model, p.apiKeyEnv, p.contextLength]);
}

function OllamaCard({ p }: { p: ProviderView }) {
  const status = useProviders((s) => s.statuses.find((x) => x.id === OLLAMA_PROVIDER_ID));
  return (
    <section className="provider-card provider-card-ollama" data-testid="provider-card" data-provider={p.id} aria-label="Provider Ollama">
      <header className="provider-card-head">
        <span className="provider-card-title">{p.label || 'Ollama'}</span>
        <span className="provider-kind">Ollama</span>
        {status && <ProviderStatusDot id={OLLAMA_PROVIDER_ID} />}
        {p.leavesMachine && <LeavesMachineBadge providers={['Ollama']} hosts={[p.baseUrl]} />}
      </header>
      <span className="field-help">
        At <code>{p.baseUrl}</code> — the host is set on the General tab (Ollama host). The default provider: a model name without “@provider/” is Ollama’s.
      </span>
    </section>
  );
}

function LocalOnlySwitch({ on }: { on: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const flip = async (next: boolean) => {
    setBusy(true);
    setError(null);
    try {
      await updateProviders({ localOnly: next });
    } catch (e) {
      setError(errorLine(e as ClientError));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="field">
      <label className="field-check local-only">
        <input type="checkbox" role="switch" data-testid="providers-local-only" checked={on} disabled={busy} onChange={(e) => void flip(e.target.checked)} />
        <span className="field-label">Local only</span>
      </label>
      <span className="field-help" data-testid="providers-local-only-help">
        {on
          ? 'On: no prompt leaves this machine or its local network — cloud providers are refused until you turn this off.'
          : 'Off: roles routed to a cloud provider send their prompts there (marked “leaves this machine”).'}
      </span>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

function ModeField({ mode }: { mode: LlmMode }) {
  const [error, setError] = useState<string | null>(null);
  const choose = async (next: LlmMode) => {
    setError(null);
    try {
      await updateProviders({ mode: next });
    } catch (e) {
      setError(errorLine(e as ClientError));
    }
  };
  return (
    <div className="field" data-testid="providers-mode">
      <span className="field-label" id="providers-mode-label">
        Mode
      </span>
      <div className="mode-choices" role="radiogroup" aria-labelledby="providers-mode-label">
        {MODES.map((m) => (
          <label key={m.value} className={`mode-choice${mode === m.value ? ' selected' : ''}`}>
            <input type="radio" name="macs-llm-mode" value={m.value} checked={mode === m.value} data-testid={`providers-mode-${m.value}`} onChange={() => void choose(m.value)} />
            <span className="mode-choice-label">{m.label}</span>
            <span className="mode-choice-line">{m.line}</span>
          </label>
        ))}
      </div>
      {error && (
        <span className="field-error" role="alert" data-testid="providers-mode-error">
          {error}
        </span>
      )}
    </div>
  );
}

export function ProvidersPanel() {
  const state = useProviders((s) => s.state);
  const config = useProviders((s) => s.config);
  const error = useProviders((s) => s.error);
  const [adding, setAdding] = useState<ProviderDraft[]>([]);

  useEffect(() => {
    void loadProviders();
  }, []);

  if (state === 'unsupported') {
    return (
      <div className="providers-panel" data-testid="providers-panel" data-state="unsupported">
        <div className="notice notice-muted">This engine has no providers besides Ollama yet ({error?.message ?? 'not supported'}).</div>
      </div>
    );
  }
  if (!config) {
    return (
      <div className="providers-panel" data-testid="providers-panel" data-state={state}>
        {state === 'error' && error ? (
          <div className="field-error general" role="alert">
            Could not read the providers: {errorLine(error)}
          </div>
        ) : (
          <span className="field-help">
            <span className="spinner" aria-hidden="true" /> Loading providers…
          </span>
        )}
      </div>
    );
  }

  const ollama = config.providers.find((p) => p.id === OLLAMA_PROVIDER_ID);
  const others = config.providers.filter((p) => p.id !== OLLAMA_PROVIDER_ID);
  const taken = [...config.providers.map((p) => p.id), ...adding.map((d) => d.id)];
  return (
    <div className="providers-panel" data-testid="providers-panel" data-state="ready">
      <LocalOnlySwitch on={config.localOnly} />
      <ModeField mode={config.mode} />
      <span className="field-help" data-testid="providers-key-store">
        {config.keyStore.backend === 'keychain'
          ? 'Keys are kept in the OS keychain; the page only ever sees their last 4 characters.'
          : `No OS keychain here: keys go to a 0600 file in the data directory${config.keyStore.plaintext ? ' in plain text' : ''}${config.keyStore.consented ? ' (you agreed to this)' : ', after you agree'}. An environment variable (api_key_env) keeps them out of it.`}
      </span>
      <fieldset className="field-group" data-testid="providers-list">
        <legend>Providers</legend>
        {ollama && <OllamaCard p={ollama} />}
        {others.length === 0 && adding.length === 0 && (
          <span className="field-help" data-testid="providers-empty">
            Only Ollama so far. Add a server on this machine (LM Studio, llama-server, vLLM) or a cloud API below; cloud ones stay unused while “Local only” is on.
          </span>
        )}
        {others.map((p) => (
          <ProviderCard key={cardKey(p)} config={config} saved={p} initial={draftOf(p)} />
        ))}
        {adding.map((d, i) => (
          <ProviderCard key={`new-${d.id}-${i}`} config={config} saved={null} initial={d} onDone={() => setAdding((a) => a.filter((x) => x !== d))} />
        ))}
        <div className="provider-presets" role="group" aria-label="Add a provider">
          <span className="field-help">Add:</span>
          {PROVIDER_PRESETS.map((preset) => (
            <button
              key={preset.key}
              type="button"
              className="btn btn-small"
              data-testid={`provider-preset-${preset.key}`}
              onClick={() => setAdding((a) => [...a, draftFromPreset(preset, taken)])}
            >
              + {preset.name}
            </button>
          ))}
        </div>
      </fieldset>
      <RoutingEditor config={config} />
      <ProvidersYaml />
    </div>
  );
}
