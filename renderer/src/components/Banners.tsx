import { appStore, useApp } from '../store/app-state.js';
import { checkOllama, OLLAMA_RETRY_MS } from '../store/engine.js';

function ConnectionBanner() {
  const host = useApp((s) => s.host);
  const connection = useApp((s) => s.connection);
  const everConnected = useApp((s) => s.everConnected);
  if (host !== 'browser' || connection === 'open') return null;
  if (!everConnected && connection === 'connecting') return null; // first connect: quiet for a moment
  return (
    <div className="banner banner-warn" role="status" data-testid="connection-banner">
      <span className="spinner" aria-hidden="true" />
      {everConnected ? (
        <span>
          <strong>Reconnecting to the engine…</strong> The connection to <code>{window.location.host}</code> dropped; live updates
          resume where they left off. If <code>macs serve</code> was restarted, open the new URL it printed (the token changes
          per launch).
        </span>
      ) : (
        <span>
          <strong>Cannot reach the MACS engine at {window.location.host}.</strong> Is <code>macs serve</code> still running? Open
          the exact URL it printed (it carries a <code>?token=</code>). Retrying…
        </span>
      )}
    </div>
  );
}

function causeOf(error: { message: string; details?: Record<string, unknown> } | null): string | null {
  if (!error) return null;
  const cause = error.details?.cause;
  return typeof cause === 'string' ? cause : error.message;
}

function OllamaBanner() {
  const status = useApp((s) => s.ollama);
  if (!status || status.reachable) return null;
  return (
    <div className="banner banner-error" role="alert" data-testid="ollama-banner">
      <div className="banner-text">
        <strong>
          Ollama is not reachable at <code>{status.host}</code>
        </strong>
        {/* The heading already names the host; show only the low-level cause (ECONNREFUSED, timeout…). */}
        {causeOf(status.error) && <span className="banner-detail">Cause: {causeOf(status.error)}</span>}
        <span className="banner-help">
          Start it with <code>ollama serve</code>, or point MACS at another host: <em>Settings → Ollama host</em>, or the{' '}
          <code>OLLAMA_HOST</code> environment variable. Retrying every {OLLAMA_RETRY_MS / 1000} s.
        </span>
      </div>
      <div className="banner-actions">
        <button type="button" className="btn btn-small" onClick={() => void checkOllama(true)}>
          Retry now
        </button>
        <button type="button" className="btn btn-small" onClick={() => appStore.setState({ settingsOpen: true })}>
          Settings
        </button>
      </div>
    </div>
  );
}

export function Banners() {
  return (
    <>
      <ConnectionBanner />
      <OllamaBanner />
    </>
  );
}
