// The error a contract call rejects with: the engine's {code, message, details?},
// plus DISCONNECTED for calls that were in flight when the transport dropped.
import type { ErrorCode, ErrorPayload } from '../../../shared/index.js';

export type ClientErrorCode = ErrorCode | 'DISCONNECTED';

export class ClientError extends Error {
  readonly code: ClientErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ClientErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ClientError';
    this.code = code;
    this.details = details;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Turn whatever a transport rejected with into a ClientError (never loses the code). */
export function toClientError(err: unknown): ClientError {
  if (err instanceof ClientError) return err;
  if (isRecord(err) && typeof err.code === 'string' && typeof err.message === 'string') {
    const details = isRecord(err.details) ? err.details : undefined;
    return new ClientError(err.code as ClientErrorCode, err.message, details);
  }
  const message = err instanceof Error ? err.message : String(err);
  // Electron's ipcRenderer.invoke wraps thrown errors as "Error invoking remote method 'x': Error: …";
  // if the engine put a JSON payload in the message, recover it.
  const json = message.match(/\{"code":.*\}$/);
  if (json) {
    try {
      const payload = JSON.parse(json[0]) as ErrorPayload;
      return new ClientError(payload.code, payload.message, payload.details);
    } catch {
      // not JSON after all: fall through
    }
  }
  return new ClientError('INTERNAL', message);
}
