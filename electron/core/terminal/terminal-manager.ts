// Every terminal session of this engine: interactive shells (node-pty through the sandbox)
// and one read-only "Runs" log per task, all with the same output / seq / replay path.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { MacsError, type IsolationLevel, type TerminalSession } from '../../../shared/index.js';
import { OutputPump, type FlowControl, type PumpStats } from './output-pump.js';
import { PtySession } from './pty-session.js';
import { AppLogSession, RunsSession } from './runs-session.js';
import { shellCommand, shellEnv, shellTitle } from './shell.js';
import type { OpenTerminalParams, RunSpec, RunWriter, TerminalManagerOptions } from './types.js';
import type { SandboxAudit } from '../sandbox/index.js';

export const DEFAULT_SCROLLBACK_BYTES = 2 * 1024 * 1024;
export const DEFAULT_MAX_SESSIONS = 32;
/**
 * A shell's git guard sweep. The sweep after a command is not enough for a shell that
 * stays open for hours: an editor open on the folder runs git as soon as a .git
 * appears. Every 5 s bounds that window at the cost of one bounded walk (measured about
 * 10 µs a folder with a warm cache: 4 ms for a 100-folder project, 190 ms at the 20,000 bound).
 */
export const DEFAULT_GIT_GUARD_INTERVAL_MS = 5_000;
/** Exited shells kept (so their last output and exit code can still be read) before the oldest go. */
const MAX_EXITED = 16;

type Session = PtySession | RunsSession;

function newSessionId(kind: 'shell' | 'runs' | 'app'): string {
  return `${kind === 'shell' ? 'sh' : kind}-${crypto.randomBytes(6).toString('hex')}`;
}

/** A notice from the sandbox, on a line of its own, dimmed yellow like the shell's own notices. */
function auditLine(message: string): string {
  return `\r\n\x1b[33m[macs] ${message.replace(/\r?\n/g, ' ')}\x1b[0m\r\n`;
}

export class TerminalManager {
  private readonly sessions = new Map<string, Session>();
  private readonly runsByTask = new Map<string, RunsSession>();
  private readonly appByProject = new Map<string, AppLogSession>();
  private readonly pumpStats = new Map<string, () => PumpStats>();
  private readonly level: IsolationLevel;
  private isBackedUp: (() => boolean) | undefined;

  constructor(private readonly options: TerminalManagerOptions) {
    this.level = options.defaultLevel ?? 'workspace-write';
    this.isBackedUp = options.isBackedUp;
  }

  /**
   * A host whose transport is created after the engine (the WebSocket server) says when it
   * is backed up: frames are then held and the shells paused until it drains.
   */
  setBackpressure(isBackedUp: (() => boolean) | undefined): void {
    this.isBackedUp = isBackedUp;
  }

  open(params: OpenTerminalParams): TerminalSession {
    this.ensureRoom();
    const asked = params.level ?? this.level;
    fs.mkdirSync(params.cwd, { recursive: true });
    const { sandbox } = this.options;
    const command = shellCommand(asked, this.options.userShell);
    const sessionId = newSessionId('shell');
    const pump = this.newPump(sessionId);
    // What the sandbox did (git metadata moved out): a line in the shell, where the user
    // is looking, and an audit event on the task, where it stays.
    const onAudit = (audit: SandboxAudit): void => {
      pump.push(auditLine(audit.message));
      this.options.onAudit?.(params.taskId, audit);
    };
    const built = sandbox.buildCommand({ command, cwd: params.cwd, level: asked, env: shellEnv(asked), tty: true, onAudit });
    const session = new PtySession({
      sessionId,
      taskId: params.taskId,
      cwd: built.cwd ?? params.cwd,
      // The badge shows what is enforced, not what was asked (no bwrap → unrestricted, red).
      level: built.level ?? asked,
      title: shellTitle(command),
      cols: params.cols,
      rows: params.rows,
      command: built,
      signalTree: sandbox.signalTree?.bind(sandbox),
      pump,
      gitGuardIntervalMs: this.options.gitGuardIntervalMs ?? DEFAULT_GIT_GUARD_INTERVAL_MS,
      onExit: (exit) => {
        this.options.publishExit(exit);
        this.forgetOldExited();
      },
    });
    this.sessions.set(sessionId, session);
    return session.describe();
  }

  input(sessionId: string, data: string): void {
    const session = this.require(sessionId);
    if (session instanceof RunsSession) throw new MacsError('NOT_SUPPORTED', 'The Runs log is read-only: open a shell to type commands.');
    session.write(data);
  }

  resize(sessionId: string, cols: number, rows: number): void {
    const session = this.require(sessionId);
    if (session instanceof PtySession) session.resize(cols, rows);
  }

  /** Kill a shell and its whole process tree, and forget it. The Runs log cannot be closed. */
  close(sessionId: string): void {
    const session = this.require(sessionId);
    if (session instanceof RunsSession) throw new MacsError('NOT_SUPPORTED', 'The Runs log stays with its task.');
    session.kill();
    this.sessions.delete(sessionId);
    this.pumpStats.delete(sessionId);
  }

