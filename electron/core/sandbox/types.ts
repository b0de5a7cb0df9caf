// The one Sandbox interface every backend implements. A backend only *builds* a
// command line (file + args + env): runSandboxed spawns it with pipes, the terminal
// helper spawns the very same thing through node-pty, so nothing here may rely on
// stdio being pipes.
import type { TaskEventDraft } from '../../../shared/domain.js';
import type { IsolationLevel, SandboxStatus } from '../../../shared/exec.js';

export type SandboxAuditKind = Extract<TaskEventDraft, { type: 'audit' }>['data']['kind'];
/** Something the sandbox refused or did, for the task's audit events. */
export interface SandboxAudit {
  kind: SandboxAuditKind;
  message: string;
}

export type SandboxBackend = SandboxStatus['backend'];

export interface SandboxSpec {
  /** argv; command[0] is looked up on the sandbox's (scrubbed) PATH. */
  command: string[];
  /** The workspace, absolute. It is realpath'd; `/`, the home folder and system folders are refused. */
  cwd: string;
  level: IsolationLevel;
  /** Extra variables (CI=1, TERM=…). Names that look like secrets, OLLAMA_* and MACS_* are dropped even here. */
  env?: Record<string, string>;
  /**
   * The caller gives the command a fresh pty of its own (node-pty). The sandbox then
   * keeps that pty as the controlling terminal (job control, Ctrl-C) instead of starting
   * a new session: TIOCSTI into a private pty only reaches the sandbox's own shell.
   * Leave unset for pipes: then a new session shields the app's own terminal.
   */
  tty?: boolean;
  /** Where git metadata the command created is moved after it ends (default `<data dir>/quarantine`). */
  quarantineDir?: string;
  /** What cleanup() did about it (a .git moved out of the workspace), as audit events. */
  onAudit?: (audit: SandboxAudit) => void;
  /**
   * Host folders made visible inside at the same path, over the private tmpfs folders
   * (a run's socket folder under /tmp, the npm cache under the hidden home). bwrap only:
   * elsewhere nothing is hidden by a mount, so there is nothing to bind back.
   */
  extraBinds?: readonly SandboxBind[];
}

export interface SandboxBind {
  /** Absolute host path (realpath'd by the backend); skipped when it does not exist. */
  path: string;
  writable: boolean;
}

export interface SandboxCommand {
  /** Spawn exactly this (absolute path where the backend wraps the command). */
  file: string;
  args: string[];
  /** The complete environment for the spawn; pass it as is (node-pty defaults to process.env otherwise). */
  env: Record<string, string>;
  /** The realpath'd workspace: use it as the spawn's cwd. */
  cwd: string;
  /** The level actually enforced ('unrestricted' when the backend cannot enforce the one asked for). */
  level: IsolationLevel;
  /**
   * Call once the command has ended: removes what buildCommand made on the host (macOS
   * private HOME/TMPDIR) and moves git metadata the command created out of the
   * workspace (reported through spec.onAudit). Idempotent.
   */
  cleanup(): void;
  /**
   * While the command runs: move the git metadata it made so far out of the workspace
   * (reported through spec.onAudit like cleanup's). Long-lived commands (terminal shells)
   * call it every few seconds. Absent where nothing is guarded (unrestricted).
   */
  sweep?(): void;
}

export interface Sandbox {
  readonly backend: SandboxBackend;
  status(): SandboxStatus;
  buildCommand(spec: SandboxSpec): SandboxCommand;
  /**
   * Signal everything the spawned command started, not only `pid` (the process that
   * was spawned from buildCommand's result). SIGKILL must leave no survivor; SIGTERM
   * is the polite first step. Never throws (the tree may already be gone).
   */
  signalTree(pid: number, signal: 'SIGTERM' | 'SIGKILL'): void;
}
