// Stable error codes that cross every transport as {code, message, details?}.
// The renderer maps each code to user-facing text (renderer/src/lib/error-text.ts).
import { z } from 'zod';

export const ERROR_CODES = [
  'INVALID_INPUT',
  /** A request body or frame that is not JSON, or is nested deeper than the server accepts. */
  'INVALID_JSON',
  'UNKNOWN_METHOD',
  'UNAUTHORIZED',
  'OLLAMA_UNREACHABLE',
  'OLLAMA_ERROR',
  'MODEL_NOT_FOUND',
  'MODEL_OUT_OF_MEMORY',
  'STREAM_DROPPED',
  /** The model's runner process died (GGML_ASSERT, a load that fails, …); details.deterministic says whether a retry could help. */
  'MODEL_CRASHED',
  /** The prompt does not fit the context window and the server was asked not to shift it away. */
  'PROMPT_TOO_LONG',
  /** A warning on a succeeded task: the answer outgrew num_ctx (cut off, or Ollama shifted the context away). */
  'CONTEXT_OVERFLOW',
  'TASK_NOT_FOUND',
  /** A client-chosen task id (REST task_id) that already names a task made from a different request. */
  'TASK_ID_TAKEN',
  /** No project with that id (deleted, or never made here). */
  'PROJECT_NOT_FOUND',
  /** The project is busy: a turn runs (restore, undo and delete wait until it ends). */
  'PROJECT_BUSY',
  /** The task is still running or queued: what was asked needs it finished (press Stop, or wait). */
  'TASK_BUSY',
  /** An opened folder's project whose folder is gone or unreadable: Locate… or Forget. */
  'FOLDER_MISSING',
  /** A path given as a workspace that was never opened as a project folder. */
  'FOLDER_NOT_OPENED',
  /** A project version that does not exist, or whose snapshot is gone (nothing was changed). */
  'VERSION_NOT_FOUND',
  'TASK_INTERRUPTED',
  'PATH_OUTSIDE_WORKSPACE',
  'FILE_NOT_FOUND',
  /** A file or folder already exists where a new one (create, rename, move, restore from the trash) would go. */
  'PATH_EXISTS',
  /** A trashed item that is not in MACS's trash any more (restored already, or emptied). */
  'TRASH_ITEM_NOT_FOUND',
  'FILE_TOO_LARGE',
  /** A FIFO, socket or device where a file was expected: never opened (it could block the server). */
  'NOT_A_REGULAR_FILE',
  /** The model's output went past the per-task size cap (Settings → maxTaskOutputBytes). */
  'OUTPUT_TOO_LARGE',
  /** The data dir or macs.db cannot be written (read-only file system, permissions). */
  'DATA_DIR_NOT_WRITABLE',
  /** Every file of a model's answer was refused (paths outside the workspace...): nothing was written. */
  'FILES_REFUSED',
  'DISK_FULL',
  'EXPORT_FAILED',
  'EXPORT_NOT_FOUND',
  'NOT_SUPPORTED',
  /** workspace-write+net cannot be given without the host's loopback here (no slirp4netns, no user namespaces): refused. */
  'SANDBOX_NET_UNAVAILABLE',
  /** A link from model output that may not open outside the app (not http, https or mailto). */
  'LINK_NOT_ALLOWED',
  // The build pipeline.
  'PLAN_INVALID',
  'NO_FILES',
  'NO_TEST_COMMAND',
  'TESTS_FAILED',
  'EXPECTED_FILES_MISSING',
  'REQUIREMENTS_NOT_MET',
  'TIME_BUDGET_EXCEEDED',
  'STEP_NOT_FOUND',
  /** tasks.approvePlan on a task that is not waiting for its plan to be approved. */
  'PLAN_NOT_WAITING',
  /** A web check step attempt kept no screenshot of that name. */
  'SCREENSHOT_NOT_FOUND',
  // Running what was built (issue 14).
  /** Nothing in the project says how to start it (no run command, package.json script, entry point or index.html). */
  'APP_NOT_RUNNABLE',
  /** A tool the app needs (node, npm, python3, make) is not installed on this machine. */
  'TOOLCHAIN_MISSING',
  /** The project's app is not running (ready) now, so there is no page to preview. */
  'APP_NOT_RUNNING',
  /** No error with that fingerprint in the project's current run. */
  'RUN_ERROR_NOT_FOUND',
  /** "Fix this error" was tried as often as allowed for this error: restore the last working version instead. */
  'FIX_LIMIT_REACHED',
  /** A provider refused the key (HTTP 401/403): missing, wrong or without access to the model. */
  'PROVIDER_AUTH',
  /** A provider said "too many requests" (429); details.retryAfterMs from Retry-After when it sent one. */
  'RATE_LIMITED',
  /** The prompt does not fit the model's context window on that provider (its own error said so). */
  'CONTEXT_TOO_LONG',
  /** A provider other than Ollama could not be reached (connection refused, DNS, timeout). */
  'PROVIDER_UNREACHABLE',
  /** A provider answered with an error we have no better code for (details.status, details.providerMessage). */
  'PROVIDER_ERROR',
  /** A model reference or route names a provider that is not configured (or is disabled). */
  'PROVIDER_NOT_FOUND',
  /** "Local only" is on and the route would send the prompt to a provider that leaves this machine. */
  'LOCAL_ONLY',
  /** No OS keychain here: storing the key in a plaintext (0600) file needs the user's consent first. */
  'KEY_STORE_NEEDS_CONSENT',
  /** An imported or updated provider configuration (YAML or JSON) is not valid; details.fields says where. */
  'CONFIG_INVALID',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export const ErrorPayloadSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ErrorPayload = z.infer<typeof ErrorPayloadSchema>;

/** The one error type the engine throws on purpose. Anything else is mapped to INTERNAL. */
export class MacsError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'MacsError';
    this.code = code;
    this.details = details;
  }

  toPayload(): ErrorPayload {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }
}

export function isMacsError(value: unknown): value is MacsError {
  return value instanceof MacsError;
}

/** Normalise anything thrown into a payload that can cross a transport. */
export function toErrorPayload(err: unknown): ErrorPayload {
  if (err instanceof MacsError) return err.toPayload();
  const parsed = ErrorPayloadSchema.safeParse(err);
  if (parsed.success) return parsed.data;
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message };
}
