// Error codes → text a developer can act on. The engine's message is kept as detail;
// the headline says what happened and what to do.
import { TestReportSchema, type ErrorPayload, type TestReport } from '../../../shared/index.js';
import type { ClientErrorCode } from '../client/index.js';
import { testOutcome } from './step-text.js';

export interface FieldError {
  field: string;
  message: string;
}

export interface ErrorText {
  /** One line: what happened and what to do. */
  text: string;
  /** The engine's own message, when it adds something. */
  detail: string | null;
  /** INVALID_INPUT: per-field messages. */
  fields: FieldError[];
  /** MODEL_NOT_FOUND of a known model: what a Pull button next to the text pulls (and where). */
  missingModel?: { name: string; host: string | null };
}

export interface ErrorLike {
  code: ClientErrorCode | string;
  message: string;
  details?: Record<string, unknown>;
}

export interface ErrorContext {
  model?: string | null;
  host?: string | null;
}

/** "The disk holding X is full: free N MB" from DISK_FULL details (path, neededBytes, freeBytes), as far as they are known. */
export function diskFullText(details: Record<string, unknown> | undefined): string {
  const where = str(details?.absPath) ?? str(details?.path) ?? str(details?.destPath);
  const needed = typeof details?.neededBytes === 'number' ? details.neededBytes : typeof details?.size === 'number' ? details.size : null;
  const free = typeof details?.freeBytes === 'number' ? details.freeBytes : null;
  const mb = (bytes: number) => `${Math.max(1, Math.ceil(bytes / (1024 * 1024)))} MB`;
  // Free what the write needed beyond what is left, rounded up to whole MB (at least 1).
  const toFree = needed !== null ? mb(needed - (free ?? 0)) : null;
  const head = where ? `The disk holding ${where} is full` : 'The disk is full';
  const ask = toFree ? `free at least ${toFree}${free !== null ? ` (${(free / (1024 * 1024)).toFixed(1)} MB left)` : ''}` : 'free some space';
  return `${head}: ${ask} and try again. What was written so far is kept.`;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** Field messages from INVALID_INPUT details, whichever of the usual shapes the engine used. */
export function fieldErrors(details: Record<string, unknown> | undefined): FieldError[] {
  if (!details) return [];
  const out: FieldError[] = [];
  // {issues: zod issues} or {fields: [{path, message}]} (arrays), or {fields: {name: msg | msg[]}}.
  for (const list of [details.issues, details.fields]) {
    if (!Array.isArray(list)) continue;
    for (const issue of list) {
      if (typeof issue !== 'object' || issue === null) continue;
      const rec = issue as Record<string, unknown>;
      const path = Array.isArray(rec.path) ? rec.path.join('.') : (str(rec.path) ?? str(rec.field) ?? '');
      const message = str(rec.message);
      if (message) out.push({ field: path, message });
    }
  }
  const fields = details.fields ?? details.fieldErrors;
  if (fields && typeof fields === 'object' && !Array.isArray(fields)) {
    for (const [field, value] of Object.entries(fields as Record<string, unknown>)) {
      const messages = Array.isArray(value) ? value : [value];
      for (const m of messages) if (str(m)) out.push({ field, message: m as string });
    }
  }
  return out;
}

/** TESTS_FAILED details: {report, rounds}; null when they are not there or not in that shape. */
export function testsFailedDetails(details: Record<string, unknown> | undefined): { report: TestReport | null; rounds: number | null } {
  const parsed = TestReportSchema.safeParse(details?.report);
  const rounds = typeof details?.rounds === 'number' && Number.isFinite(details.rounds) ? details.rounds : null;
  return { report: parsed.success ? parsed.data : null, rounds };
}

function fileList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.length > 0) : [];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function describeError(err: ErrorLike | ErrorPayload, ctx: ErrorContext = {}): ErrorText {
  const details = err.details;
  const model = str(details?.model) ?? ctx.model ?? null;
  const host = str(details?.host) ?? ctx.host ?? null;
  const detail = err.message || null;
  const make = (text: string, keepDetail = true): ErrorText => ({
    text,
    detail: keepDetail && detail && detail !== text ? detail : null,
    fields: [],
  });

  switch (err.code) {
    case 'OLLAMA_UNREACHABLE':
      return make(
        `Ollama is not reachable${host ? ` at ${host}` : ''}. Start it with \`ollama serve\`, or change the host in Settings.`,
      );
    case 'OLLAMA_ERROR':
      return make('Ollama returned an error.');
    case 'MODEL_NOT_FOUND':
      return model
        ? { ...make(`Model ${model} is not installed here (\`ollama pull ${model}\` installs it).`, false), missingModel: { name: model, host: host ?? null } }
        : make('That model is not installed. Run `ollama pull <model>` or pull one in Models.');
    case 'MODEL_OUT_OF_MEMORY':
      return make(
        `${model ? `Model ${model}` : 'The model'} does not fit in memory. Pick a smaller model or quantization, or lower the context length in Settings.`,
      );
    case 'STREAM_DROPPED':
      return make('The connection to Ollama dropped mid-answer; what arrived is kept.');
    case 'MODEL_CRASHED':
      return make(
        details?.deterministic === false
          ? `${model ? `Model ${model}` : 'The model'} stopped unexpectedly inside Ollama (perhaps memory ran short).`
          : `${model ? `Model ${model}` : 'The model'} crashed inside Ollama, and would crash the same way again. Try another model, a smaller context length, or a newer Ollama.`,
      );
    case 'CONTEXT_OVERFLOW':
      return make(
        details?.kind === 'cut-off'
          ? 'The answer was cut off at the context limit; the last file may be incomplete. Raise the context length in Settings and run it again.'
          : 'The conversation outgrew the context window, so the model lost part of its instructions. Raise the context length in Settings and run it again.',
      );
    case 'PROMPT_TOO_LONG':
      return make('The prompt is longer than the context length. Raise the context length in Settings, or send less (fewer files, a shorter prompt).');
    case 'TASK_INTERRUPTED':
      return make('The task was interrupted: the engine stopped while it ran (a crash or a shutdown). What arrived is kept.');
    case 'TASK_NOT_FOUND':
      return make('That task no longer exists.');
    case 'PROJECT_NOT_FOUND':
      return make('That project no longer exists (it was deleted, perhaps in another window). Pick another one or start a new project.');
    case 'PROJECT_BUSY':
      // The engine's sentence says what waits for what ("a turn is running: restore when it has finished").
      return make(err.message || 'A turn of this project is running: try again when it has finished, or stop it first.');
    case 'FOLDER_MISSING':
      return make('The project’s folder is gone or unreadable. Locate… it if it moved, or Forget the project.');
    case 'FOLDER_NOT_OPENED':
      return make('That folder is not the folder of a project: open it first (Open folder).');
    case 'VERSION_NOT_FOUND':
      return make('That version is not there any more (or its snapshot is gone). Nothing was changed.');
    case 'PATH_OUTSIDE_WORKSPACE':
      return make('Refused: the path leaves the workspace.');
    case 'FILE_NOT_FOUND':
      return make('The file is not there any more.');
    case 'PATH_EXISTS':
    case 'TRASH_ITEM_NOT_FOUND':
      // The engine's sentence names the path.
      return make(err.message);
    case 'FILE_TOO_LARGE':
      // On a task (details.paths): files of the answer cut at the per-file cap; elsewhere a file too big to open.
      return make(
        Array.isArray(err.details?.paths)
          ? 'The model wrote a file longer than the per-file limit; it was cut there and marked truncated. Raise "Max file size" in Settings to keep more.'
          : 'The file is too large to open here.',
      );
    case 'NOT_A_REGULAR_FILE':
      return make('That is not a regular file (a pipe, socket or device); MACS does not open those.');
    case 'OUTPUT_TOO_LARGE':
      return make('The model wrote more than the per-task output limit, so later files were not saved. Raise "Max output per task" in Settings or ask for less.');
    case 'FILES_REFUSED':
      return make('Every file the model wrote was refused (e.g. a path outside the project), so nothing was written. The refusals are listed in the chat; try again or rephrase.');
    case 'DATA_DIR_NOT_WRITABLE':
      return make('The data folder cannot be written (read-only disk or permissions). Fix its permissions or choose another data folder.');
    case 'DISK_FULL':
      return make(diskFullText(err.details));
    case 'EXPORT_FAILED':
      return make('The export failed.');
    case 'EXPORT_NOT_FOUND':
      return make('The export has expired. Export again.');
    case 'NOT_SUPPORTED':
      return make('Not supported on this host.');
    case 'SANDBOX_NET_UNAVAILABLE':
      return make(
        'The "workspace + network" level is refused here: MACS gives sandboxed code network access only through slirp4netns, which keeps it away from this machine’s own services (127.0.0.1, MACS’s server). Install slirp4netns (apt install slirp4netns, dnf install slirp4netns) or run without network.',
      );
    case 'LINK_NOT_ALLOWED':
      return make('MACS opens only http, https and mailto links outside the app; copy this one if you trust it.');
    case 'PLAN_INVALID':
      return make(
        'The model did not write a usable plan (not valid JSON, or parts missing), even when asked to repair it. Try again, or pick a stronger model for the plan step in Settings → Build pipeline.',
      );
    case 'NO_FILES':
      return make('The model answered without writing any files. Try again, or pick a stronger model for the implement step in Settings → Build pipeline.');
    case 'NO_TEST_COMMAND':
      return make('There is no way to run the tests: the plan named no test command and none could be inferred from the files. Say in the prompt how to run them, e.g. `pytest`.');
    case 'TESTS_FAILED': {
      const { report, rounds } = testsFailedDetails(details);
      const after = rounds === null ? '' : rounds === 0 ? ' (fixing is off: 0 fix rounds in Settings)' : ` after ${plural(rounds, 'fix round')}`;
      const what = report ? testOutcome(report) : 'the tests still fail';
      return make(`The build failed: ${what}${after}. The Steps tab shows each failure; replay a step or raise the fix rounds in Settings.`);
    }
    case 'EXPECTED_FILES_MISSING': {
      const missing = fileList(details?.missing ?? details?.files ?? details?.expected);
      return make(
        missing.length > 0
          ? `The project is missing files the task requires: ${missing.slice(0, 6).join(', ')}${missing.length > 6 ? ` and ${missing.length - 6} more` : ''}.`
          : 'The project is missing files the task requires.',
      );
    }
    case 'TIME_BUDGET_EXCEEDED':
      return make('Stopped: the build ran past its time budget. What was written is kept; replay a step or retry to continue.');
    case 'STEP_NOT_FOUND':
      return make('That step attempt does not exist (any more). Reload the task to see its current steps.');
    case 'SCREENSHOT_NOT_FOUND':
      return make('That screenshot of the web check is not kept (any more): the step attempt was removed or never reached that step.');
    case 'UNAUTHORIZED':
      return make('The engine refused the session token. Open the URL that `macs serve` printed.');
    case 'INVALID_JSON':
      return make('The engine could not read a request: its JSON was malformed or nested too deeply. This is a bug in the client that sent it, not in what you typed.');
    case 'UNKNOWN_METHOD':
      return make('The engine does not know this request (version mismatch?).');
    case 'DISCONNECTED':
      return make('The connection to the engine dropped before it answered. Try again once it is back.');
    case 'INVALID_INPUT': {
      const fields = fieldErrors(details);
      return {
        text: fields.length > 0 ? fields.map((f) => f.message).join(' ') : detail || 'The input is not valid.',
        detail: null,
        fields,
      };
    }
    // Providers beside Ollama (issue 17): the engine's sentence names the provider, its host and what to do.
    case 'PROVIDER_AUTH':
    case 'RATE_LIMITED':
    case 'CONTEXT_TOO_LONG':
    case 'PROVIDER_UNREACHABLE':
    case 'PROVIDER_ERROR':
    case 'PROVIDER_NOT_FOUND':
    case 'LOCAL_ONLY':
    case 'KEY_STORE_NEEDS_CONSENT':
      return make(detail || 'The provider could not answer.', false);
    case 'CONFIG_INVALID': {
      const fields = fieldErrors(details);
      return { text: detail || 'The provider configuration is not valid.', detail: null, fields };
    }
    case 'INTERNAL':
    default:
      return make(`Something went wrong inside the engine${detail ? `: ${detail}` : '.'}`, false);
  }
}

