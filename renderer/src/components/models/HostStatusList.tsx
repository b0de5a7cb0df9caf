import type { ModelCatalog } from '../../store/app-state.js';

/** The configured Ollama hosts and whether each answered (only worth a section with several, or a failure). */
export function HostStatusList({ hosts }: { hosts: ModelCatalog['hosts'] }) {
  if (hosts.length <= 1 && hosts.every((h) => h.reachable)) return null;
  return (
    <section className="models-section" data-testid="host-status">
      <h3 className="models-section-title">Ollama hosts</h3>
      <ul className="host-list">
        {hosts.map((h, i) => (
          <li key={h.host} className="host-row" data-testid="host-row" data-reachable={h.reachable ? 'true' : 'false'}>
            <span className={`dot ${h.reachable ? 'dot-green' : 'dot-red'}`} />
            <code>{h.host}</code>
            {i === 0 && <span className="chip chip-muted">default</span>}
            {h.reachable ? <span className="muted">reachable</span> : <span className="host-error">not reachable{h.error ? `: ${h.error}` : ''}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
