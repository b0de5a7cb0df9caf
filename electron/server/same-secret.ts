import crypto from 'node:crypto';

/**
 * Whether a credential someone sent equals the secret, in constant time (checked byte by byte,
 * a caller would learn how close it came). Both are hashed first, so timingSafeEqual compares
 * equal lengths and the secret's length does not leak either. Nothing sent, or no secret to
 * compare with, never matches.
 */
export function sameSecret(given: string | null | undefined, expected: string | null): boolean {
  return !!given && !!expected && crypto.timingSafeEqual(digest(given), digest(expected));
}

function digest(value: string): Buffer {
  return crypto.createHash('sha256').update(value).digest();
}
