import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { appStore } from '../../renderer/src/store/app-state.js';
import { defaultTtl, dismissNewestToast, pushToast, TOAST_TTL_MS, toastTtl } from '../../renderer/src/store/toasts.js';

describe('toasts', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    appStore.setState({ toasts: [] });
  });
  afterEach(() => vi.useRealTimers());

  it('info and success fade after a few seconds; errors stay until dismissed', () => {
    const info = pushToast({ kind: 'info', text: 'Saved' });
    const error = pushToast({ kind: 'error', text: 'Could not save' });
    expect(toastTtl(info)).toBe(TOAST_TTL_MS);
    expect(toastTtl(error)).toBeNull();
    expect(defaultTtl('error')).toBeNull();
    vi.advanceTimersByTime(TOAST_TTL_MS + 1);
    expect(appStore.getState().toasts.map((t) => t.id)).toEqual([error]);
    vi.advanceTimersByTime(10 * 60_000);
    expect(appStore.getState().toasts.map((t) => t.id)).toEqual([error]);
  });

  it('Escape (dismissNewestToast) takes the newest first', () => {
    const a = pushToast({ kind: 'error', text: 'a' });
    pushToast({ kind: 'error', text: 'b' });
    expect(dismissNewestToast()).toBe(true);
    expect(appStore.getState().toasts.map((t) => t.id)).toEqual([a]);
    expect(dismissNewestToast()).toBe(true);
    expect(dismissNewestToast()).toBe(false);
  });
});
