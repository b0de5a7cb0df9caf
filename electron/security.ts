// The desktop shell's security decisions, as pure functions (no `electron` import) so a unit
// test can pin them without an Electron binary. electron/window-guards.ts wires them to
// Electron's events; main.ts and the IPC binding call them.

/** Where the renderer is served from (main.ts registers `app` as a standard, secure scheme). */
export const APP_ORIGIN = 'app://macs';
const APP_PROTOCOL = 'app:';
const APP_HOST = 'macs';

/**
 * True only for a URL on exactly the app's origin. A prefix check (`startsWith('app://macs')`)
 * also passes `app://macs.evil.com`, `app://macs@evil` and `app://macsx`; parsing and comparing
 * scheme, host, port and credentials does not. Chromium hands us canonical URLs (a standard
 * scheme's host is lower-cased), so any other spelling, `app://MACS` included, did not come
 * from our own page and is refused.
 */
export function isAppOrigin(url: string | null | undefined): boolean {
  if (typeof url !== 'string' || url === '') return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // `host` includes any port; `app:` is not a WHATWG special scheme, so its host is compared
  // as written (no case-folding).
  return parsed.protocol === APP_PROTOCOL && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
}

/** In-app navigation (will-navigate, will-redirect, will-frame-navigate) stays on the app origin. */
export function mayNavigateTo(url: string): boolean {
  return isAppOrigin(url);
}

/** The part of an IPC event we look at: the frame that sent it (null once it navigated away or died). */
export interface IpcSenderLike {
  senderFrame?: { url: string } | null;
}

/** Only the app's own page may call the contract over IPC. */
export function isTrustedIpcSender(event: IpcSenderLike): boolean {
  try {
    return isAppOrigin(event.senderFrame?.url);
  } catch {
    return false; // reading a destroyed frame's url throws: nothing to trust
  }
}

/** DevTools give whoever sits at the window the page's full powers: developers only. */
export function devToolsAllowed({ isPackaged, env }: { isPackaged: boolean; env: Record<string, string | undefined> }): boolean {
  return !isPackaged || env.MACS_DEVTOOLS === '1';
}

/** What Electron's before-input-event gives us (a subset of Electron.Input). */
export interface KeyInput {
  type: string;
  key: string;
  control: boolean;
  meta: boolean;
  shift: boolean;
  alt: boolean;
}

/** Chromium's own DevTools shortcuts: F12, Ctrl+Shift+I/J/C, and on macOS Cmd+Alt+I/J/C. */
export function isDevToolsShortcut(input: KeyInput): boolean {
  if (input.type !== 'keyDown') return false;
  if (input.key === 'F12') return true;
  const key = input.key.toLowerCase();
  if (!['i', 'j', 'c'].includes(key)) return false;
  return (input.control && input.shift && !input.alt) || (input.meta && input.alt);
}

/**
 * The desktop window's CSP: the browser host's policy with `connect-src 'self'`. The desktop
 * UI talks to the engine over IPC, so it needs no WebSocket or HTTP host at all; 'self' is
 * app://macs (the renderer's own assets).
 */
export function electronContentSecurityPolicy(base: string): string {
  const directives = base
    .split(';')
    .map((d) => d.trim())
    .filter((d) => d !== '' && !/^connect-src(\s|$)/i.test(d));
  return [...directives, "connect-src 'self'"].join('; ');
}

/** The View menu's items (Electron menu roles): the stock `viewMenu` role includes Toggle Developer Tools. */
export function viewMenuItems(devTools: boolean): ({ role: 'reload' | 'forceReload' | 'toggleDevTools' | 'resetZoom' | 'zoomIn' | 'zoomOut' | 'togglefullscreen' } | { type: 'separator' })[] {
  return [
    { role: 'reload' },
    { role: 'forceReload' },
    ...(devTools ? [{ role: 'toggleDevTools' as const }] : []),
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
}
