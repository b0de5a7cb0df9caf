// A provider's API key: typed into a password field, sent once with providers.setKey, then
// cleared from the page — what stays is where it lives and its masked hint, never the key.
// Where there is no keychain (macs serve), the engine asks for consent to keep it in a
// plaintext 0600 file: the user sees why and decides.
import { useState } from 'react';
import type { KeySource, ProviderView } from '../../../shared/index.js';
import type { ClientError } from '../client/index.js';
import { errorLine } from '../lib/error-text.js';
import { deleteProviderKey, setProviderKey } from '../store/providers.js';

const SOURCE: Record<NonNullable<KeySource>, string> = {
  keychain: 'in the OS keychain',
  file: 'in a 0600 file in the data directory (plain text)',
  env: 'from the environment',
};

export function keySourceLine(p: Pick<ProviderView, 'keySource' | 'keyHint' | 'apiKeyEnv'>): string {
  if (!p.keySource) return p.apiKeyEnv ? `No key yet: set ${p.apiKeyEnv} in the environment, or store one here.` : 'No key (a local server usually needs none).';
  const from = p.keySource === 'env' && p.apiKeyEnv ? `from $${p.apiKeyEnv}` : SOURCE[p.keySource];
  return `Key ${p.keyHint ?? ''} ${from}.`.replace('  ', ' ');
}

export function ProviderKeyField({ provider }: { provider: ProviderView }) {
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ClientError | null>(null);
  const [needsConsent, setNeedsConsent] = useState<string | null>(null);
  const inputId = `provider-key-${provider.id}`;

  const save = async (allowPlaintext: boolean) => {
    if (!key) return;
    setBusy(true);
    setError(null);
    try {
      await setProviderKey(provider.id, key, allowPlaintext);
      // The key leaves the page as soon as it is stored: only the masked hint comes back.
      setKey('');
      setNeedsConsent(null);
    } catch (err) {
      const e = err as ClientError;
      if (e.code === 'KEY_STORE_NEEDS_CONSENT') setNeedsConsent(e.message);
      else setError(e);
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await deleteProviderKey(provider.id);
    } catch (err) {
      setError(err as ClientError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="field provider-key" data-testid="provider-key-field">
      <label className="field-label" htmlFor={inputId}>
        API key
      </label>
      <div className="provider-key-row">
        <input
          id={inputId}
          type="password"
          autoComplete="off"
          spellCheck={false}
          data-testid="provider-key-input"
          value={key}
          placeholder={provider.keyHint ? 'Replace the key…' : 'Paste the key'}
          onChange={(e) => {
            setKey(e.target.value);
            setNeedsConsent(null);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void save(false);
            }
          }}
        />
        <button type="button" className="btn btn-small" data-testid="provider-key-save" disabled={busy || !key} onClick={() => void save(false)}>
          Save key
        </button>
        {provider.keySource && provider.keySource !== 'env' && (
          <button type="button" className="btn btn-small btn-ghost" data-testid="provider-key-remove" disabled={busy} onClick={() => void remove()}>
            Remove key
          </button>
        )}
      </div>
      <span className="field-help" data-testid="provider-key-source" data-source={provider.keySource ?? 'none'}>
        {keySourceLine(provider)}
      </span>
      {needsConsent && (
        <div className="provider-consent" role="alert" data-testid="provider-key-consent">
          <span>{needsConsent}</span>
          <button type="button" className="btn btn-small" data-testid="provider-key-plaintext" disabled={busy} onClick={() => void save(true)}>
            Store in plain text
          </button>
        </div>
      )}
      {error && (
        <span className="field-error" role="alert" data-testid="provider-key-error">
          {errorLine(error)}
        </span>
      )}
    </div>
  );
}
