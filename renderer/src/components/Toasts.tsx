import { useApp } from '../store/app-state.js';
import { dismissToast } from '../store/toasts.js';
import { InlineCode } from './InlineCode.js';

export function Toasts() {
  const toasts = useApp((s) => s.toasts);
  if (toasts.length === 0) return null;
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.kind}`} data-testid="toast" role={t.kind === 'error' ? 'alert' : 'status'}>
          <div className="toast-text">
            <span>
              <InlineCode text={t.text} />
            </span>
            {t.detail && <span className="toast-detail">{t.detail}</span>}
          </div>
          <button type="button" className="toast-close" aria-label="Dismiss" onClick={() => dismissToast(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