/** Just the headline, with the engine's detail appended when it adds information. */
export function errorLine(err: ErrorLike | ErrorPayload, ctx?: ErrorContext): string {
  const d = describeError(err, ctx);
  return d.detail ? `${d.text} (${d.detail})` : d.text;
}

/** A few words for dividers, badges and table cells ("Ollama not reachable", "Ollama error: boom"). */
export function shortError(err: ErrorLike | ErrorPayload): string {
  switch (err.code) {
    case 'OLLAMA_UNREACHABLE':
      return 'Ollama not reachable';
    case 'OLLAMA_ERROR':
      if (!err.message) return 'Ollama error';
      return /^ollama\b/i.test(err.message) ? err.message : `Ollama error: ${err.message}`;
    case 'MODEL_NOT_FOUND':
      return 'model not installed';
    case 'MODEL_OUT_OF_MEMORY':
      return 'model does not fit in memory';
    case 'STREAM_DROPPED':
      return 'the stream dropped';
    case 'MODEL_CRASHED':
      return 'the model crashed';
    case 'PROMPT_TOO_LONG':
      return 'prompt longer than the context';
    case 'CONTEXT_OVERFLOW':
      return 'answer outgrew the context';
    case 'TASK_INTERRUPTED':
      return 'the engine stopped while it ran';
    case 'DISK_FULL':
      return 'disk full';
    case 'PLAN_INVALID':
      return 'no usable plan';
    case 'NO_FILES':
      return 'no files written';
    case 'NO_TEST_COMMAND':
      return 'no test command';
    case 'TESTS_FAILED': {
      const { report } = testsFailedDetails(err.details);
      return report ? testOutcome(report) : 'tests failed';
    }
    case 'EXPECTED_FILES_MISSING':
      return 'required files missing';
    case 'TIME_BUDGET_EXCEEDED':
      return 'over the time budget';
    case 'STEP_NOT_FOUND':
      return 'step not found';
    case 'SCREENSHOT_NOT_FOUND':
      return 'screenshot not found';
    case 'PROJECT_NOT_FOUND':
      return 'project not found';
    case 'PROJECT_BUSY':
      return 'a turn is running';
    case 'FOLDER_MISSING':
      return 'folder missing';
    case 'FOLDER_NOT_OPENED':
      return 'folder not opened';
    case 'VERSION_NOT_FOUND':
      return 'version not found';
    default:
      return err.message || err.code;
  }
}
