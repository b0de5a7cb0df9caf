// The words and small decisions of a project's run (issue 14), kept apart from React so
// they can be tested without a DOM: the state badge, which button the header offers, the
// command shown, the preview's address bar, and when the preview opens or reloads.
import type { AppRun, ErrorFingerprint, RunPlan, RunSettings, RunState, TerminalSession } from '../../../shared/index.js';

/** Widths the preview can be shown at; null: the pane's own width. */
export const PREVIEW_DEVICES = [
  { id: 'phone', label: 'Phone', width: 390 },
  { id: 'tablet', label: 'Tablet', width: 820 },
  { id: 'desktop', label: 'Desktop', width: null },
] as const;
export type PreviewDevice = (typeof PREVIEW_DEVICES)[number]['id'];

/** The process is up or on its way up: the header offers Stop (and Restart). */
export function runIsLive(run: Pick<AppRun, 'state'> | null): boolean {
  return run !== null && (run.state === 'installing' || run.state === 'starting' || run.state === 'ready');
}

export function runIsBusy(run: Pick<AppRun, 'state'> | null): boolean {
  return run !== null && (run.state === 'installing' || run.state === 'starting');
}

export interface RunBadge {
  /** CSS modifier: idle | busy | ready | failed | exited. */
  tone: 'idle' | 'busy' | 'ready' | 'failed' | 'exited';
  label: string;
  /** The tooltip: what the state means for the user. */
  title: string;
}

const IDLE_BADGE: RunBadge = { tone: 'idle', label: 'Not running', title: 'Run starts the app in the sandbox' };

const BADGE: Record<RunState, (run: AppRun) => RunBadge> = {
  idle: () => IDLE_BADGE,
  installing: (r) => ({ tone: 'busy', label: 'Installing', title: r.plan?.install ? `${r.plan.install.command}: ${r.plan.install.reason}` : 'Installing dependencies' }),
  starting: (r) => ({
    tone: 'busy',
    label: r.restarts > 0 ? `Restarting (${r.restarts}/3)` : 'Starting',
    title: r.port ? `Waiting for 127.0.0.1:${r.port} to answer HTTP` : 'Starting the app',
  }),
  ready: (r) => ({
    tone: 'ready',
    label: r.url ? hostPort(r.url) : 'Running',
    title: r.reason ? `Running, with a warning: ${r.reason}` : r.url ? `Running at ${r.url}` : 'Running',
  }),
  exited: (r) => ({
    tone: r.exitCode === 0 ? 'exited' : 'failed',
    label: r.exitCode === null ? 'Exited' : `Exited ${r.exitCode}`,
    title: 'The command ran to its end: its output is in the terminal’s App tab',
  }),
  failed: (r) => ({ tone: 'failed', label: 'Failed', title: r.reason ?? 'The app could not start' }),
};

export function runBadge(run: AppRun | null): RunBadge {
  return run ? BADGE[run.state](run) : IDLE_BADGE;
}

/** 127.0.0.1:5173 out of http://127.0.0.1:5173/. */
export function hostPort(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The command as shown in the header and the popover. */
export function commandText(plan: RunPlan | null): string {
  if (!plan) return 'Nothing to run found';
  return plan.command ?? 'Static files, served by MACS';
}

/** The popover's line under each detected candidate. */
export function planSourceText(plan: RunPlan): string {
  const install = plan.install ? ` · installs first: ${plan.install.command}${plan.install.needsNetwork ? ' (needs registry access)' : ''}` : '';
  return `${plan.source}${install}`;
}

/**
 * What the address bar turns into a URL inside the app: a path (`/about`, `about?x=1`) or a
 * full URL on the preview's own origin. Anything on another origin is refused (null): the
 * preview only ever shows the project's app.
 */
export function previewTarget(baseUrl: string, input: string): string | null {
  const text = input.trim();
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    return null;
  }
  let target: URL;
  try {
    target = /^[a-z][a-z\d+.-]*:/i.test(text) ? new URL(text) : new URL(text.startsWith('/') ? text : `/${text}`, base);
  } catch {
    return null;
  }
  return target.origin === base.origin ? target.href : null;
}

/** The address bar's text for a URL of the app: its path, query and hash. */
export function previewPath(url: string): string {
  try {
    const u = new URL(url);
    return `${u.pathname}${u.search}${u.hash}`;
  } catch {
    return '/';
  }
}

/** A run that just became ready as a web app: the preview opens by itself. */
export function becameReady(prev: AppRun | null, next: AppRun): boolean {
  return next.state === 'ready' && next.plan?.web === true && next.url !== null && (prev?.state !== 'ready' || prev.url !== next.url);
}

/** The page should load again: files changed, or the server restarted under it. */
export function needsReload(prev: AppRun | null, next: AppRun): boolean {
  return prev !== null && next.reloadSeq > prev.reloadSeq && next.state === 'ready';
}

/** Newest first: the error the user just caused is on top. */
export function sortFingerprints(list: readonly ErrorFingerprint[]): ErrorFingerprint[] {
  return [...list].sort((a, b) => b.lastAt - a.lastAt || b.count - a.count);
}

