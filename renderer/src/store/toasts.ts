// Transient notifications, stacked at the top of the chat column (never over the editor or the
// terminal's buttons). Info and success fade after a few seconds; errors stay until dismissed.
import { appStore, type Toast } from './app-state.js';

let nextToastId = 1;
export const TOAST_TTL_MS = 5_000;
/** How long the fade-out lasts at the end of a toast's life (toasts.css keeps the same number). */
export const TOAST_FADE_MS = 400;

/** Each fading toast's life in ms (errors have none: they stay). */
const ttlById = new Map<number, number>();

export function toastTtl(id: number): number | null {
  return ttlById.get(id) ?? null;
}

/** The default life of a toast of `kind`: null = until dismissed. */
export function defaultTtl(kind: Toast['kind']): number | null {
  return kind === 'error' ? null : TOAST_TTL_MS;
}

export function pushToast(toast: Omit<Toast, 'id'>, ttlMs: number | null = defaultTtl(toast.kind)): number {
  const id = nextToastId++;
  appStore.setState((s) => ({ toasts: [...s.toasts, { ...toast, id }].slice(-4) }));
  if (ttlMs !== null) {
    ttlById.set(id, ttlMs);
    setTimeout(() => dismissToast(id), ttlMs);
  }
  return id;
}

export function dismissToast(id: number): void {
  ttlById.delete(id);
  appStore.setState((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
}

/** Escape with nothing focused, or on a toast: the newest one goes. */
export function dismissNewestToast(): boolean {
  const last = appStore.getState().toasts.at(-1);
  if (!last) return false;
  dismissToast(last.id);
  return true;
}
