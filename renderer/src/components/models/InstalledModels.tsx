import { SMALL_PROJECT, type HardwareInfo } from '../../../../shared/index.js';
import type { ModelCatalog } from '../../store/app-state.js';
import { hasUsableGpu, hostLabel, VERDICT_ORDER } from '../../lib/fit.js';
import type { Capacity } from './EstimateBreakdown.js';
import { InstalledModelRow } from './InstalledModelRow.js';

/** This machine's hardware applies to hosts on it (the engine judges them the same way). */
function isLoopback(url: string): boolean {
  try {
    const h = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return h === 'localhost' || h === '::1' || h === '0.0.0.0' || /^127\./.test(h);
  } catch {
    return false;
  }
}

/** Free GPU memory (discrete GPUs), else free RAM: what this machine's estimate is held against. */
function localCapacity(hw: HardwareInfo): Capacity {
  if (hasUsableGpu(hw)) {
    const gpus = hw.gpus.filter((g) => !g.integrated && g.backend !== 'none');
    return { bytes: gpus.reduce((sum, g) => sum + (g.vramFreeBytes ?? g.vramTotalBytes), 0), label: 'GPU free' };
  }
  return { bytes: hw.ram.freeBytes, label: 'RAM free' };
}

/** Installed models per host, best fit first. */
export function InstalledModels({ catalog }: { catalog: ModelCatalog }) {
  const several = catalog.hosts.length > 1;
  const total = catalog.installed.length;
  return (
    <section className="models-section" data-testid="installed-models">
      <h3 className="models-section-title">
        Installed
        <span className="models-section-meta">
          {total} model{total === 1 ? '' : 's'}
        </span>
        <span className="models-section-meta" title="Generation reads every weight once per token, so speed follows memory bandwidth ÷ model size; a model that has run shows its measured speed">
          speed: a small project = {SMALL_PROJECT.promptTokens / 1000}k tokens read + {SMALL_PROJECT.generatedTokens / 1000}k written
        </span>
      </h3>
      {catalog.hosts.map((h, i) => {
        const models = catalog.installed
          .filter((m) => m.host === h.host)
          .sort((a, b) => VERDICT_ORDER.indexOf(a.fit.verdict) - VERDICT_ORDER.indexOf(b.fit.verdict) || b.size - a.size);
        const capacity = isLoopback(h.host) ? localCapacity(catalog.hardware) : null;
        return (
          <div key={h.host} className="host-group" data-testid="host-group" data-host={h.host}>
            {several && (
              <h4 className="host-group-title">
                <span className={`dot ${h.reachable ? 'dot-green' : 'dot-red'}`} /> {hostLabel(h.host)}
                {i === 0 && <span className="chip chip-muted">default</span>}
              </h4>
            )}
            {!h.reachable ? (
              <p className="models-empty host-error">Not reachable, so its models are not listed (the error is under Ollama hosts above).</p>
            ) : models.length === 0 ? (
              <p className="models-empty">No models installed{several ? ' on this host' : ''}. Pull one from the list below.</p>
            ) : (
              <ul className="model-list">
                {models.map((m) => (
                  <InstalledModelRow
                    key={m.name}
                    model={m}
                    recommended={m.name === catalog.recommended}
                    capacity={capacity}
                    host={i === 0 ? undefined : h.host}
                    noGpu={capacity !== null && !hasUsableGpu(catalog.hardware)}
                  />
                ))}
              </ul>
            )}
          </div>
        );
      })}
    </section>
  );
}
