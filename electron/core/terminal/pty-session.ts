// One interactive shell: a node-pty process (through the sandbox) feeding an OutputPump.
import { spawn, type IPty } from 'node-pty';
import type { IsolationLevel, TerminalSession } from '../../../shared/index.js';
import type { OutputPump } from './output-pump.js';
import { killProcessTree } from './process-tree.js';
import type { SandboxCommand, TerminalExit } from './types.js';

export interface PtySessionInit {
  sessionId: string;
  taskId: string;
  cwd: string;
  level: IsolationLevel;
  title: string;
  cols: number;
  rows: number;
  command: SandboxCommand;
  /** The sandbox's own tree kill (reaches into its PID namespace). */
  signalTree?: (pid: number, signal: 'SIGKILL') => void;
  pump: OutputPump;
  /** How often to call command.sweep() while the shell runs (0: never). */
  gitGuardIntervalMs?: number;
  onExit: (exit: TerminalExit) => void;
}

/** Exit line written into the output, so replay shows it too. */
export function exitLine(exitCode: number | null, signal: string | null): string {
  const what = signal && (exitCode === null || exitCode === 0 || exitCode > 128) ? `killed by ${signal}` : `exited with code ${exitCode ?? '?'}`;
  // Hide the cursor too (DECTCEM): nothing more will be typed here, on screen or on replay.
  return `\r\n\x1b[2m[process ${what}]\x1b[0m\r\n\x1b[?25l`;
}

const SIGNAL_NAMES: Record<number, string> = { 1: 'SIGHUP', 2: 'SIGINT', 9: 'SIGKILL', 15: 'SIGTERM' };

export class PtySession {
  readonly sessionId: string;
  private readonly pty: IPty;
  private cols: number;
  private rows: number;
  private alive = true;
  private exitCode: number | null = null;
  private cleaned = false;
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(private readonly init: PtySessionInit) {
    this.sessionId = init.sessionId;
    this.cols = init.cols;
    this.rows = init.rows;
    try {
      this.pty = spawn(init.command.file, init.command.args, {
        name: 'xterm-256color',
        cols: init.cols,
        rows: init.rows,
        cwd: init.command.cwd ?? init.cwd,
        env: init.command.env,
      });
    } catch (err) {
      init.command.cleanup();
      throw err;
    }
    init.pump.addFlow({ pause: () => this.pty.pause(), resume: () => this.pty.resume() });
    this.pty.onData((data) => init.pump.push(data));
    this.pty.onExit(({ exitCode, signal }) => this.onExit(exitCode, signal ?? 0));
    const { sweep } = init.command;
    if (sweep && init.gitGuardIntervalMs) {
      this.sweepTimer = setInterval(() => {
        try {
          sweep();
        } catch {
          // a failed sweep is retried next time; the one at exit still runs
        }
      }, init.gitGuardIntervalMs);
      this.sweepTimer.unref();
    }
  }

  get taskId(): string {
    return this.init.taskId;
  }

  get pid(): number {
    return this.pty.pid;
  }

  isAlive(): boolean {
    return this.alive;
  }

  write(data: string): void {
    if (this.alive) this.pty.write(data);
  }

  resize(cols: number, rows: number): void {
    if (!this.alive || (cols === this.cols && rows === this.rows)) return;
    this.cols = cols;
    this.rows = rows;
    this.pty.resize(cols, rows);
  }

  describe(): TerminalSession {
    const { sessionId, taskId, cwd, level, title } = this.init;
    return { sessionId, kind: 'shell', taskId, cwd, level, title, alive: this.alive, exitCode: this.exitCode, cols: this.cols, rows: this.rows };
  }

  replay(): { data: string; lastSeq: number } {
    return this.init.pump.replay();
  }

  /** Kill the shell and everything under it; the exit is reported through onExit as usual. */
  kill(): void {
    if (!this.alive) return;
    this.killTree();
    // The sandbox's cleanup waits for the exit (its files may be in use until then), but not forever.
    setTimeout(() => this.cleanup(), 5_000).unref();
  }

  private onExit(exitCode: number, signal: number): void {
    if (!this.alive) return;
    this.alive = false;
    // Background jobs (nohup, &) outlive their shell otherwise; a session leaves nothing behind.
    this.killTree();
    const signalName = signal ? (SIGNAL_NAMES[signal] ?? `signal ${signal}`) : null;
    this.exitCode = signalName && exitCode === 0 ? null : exitCode;
    const { pump } = this.init;
    // Before the exit line: what the last git sweep moved is reported into the output (and its replay).
    this.cleanup();
    pump.push(exitLine(this.exitCode, signalName));
    pump.close();
    this.init.onExit({ sessionId: this.sessionId, exitCode: this.exitCode, signal: signalName });
  }

  private killTree(): void {
    try {
      this.init.signalTree?.(this.pty.pid, 'SIGKILL');
    } catch {
      // Our own sweep below still runs.
    }
    killProcessTree(this.pty.pid);
  }

  private cleanup(): void {
    clearInterval(this.sweepTimer);
    if (this.cleaned) return;
    this.cleaned = true;
    try {
      this.init.command.cleanup();
    } catch {
      // The sandbox's temporary files are its business; a failed cleanup must not hide the exit.
    }
  }
}
