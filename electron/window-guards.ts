// Electron's security checklist wired to the pure decisions in security.ts, once for every
// window and webview: no permissions, a CSP on every response, no navigation off the app
// origin, no new windows, and no DevTools in production.
import { app, session, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from './server/static-files.js';
import { electronContentSecurityPolicy, isDevToolsShortcut, mayNavigateTo } from './security.js';
import { isPreviewContents } from './preview-view.js';

/** The desktop window's CSP (connect-src 'self': it talks to the engine over IPC). */
export const ELECTRON_CSP = electronContentSecurityPolicy(CONTENT_SECURITY_POLICY);

function stayOnAppOrigin(contents: WebContents): void {
  const guard = (event: { preventDefault(): void }, url: string) => {
    if (!mayNavigateTo(url)) event.preventDefault();
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-frame-navigate', (event) => guard(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export function applySecurityDefaults({ devTools }: { devTools: boolean }): void {
  // The UI needs no camera, notifications, clipboard-read, … : refuse them all, whoever asks.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  // app:// responses carry the CSP from the protocol handler (main.ts); this covers anything else.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [ELECTRON_CSP] } });
  });
  app.on('web-contents-created', (_event, contents: WebContents) => {
    // Links from model output never open a window, nor go straight to the system browser:
    // the renderer asks the user first and then calls app.openExternal (main.ts).
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    // A project's preview stays on its app's own origin instead (preview-view.ts).
    if (!isPreviewContents(contents)) stayOnAppOrigin(contents);
    if (!devTools) {
      contents.on('before-input-event', (event, input) => {
        if (isDevToolsShortcut(input)) event.preventDefault();
      });
      // Belt and braces: webPreferences.devTools is false too (main.ts).
      contents.on('devtools-opened', () => contents.closeDevTools());
    }
  });
}
