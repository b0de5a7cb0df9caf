import { useEffect } from 'react';
import { useApp } from '../store/app-state.js';
import { dismissNewestToast, dismissToast, TOAST_FADE_MS, toastTtl } from '../store/toasts.js';
import { InlineCode } from './InlineCode.js';

/** Escape dismisses the newest toast when nothing else has the focus (a dialog, a field, the editor keep their Escape). */
function useEscapeDismiss(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      const focused = document.activeElement;
      if (focused && focused !== document.body && !focused.closest('.toasts')) return;
      if (dismissNewestToast()) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

export function Toasts() {
  const toasts = useApp((s) => s.toasts);
  useEscapeDismiss();
  if (toasts.length === 0) return null;
  return (
    <div className="toasts" aria-live="polite" data-testid="toasts">
      {toasts.map((t) => {
        const ttl = toastTtl(t.id);
        // The fade is CSS, timed to end as the store drops the toast.
        const style = ttl !== null ? ({ '--toast-fade-delay': `${Math.max(0, ttl - TOAST_FADE_MS)}ms` } as React.CSSProperties) : undefined;
        return (
          <div
            key={t.id}
            className={`toast toast-${t.kind}${ttl !== null ? ' toast-fades' : ''}`}
            data-testid="toast"
            data-kind={t.kind}
            role={t.kind === 'error' ? 'alert' : 'status'}
            style={style}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.preventDefault();
                e.stopPropagation();
                dismissToast(t.id);
              }
            }}
          >
            <div className="toast-text">
              <span>
                <InlineCode text={t.text} />
              </span>
              {t.detail && <span className="toast-detail">{t.detail}</span>}
            </div>
            <button type="button" className="toast-close" aria-label="Dismiss (Esc)" title="Dismiss (Esc)" onClick={() => dismissToast(t.id)}>
              ×
            </button>
          </div>
        );
      })}
    </div>
  );
}
