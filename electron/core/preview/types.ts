// The preview capability's seams (issue 14: run what was built). Three parts work behind
// one face (index.ts):
//   detect/   what to run: the project's files → RunPlan candidates (pure) + toolchain checks
//   process/  the app inside the sandbox: install, start, bridge its port out, restart, stop
//   proxy/    the host side: one 127.0.0.1 port per run that forwards to the sandbox's
//             unix socket (or serves a static folder), injects the page probe, keeps other
//             origins out, and reports the page's errors
//   web-agent/ the build's smoke scenarios in a headless browser against a ready run
// preview-service.ts ties them to a project and publishes `app.updated`.
import type { AppRun, ErrorFingerprint, IsolationLevel, Project, RunPlan, RunSettings, SmokeScenario, ScenarioResult } from '../../../shared/index.js';
import type { Db } from '../db/index.js';
import type { Sandbox } from '../sandbox/index.js';
import type { TerminalManager } from '../terminal/index.js';

/** One error the page or the server produced, before deduplication. */
export interface RunErrorReport {
  source: ErrorFingerprint['source'];
  message: string;
  stack?: string | null;
  /** A URL (failed request, blocked request) or file:line the report names. */
  where?: string | null;
  at: number;
}

/** What the host-side proxy needs to know and tells back. */
export interface PreviewProxyOptions {
  /** Where requests go: the sandbox bridge's unix socket, or a static folder MACS serves itself. */
  target: { kind: 'socket'; socketPath: string } | { kind: 'static'; root: string };
  /** The port to try first (pinned or remembered); 0: any free one. */
  preferredPort: number;
  /** Origins allowed to embed and drive the preview (MACS's own UI origins). */
  appOrigins: () => readonly string[];
  /** An error or console line the injected page probe, a CSP report or a failed proxy request produced. */
  onReport: (report: RunErrorReport) => void;
}

export interface PreviewProxy {
  readonly port: number;
  /** The preferred port was taken, so another one was chosen. */
  readonly preferredPortTaken: boolean;
  readonly url: string;
  close(): Promise<void>;
}

/** How a run's process side is driven (process/). */
export interface AppProcessOptions {
  projectId: string;
  root: string;
  /** `sh -c` command line. */
  command: string;
  /** The unix socket the in-sandbox bridge listens on (host path); the host proxy connects to it. */
  socketPath: string;
  level: IsolationLevel;
  env?: Record<string, string>;
  onOutput: (chunk: string) => void;
  onExit: (exitCode: number | null, signal: string | null) => void;
}

export interface PreviewServiceOptions {
  db: Db;
  dataDir: string;
  sandbox: Sandbox;
  terminal: TerminalManager;
  /** The project by id (throws PROJECT_NOT_FOUND). */
  project: (projectId: string) => Project;
  /** MACS's own UI origins (the only ones allowed to frame a preview). */
  appOrigins: () => readonly string[];
  publish: (run: AppRun) => void;
  now?: () => number;
  /** The build plan's run command for the project (its latest plan), when it named one. */
  planRunCommand?: (projectId: string) => string | null;
  /** How long a started app may take to answer HTTP before it fails NO_PORT (default 30 s). */
  readyTimeoutMs?: number;
}

/** The face the engine, REST, CLI and the build pipeline use. */
export interface PreviewService {
  detect(projectId: string): Promise<{ candidates: RunPlan[]; chosen: RunPlan | null; settings: RunSettings }>;
  configure(projectId: string, patch: Partial<RunSettings>): Promise<AppRun>;
  /** Install (when needed), start, and begin probing; resolves once started (not when ready). Restarts a running app. */
  run(projectId: string): Promise<AppRun>;
  /** Resolves when the run is ready, failed or exited, or the timeout passed (then: failed, NO_PORT). */
  waitSettled(projectId: string, timeoutMs?: number): Promise<AppRun>;
  stop(projectId: string): Promise<AppRun>;
  status(projectId: string): AppRun;
  list(): AppRun[];
  /** A turn (or the user) changed these files: restart the server, or reload a static page, when the app runs. */
  filesChanged(projectId: string, paths: readonly string[]): void;
  fingerprint(projectId: string, fingerprintId: string): ErrorFingerprint | null;
  noteFixAttempt(projectId: string, fingerprintId: string): void;
  /** The project is deleted, forgotten or moved: stop its app (whole process tree) and drop the run (a moved folder starts afresh). */
  forget(projectId: string): Promise<void>;
  /** Stop every run (engine shutdown). */
  close(): Promise<void>;
}

/** The web agent's face (web-agent/). */
export interface WebAgent {
  /** Null when no browser is available here (the reason says which were looked for). */
  available(): { ok: true; executable: string } | { ok: false; reason: string };
  runScenarios(input: { url: string; scenarios: SmokeScenario[]; screenshotDir: string; root: string; timeoutMs?: number }): Promise<ScenarioResult[]>;
}