  /** Runs logs first, then app logs, then shells in the order they were opened. */
  list(filter: { taskId?: string } = {}): TerminalSession[] {
    const all = [...this.sessions.values()]
      .map((s) => s.describe())
      .filter((s) => filter.taskId === undefined || s.taskId === filter.taskId);
    return [...all.filter((s) => s.kind === 'runs'), ...all.filter((s) => s.kind === 'app'), ...all.filter((s) => s.kind === 'shell')];
  }

  replay(sessionId: string): { data: string; lastSeq: number } {
    return this.require(sessionId).replay();
  }

  /**
   * Show one command in the task's Runs log (created on first use). `flow` is the command's
   * output source, paused while the log's pending output is large.
   */
  attachRun(taskId: string, spec: RunSpec, flow?: FlowControl): RunWriter {
    let runs = this.runsByTask.get(taskId);
    if (!runs) {
      this.ensureRoom();
      const sessionId = newSessionId('runs');
      runs = new RunsSession(sessionId, taskId, spec, this.newPump(sessionId));
      this.runsByTask.set(taskId, runs);
      this.sessions.set(sessionId, runs);
    }
    return runs.attach(spec, flow);
  }

  /**
   * Show one step of a project's running app (the install, a start of the server) in the
   * project's app log (created on first use; its id stays the same across runs).
   */
  attachApp(projectId: string, spec: RunSpec, flow?: FlowControl): RunWriter {
    let log = this.appByProject.get(projectId);
    if (!log) {
      this.ensureRoom();
      const sessionId = newSessionId('app');
      log = new AppLogSession(sessionId, projectId, spec, this.newPump(sessionId));
      this.appByProject.set(projectId, log);
      this.sessions.set(sessionId, log);
    }
    return log.attach(spec, flow);
  }

  /** The project is gone: drop its app log. */
  closeProject(projectId: string): void {
    const log = this.appByProject.get(projectId);
    if (!log) return;
    log.close();
    this.appByProject.delete(projectId);
    this.sessions.delete(log.sessionId);
    this.pumpStats.delete(log.sessionId);
  }

  /** Output counters of a session (tests and benchmarks check the flow-control bound). */
  stats(sessionId: string): PumpStats {
    const get = this.pumpStats.get(sessionId);
    if (!get) throw this.notFound(sessionId);
    return get();
  }

  /** The task is gone: end its shells and drop its Runs log. */
  closeTask(taskId: string): void {
    for (const [id, session] of this.sessions) {
      if (session.taskId !== taskId) continue;
      if (session instanceof PtySession) session.kill();
      else session.close();
      this.sessions.delete(id);
      this.pumpStats.delete(id);
    }
    this.runsByTask.delete(taskId);
  }

  /** Engine shutdown: no shell outlives the app. */
  dispose(): void {
    for (const session of this.sessions.values()) {
      if (session instanceof PtySession) session.kill();
      else session.close();
    }
    this.sessions.clear();
    this.runsByTask.clear();
    this.appByProject.clear();
    this.pumpStats.clear();
  }

  private newPump(sessionId: string): OutputPump {
    const o = this.options;
    const pump = new OutputPump({
      sessionId,
      publish: o.publishOutput,
      scrollbackBytes: o.scrollbackBytes ?? DEFAULT_SCROLLBACK_BYTES,
      intervalMs: o.frameIntervalMs ?? 16,
      frameBytes: o.frameBytes ?? 16 * 1024,
      minGapMs: o.minFrameGapMs ?? 8,
      highWaterBytes: o.highWaterBytes ?? 1024 * 1024,
      isBackedUp: () => this.isBackedUp?.() ?? false,
    });
    this.pumpStats.set(sessionId, () => pump.getStats());
    return pump;
  }

  private ensureRoom(): void {
    const max = this.options.maxSessions ?? DEFAULT_MAX_SESSIONS;
    const live = [...this.sessions.values()].filter((s) => !(s instanceof PtySession) || s.isAlive()).length;
    if (live >= max) throw new MacsError('NOT_SUPPORTED', `${live} terminals are open, the most this app allows: close one first.`);
  }

  private forgetOldExited(): void {
    const exited = [...this.sessions.values()].filter((s): s is PtySession => s instanceof PtySession && !s.isAlive());
    for (const session of exited.slice(0, Math.max(0, exited.length - MAX_EXITED))) {
      this.sessions.delete(session.sessionId);
      this.pumpStats.delete(session.sessionId);
    }
  }

  private require(sessionId: string): Session {
    const session = this.sessions.get(sessionId);
    if (!session) throw this.notFound(sessionId);
    return session;
  }

  private notFound(sessionId: string): MacsError {
    return new MacsError('INVALID_INPUT', `There is no terminal session ${sessionId}: it was closed, or the engine restarted.`, { sessionId });
  }
}
