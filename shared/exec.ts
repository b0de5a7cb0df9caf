// Sandboxed command execution and terminals: shared types.
import { z } from 'zod';

/** read-only < workspace-write (default, no network) < workspace-write+net < unrestricted (explicit opt-in). */
export const IsolationLevelSchema = z.enum(['read-only', 'workspace-write', 'workspace-write+net', 'unrestricted']);
export type IsolationLevel = z.infer<typeof IsolationLevelSchema>;

export const SandboxStatusSchema = z.object({
  backend: z.enum(['bwrap', 'sandbox-exec', 'unrestricted']),
  available: z.boolean(),
  version: z.string().nullable(),
  /** When the backend is missing: what to install, in one line ("apt install bubblewrap"). */
  hint: z.string().nullable(),
  levels: z.array(IsolationLevelSchema),
});
export type SandboxStatus = z.infer<typeof SandboxStatusSchema>;

export const ExecResultSchema = z.object({
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  timedOut: z.boolean(),
  /** Killed by cancel, timeout or the output cap. */
  killed: z.boolean(),
  outputTruncated: z.boolean(),
  durationMs: z.number(),
  level: IsolationLevelSchema,
  /** The last part of the output (capped), for reports. */
  tail: z.string(),
  /** Full output log (capped file) on disk, when kept. */
  logPath: z.string().nullable(),
});
export type ExecResult = z.infer<typeof ExecResultSchema>;

export const TerminalSessionSchema = z.object({
  sessionId: z.string(),
  /** 'shell': an interactive pty; 'runs': the read-only log of the commands the pipeline ran for the task; 'app': a project's running app (install + server output). */
  kind: z.enum(['shell', 'runs', 'app']),
  taskId: z.string().nullable(),
  cwd: z.string(),
  level: IsolationLevelSchema,
  title: z.string(),
  alive: z.boolean(),
  exitCode: z.number().int().nullable(),
  cols: z.number().int(),
  rows: z.number().int(),
});
export type TerminalSession = z.infer<typeof TerminalSessionSchema>;
