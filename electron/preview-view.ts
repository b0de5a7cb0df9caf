// The desktop app's preview of a project's running app: one WebContentsView per project,
// laid over the rectangle the renderer keeps for it (preview.attach / preview.detach).
// The page is the generated app, so it is treated as hostile: its own in-memory session
// (`preview-<projectId>`), no preload, no node, sandboxed, no permissions, no windows, no
// navigation or requests off its own origin (the app's 127.0.0.1 port), so it can neither
// drive the MACS window nor reach MACS's IPC, REST API or another project's preview.
import { session, WebContentsView, type BrowserWindow, type Session, type WebContents } from 'electron';
import { MacsError, methods, type MethodResult } from '../shared/index.js';
import type { Engine } from './core/engine/index.js';
import { mayPreviewNavigate, mayPreviewRequest, previewOriginOf, scaleBounds } from './preview-policy.js';

interface PreviewView {
  view: WebContentsView;
  attached: boolean;
}

const views = new Map<string, PreviewView>();
/** Per project, http://127.0.0.1:<port>: the only origin its page may load, navigate to or fetch. */
const origins = new Map<string, string>();
/** Sessions of preview views: the window guards leave their navigation to this file. */
const previewSessions = new WeakSet<Session>();

/** A preview's web contents follows its own rules (its origin), not the app window's. */
export function isPreviewContents(contents: WebContents): boolean {
  return previewSessions.has(contents.session);
}

/** An in-memory session per project: nothing persisted, nothing shared with MACS or another project. */
function previewSession(projectId: string): Session {
  const ses = session.fromPartition(`preview-${projectId.replace(/[^\w-]/g, '_')}`, { cache: false });
  if (previewSessions.has(ses)) return ses;
  previewSessions.add(ses);
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  // Requests go to the app's own origin only (data: and blob: are the page's own bytes).
  ses.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !mayPreviewRequest(details.url, origins.get(projectId)) });
  });
  ses.on('will-download', (event) => event.preventDefault());
  return ses;
}

function createView(projectId: string): PreviewView {
  const view = new WebContentsView({
    webPreferences: {
      session: previewSession(projectId),
      nodeIntegration: false,
      contextIsolation: true,
      sandbox: true,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
      devTools: false,
    },
  });
  const contents = view.webContents;
  const own = (url: string) => mayPreviewNavigate(url, origins.get(projectId));
  const stayOnOrigin = (event: { preventDefault(): void }, url: string) => {
    if (!own(url)) event.preventDefault();
  };
  contents.on('will-navigate', stayOnOrigin);
  contents.on('will-redirect', stayOnOrigin);
  contents.on('will-frame-navigate', (event) => stayOnOrigin(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // No windows: a link to the app's own origin opens in place; nothing else opens at all.
  contents.setWindowOpenHandler(({ url }) => {
    if (own(url)) void contents.loadURL(url);
    return { action: 'deny' };
  });
  const entry = { view, attached: false };
  views.set(projectId, entry);
  return entry;
}

/** The run's own URL for the project: the renderer is untrusted, so the page to show is checked against it. */
async function runOrigin(engine: Engine, projectId: string): Promise<string> {
  const { run } = (await engine.invoke('apps.status', { projectId })) as MethodResult<'apps.status'>;
  const origin = run.url && run.state === 'ready' ? previewOriginOf(run.url) : null;
  if (!origin) throw new MacsError('APP_NOT_RUNNING', 'The project’s app is not running: Run it first, then the preview shows it.');
  return origin;
}

export async function attachPreview(engine: Engine, window: BrowserWindow | null, params: unknown): Promise<MethodResult<'preview.attach'>> {
  const parsed = methods['preview.attach'].params.safeParse(params);
  if (!parsed.success) throw new MacsError('INVALID_INPUT', 'preview.attach needs { projectId, url, bounds: { x, y, width, height }, reload? }.');
  if (!window || window.isDestroyed()) return { attached: false };
  const { projectId, url, bounds, reload } = parsed.data;
  const origin = await runOrigin(engine, projectId);
  if (previewOriginOf(url) !== origin) throw new MacsError('INVALID_INPUT', `The preview only shows the app at ${origin}.`);
  origins.set(projectId, origin); // a restart may have moved the app to another port
  let entry = views.get(projectId);
  const fresh = !entry;
  if (!entry) entry = createView(projectId);
  if (!entry.attached) {
    window.contentView.addChildView(entry.view);
    entry.attached = true;
  }
  entry.view.setBounds(scaleBounds(bounds, window.webContents.getZoomFactor()));
  if (fresh || reload) await entry.view.webContents.loadURL(url).catch(() => undefined); // a failed load shows Chromium's error page, in the view
  return { attached: true };
}

export function detachPreview(window: BrowserWindow | null, params: unknown): MethodResult<'preview.detach'> {
  const parsed = methods['preview.detach'].params.safeParse(params);
  if (!parsed.success) throw new MacsError('INVALID_INPUT', 'preview.detach needs { projectId }.');
  const entry = views.get(parsed.data.projectId);
  if (entry?.attached && window && !window.isDestroyed()) window.contentView.removeChildView(entry.view);
  if (entry) entry.attached = false;
  return {};
}

/** The window is going: every preview's page with it. */
export function closePreviews(): void {
  for (const entry of views.values()) entry.view.webContents.close();
  views.clear();
}
