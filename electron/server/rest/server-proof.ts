// The server proves it holds the API key before a client sends it. Any local user can bind
// 127.0.0.1:7421 while `macs serve` is down; without this, the next `macs list` would hand
// that process the key (X-API-Key), and with it every task and every write.
//
// The client sends a fresh random challenge to GET /health (no credential); the server
// answers with HMAC-SHA256(API key, label + challenge) in a header; the client compares it
// with its own and only then sends the key. The label differs from the stream token's
// (auth.ts), so no challenge can make the server compute a stream token.
import crypto from 'node:crypto';
import { sameSecret } from '../same-secret.js';

export const CHALLENGE_HEADER = 'x-macs-challenge';
export const PROOF_HEADER = 'x-macs-proof';

const PROOF_LABEL = 'macs-server-proof/v1:';
/** base64url only, 22..128 characters (at least 128 random bits): nothing else is answered. */
const CHALLENGE = /^[\w-]{22,128}$/;

export function isChallenge(value: unknown): value is string {
  return typeof value === 'string' && CHALLENGE.test(value);
}

export function newChallenge(): string {
  return crypto.randomBytes(24).toString('base64url');
}

export function serverProof(apiKey: string, challenge: string): string {
  return crypto.createHmac('sha256', apiKey).update(PROOF_LABEL + challenge).digest('base64url');
}

/** Constant-time (sameSecret): a client that checked byte by byte would tell a squatter how close it came. */
export function proofMatches(apiKey: string, challenge: string, proof: string | null): boolean {
  return sameSecret(proof, serverProof(apiKey, challenge));
}
