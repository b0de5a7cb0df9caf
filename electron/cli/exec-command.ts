// `macs exec --workspace DIR [--level L] [--timeout S] -- CMD ARGS…`: one command under
// the very policy the agent's commands get, so a user can reproduce what it ran. Output
// streams as it comes (stdout to stdout, stderr to stderr); the exit code is the
// command's, or coreutils `timeout`'s conventions for what the wrapper itself decided.
import { IsolationLevelSchema, type IsolationLevel } from '../../shared/exec.js';
import { toErrorPayload } from '../../shared/errors.js';
import { DEFAULT_MAX_OUTPUT_BYTES, detectSandbox, runSandboxed, type Sandbox } from '../core/sandbox/index.js';
import type { CliContext } from './context.js';

export const EXIT_USAGE = 2;
export const EXIT_TIMEOUT = 124;
export const EXIT_SANDBOX_ERROR = 125;
export const EXIT_NOT_FOUND = 127;
export const EXIT_INTERRUPTED = 130;

export interface ExecCommandOptions {
  workspace?: string;
  /** One of IsolationLevel; default workspace-write. */
  level?: string;
  /** Seconds (decimals allowed); default 600. */
  timeoutS?: string | number;
  command: string[];
}

export interface ExecCommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Where Ctrl-C comes from (default: this process). */
  signals?: Pick<NodeJS.Process, 'once' | 'removeListener'>;
  sandbox?: Sandbox;
}

const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };

export async function execCommand(ctx: CliContext, opts: ExecCommandOptions, io?: Partial<ExecCommandIo>): Promise<number> {
  const out = io?.stdout ?? ctx.write;
  const err = io?.stderr ?? ((text: string) => process.stderr.write(text));
  if (!opts.workspace) {
    ctx.stderr('macs exec: --workspace DIR is required (usage: macs exec --workspace DIR [--level L] [--timeout S] -- CMD ARGS…)');
    return EXIT_USAGE;
  }
  if (!opts.command.length) {
    ctx.stderr('macs exec: no command given after "--"');
    return EXIT_USAGE;
  }
  const level = IsolationLevelSchema.safeParse(opts.level ?? 'workspace-write');
  if (!level.success) {
    ctx.stderr(`macs exec: --level must be one of ${IsolationLevelSchema.options.join(', ')}, got "${opts.level}"`);
    return EXIT_USAGE;
  }
  const timeoutS = opts.timeoutS === undefined ? 600 : Number(opts.timeoutS);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0 || timeoutS > 24 * 3600) {
    ctx.stderr(`macs exec: --timeout must be a number of seconds from 0 to 86400, got "${opts.timeoutS}"`);
    return EXIT_USAGE;
  }
  return run(opts.workspace, level.data, timeoutS, opts.command, { out, err, signals: io?.signals ?? process, sandbox: io?.sandbox });
}

async function run(
  workspace: string,
  level: IsolationLevel,
  timeoutS: number,
  command: string[],
  io: { out: (t: string) => void; err: (t: string) => void; signals: Pick<NodeJS.Process, 'once' | 'removeListener'>; sandbox?: Sandbox },
): Promise<number> {
  const abort = new AbortController();
  let interrupted = false;
  const onSignal = (): void => {
    interrupted = true;
    abort.abort();
  };
  io.signals.once('SIGINT', onSignal);
  io.signals.once('SIGTERM', onSignal);
  try {
    const result = await runSandboxed({
      command,
      cwd: workspace,
      level,
      timeoutMs: Math.round(timeoutS * 1000),
      signal: abort.signal,
      sandbox: io.sandbox ?? detectSandbox(),
      // A terminal copes with what the UI would not; the hard cap (policy) still applies.
      outputCapBytes: DEFAULT_MAX_OUTPUT_BYTES,
      onOutput: (chunk, stream) => (stream === 'stdout' ? io.out(chunk) : io.err(chunk)),
      onAudit: (a) => {
        if (a.kind !== 'denied') io.err(`[macs] ${a.kind}: ${a.message}\n`);
      },
    });
    if (result.sandboxFailure) {
      io.err(`[macs] the sandbox could not start: ${result.sandboxFailure}\n`);
      return EXIT_SANDBOX_ERROR;
    }
    if (result.timedOut) return EXIT_TIMEOUT;
    if (interrupted) return EXIT_INTERRUPTED;
    if (result.exitCode !== null) return result.exitCode;
    return 128 + (SIGNAL_NUMBERS[result.signal ?? ''] ?? 9);
  } catch (e) {
    io.err(`[macs] ${toErrorPayload(e).message}\n`);
    return EXIT_SANDBOX_ERROR;
  } finally {
    io.signals.removeListener('SIGINT', onSignal);
    io.signals.removeListener('SIGTERM', onSignal);
  }
}
