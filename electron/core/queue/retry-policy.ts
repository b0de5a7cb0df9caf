import type { ErrorPayload } from '../../../shared/index.js';

/**
 * Faults that may go away by themselves. Bad input, a missing model or OOM will not.
 * `attempt`: the attempt that just failed (1-based): a crash with no known cause gets one more try, not every one.
 */
export function isTransient(error: ErrorPayload, attempt = 1): boolean {
  switch (error.code) {
    case 'OLLAMA_UNREACHABLE':
    case 'PROVIDER_UNREACHABLE':
    case 'RATE_LIMITED':
    case 'STREAM_DROPPED':
      return true;
    case 'MODEL_CRASHED':
      return error.details?.deterministic === false && attempt <= 1;
    case 'OLLAMA_ERROR':
    case 'PROVIDER_ERROR': {
      // A provider's refusal (content filter, a model declining) or a redirect we will not follow says so itself.
      if (error.details?.refusal === true || error.details?.transient === false) return false;
      if (error.details?.transient === true) return true;
      const status = error.details?.status;
      return typeof status !== 'number' || status >= 500;
    }
    default:
      return false;
  }
}

/** Exponential backoff with "equal jitter": half fixed, half random, capped. */
export function backoffMs(attempt: number, baseMs: number, capMs = 60_000, random: () => number = Math.random): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}
