import type { ModelCatalog } from '../../store/app-state.js';
import { comparableEstimate, formatCtx, hostLabel, loadedGpuPercent, loadedSplit, sameHost } from '../../lib/fit.js';
import { formatBytes } from '../../lib/format.js';

function expiresIn(at: string | null): string | null {
  if (!at) return null;
  const ms = Date.parse(at) - Date.now();
  if (!Number.isFinite(ms)) return null;
  if (ms <= 0) return 'unloading';
  return ms < 60_000 ? `unloads in ${Math.round(ms / 1000)} s` : `unloads in ${Math.round(ms / 60_000)} min`;
}

/**
 * Why the context Ollama runs a model with (/api/ps context_length, the effective one) differs
 * from the one MACS asks for: Ollama caps num_ctx at the trained context (server/sched.go
 * effectiveContext), and a model another program loaded keeps that program's context.
 */
export function contextNote(loadedCtx: number, requested: number, trained: number | null): string | null {
  if (loadedCtx === requested) return null;
  if (trained !== null && loadedCtx === trained && requested > trained) {
    return `MACS asks for ${formatCtx(requested)}; Ollama runs it with ${formatCtx(loadedCtx)}, the most this model was trained for. Longer prompts are cut or shifted.`;
  }
  return `MACS asks for ${formatCtx(requested)}; it is loaded with ${formatCtx(loadedCtx)} (another program's request, or Ollama lowered it to fit memory). The next MACS task reloads it with ${formatCtx(requested)}.`;
}

/** What Ollama has in memory right now (/api/ps), next to what MACS estimated for it. */
export function LoadedModels({ catalog }: { catalog: ModelCatalog }) {
  const loaded = catalog.installed.filter((m) => m.loaded);
  const defaultHost = catalog.hosts[0]?.host ?? null;
  return (
    <section className="models-section" data-testid="loaded-models">
      <h3 className="models-section-title">Loaded now</h3>
      {loaded.length === 0 ? (
        <p className="models-empty">Nothing is loaded. Ollama loads a model on its first request and unloads it after a few idle minutes.</p>
      ) : (
        <ul className="loaded-list">
          {loaded.map((m) => {
            const l = m.loaded!;
            const est = comparableEstimate(m);
            const gpu = loadedGpuPercent(l);
            return (
              <li key={`${m.host} ${m.name}`} className="loaded-row" data-testid="loaded-row" data-model={m.name}>
                <span className="model-name">{m.name}</span>
                {!sameHost(m.host, defaultHost) && <span className="chip chip-muted">on {hostLabel(m.host)}</span>}
                <span className="loaded-size">{formatBytes(l.sizeBytes)}</span>
                <span title="As Ollama reports it (/api/ps)" className={`chip ${gpu >= 100 ? 'chip-good' : gpu > 0 ? 'chip-warn' : 'chip-muted'}`}>{loadedSplit(l)}</span>
                {l.contextLength && (
                  <span
                    className={contextNote(l.contextLength, catalog.numCtx, m.contextLength) ? 'chip chip-warn' : 'muted'}
                    data-testid="loaded-context"
                    title={contextNote(l.contextLength, catalog.numCtx, m.contextLength) ?? 'The context Ollama runs it with (/api/ps), as MACS asks'}
                  >
                    runs with {formatCtx(l.contextLength)} context
                  </span>
                )}
                {est && (
                  <span className="muted" title="What MACS estimated for this model at the context it was loaded with">
                    estimate {formatBytes(est.totalBytes)} at {formatCtx(est.numCtx)}
                  </span>
                )}
                <span className="loaded-expiry muted">{expiresIn(l.expiresAt)}</span>
                {l.contextLength && contextNote(l.contextLength, catalog.numCtx, m.contextLength) && (
                  <p className="loaded-note" data-testid="loaded-context-note">
                    {contextNote(l.contextLength, catalog.numCtx, m.contextLength)}
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
