// The terminal panel's "App" tab: the selected project's run output (a terminal session of
// kind 'app', run.sessionId), shown first beside the selected turn's Runs and shells. The
// session is described from the AppRun itself, so the tab appears with the run's first
// update; its text comes from terminal.replay + terminal.output like every other tab. A
// static site (served by MACS, no process) gets the tab too, for its page's errors.
import type { TerminalSession } from '../../../shared/index.js';
import { appSessionOf, sessionHasOutput, withAppSession } from '../lib/app-run-text.js';
import { appRunStore } from './app-run.js';
import { appStore, selectActiveProject } from './app-state.js';
import { addStream, removeStream } from './terminal-registry.js';
import { setActiveSession, setPanelOpen, terminalStore } from './terminal.js';

let current: TerminalSession | null = null;

export function currentAppSession(): TerminalSession | null {
  return current;
}

function sync(): void {
  const project = selectActiveProject(appStore.getState());
  const run = project ? (appRunStore.getState().runs[project.id] ?? null) : null;
  const next = project ? appSessionOf(run, project.root) : null;
  const prev = current;
  if (prev?.sessionId === next?.sessionId && prev?.alive === next?.alive && prev?.exitCode === next?.exitCode && prev?.level === next?.level) return;
  current = next;
  if (prev && prev.sessionId !== next?.sessionId) removeStream(prev.sessionId);
  if (next && sessionHasOutput(next)) addStream(next, false);
  const t = terminalStore.getState();
  const wasShown = prev !== null && t.activeId === prev.sessionId;
  terminalStore.setState({ sessions: withAppSession(t.sessions, next) });
  if (!next) {
    if (wasShown) terminalStore.setState((s) => ({ activeId: s.sessions[0]?.sessionId ?? null }));
    return;
  }
  // A new run: its output is what the user wants to see, unless they are typing in a shell.
  const shown = t.sessions.find((s) => s.sessionId === t.activeId);
  if (prev?.sessionId !== next.sessionId && (wasShown || !shown || shown.kind !== 'shell' || !shown.alive)) terminalStore.setState({ activeId: next.sessionId });
}

/** Open the terminal panel on the App tab (from "Full output in the terminal"). */
export function showAppTerminal(): void {
  if (current) setActiveSession(current.sessionId);
  else setPanelOpen(true);
}

export function initAppTerminal(): void {
  appRunStore.subscribe(sync);
  appStore.subscribe(sync);
  sync();
}
