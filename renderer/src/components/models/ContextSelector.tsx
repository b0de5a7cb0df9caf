import { useApp } from '../../store/app-state.js';
import { loadScreenCatalog } from '../../store/catalog.js';
import { formatCtx } from '../../lib/fit.js';

const CHOICES = [4096, 8192, 16384, 32768, 65536];

/** Re-judge every model at another context length (tasks keep the one from Settings). */
export function ContextSelector() {
  const defaultCtx = useApp((s) => s.catalog?.numCtx ?? null);
  const chosen = useApp((s) => s.screenNumCtx ?? s.catalog?.numCtx ?? null);
  const loading = useApp((s) => s.screenLoading);
  const exploring = chosen !== null && defaultCtx !== null && chosen !== defaultCtx;
  const choices = [...new Set([...CHOICES, ...(defaultCtx ? [defaultCtx] : [])])].sort((a, b) => a - b);
  return (
    <div className="ctx-selector" role="radiogroup" aria-label="Context length" data-testid="context-selector">
      <span className="ctx-selector-label" title="Memory needed grows with the context (the KV cache). Pick one to see how the verdicts change.">
        Fit at context
      </span>
      {choices.map((n) => (
        <button
          key={n}
          type="button"
          role="radio"
          aria-checked={n === chosen}
          className={`ctx-choice${n === chosen ? ' active' : ''}`}
          data-testid={`ctx-${n}`}
          disabled={loading && n !== chosen}
          title={n === defaultCtx ? `${n.toLocaleString('en-US')} tokens — what new tasks use (Settings)` : `${n.toLocaleString('en-US')} tokens`}
          onClick={() => void loadScreenCatalog(n === defaultCtx ? null : n)}
        >
          {formatCtx(n)}
          {n === defaultCtx && <span className="ctx-default-dot" aria-label="(used by tasks)" />}
        </button>
      ))}
      {exploring && (
        <span className="ctx-note" data-testid="ctx-note">
          exploring — tasks run at {formatCtx(defaultCtx)} (Settings)
        </span>
      )}
    </div>
  );
}
