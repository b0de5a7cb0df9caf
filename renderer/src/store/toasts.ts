// Transient notifications (bottom-right).
import { appStore, type Toast } from './app-state.js';

let nextToastId = 1;

export function pushToast(toast: Omit<Toast, 'id'>, ttlMs = toast.kind === 'error' ? 10_000 : 5_000): number {
  const id = nextToastId++;
  appStore.setState((s) => ({ toasts: [...s.toasts, { ...toast, id }].slice(-4) }));
  setTimeout(() => dismissToast(id), ttlMs);
  return id;
}

export function dismissToast(id: number): void {
  appStore.setState((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
}
