import { useState } from 'react';
import { useApp } from '../store/app-state.js';
import { useApiKey } from '../hooks/use-api-key.js';
import { errorLine } from '../lib/error-text.js';
import { CopyButton } from './CopyButton.js';

/** Where scripts reach the REST API: this page's origin in the browser; `macs serve`'s default otherwise. */
function apiBase(host: 'electron' | 'browser'): string {
  return host === 'browser' ? window.location.origin : 'http://127.0.0.1:7421';
}

function mask(key: string): string {
  return key.length <= 8 ? '•'.repeat(key.length) : `${key.slice(0, 4)}${'•'.repeat(Math.min(24, key.length - 8))}${key.slice(-4)}`;
}

function curlFor(base: string, key: string): string {
  return `curl -X POST ${base}/v1/tasks -H "X-API-Key: ${key}" -H "Content-Type: application/json" -d '{"prompt": "a Python CLI that converts CSV to JSON"}'`;
}

/** The REST API key (masked, reveal + copy) and a curl line that uses it. */
export function ApiKeyField() {
  const host = useApp((s) => s.host);
  const state = useApiKey();
  const [revealed, setRevealed] = useState(false);
  const base = apiBase(host);

  return (
    <div className="field" data-testid="api-key-field">
      <span className="field-label">REST API key</span>
      {state.status === 'loading' && <span className="field-help">Loading…</span>}
      {state.status === 'error' && <span className="field-error">Could not read the API key: {errorLine(state.error)}</span>}
      {state.status === 'ready' && (
        <>
          <div className="api-key-row">
            <code className="api-key" data-testid="api-key-value" data-revealed={revealed}>
              {revealed ? state.key.apiKey : mask(state.key.apiKey)}
            </code>
            <button type="button" className="btn btn-small" data-testid="api-key-reveal" onClick={() => setRevealed((r) => !r)}>
              {revealed ? 'Hide' : 'Reveal'}
            </button>
            <CopyButton text={state.key.apiKey} testId="api-key-copy" />
          </div>
          <span className="field-help" data-testid="api-key-source">
            {state.key.source === 'env' ? (
              <>
                From <code>MACS_API_KEY</code> (the environment overrides the key stored in the data directory).
              </>
            ) : (
              <>
                Generated on first start and stored in the data directory; set <code>MACS_API_KEY</code> to override it. Send it as{' '}
                <code>X-API-Key</code>.
              </>
            )}
          </span>
          <div className="curl-row">
            <code className="curl" data-testid="api-curl">
              {curlFor(base, revealed ? state.key.apiKey : mask(state.key.apiKey))}
            </code>
            <CopyButton text={curlFor(base, state.key.apiKey)} testId="api-curl-copy" />
          </div>
          {host !== 'browser' && (
            <span className="field-help">
              The REST API is served by <code>macs serve</code> (port 7421 unless <code>--port</code> says otherwise).
            </span>
          )}
        </>
      )}
    </div>
  );
}
