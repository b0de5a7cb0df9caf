// Run one command to completion under the sandbox: stream its output, cap it, enforce
// the timeout, honour cancel, and make sure nothing it started outlives it. Every
// refusal, timeout, kill and cap is reported through onAudit (→ an audit task event).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MacsError } from '../../../shared/errors.js';
import type { ExecResult, IsolationLevel } from '../../../shared/exec.js';
import { DenialScanner } from './denials.js';
import { detectSandbox } from './detect.js';
import { formatBytes, OutputSink, type OutputStream } from './output-sink.js';
import type { Sandbox, SandboxAudit, SandboxAuditKind, SandboxCommand, SandboxSpec } from './types.js';
import { signalProcessGroup } from './unrestricted.js';

export type { SandboxAudit, SandboxAuditKind } from './types.js';

export const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;
export const DEFAULT_OUTPUT_CAP_BYTES = 1024 * 1024;
export const DEFAULT_MAX_OUTPUT_BYTES = 20 * 1024 * 1024;
export const KILL_GRACE_MS = 2000;
export const DEFAULT_GIT_GUARD_INTERVAL_MS = 5000;

export interface RunSandboxedOptions {
  command: string[];
  /** The workspace (absolute). */
  cwd: string;
  level: IsolationLevel;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Decoded output in arrival order (stdout and stderr interleaved), up to outputCapBytes. */
  onOutput?: (chunk: string, stream: OutputStream) => void;
  onAudit?: (audit: SandboxAudit) => void;
  /** What the UI is given (default 1 MB). */
  outputCapBytes?: number;
  /** The full log's cap (default 20 MB); a command writing more is stopped. */
  maxOutputBytes?: number;
  /** When set, the full output goes to a file in this folder (ExecResult.logPath). */
  logDir?: string;
  env?: Record<string, string>;
  /** Default: detectSandbox(). */
  sandbox?: Sandbox;
  /** SIGTERM → SIGKILL delay (default 2 s). */
  killGraceMs?: number;
  /** Where git metadata the command created is moved (default `<data dir>/quarantine`). */
  quarantineDir?: string;
  /**
   * How often the git guard sweeps the workspace while the command runs (default 5 s;
   * 0: only after it ends). An editor open on the folder runs git as soon as a .git
   * appears, long before a 10-minute test run ends.
   */
  gitGuardIntervalMs?: number;
  /** Host folders bound in at the same path (SandboxSpec.extraBinds): a preview install's package cache. */
  extraBinds?: SandboxSpec['extraBinds'];
  /** Refuse (NOT_SUPPORTED) instead of running unsandboxed when the machine has no sandbox. Default: run, with an 'unsandboxed' audit. */
  requireSandbox?: boolean;
}

export interface SandboxedRunResult extends ExecResult {
  /** The sandbox itself failed to start (bwrap's error), as opposed to the command failing. */
  sandboxFailure: string | null;
}

type EndReason = 'timeout' | 'cancel' | 'output' | null;

function emptyResult(level: IsolationLevel, partial: Partial<SandboxedRunResult>): SandboxedRunResult {
  return { exitCode: null, signal: null, timedOut: false, killed: false, outputTruncated: false, durationMs: 0, level, tail: '', logPath: null, sandboxFailure: null, ...partial };
}

function openLogPath(logDir: string | undefined): string | null {
  if (!logDir) return null;
  fs.mkdirSync(logDir, { recursive: true });
  return path.join(logDir, `exec-${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}.log`);
}

/** bwrap reports its own failures as "bwrap: …" before the command ever runs; the +net wrapper as "macs: …" (net-helper.ts). */
function classifyBwrapExit(head: string, exitCode: number | null): { commandNotFound: boolean; failure: string | null } {
  if (head.startsWith('macs: the sandbox network')) return { commandNotFound: false, failure: head.split('\n')[0].trim() };
  if (exitCode !== 1 || !head.startsWith('bwrap: ')) return { commandNotFound: false, failure: null };
  const line = head.split('\n')[0].trim();
  if (line.startsWith('bwrap: execvp ')) return { commandNotFound: true, failure: null };
  return { commandNotFound: false, failure: line };
}

