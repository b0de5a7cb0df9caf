// A long-lived git process that answers requests on stdin line by line:
// `hash-object -w --stdin-paths`, `mktree -z --batch`, `update-ref --stdin`. Starting a
// git process costs several milliseconds; a snapshot save needs five objects and a ref
// update, so one process per kind, kept warm while a task records, makes a save cost
// pipe round trips instead of process starts.
//
// Lifetime: started on first use, closed after a quiet period. While a request is in
// flight the process keeps Node alive; while idle it does not (a CLI run can exit).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { MacsError } from '../../../../shared/errors.js';
import { GIT_CONFIG_ARGS, gitEnv } from './git.js';
import { diskFullFromText } from '../../db/index.js';

const IDLE_MS = 15_000;
const STDERR_CAP = 8 * 1024;

interface Pending {
  lines: number;
  got: string[];
  resolve: (lines: string[]) => void;
  reject: (err: Error) => void;
}

export class GitPipe {
  private child: ChildProcessWithoutNullStreams | null = null;
  /** The current process's queue of requests awaiting their answer. */
  private pending: Pending[] = [];
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly gitDir: string,
    private readonly args: string[],
  ) {}

  /** Write `input`, resolve with the next `lines` lines of output. Requests are answered in order. */
  request(input: string, lines = 1): Promise<string[]> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const child = this.child ?? this.start();
    this.setRef(child, true);
    return new Promise<string[]>((resolve, reject) => {
      this.pending.push({ lines, got: [], resolve, reject });
      child.stdin.write(input);
    });
  }

  /** Let the process finish (EOF on its stdin). Requests in flight are still answered. */
  close(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.child?.stdin.end();
    this.child = null;
  }

  private start(): ChildProcessWithoutNullStreams {
    const child = spawn('git', [...GIT_CONFIG_ARGS, ...this.args], { cwd: this.gitDir, env: gitEnv(this.gitDir) });
    // Each process has its own queue: one being closed still answers what was sent to it.
    const queue: Pending[] = [];
    let partial = '';
    let stderr = '';
    this.child = child;
    this.pending = queue;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      partial += chunk;
      let newline: number;
      while ((newline = partial.indexOf('\n')) >= 0) {
        const head = queue[0];
        head?.got.push(partial.slice(0, newline));
        partial = partial.slice(newline + 1);
        if (head && head.got.length === head.lines) head.resolve(queue.shift()!.got);
      }
      if (queue.length === 0 && this.child === child) this.idle(child);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < STDERR_CAP) stderr += chunk.toString('utf8');
    });
    child.stdin.on('error', () => undefined); // EPIPE after git died; 'close' reports why
    const fail = (why: string) => {
      if (this.child === child) this.child = null;
      if (queue.length === 0) return;
      const err =
        diskFullFromText(stderr, { path: this.gitDir, what: `the undo snapshot (git ${this.args[0]})` }) ??
        new MacsError('INTERNAL', `git ${this.args[0]} failed: ${stderr.trim() || why}`, { args: this.args, stderr: stderr.trim() });
      for (const request of queue.splice(0)) request.reject(err);
    };
    child.on('error', (err) => fail(err.message));
    child.on('close', (code) => fail(`exit ${code}`));
    return child;
  }

  private idle(child: ChildProcessWithoutNullStreams): void {
    this.setRef(child, false);
    this.idleTimer = setTimeout(() => this.close(), IDLE_MS);
    this.idleTimer.unref();
  }

  private setRef(child: ChildProcessWithoutNullStreams, ref: boolean): void {
    for (const handle of [child, child.stdout, child.stderr, child.stdin] as Array<{ ref?: () => void; unref?: () => void }>) {
      if (ref) handle.ref?.();
      else handle.unref?.();
    }
  }
}
