// The terminal panel's state: the selected task's sessions, which one is shown, the panel
// itself; and the actions (open, close, follow the task selection, resync on reconnect).
import type { IsolationLevel, TerminalSession } from '../../../shared/index.js';
import type { AppClient } from '../client/index.js';
import { toClientError } from '../client/index.js';
import { errorLine } from '../lib/error-text.js';
import { appStore } from './app-state.js';
import { createStore, useStoreSelector } from './create-store.js';
import { addStream, getStream, removeStream, restoreAll, retainStreams, routeFrame, setStreamHooks } from './terminal-registry.js';
import { pushToast } from './toasts.js';
import { layoutStore, rememberTerminalHeight, storedTerminalHeight } from './layout.js';

const OPEN_KEY = 'macs.terminalOpen';

export interface TerminalState {
  /** The task whose sessions are listed (the selected one). */
  taskId: string | null;
  sessions: TerminalSession[];
  activeId: string | null;
  panelOpen: boolean;
  height: number;
  /** The search box is open over the active session. */
  searchOpen: boolean;
  opening: boolean;
  /** The last cols/rows a pane was fitted to: a new shell starts at that size. */
  lastSize: { cols: number; rows: number } | null;
  /** Sessions with output the user has not looked at (a dot on their tab). */
  unseen: Record<string, true>;
}

function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

export const terminalStore = createStore<TerminalState>({
  taskId: null,
  sessions: [],
  activeId: null,
  panelOpen: stored(OPEN_KEY) === '1',
  height: storedTerminalHeight(),
  searchOpen: false,
  opening: false,
  lastSize: null,
  unseen: {},
});

// A resized window (another size class, or a shorter one) takes the height remembered for it, within its bounds.
layoutStore.subscribe(() => {
  const height = storedTerminalHeight();
  if (height !== terminalStore.getState().height) terminalStore.setState({ height });
});

export function useTerminal<T>(selector: (s: TerminalState) => T): T {
  return useStoreSelector(terminalStore, selector);
}

let client: AppClient | null = null;

function c(): AppClient {
  if (!client) throw new Error('terminals are not set up yet');
  return client;
}

export function setPanelOpen(open: boolean): void {
  terminalStore.setState((s) => ({ panelOpen: open, unseen: open && s.activeId ? withoutKey(s.unseen, s.activeId) : s.unseen }));
  try {
    localStorage.setItem(OPEN_KEY, open ? '1' : '0');
  } catch {
    // private mode: the choice lasts this session only
  }
}

export function setPanelHeight(height: number, remember: boolean): void {
  terminalStore.setState({ height });
  if (remember) rememberTerminalHeight(height);
}

export function setActiveSession(sessionId: string): void {
  terminalStore.setState((s) => ({ activeId: sessionId, searchOpen: false, unseen: withoutKey(s.unseen, sessionId) }));
  if (!terminalStore.getState().panelOpen) setPanelOpen(true);
}

export function setSearchOpen(open: boolean): void {
  terminalStore.setState({ searchOpen: open });
  if (!open) {
    const id = terminalStore.getState().activeId;
    if (id) getStream(id)?.parts.term.focus();
  }
}

function withoutKey(unseen: Record<string, true>, key: string): Record<string, true> {
  if (!unseen[key]) return unseen;
  const next = { ...unseen };
  delete next[key];
  return next;
}

/** Output arrived for a session: mark its tab unless it is the one on screen. */
function noteOutput(sessionId: string): void {
  const s = terminalStore.getState();
  if (s.unseen[sessionId] || (s.activeId === sessionId && s.panelOpen)) return;
  if (s.sessions.some((x) => x.sessionId === sessionId)) terminalStore.setState({ unseen: { ...s.unseen, [sessionId]: true } });
}

/** Show `taskId`'s sessions: keep streams of that task, restore the others from the engine. */
export async function loadSessions(taskId: string | null): Promise<void> {
  const prev = terminalStore.getState();
  // The project's App tab (terminal-app.ts) stays whichever turn is selected.
  const appTabs = () => terminalStore.getState().sessions.filter((s) => s.kind === 'app');
  if (taskId !== prev.taskId) {
    const kept = appTabs();
    terminalStore.setState({ taskId, sessions: kept, activeId: kept[0]?.sessionId ?? null, searchOpen: false, unseen: {} });
  }
  if (!taskId) {
    retainStreams(new Set(appTabs().map((s) => s.sessionId)));
    return;
  }
  let sessions: TerminalSession[];
  try {
    sessions = (await c().call('terminal.list', { taskId })).sessions;
  } catch (err) {
    console.warn('[macs] terminal.list failed', err);
    return;
  }
  if (terminalStore.getState().taskId !== taskId) return; // the selection moved on meanwhile
  sessions = [...appTabs(), ...sessions.filter((s) => s.kind !== 'app')];
  retainStreams(new Set(sessions.map((s) => s.sessionId)));
  for (const s of sessions) addStream(s, false);
  const hadRuns = terminalStore.getState().sessions.some((s) => s.kind === 'runs');
  const activeId = terminalStore.getState().activeId;
  terminalStore.setState({
    sessions,
    activeId: activeId && sessions.some((s) => s.sessionId === activeId) ? activeId : (sessions.at(-1)?.sessionId ?? null),
  });
  // The pipeline just started running commands for the task on screen: show them, but
  // never pull the user out of a shell they are typing in, nor reopen a panel they closed.
  const runs = sessions.find((s) => s.kind === 'runs');
  if (runs && !hadRuns && prev.taskId === taskId) {
    const now = terminalStore.getState();
    const current = now.sessions.find((s) => s.sessionId === now.activeId);
    if (!current || current.kind !== 'shell' || !current.alive || !now.panelOpen) terminalStore.setState({ activeId: runs.sessionId });
    else terminalStore.setState({ unseen: { ...now.unseen, [runs.sessionId]: true } });
    if (stored(OPEN_KEY) === null) setPanelOpen(true);
  }
}

