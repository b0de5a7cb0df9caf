import { useState } from 'react';
import { useApp, type ModelCatalog } from '../../store/app-state.js';
import { findPull } from '../../store/pulls.js';
import { hostLabel, VERDICT_ORDER } from '../../lib/fit.js';
import { CuratedModelRow } from './CuratedModelRow.js';

/** Coding models worth having, judged against this machine; pull the ones that fit. */
export function CuratedModels({ catalog }: { catalog: ModelCatalog }) {
  const pulls = useApp((s) => s.pulls);
  const reachable = catalog.hosts.filter((h) => h.reachable);
  const [target, setTarget] = useState<string>('');
  const host = target && target !== catalog.hosts[0]?.host ? target : undefined;
  const curated = [...catalog.curated].sort(
    (a, b) => Number(a.installed) - Number(b.installed) || VERDICT_ORDER.indexOf(a.fit.verdict) - VERDICT_ORDER.indexOf(b.fit.verdict) || a.sizeBytes - b.sizeBytes,
  );
  // Pulls of models that are not in the curated list (started elsewhere, e.g. from the CLI).
  const others = Object.values(pulls).filter((p) => !catalog.curated.some((c) => c.name === p.name));
  return (
    <section className="models-section" data-testid="curated-models">
      <h3 className="models-section-title">
        Coding models
        <span className="models-section-meta">judged for this machine at the context above</span>
        {reachable.length > 1 && (
          <label className="pull-target">
            Pull to
            <select value={target || catalog.hosts[0]?.host} onChange={(e) => setTarget(e.target.value)} data-testid="pull-target">
              {reachable.map((h) => (
                <option key={h.host} value={h.host}>
                  {hostLabel(h.host)}
                </option>
              ))}
            </select>
          </label>
        )}
      </h3>
      <ul className="model-list">
        {curated.map((m) => (
          <CuratedModelRow key={m.name} model={m} pull={findPull(pulls, m.name, host)} host={host} recommended={m.name === catalog.recommended} />
        ))}
      </ul>
      {others.length > 0 && (
        <p className="models-empty">Also pulling: {others.map((p) => p.name).join(', ')}</p>
      )}
    </section>
  );
}