export const FINGERPRINT_SOURCE: Record<ErrorFingerprint['source'], string> = {
  server: 'server',
  console: 'console',
  page: 'page error',
  request: 'failed request',
  blocked: 'blocked request',
};

/** What the preview pane says instead of the page, so it is never blank without a reason. */
export function previewNotice(run: AppRun | null): { title: string; body: string } | null {
  if (!run || run.state === 'idle') return { title: 'The app is not running', body: 'Run starts it in the sandbox; the page shows here once its port answers.' };
  if (run.state === 'installing') return { title: 'Installing dependencies…', body: run.plan?.install ? `${run.plan.install.command} (${run.plan.install.reason})` : 'Dependencies are installed first.' };
  if (run.state === 'starting') return { title: 'Starting…', body: run.port ? `Waiting for 127.0.0.1:${run.port} to answer HTTP.` : 'Waiting for the app to open its port.' };
  if (run.state === 'failed') return { title: 'The app could not start', body: run.reason ?? 'It stopped before its port answered.' };
  if (run.state === 'exited') return { title: 'The command finished', body: `It exited${run.exitCode !== null ? ` with code ${run.exitCode}` : ''}; its output is in the terminal’s App tab.` };
  if (run.plan && !run.plan.web) return { title: 'Not a web app', body: 'This command prints its result: see the terminal’s App tab.' };
  if (!run.url) return { title: 'No address yet', body: 'The app runs but has no preview address.' };
  return null;
}

/** The popover's pick: one of the detected candidates (by index) or the user's own command. */
export type CommandChoice = number | 'custom';

/** Which row the popover opens on: the kept command (a candidate's, or the user's own), else the chosen one. */
export function initialChoice(candidates: readonly RunPlan[], chosen: RunPlan | null, kept: string | null): { choice: CommandChoice; text: string } {
  if (kept !== null) {
    const i = candidates.findIndex((p) => p.command === kept);
    return i >= 0 ? { choice: i, text: '' } : { choice: 'custom', text: kept };
  }
  const i = chosen ? candidates.findIndex((p) => p.kind === chosen.kind && p.command === chosen.command) : -1;
  return i >= 0 ? { choice: i, text: '' } : { choice: 'custom', text: chosen?.command ?? '' };
}

export interface SettingsForm {
  choice: CommandChoice;
  text: string;
  port: string;
  installNetwork: boolean;
}

/**
 * What Keep sends to apps.configure, or the sentence saying why it cannot. The detected
 * first choice is kept as null ("the detected command"), so a later better detection wins.
 */
export function settingsPatch(candidates: readonly RunPlan[], chosen: RunPlan | null, form: SettingsForm): { patch: RunSettings } | { error: string } {
  let command: string | null;
  if (form.choice === 'custom') {
    command = form.text.trim();
    if (!command) return { error: 'Type the command that starts the app, or pick one MACS found.' };
    if (command.length > 2000) return { error: 'The command is longer than 2000 characters.' };
  } else {
    const plan = candidates[form.choice];
    if (!plan) return { error: 'Pick a command.' };
    const isChosen = chosen !== null && plan.kind === chosen.kind && plan.command === chosen.command;
    command = isChosen ? null : plan.command;
  }
  const portText = form.port.trim();
  let pinnedPort: number | null = null;
  if (portText) {
    const n = Number(portText);
    if (!Number.isInteger(n) || n < 1024 || n > 65535) return { error: 'A pinned port is a whole number from 1024 to 65535 (or empty: any free port).' };
    pinnedPort = n;
  }
  return { patch: { command, pinnedPort, installNetwork: form.installNetwork } };
}

/** The App tab of a run without a process of its own (a static site MACS serves): its errors, no output. */
const NO_OUTPUT = 'app-no-output:';

export function sessionHasOutput(session: Pick<TerminalSession, 'sessionId'>): boolean {
  return !session.sessionId.startsWith(NO_OUTPUT);
}

/** The App tab's session for a run (its output session, or one for its errors alone); null before any run. */
export function appSessionOf(run: AppRun | null, cwd: string): TerminalSession | null {
  if (!run) return null;
  const sessionId = run.sessionId ?? (run.state !== 'idle' || run.fingerprints.length > 0 ? `${NO_OUTPUT}${run.projectId}` : null);
  if (!sessionId) return null;
  return {
    sessionId,
    kind: 'app',
    taskId: null,
    cwd,
    // Only the install step may reach the network, and only with the user's leave.
    level: run.state === 'installing' && run.settings.installNetwork ? 'workspace-write+net' : 'workspace-write',
    title: 'App',
    alive: runIsLive(run),
    exitCode: run.exitCode,
    cols: 100,
    rows: 16,
  };
}

/** Put `session` in the list as the first tab (or take the App tab away), keeping the rest. */
export function withAppSession(sessions: readonly TerminalSession[], session: TerminalSession | null): TerminalSession[] {
  const rest = sessions.filter((s) => s.kind !== 'app');
  return session ? [session, ...rest] : rest;
}