export async function openShell(level?: IsolationLevel): Promise<void> {
  const { taskId, lastSize, opening } = terminalStore.getState();
  if (!taskId || opening) return;
  terminalStore.setState({ opening: true });
  setPanelOpen(true);
  try {
    const size = lastSize ?? { cols: 100, rows: 16 };
    const session = await c().call('terminal.open', { taskId, ...size, ...(level ? { level } : {}) });
    if (terminalStore.getState().taskId !== taskId) return;
    addStream(session, true);
    // A list that raced ahead of this answer may already hold the session.
    terminalStore.setState((s) => ({
      sessions: s.sessions.some((x) => x.sessionId === session.sessionId) ? s.sessions : [...s.sessions, session],
      activeId: session.sessionId,
    }));
  } catch (err) {
    pushToast({ kind: 'error', text: `Could not open a terminal: ${errorLine(toClientError(err))}` });
  } finally {
    terminalStore.setState({ opening: false });
  }
}

export async function closeSession(sessionId: string): Promise<void> {
  removeStream(sessionId);
  terminalStore.setState((s) => {
    const index = s.sessions.findIndex((x) => x.sessionId === sessionId);
    const sessions = s.sessions.filter((x) => x.sessionId !== sessionId);
    const activeId = s.activeId === sessionId ? (sessions[Math.min(index, sessions.length - 1)]?.sessionId ?? null) : s.activeId;
    return { sessions, activeId };
  });
  try {
    await c().call('terminal.close', { sessionId });
  } catch (err) {
    // Already gone on the engine's side is fine: that is what we wanted.
    console.warn('[macs] terminal.close failed', err);
  }
}

function onExit(sessionId: string, exitCode: number | null): void {
  const stream = getStream(sessionId);
  if (stream) stream.parts.term.options.disableStdin = true;
  terminalStore.setState((s) => ({
    sessions: s.sessions.map((x) => (x.sessionId === sessionId ? { ...x, alive: false, exitCode } : x)),
  }));
}

let lookupTimer: ReturnType<typeof setTimeout> | null = null;

/** Output for a session we do not show: maybe a new one of the selected task (the Runs log, another window's shell). */
function lookForNewSessions(): void {
  if (lookupTimer) return;
  lookupTimer = setTimeout(() => {
    lookupTimer = null;
    void loadSessions(terminalStore.getState().taskId);
  }, 250);
}

export function initTerminals(appClient: AppClient): void {
  client = appClient;
  setStreamHooks({
    replay: (sessionId) => appClient.call('terminal.replay', { sessionId }),
    onInput: (sessionId, data) => {
      appClient.call('terminal.input', { sessionId, data }).catch((err) => console.warn('[macs] terminal.input failed', err));
    },
    onFind: (sessionId) => terminalStore.setState({ activeId: sessionId, searchOpen: true }),
    onEscape: () => {
      if (!terminalStore.getState().searchOpen) return false;
      setSearchOpen(false);
      return true;
    },
  });
  const seen = new Set<string>();
  appClient.on('terminal.output', (frame) => {
    if (routeFrame(frame)) {
      noteOutput(frame.sessionId);
      return;
    }
    if (seen.has(frame.sessionId)) return;
    // Ask once per unknown session; sessions of other tasks stay unknown and are ignored.
    seen.add(frame.sessionId);
    if (seen.size > 1000) seen.clear();
    lookForNewSessions();
  });
  appClient.on('terminal.exit', (p) => onExit(p.sessionId, p.exitCode));

  let taskId = appStore.getState().activeTaskId;
  void loadSessions(taskId);
  appStore.subscribe(() => {
    const next = appStore.getState().activeTaskId;
    if (next === taskId) return;
    taskId = next;
    seen.clear();
    void loadSessions(next);
  });
  let wasOpen = appClient.getState() === 'open';
  appClient.subscribeState((state) => {
    if (state === 'open' && !wasOpen) {
      restoreAll();
      seen.clear();
      void loadSessions(terminalStore.getState().taskId);
    }
    wasOpen = state === 'open';
  });
}
