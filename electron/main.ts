// Electron main: window, app protocol, dialogs, and the contract bound to IPC.
// Everything else lives in electron/core and is shared with `macs serve` and the CLI.
import { app, BrowserWindow, dialog, Menu, net, protocol, safeStorage, shell } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { IPC_TOPIC_CHANNEL, MacsError, methods, requireExternalLink, type MethodName, type MethodResult, type TopicPayload } from '../shared/index.js';
import { createEngine, type Engine } from './core/engine/index.js';
import { bindContractToIpc, forwardTopics } from './ipc-binding.js';
import { APP_ORIGIN, devToolsAllowed, isAppOrigin, isTrustedIpcSender, viewMenuItems } from './security.js';
import { applySecurityDefaults, ELECTRON_CSP } from './window-guards.js';
import { attachPreview, closePreviews, detachPreview } from './preview-view.js';

declare const __MACS_VERSION__: string;

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

const rendererDir = path.join(__dirname, '..', 'renderer');
let mainWindow: BrowserWindow | null = null;
let engine: Engine | null = null;
/** Developers only: an unpackaged run, or MACS_DEVTOOLS=1 to debug a packaged app. */
const devTools = devToolsAllowed({ isPackaged: app.isPackaged, env: process.env });

function serveRenderer(): void {
  protocol.handle('app', async (request) => {
    // Only app://macs is the app; any other app:// host is not ours to serve.
    if (!isAppOrigin(request.url)) return new Response('Not found', { status: 404 });
    const { pathname } = new URL(request.url);
    const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    const file = path.resolve(rendererDir, rel);
    if (!file.startsWith(rendererDir + path.sep)) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    // webRequest does not see custom-protocol responses, so the CSP header is set here.
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', ELECTRON_CSP);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  });
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'MACS Desktop',
    backgroundColor: '#0f1115',
    show: false,
    webPreferences: {
      preload: path.join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      devTools,
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

/** The native save dialog for a zip; null when the user cancelled. */
async function askZipPath(name: string): Promise<string | null> {
  const options: Electron.SaveDialogOptions = {
    title: 'Export project as zip',
    defaultPath: path.join(app.getPath('downloads'), `${name.replace(/[^\w.-]+/g, '-').slice(0, 40) || 'project'}.zip`),
    filters: [{ name: 'Zip archive', extensions: ['zip'] }],
  };
  const choice = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options);
  return choice.canceled || !choice.filePath ? null : choice.filePath;
}

const CANCELLED_EXPORT = { exportId: '', fileName: '', fileCount: 0, bytes: 0, downloadUrl: null, savedPath: null };

async function exportWithSaveDialog(params: unknown): Promise<MethodResult<'export.zip'>> {
  const { taskId } = (params ?? {}) as { taskId?: unknown };
  if (typeof taskId !== 'string' || !engine) throw new MacsError('INVALID_INPUT', 'taskId is required.');
  const { task } = (await engine.invoke('tasks.get', { taskId })) as MethodResult<'tasks.get'>;
  const filePath = await askZipPath(task.title);
  if (!filePath) return CANCELLED_EXPORT;
  const prepared = await engine.exportTask(taskId, filePath);
  return { ...prepared, downloadUrl: null, savedPath: prepared.path };
}

/**
 * A project's zip (its files now, or at a version) where the user says: the engine's
 * `/download/…` link means nothing under app://, so the zip it prepared is copied out.
 */
async function exportProjectWithSaveDialog(params: unknown): Promise<MethodResult<'projects.export'>> {
  const parsed = methods['projects.export'].params.safeParse(params);
  if (!parsed.success || !engine) throw new MacsError('INVALID_INPUT', 'projects.export needs { projectId: string, versionId?: string }.');
  const { projectId, versionId } = parsed.data;
  const { project } = (await engine.invoke('projects.get', { projectId })) as MethodResult<'projects.get'>;
  let name = project.name;
  if (versionId !== undefined) {
    const { versions } = (await engine.invoke('projects.versions', { projectId })) as MethodResult<'projects.versions'>;
    const number = versions.find((v) => v.id === versionId)?.number;
    if (number !== undefined) name = `${name.slice(0, 30)}-v${number}`;
  }
  const filePath = await askZipPath(name);
  if (!filePath) return CANCELLED_EXPORT;
  const prepared = (await engine.invoke('projects.export', parsed.data)) as MethodResult<'projects.export'>;
  await fs.promises.copyFile(engine.exportFile(prepared.exportId).path, filePath);
  return { ...prepared, downloadUrl: null, savedPath: filePath };
}

/**
 * A link from model output, after the user confirmed it in the app's dialog (the renderer
 * shows the full URL first). Checked again here: the renderer is untrusted.
 */
async function openExternalLink(params: unknown): Promise<MethodResult<'app.openExternal'>> {
  const parsed = methods['app.openExternal'].params.safeParse(params);
  if (!parsed.success) throw new MacsError('INVALID_INPUT', 'app.openExternal needs { url: string }.');
  const link = requireExternalLink(parsed.data.url);
  await shell.openExternal(link.href);
  return { opened: true };
}

async function chooseFolder(): Promise<MethodResult<'workspaces.choose'>> {
  const options: Electron.OpenDialogOptions = { title: 'Open a project folder', properties: ['openDirectory', 'createDirectory'] };
  const choice = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
  return { path: choice.canceled ? null : (choice.filePaths[0] ?? null) };
}

/** Menu commands reach the renderer as the contract's app.command topic. */
function sendCommand(payload: TopicPayload<'app.command'>): void {
  const contents = mainWindow?.webContents;
  if (contents && !contents.isDestroyed()) contents.send(IPC_TOPIC_CHANNEL, { topic: 'app.command', payload });
}

/** Open Recent: the opened folders (folder projects still on disk), most recent first. */
async function recentFolders(): Promise<string[]> {
  if (!engine) return [];
  const { projects } = (await engine.invoke('projects.list', { limit: 5000 })) as MethodResult<'projects.list'>;
  return projects
    .filter((p) => p.kind === 'folder' && !p.folderMissing)
    .sort((a, b) => b.updatedAt - a.updatedAt)
    .map((p) => p.root);
}

/** File → Open Folder… and Open Recent (rebuilt when the recent list may have changed). */
async function buildMenu(): Promise<void> {
  const recent = await recentFolders();
  const template: Electron.MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open Folder…', accelerator: 'CmdOrCtrl+O', click: () => sendCommand({ command: 'open-folder' }) },
        {
          label: 'Open Recent',
          enabled: recent.length > 0,
          submenu: recent.slice(0, 10).map((root) => ({ label: root, click: () => sendCommand({ command: 'open-workspace', root }) })),
        },
        { type: 'separator' },
        process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    // Not the stock viewMenu role: it carries Toggle Developer Tools, which production must not.
    { label: 'View', submenu: viewMenuItems(devTools) },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

/** The engine's own handler, then Open Recent rebuilt (a failed call changed nothing: no rebuild). */
function rebuildMenuAfter(method: MethodName): (params: unknown) => Promise<unknown> {
  return async (params) => {
    const result = await engine!.invoke(method, params);
    void buildMenu();
    return result;
  };
}

async function start(): Promise<void> {
  const gotLock = app.requestSingleInstanceLock();
  if (!gotLock) {
    app.quit();
    return;
  }
  await app.whenReady();
  applySecurityDefaults({ devTools });
  serveRenderer();

  try {
    engine = createEngine({
      dataDir: process.env.MACS_DATA_DIR ?? app.getPath('userData'),
      host: 'electron',
      version: typeof __MACS_VERSION__ === 'string' ? __MACS_VERSION__ : app.getVersion(),
      ollamaHost: process.env.OLLAMA_HOST,
      monitorOllama: true,
      // Provider keys in the OS keychain. Linux without a secret store falls back to "basic_text"
      // (a hard-coded password: https://www.electronjs.org/docs/latest/api/safe-storage), no
      // better than plain text, so it counts as no keychain and the user is asked before a key is stored.
      secretCipher: {
        isEncryptionAvailable: () => safeStorage.isEncryptionAvailable() && !(process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text'),
        encryptString: (plain) => safeStorage.encryptString(plain),
        decryptString: (encrypted) => safeStorage.decryptString(encrypted),
      },
      // The only origin allowed to frame a running app's preview.
      appOrigins: [APP_ORIGIN],
    });
  } catch (err) {
    // A read-only data folder: one sentence the user can act on, not a stack trace.
    if (!(err instanceof MacsError && err.code === 'DATA_DIR_NOT_WRITABLE')) throw err;
    dialog.showErrorBox('MACS cannot start', err.message);
    app.quit();
    return;
  }
  bindContractToIpc(engine, isTrustedIpcSender, {
    'app.openExternal': openExternalLink,
    'export.zip': exportWithSaveDialog,
    'projects.export': exportProjectWithSaveDialog,
    'workspaces.choose': chooseFolder,
    // The engine checks the path (inside a project folder) and answers it; the desktop shows it.
    'workspaces.reveal': async (params) => {
      const shown = (await engine!.invoke('workspaces.reveal', params)) as MethodResult<'workspaces.reveal'>;
      shell.showItemInFolder(shown.path);
      return shown;
    },
    // The preview of a project's app: a native view over the renderer's rectangle (preview-view.ts).
    'preview.attach': (params) => attachPreview(engine!, mainWindow, params),
    'preview.detach': async (params) => detachPreview(mainWindow, params),
    // These change which folders are open (the renderer opens one with projects.create): Open Recent follows.
    'projects.create': rebuildMenuAfter('projects.create'),
    'projects.delete': rebuildMenuAfter('projects.delete'),
    'projects.locate': rebuildMenuAfter('projects.locate'),
    'workspaces.open': rebuildMenuAfter('workspaces.open'),
  });
  await buildMenu();
  forwardTopics(engine, () => mainWindow?.webContents ?? null);
  mainWindow = createWindow();
  mainWindow.on('closed', closePreviews);

  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let closing = false;
  app.on('before-quit', (event) => {
    if (closing || !engine) return;
    closing = true;
    event.preventDefault();
    void engine.close().finally(() => app.exit(0));
  });
  if (process.env.MACS_SMOKE_TEST) {
    // The Electron smoke test: load the UI, prove the bridge answers (and that the desktop
    // app's own app.openExternal refuses a file: link, and window.open opens nothing), quit.
    mainWindow.webContents.once('did-finish-load', async () => {
      // userGesture: true, so Chromium's popup blocker is not what stops window.open.
      const run = (js: string) => mainWindow!.webContents.executeJavaScript(js, true);
      const info = await run('window.macs.call("app.info", {})');
      const fileLink = await run('window.macs.call("app.openExternal", { url: "file:///etc/passwd" }).then(() => "opened", (e) => e.code)');
      const popup = await run('String(window.open("https://example.com/", "_blank"))');
      process.stdout.write(`MACS_SMOKE_OK ${JSON.stringify({ ...info, fileLink, popup })}\n`);
      app.quit();
    });
  }
}

void start();
