import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { ErrorCode } from '../../../shared/index.js';
import { MacsError, toErrorPayload, type FieldError } from '../../../shared/index.js';
import { parseJsonText } from '../json-text.js';

/** A MacsError that also knows its HTTP status, for the cases the code alone does not decide (413, 409, 405). */
export class RestError extends MacsError {
  constructor(
    readonly status: number,
    code: ErrorCode,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(code, message, details);
  }
}

export function invalidInput(message: string, fields: FieldError[]): RestError {
  return new RestError(400, 'INVALID_INPUT', message, { fields });
}

const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  INVALID_INPUT: 400,
  INVALID_JSON: 400,
  MODEL_NOT_FOUND: 400,
  PATH_OUTSIDE_WORKSPACE: 400,
  UNAUTHORIZED: 401,
  TASK_NOT_FOUND: 404,
  TASK_ID_TAKEN: 409,
  PROJECT_NOT_FOUND: 404,
  VERSION_NOT_FOUND: 404,
  FOLDER_NOT_OPENED: 400,
  // The request is right but the project's state refuses it now: a turn runs; its folder is gone (Locate…).
  PROJECT_BUSY: 409,
  // The build is not waiting with a plan (approved already, or never asked to wait): the task's state, not the request, is in the way.
  PLAN_NOT_WAITING: 409,
  TASK_BUSY: 409,
  PATH_EXISTS: 409,
  TRASH_ITEM_NOT_FOUND: 404,
  FOLDER_MISSING: 409,
  STEP_NOT_FOUND: 404,
  SCREENSHOT_NOT_FOUND: 404,
  // Running what was built: nothing says how to start the project, or a tool it needs is missing (the request is right; the project or machine cannot run it).
  APP_NOT_RUNNABLE: 422,
  TOOLCHAIN_MISSING: 422,
  RUN_ERROR_NOT_FOUND: 404,
  FIX_LIMIT_REACHED: 409,
  FILE_NOT_FOUND: 404,
  EXPORT_NOT_FOUND: 404,
  UNKNOWN_METHOD: 404,
  FILE_TOO_LARGE: 413,
  NOT_A_REGULAR_FILE: 422,
  DATA_DIR_NOT_WRITABLE: 507,
  NOT_SUPPORTED: 501,
  OLLAMA_UNREACHABLE: 503,
  OLLAMA_ERROR: 502,
  PROVIDER_UNREACHABLE: 503,
  PROVIDER_ERROR: 502,
  PROVIDER_AUTH: 502,
  RATE_LIMITED: 503,
  CONTEXT_TOO_LONG: 422,
  PROVIDER_NOT_FOUND: 404,
  LOCAL_ONLY: 403,
  KEY_STORE_NEEDS_CONSENT: 409,
  CONFIG_INVALID: 400,
  DISK_FULL: 507,
  // Build outcomes: they end a task (its error), not a request. Should one surface from a
  // request anyway, the request was understood but its work could not be done (422), or ran
  // out of time (504).
  PLAN_INVALID: 422,
  NO_FILES: 422,
  FILES_REFUSED: 422,
  OUTPUT_TOO_LARGE: 422,
  NO_TEST_COMMAND: 422,
  TESTS_FAILED: 422,
  EXPECTED_FILES_MISSING: 422,
  TIME_BUDGET_EXCEEDED: 504,
};

export function statusFor(err: unknown): number {
  if (err instanceof RestError) return err.status;
  return STATUS_BY_CODE[toErrorPayload(err).code] ?? 500;
}

/** A zip as a download (the task's and the project's /zip routes): its name kept to safe characters. */
export async function sendZip(res: ServerResponse, zip: { path: string; fileName: string }, bytes: number): Promise<void> {
  res.writeHead(200, {
    'content-type': 'application/zip',
    'content-length': bytes,
    'content-disposition': `attachment; filename="${zip.fileName.replace(/[^\w.-]/g, '_')}"`,
    'cache-control': 'no-store',
  });
  await pipeline(fs.createReadStream(zip.path), res);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers }).end(JSON.stringify(body));
}

/** Every error leaves as {error: {code, message, details?}}; unexpected ones keep their message but are 500. */
export function sendError(res: ServerResponse, err: unknown): void {
  const status = statusFor(err);
  // After a 413 the rest of the body is unread: close the connection rather than drain it.
  sendJson(res, status, { error: toErrorPayload(err) }, status === 413 ? { connection: 'close' } : {});
}

export const MAX_BODY_BYTES = 1024 * 1024;

/** Reads and parses a JSON body (at most maxBytes: 413 beyond). */
export async function readJsonBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  return parseJson(await readBodyText(req, maxBytes));
}

/** For bodies that may be left out (`curl -X POST` with no `-d`): no body or only whitespace is undefined. */
export async function readOptionalJsonBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  const text = await readBodyText(req, maxBytes);
  return text.trim() === '' ? undefined : parseJson(text);
}

/** Depth-bounded (json-text.ts): INVALID_JSON for bad syntax or nesting that would overflow the stack later. */
function parseJson(text: string): unknown {
  return parseJsonText(text, 'The body');
}

/**
 * Reads a body, refusing more than maxBytes without buffering it. Listens to events rather
 * than iterating: leaving a for-await early destroys the request (and, when it is
 * incomplete, its socket), which could cut off the 413 answer.
 */
export async function readBodyText(req: IncomingMessage, maxBytes: number): Promise<string> {
  const tooLarge = () => new RestError(413, 'INVALID_INPUT', `The body is larger than ${maxBytes} bytes.`, { maxBytes });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.off('data', onData);
        req.resume(); // discard the rest; the 413 goes out with connection: close
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}