export async function runSandboxed(opts: RunSandboxedOptions): Promise<SandboxedRunResult> {
  const sandbox = opts.sandbox ?? detectSandbox();
  const audit = (kind: SandboxAuditKind, message: string): void => opts.onAudit?.({ kind, message });
  if (opts.signal?.aborted) {
    audit('killed', 'cancelled before it started');
    return emptyResult(opts.level, { killed: true });
  }
  const cmd: SandboxCommand = sandbox.buildCommand({
    command: opts.command,
    cwd: opts.cwd,
    level: opts.level,
    env: opts.env,
    quarantineDir: opts.quarantineDir,
    onAudit: (a) => audit(a.kind, a.message),
    extraBinds: opts.extraBinds,
  });
  if (cmd.level === 'unrestricted' && opts.level !== 'unrestricted' && opts.requireSandbox) {
    cmd.cleanup();
    throw new MacsError('NOT_SUPPORTED', `No sandbox on this machine: ${sandbox.status().hint ?? 'unavailable'}`, { level: opts.level });
  }
  if (cmd.level === 'unrestricted') {
    const why = opts.level === 'unrestricted' ? 'unrestricted was chosen' : `no sandbox on this machine (${sandbox.status().hint ?? 'unavailable'})`;
    audit('unsandboxed', `running without a sandbox: ${why}`);
  }
  const started = Date.now();
  const logPath = openLogPath(opts.logDir);
  const networkBlocked = cmd.level === 'read-only' || cmd.level === 'workspace-write';
  const denials = new DenialScanner(networkBlocked, (line) => audit('denied', line));
  let endReason: EndReason = null;
  let terminate: (reason: Exclude<EndReason, null>) => void = () => undefined;
  const sink = new OutputSink({
    uiCapBytes: opts.outputCapBytes ?? DEFAULT_OUTPUT_CAP_BYTES,
    maxBytes: opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
    logPath,
    onOutput: opts.onOutput,
    onText: cmd.level === 'unrestricted' ? undefined : (text) => denials.scan(text),
    onUiCapped: () => audit('output_capped', `output passed ${formatBytes(opts.outputCapBytes ?? DEFAULT_OUTPUT_CAP_BYTES)}: the rest is not shown${logPath ? ` (full log: ${logPath})` : ''}`),
    onMaxReached: () => terminate('output'),
  });

  return new Promise<SandboxedRunResult>((resolve) => {
    let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    let spawnError: Error | null = null;
    let killTimer: NodeJS.Timeout | undefined;
    let closeTimer: NodeJS.Timeout | undefined;
    const child = spawn(cmd.file, cmd.args, {
      cwd: cmd.cwd,
      env: cmd.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so the tree can be signalled as one (and Ctrl-C in a
      // terminal running `macs exec` reaches macs, which then stops the tree itself).
      detached: process.platform !== 'win32',
      windowsHide: true,
    });

    terminate = (reason) => {
      if (endReason || exit) return;
      endReason = reason;
      if (reason === 'timeout') audit('timeout', `timed out after ${Math.round((opts.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000)} s: stopped`);
      if (reason === 'cancel') audit('killed', 'cancelled: stopped');
      if (reason === 'output') audit('killed', `output passed ${formatBytes(opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES)}: stopped`);
      if (child.pid === undefined) return;
      const pid = child.pid;
      sandbox.signalTree(pid, 'SIGTERM');
      killTimer = setTimeout(() => sandbox.signalTree(pid, 'SIGKILL'), opts.killGraceMs ?? KILL_GRACE_MS);
    };
    const onAbort = (): void => terminate('cancel');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const timeout = setTimeout(() => terminate('timeout'), opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const sweepEvery = opts.gitGuardIntervalMs ?? DEFAULT_GIT_GUARD_INTERVAL_MS;
    const sweepTimer = cmd.sweep && sweepEvery > 0 ? setInterval(() => {
      try {
        cmd.sweep?.();
      } catch {
        // retried next time; the sweep after the command still runs
      }
    }, sweepEvery) : undefined;

    child.stdout?.on('data', (chunk: Buffer) => sink.write('stdout', chunk));
    child.stderr?.on('data', (chunk: Buffer) => sink.write('stderr', chunk));
    child.on('error', (err) => {
      spawnError = err;
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // A stopped command's leftovers (unrestricted: same process group) go now, not in 2 s.
      if (endReason && child.pid !== undefined && process.platform !== 'win32') signalProcessGroup(child.pid, 'SIGKILL');
      // Something that escaped the tree may still hold the pipes: do not wait for it forever.
      closeTimer = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, 500);
    });
    child.on('close', () => {
      clearInterval(sweepTimer);
      clearTimeout(timeout);
      clearTimeout(killTimer);
      clearTimeout(closeTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      denials.flush();
      const tail = sink.finish();
      cmd.cleanup();
      let exitCode = exit?.code ?? null;
      let sandboxFailure: string | null = null;
      if (spawnError) {
        const notFound = (spawnError as NodeJS.ErrnoException).code === 'ENOENT';
        if (cmd.level === 'unrestricted' && notFound) {
          exitCode = 127;
          opts.onOutput?.(`${opts.command[0]}: command not found\r\n`, 'stderr');
        } else {
          sandboxFailure = `${cmd.file} could not start: ${spawnError.message}`;
        }
      } else if (sandbox.backend === 'bwrap' && cmd.level !== 'unrestricted') {
        const verdict = classifyBwrapExit(sink.head, exitCode);
        if (verdict.commandNotFound) exitCode = 127;
        sandboxFailure = verdict.failure;
      }
      if (sandboxFailure) audit('denied', `the sandbox could not start: ${sandboxFailure}`);
      resolve({
        exitCode,
        signal: exit?.signal ?? null,
        timedOut: endReason === 'timeout',
        killed: endReason !== null,
        outputTruncated: sink.uiCapped || sink.maxReached,
        durationMs: Date.now() - started,
        level: cmd.level,
        tail,
        logPath,
        sandboxFailure,
      });
    });
  });
}
