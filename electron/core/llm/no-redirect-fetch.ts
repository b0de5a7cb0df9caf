import { MacsError } from '../../../shared/index.js';

/**
 * A fetch that never follows a redirect. A model server is called at the address the user
 * configured and nowhere else: a "local" server answering 307 to another host would otherwise
 * carry the prompt there (fetch re-sends the body on 307/308), past "Local only" and the badges,
 * which judge the configured address. The answer is a clear error naming where it pointed.
 */
export function noRedirectFetch(base: typeof fetch = globalThis.fetch): typeof fetch {
  return async (input, init) => {
    const res = await base(input, { ...init, redirect: 'manual' });
    // 'manual' gives the 3xx itself (node) or an opaque redirect (browsers: type "opaqueredirect", status 0).
    if ((res.status >= 300 && res.status < 400) || res.type === 'opaqueredirect') {
      const from = requestUrl(input);
      const to = res.headers.get('location') ?? 'another address';
      throw new MacsError(
        'PROVIDER_ERROR',
        `${from} answered with a redirect (${res.status}) to ${to}. MACS never follows a model server's redirect, so a prompt goes only to the address you configured: use the final address as the base URL if you trust it.`,
        { status: res.status, redirectTo: to, transient: false },
      );
    }
    return res;
  };
}

function requestUrl(input: Parameters<typeof fetch>[0]): string {
  const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  try {
    const u = new URL(raw);
    return `${u.origin}${u.pathname}`; // no query: it could carry anything
  } catch {
    return raw;
  }
}

/** Our own refusal (a redirect, above) as thrown inside a client library, which wraps what fetch throws: found in the cause chain. */
export function macsErrorIn(err: unknown): MacsError | null {
  let e: unknown = err;
  for (let depth = 0; e && depth < 5; depth++) {
    if (e instanceof MacsError) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}
