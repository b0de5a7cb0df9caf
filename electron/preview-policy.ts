// What a project's preview page may do in the desktop app (preview-view.ts), as pure
// decisions so they can be tested without Electron: the page stays on its app's origin.

/** The origin of an http(s) URL; null for anything else (file:, javascript:, app:, a bad URL). */
export function previewOriginOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

/** The page may navigate (or open in place) only to its own app's origin. */
export function mayPreviewNavigate(url: string, appOrigin: string | undefined): boolean {
  return appOrigin !== undefined && previewOriginOf(url) === appOrigin;
}

/**
 * The page's requests: its own app's origin (its WebSocket too, e.g. a dev server's live
 * reload), and its own bytes (data:, blob:); nothing else (no internet, no MACS, no other preview).
 */
export function mayPreviewRequest(url: string, appOrigin: string | undefined): boolean {
  if (url.startsWith('data:') || url.startsWith('blob:')) return true;
  const asHttp = url.replace(/^ws(s?):/i, 'http$1:');
  return mayPreviewNavigate(asHttp, appOrigin);
}

/** The renderer's rectangle (CSS pixels) in window pixels, at the window's zoom. */
export function scaleBounds(bounds: { x: number; y: number; width: number; height: number }, zoom: number) {
  const z = Number.isFinite(zoom) && zoom > 0 ? zoom : 1;
  return { x: Math.round(bounds.x * z), y: Math.round(bounds.y * z), width: Math.round(bounds.width * z), height: Math.round(bounds.height * z) };
}
