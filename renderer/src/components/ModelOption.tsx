import type { CatalogModel } from '../../../shared/index.js';
import { fitTitle, formatCtx, hostLabel, loadedSplit, modelFacts } from '../lib/fit.js';
import { isSlow, speedLabel } from '../lib/speed.js';

interface Props {
  model: CatalogModel;
  recommended: boolean;
  /** Shown when the model lives on another host than the default one. */
  host: string | null;
}

/**
 * One picker entry. In Chromium (customizable <select>) the spans render as badges; where a
 * browser only shows an option's text, the " · " separators keep it readable.
 */
export function ModelOption({ model, recommended, host }: Props) {
  const ctx = model.fit.estimate?.numCtx ?? model.contextLength;
  const badges = [...modelFacts(model), ...(ctx ? [`${formatCtx(ctx)} ctx`] : [])];
  return (
    <option value={model.name} disabled={model.fit.verdict === 'too_big'} title={fitTitle(model)} data-verdict={model.fit.verdict}>
      <span className="mo-line">
        <span className="mo-name">{model.name}</span>
        {recommended && <span className="mo-rec">★ recommended</span>}
        {badges.map((b, i) => (
          <span key={i} className="mo-badge">
            <span className="mo-sep"> · </span>
            {b}
          </span>
        ))}
        {host && (
          <span className="mo-badge mo-host">
            <span className="mo-sep"> · </span>on {hostLabel(host)}
          </span>
        )}
        {model.speed && (
          <span className={`mo-badge mo-speed${isSlow(model.speed) ? ' mo-slow' : ''}`} data-testid="option-speed">
            <span className="mo-sep"> · </span>
            {speedLabel(model.speed)}
          </span>
        )}
        {model.loaded && (
          <span className="mo-badge mo-loaded">
            <span className="mo-sep"> · </span>loaded, {loadedSplit(model.loaded)}
          </span>
        )}
      </span>
      <span className="mo-explain">
        <span className="mo-sep"> — </span>
        {model.fit.explanation}
      </span>
    </option>
  );
}
