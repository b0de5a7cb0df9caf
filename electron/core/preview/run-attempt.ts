// One attempt at running a project (a Run press): its host folders, the relay to the
// bridge's socket, the preview proxy, and the server process now running for it.
import type { RunPlan } from '../../../shared/index.js';
import type { AppProcess } from './process/app-process.js';
import { createRunDir, type RunDir } from './process/run-dir.js';
import { startSocketRelay, type SocketRelay } from './process/socket-relay.js';
import { startPreviewProxy } from './proxy/index.js';
import type { PreviewProxy, RunErrorReport } from './types.js';

export interface Server {
  proc: AppProcess;
  /** Its bridge's socket (one per server start: see RunDir.bridgeSocketFor). */
  socketPath: string;
  /** Stopped on purpose (stop, restart after a file change): its exit is not a crash. */
  stopping: boolean;
  exit: { code: number | null; signal: string | null } | null;
}

export interface Attempt {
  plan: RunPlan;
  root: string;
  abort: AbortController;
  /** null for a command that serves nothing (no preview). */
  proxy: PreviewProxy | null;
  /** null for a static site (MACS serves the folder; no process). */
  runDir: RunDir | null;
  relay: SocketRelay | null;
  /** The server the preview talks to. */
  server: Server | null;
  /** A restarted server starting beside it (a file changed), switched to once it answers. */
  incoming: Server | null;
  /** Server starts so far (names each one's bridge socket). */
  starts: number;
}

export interface OpenAttemptOptions {
  plan: RunPlan;
  root: string;
  preferredPort: number;
  appOrigins: () => readonly string[];
  onReport: (report: RunErrorReport) => void;
}

/** The host side of a run, before anything is installed or started. */
export async function openAttempt(opts: OpenAttemptOptions): Promise<Attempt> {
  const { plan, root } = opts;
  const attempt: Attempt = { plan, root, abort: new AbortController(), proxy: null, runDir: null, relay: null, server: null, incoming: null, starts: 0 };
  try {
    if (plan.command !== null) {
      attempt.runDir = createRunDir();
      attempt.relay = await startSocketRelay(attempt.runDir.hostSocketPath, attempt.runDir.bridgeSocketPath, attempt.runDir.boxDir);
    }
    if (plan.web) {
      attempt.proxy = await startPreviewProxy({
        target: attempt.runDir ? { kind: 'socket', socketPath: attempt.runDir.hostSocketPath } : { kind: 'static', root },
        preferredPort: opts.preferredPort,
        appOrigins: opts.appOrigins,
        onReport: opts.onReport,
      });
    }
    return attempt;
  } catch (error) {
    await releaseAttempt(attempt);
    throw error;
  }
}

/** Close the proxy and the relay, remove the run folder (the server is stopped first by the caller). */
export async function releaseAttempt(attempt: Attempt): Promise<void> {
  const { proxy, runDir, relay } = attempt;
  attempt.proxy = null;
  attempt.runDir = null;
  attempt.relay = null;
  await proxy?.close();
  await relay?.close();
  runDir?.remove();
}

/** Stop the attempt's server on purpose (its exit is then not a crash). */
export async function stopServer(server: Server | null): Promise<void> {
  if (!server) return;
  server.stopping = true;
  await server.proc.stop();
}
