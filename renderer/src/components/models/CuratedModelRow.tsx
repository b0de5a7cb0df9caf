import type { CuratedModel } from '../../../../shared/index.js';
import type { PullState } from '../../store/app-state.js';
import { formatCtx } from '../../lib/fit.js';
import { formatBytes } from '../../lib/format.js';
import { VerdictBadge } from './VerdictBadge.js';
import { PullControl } from './PullControl.js';
import { SpeedChip } from './SpeedChip.js';

const SHOWN_LANGUAGES = 6;

interface Props {
  model: CuratedModel;
  pull: PullState | null;
  host?: string;
  recommended: boolean;
}

export function CuratedModelRow({ model, pull, host, recommended }: Props) {
  return (
    <li
      className={`model-row curated${pull ? ' is-pulling' : ''}`}
      data-testid="curated-model"
      data-model={model.name}
      data-verdict={model.fit.verdict}
      data-installed={model.installed ? 'true' : 'false'}
    >
      <div className="model-row-head">
        <span className="model-name">{model.name}</span>
        <span className="chip chip-muted">{model.parameterSize}</span>
        <span className="chip chip-muted">{model.quantizationLevel}</span>
        <span className="chip chip-muted">{formatBytes(model.sizeBytes)}</span>
        <span className="chip chip-muted" title="Trained context length">
          {formatCtx(model.contextLength)} ctx
        </span>
        {recommended && <span className="chip chip-rec">★ recommended</span>}
        <span className="model-row-spacer" />
        <VerdictBadge fit={model.fit} />
        {!pull && <PullControl name={model.name} installed={model.installed} pull={null} host={host} tooBig={model.fit.verdict === 'too_big'} />}
      </div>
      <p className="curated-desc">
        {model.description}
        {model.languages.length > 0 && (
          <span className="curated-langs" title={model.languages.join(', ')}>
            {' '}
            · {model.languages.slice(0, SHOWN_LANGUAGES).join(', ')}
            {model.languages.length > SHOWN_LANGUAGES && ` +${model.languages.length - SHOWN_LANGUAGES} more`}
          </span>
        )}
      </p>
      <p className="model-explain">{model.fit.explanation}</p>
      {model.speed && (
        <div className="model-row-facts">
          <SpeedChip speed={model.speed} />
        </div>
      )}
      {pull && <PullControl name={model.name} installed={model.installed} pull={pull} host={host} tooBig={model.fit.verdict === 'too_big'} />}
    </li>
  );
}
