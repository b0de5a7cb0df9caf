import { describe, expect, it } from 'vitest';
import { isTransient } from '../../electron/core/queue/retry-policy.js';

describe('isTransient: provider faults', () => {
  it('retries an unreachable or rate-limited provider and its 5xx', () => {
    expect(isTransient({ code: 'PROVIDER_UNREACHABLE', message: '' })).toBe(true);
    expect(isTransient({ code: 'RATE_LIMITED', message: '', details: { retryAfterMs: 2000 } })).toBe(true);
    expect(isTransient({ code: 'PROVIDER_ERROR', message: '', details: { status: 529 } })).toBe(true);
    expect(isTransient({ code: 'PROVIDER_ERROR', message: '', details: { status: 400 } })).toBe(false);
  });
  it('never retries a refusal (content filter, a model declining) or a redirect it will not follow', () => {
    expect(isTransient({ code: 'PROVIDER_ERROR', message: '', details: { refusal: true } })).toBe(false);
    expect(isTransient({ code: 'PROVIDER_ERROR', message: '', details: { status: 307, transient: false } })).toBe(false);
  });
  it('believes a provider that says it is transient, and never retries a key or local-only refusal', () => {
    expect(isTransient({ code: 'PROVIDER_ERROR', message: '', details: { transient: true } })).toBe(true);
    expect(isTransient({ code: 'PROVIDER_AUTH', message: '' })).toBe(false);
    expect(isTransient({ code: 'LOCAL_ONLY', message: '' })).toBe(false);
    expect(isTransient({ code: 'CONTEXT_TOO_LONG', message: '' })).toBe(false);
  });
});
