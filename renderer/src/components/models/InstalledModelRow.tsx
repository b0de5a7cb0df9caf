import type { CatalogModel } from '../../../../shared/index.js';
import { useApp } from '../../store/app-state.js';
import { selectModel } from '../../store/engine.js';
import { comparableEstimate, fitTitle, formatCtx, loadedLine, modelFacts } from '../../lib/fit.js';
import { formatBytes } from '../../lib/format.js';
import { VerdictBadge } from './VerdictBadge.js';
import { EstimateBreakdown, type Capacity } from './EstimateBreakdown.js';
import { DeleteModelButton } from './DeleteModelButton.js';
import { RoughChip, SpeedChip } from './SpeedChip.js';

interface Props {
  model: CatalogModel;
  recommended: boolean;
  /** What the estimate is measured against (local hosts only); null hides the marker. */
  capacity: Capacity | null;
  /** Pass the host to delete on (omitted for the default host). */
  host?: string;
  /** The host is known to have no GPU Ollama can use. */
  noGpu: boolean;
}

export function InstalledModelRow({ model, recommended, capacity, host, noGpu }: Props) {
  const selected = useApp((s) => s.selectedModel === model.name);
  const { fit } = model;
  const sameCtxEstimate = comparableEstimate(model);
  return (
    <li className="model-row" data-testid="installed-model" data-model={model.name} data-verdict={fit.verdict}>
      <div className="model-row-head">
        <span className="model-name">{model.name}</span>
        {modelFacts(model).map((f) => (
          <span key={f} className="chip chip-muted">
            {f}
          </span>
        ))}
        {model.contextLength ? (
          <span className="chip chip-muted" title="Context the model was trained for">
            trained {formatCtx(model.contextLength)}
          </span>
        ) : (
          <span className="chip chip-muted" data-testid="trained-unknown" title="/api/show does not say what context this model was trained for; MACS sizes it by your num_ctx (or the Modelfile's) rather than guess">
            trained: unknown
          </span>
        )}
        {recommended && (
          <span className="chip chip-rec" title="The best coding model for this machine: the default for new tasks until you pick another">
            ★ recommended
          </span>
        )}
        <span className="model-row-spacer" />
        {fit.estimate?.rough && <RoughChip reason={fit.estimate.roughReason} />}
        <VerdictBadge fit={fit} title={fitTitle(model)} />
        {selected ? (
          <span className="chip chip-good" title="New tasks use this model">
            in use
          </span>
        ) : (
          <button
            type="button"
            className="btn btn-small btn-ghost"
            disabled={fit.verdict === 'too_big'}
            onClick={() => void selectModel(model.name)}
            title="Use this model for new tasks"
          >
            Use
          </button>
        )}
        <DeleteModelButton name={model.name} host={host} size={model.size} />
      </div>
      <p className="model-explain" data-testid="fit-explanation">
        {fit.explanation}
      </p>
      {fit.estimate && <EstimateBreakdown estimate={fit.estimate} capacity={capacity} />}
      <div className="model-row-facts">
        <SpeedChip speed={model.speed} />
        {/* With no GPU the explanation already says it runs on the CPU. */}
        {!noGpu && (
          <span>
            Fully on the GPU up to:{' '}
            <strong>
              {fit.maxGpuContext ? `${formatCtx(fit.maxGpuContext)} context` : fit.verdict === 'unknown' ? 'unknown' : 'does not fit at any context'}
            </strong>
          </span>
        )}
        {model.loaded ? (
          <span className="model-loaded" data-testid="model-loaded" title="As Ollama reports it (/api/ps)">
            {loadedLine(model.loaded)}
            {sameCtxEstimate && ` (estimate ${formatBytes(sameCtxEstimate.totalBytes)})`}
          </span>
        ) : (
          <span className="muted">not loaded</span>
        )}
      </div>
    </li>
  );
}
