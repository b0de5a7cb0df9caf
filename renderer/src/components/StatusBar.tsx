import { useApp } from '../store/app-state.js';
import { ProviderStatusItems } from './ProviderStatusItems.js';

function OllamaStatusItem() {
  const status = useApp((s) => s.ollama);
  const configured = useApp((s) => s.settings?.ollamaHost ?? null);
  if (!status) {
    return (
      <span className="status-item" data-testid="status-ollama" data-reachable="unknown">
        <span className="dot dot-grey" /> Checking Ollama{configured ? ` at ${configured}` : ''}…
      </span>
    );
  }
  return (
    <span
      className="status-item"
      data-testid="status-ollama"
      data-reachable={status.reachable ? 'true' : 'false'}
      title={status.error?.message ?? `Checked ${new Date(status.checkedAt).toLocaleTimeString()}`}
    >
      <span className={`dot ${status.reachable ? 'dot-green' : 'dot-red'}`} />
      {status.reachable ? `Ollama ${status.version ?? ''} at ${status.host}`.replace('  ', ' ') : `Ollama not reachable at ${status.host}`}
    </span>
  );
}

/** Green when commands run in an OS sandbox; red, with what to install, when they cannot. */
function SandboxItem() {
  const sandbox = useApp((s) => s.sandbox);
  if (!sandbox) return null;
  const ok = sandbox.available && sandbox.backend !== 'unrestricted';
  const title = ok
    ? `Commands and shells run in ${sandbox.backend}${sandbox.version ? ` ${sandbox.version}` : ''}: workspace-only writes, no network unless allowed`
    : `Commands run WITHOUT a sandbox on this machine. ${sandbox.hint ?? ''}`;
  return (
    <span className="status-item" data-testid="status-sandbox" data-available={ok ? 'true' : 'false'} title={title}>
      <span className={`dot ${ok ? 'dot-green' : 'dot-red'}`} />
      {ok ? `Sandbox: ${sandbox.backend}` : `No sandbox${sandbox.hint ? ` — ${sandbox.hint}` : ''}`}
    </span>
  );
}

function EngineItem() {
  const host = useApp((s) => s.host);
  const connection = useApp((s) => s.connection);
  if (host !== 'browser') return null;
  const label = connection === 'open' ? 'Engine connected' : connection === 'connecting' ? 'Connecting to the engine…' : 'Engine disconnected — reconnecting';
  return (
    <span className="status-item" data-testid="status-engine" data-state={connection}>
      <span className={`dot ${connection === 'open' ? 'dot-green' : connection === 'connecting' ? 'dot-amber' : 'dot-red'}`} />
      {label}
    </span>
  );
}

export function StatusBar() {
  const info = useApp((s) => s.appInfo);
  const running = useApp((s) => s.tasks.filter((t) => t.status === 'running').length);
  const queued = useApp((s) => s.tasks.filter((t) => t.status === 'queued' || t.status === 'interrupted').length);
  return (
    <footer className="statusbar">
      <OllamaStatusItem />
      <ProviderStatusItems />
      <EngineItem />
      <SandboxItem />
      {running + queued > 0 && (
        <span className="status-item" data-testid="status-queue">
          {[running > 0 ? `${running} running` : '', queued > 0 ? `${queued} queued` : ''].filter(Boolean).join(' · ')}
        </span>
      )}
      <span className="statusbar-spacer" />
      {info && (
        <>
          <span className="status-item status-path" title="Data directory (tasks, workspaces, exports)" data-testid="status-datadir">
            Data: {info.dataDir}
          </span>
          <span className="status-item">MACS {info.version}</span>
        </>
      )}
    </footer>
  );
}
