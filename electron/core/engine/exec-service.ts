import fs from 'node:fs';
import path from 'node:path';
import type { ExecResult, IsolationLevel, MethodParams, TaskEventDraft } from '../../../shared/index.js';
import { DEFAULT_TIMEOUT_MS, runSandboxed, type Sandbox } from '../sandbox/index.js';
import type { TaskStore } from '../tasks/index.js';

const LOG_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Where a command's output is shown live (the task's "Runs" terminal), if a terminal is attached. */
export interface RunDisplay {
  write(chunk: string): void;
  end(result: ExecResult & { timeoutMs?: number }): void;
}

export interface ExecServiceOptions {
  store: TaskStore;
  sandbox: () => Sandbox;
  logsDir: string;
  /** Append events outside the coalescer (a finished task has no lease to fence with). */
  appendEvents: (taskId: string, drafts: TaskEventDraft[]) => void;
  display?: (taskId: string, run: { command: string[]; cwd: string; level: IsolationLevel }) => RunDisplay | null;
}

/** Runs commands in a task's workspace inside the sandbox, as audited task events. */
export class ExecService {
  private readonly running = new Set<AbortController>();

  constructor(private readonly o: ExecServiceOptions) {
    pruneOldLogs(o.logsDir);
  }

  async run({ taskId, command, level, timeoutMs }: MethodParams<'exec.run'>, signal?: AbortSignal): Promise<ExecResult> {
    const task = this.o.store.requireTask(taskId);
    const cwd = task.workspacePath;
    fs.mkdirSync(cwd, { recursive: true }); // a task that wrote no files has no folder yet
    const wanted: IsolationLevel = level ?? 'workspace-write';
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.running.add(controller);
    this.o.appendEvents(taskId, [{ type: 'exec', data: { phase: 'start', command, cwd, level: wanted } }]);
    const display = this.o.display?.(taskId, { command, cwd, level: wanted }) ?? null;
    try {
      const result = await runSandboxed({
        command,
        cwd,
        level: wanted,
        timeoutMs,
        signal: controller.signal,
        sandbox: this.o.sandbox(),
        logDir: path.join(this.o.logsDir, taskId),
        onOutput: (chunk) => display?.write(chunk),
        onAudit: (audit) => this.o.appendEvents(taskId, [{ type: 'audit', data: { ...audit, command } }]),
      });
      const { sandboxFailure: _sandboxFailure, ...execResult } = result;
      display?.end({ ...execResult, timeoutMs: timeoutMs ?? DEFAULT_TIMEOUT_MS });
      this.o.appendEvents(taskId, [
        {
          type: 'exec',
          data: {
            phase: 'end',
            command,
            cwd,
            level: result.level,
            exitCode: result.exitCode,
            durationMs: result.durationMs,
            timedOut: result.timedOut,
            killed: result.killed,
            outputTruncated: result.outputTruncated,
          },
        },
      ]);
      return execResult;
    } catch (err) {
      // The sandbox could not start the command: close the Runs entry with what happened.
      display?.write(`\r\n${(err as Error).message}\r\n`);
      display?.end({ exitCode: null, signal: null, timedOut: false, killed: false, outputTruncated: false, durationMs: 0, level: wanted, tail: '', logPath: null });
      throw err;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.running.delete(controller);
    }
  }

  /** Engine shutdown: no command outlives the app. */
  abortAll(): void {
    for (const c of this.running) c.abort();
  }
}

function pruneOldLogs(dir: string, now = Date.now()): void {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (now - fs.statSync(full).mtimeMs > LOG_TTL_MS) fs.rmSync(full, { recursive: true, force: true });
  }
}
