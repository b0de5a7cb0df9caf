// The terminal capability's types: what it needs from the sandbox and the hosts, and what it offers.
import type { IsolationLevel, TerminalSession, TopicPayload } from '../../../shared/index.js';
import type { Sandbox, SandboxAudit, SandboxCommand as BuiltCommand, SandboxSpec } from '../sandbox/index.js';

export type TerminalOutput = TopicPayload<'terminal.output'>;
export type TerminalExit = TopicPayload<'terminal.exit'>;

/** What to run, where, at which isolation level: the sandbox's own spec. */
export type SandboxCommandSpec = SandboxSpec;

/** What a builder returns; test doubles may leave out cwd and level (the spec's are used then). */
export type SandboxCommand = Omit<BuiltCommand, 'cwd' | 'level'> & Partial<Pick<BuiltCommand, 'cwd' | 'level'>>;

/** The slice of the sandbox capability the terminal uses (electron/core/sandbox's Sandbox fits it). */
export type SandboxCommandBuilder = { buildCommand(spec: SandboxSpec): SandboxCommand } & Partial<Pick<Sandbox, 'signalTree'>>;

export interface TerminalManagerOptions {
  sandbox: SandboxCommandBuilder;
  publishOutput: (output: TerminalOutput) => void;
  publishExit: (exit: TerminalExit) => void;
  /** Replay tail kept per session (default 2 MB). */
  scrollbackBytes?: number;
  /** Live sessions at once, shells and runs logs together (default 32). */
  maxSessions?: number;
  /** Level when terminal.open does not say (default workspace-write). */
  defaultLevel?: IsolationLevel;
  /** Frame timing (defaults: 16 ms, 16 KB, at most one frame per 8 ms on a flood). */
  frameIntervalMs?: number;
  frameBytes?: number;
  minFrameGapMs?: number;
  /** Pending output at which the producer is paused (default 1 MB). */
  highWaterBytes?: number;
  /** The host's transport is backed up: hold frames (and so pause producers) until it drains. */
  isBackedUp?: () => boolean;
  /** The user's shell for `unrestricted` sessions (default $SHELL, else bash / powershell). */
  userShell?: string[];
  /** What the sandbox did in a shell (git metadata moved out of the workspace): the host records it on the shell's task. */
  onAudit?: (taskId: string, audit: SandboxAudit) => void;
  /** How often an open shell's git guard sweeps the workspace (default 5 s). */
  gitGuardIntervalMs?: number;
}

export interface OpenTerminalParams {
  taskId: string;
  cwd: string;
  cols: number;
  rows: number;
  level?: IsolationLevel;
}

/** How a command shown in the runs log ended (the footer line). */
export interface RunEnd {
  exitCode: number | null;
  signal?: string | null;
  durationMs: number;
  timedOut?: boolean;
  /** Killed by cancel, the timeout or the output cap. */
  killed?: boolean;
  /** The timeout that fired, for "killed (timeout 600 s)". */
  timeoutMs?: number;
  /** The output shown was capped. */
  outputTruncated?: boolean;
}

export interface RunSpec {
  command: string[];
  cwd: string;
  level: IsolationLevel;
}

/** What exec.run writes a command's life into. */
export interface RunWriter {
  readonly sessionId: string;
  /** Output as it comes (string or raw bytes; bare \n is shown as a new line). */
  write(data: string | Uint8Array): void;
  /** Print the footer; later writes are ignored. */
  end(result: RunEnd): void;
}

export type { TerminalSession };
