import type { ModelFit } from '../../../../shared/index.js';
import { verdictBadge } from '../../lib/fit.js';

/** The fit verdict as a coloured pill; hovering shows why. */
export function VerdictBadge({ fit, title }: { fit: ModelFit; title?: string }) {
  return (
    <span className={`verdict verdict-${fit.verdict}`} data-testid="verdict-badge" data-verdict={fit.verdict} title={title ?? fit.explanation}>
      {verdictBadge(fit.verdict, fit.gpuLayersPercent)}
    </span>
  );
}
