import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { RestError } from './http.js';

export const API_KEY_HEADER = 'x-api-key';

function digest(value: string): Buffer {
  return crypto.createHash('sha256').update(value).digest();
}

/**
 * Scripts authenticate with the engine's API key in `X-API-Key`. It is a different secret
 * from the browser UI's per-launch token (which only opens /ws and /download), and each is
 * accepted only where it belongs. Both sides are hashed first so timingSafeEqual compares
 * equal lengths and the key's length does not leak either.
 */
export function requireApiKey(req: IncomingMessage, expected: string): void {
  const given = req.headers[API_KEY_HEADER];
  if (typeof given !== 'string' || given.length === 0) {
    throw new RestError(401, 'UNAUTHORIZED', 'Missing API key: send it in the X-API-Key header (Settings shows it; MACS_API_KEY sets it).');
  }
  if (!expected || !crypto.timingSafeEqual(digest(given), digest(expected))) {
    throw new RestError(401, 'UNAUTHORIZED', 'Wrong API key.');
  }
}
