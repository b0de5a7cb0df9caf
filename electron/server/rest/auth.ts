// Who is calling the REST API, and what each kind of caller may do.
//
// - The API key (`X-API-Key`, or `Authorization: Bearer <key>` for tools such as Prometheus
//   that only speak Bearer) may do everything.
// - The browser UI's per-launch token (`Authorization: Bearer <token>`) reads: it can already
//   read every task over the WebSocket, so REST reads add no power; it never writes over REST
//   (the UI writes through the WebSocket), and as a query parameter it opens only /ws and
//   /download, never the API.
// - A task's stream token (`?stream_token=` on /v1/stream/{id} only) opens that task's SSE
//   stream, for EventSource clients that cannot send headers. It is HMAC(API key, task id):
//   nothing is stored, any server sharing the data dir (same key) accepts it, and a new API
//   key revokes every stream token at once.
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { sameSecret } from '../same-secret.js';
import { RestError } from './http.js';

const API_KEY_HEADER = 'x-api-key';

export type Caller = { kind: 'anonymous' } | { kind: 'api-key' } | { kind: 'ui-token' } | { kind: 'stream-token'; taskId: string };

/** What a route asks of its caller. */
export type Access =
  /** Anyone on loopback (the handler may tell callers apart: /health). */
  | 'public'
  /** The API key or the UI token: everything that returns task data or files. */
  | 'read'
  /** As read, or the stream token of the task in the path (query parameter): the SSE route. */
  | 'stream'
  /** The API key only: everything that changes state. */
  | 'write';

export interface Secrets {
  /** Read per request: the key can come from a file that Settings may rewrite. */
  apiKey(): string;
  /** The UI's per-launch token; null where there is no browser UI. */
  uiToken: string | null;
}

const STREAM_TOKEN_LABEL = 'macs-stream-token/v1:';

export function streamTokenFor(apiKey: string, taskId: string): string {
  return crypto.createHmac('sha256', apiKey).update(STREAM_TOKEN_LABEL + taskId).digest('base64url');
}

const MISSING =
  'Missing credential: send the API key in the X-API-Key header (Settings shows it; MACS_API_KEY sets it; the data dir holds it in the file "api-key").';

/**
 * The caller named by the request's headers. A credential that is sent is always checked,
 * even where none is needed: a misconfigured script learns at once.
 */
export function identify(req: IncomingMessage, secrets: Secrets): Caller {
  const key = req.headers[API_KEY_HEADER];
  if (key !== undefined) {
    if (typeof key !== 'string' || key.length === 0) throw new RestError(401, 'UNAUTHORIZED', MISSING);
    if (!sameSecret(key, secrets.apiKey())) throw new RestError(401, 'UNAUTHORIZED', 'Wrong API key.');
    return { kind: 'api-key' };
  }
  const authorization = req.headers.authorization;
  if (authorization === undefined) return { kind: 'anonymous' };
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
  if (!bearer) throw new RestError(401, 'UNAUTHORIZED', 'The Authorization header must be "Bearer <API key or UI token>".');
  if (sameSecret(bearer, secrets.apiKey())) return { kind: 'api-key' };
  if (sameSecret(bearer, secrets.uiToken)) return { kind: 'ui-token' };
  throw new RestError(401, 'UNAUTHORIZED', 'Wrong token: Authorization: Bearer takes the API key or the session token of the UI.');
}

/** The caller, if it may use a route with this access; a 401 that says what is missing otherwise. */
export function authorize(access: Access, req: IncomingMessage, url: URL, params: Record<string, string>, secrets: Secrets): Caller {
  const caller = identify(req, secrets);
  if (access === 'public' || caller.kind === 'api-key') return caller;
  if (access === 'write') {
    throw new RestError(
      401,
      'UNAUTHORIZED',
      caller.kind === 'ui-token' ? 'This request changes state and needs the API key (X-API-Key); the UI token only reads.' : MISSING,
    );
  }
  if (caller.kind === 'ui-token') return caller;
  const streamToken = url.searchParams.get('stream_token');
  if (access === 'stream' && streamToken !== null && params.id !== undefined) {
    if (sameSecret(streamToken, streamTokenFor(secrets.apiKey(), params.id))) return { kind: 'stream-token', taskId: params.id };
    throw new RestError(401, 'UNAUTHORIZED', 'Wrong stream token for this task: use the stream_token that POST /v1/tasks (or GET /v1/tasks/{id}) returned for it.');
  }
  throw new RestError(401, 'UNAUTHORIZED', access === 'stream' ? `${MISSING} An EventSource can pass ?stream_token= (from POST /v1/tasks) instead.` : MISSING);
}
