// Who may talk to a preview, and the headers that keep its page on its own origin.
//
// THE POLICY (issue 14: "a hostile generated page must not navigate the MACS window, open
// windows, read MACS's token, call MACS's WebSocket or REST API, or reach the preview of
// another project"). Every preview is its own origin http://127.0.0.1:<port>; all previews
// and `macs serve` share the SITE 127.0.0.1, so "same-site" means "another preview or MACS".
//
// Requests IN (checked before anything is forwarded or served, HTTP and WebSocket alike):
//   - Host must be 127.0.0.1:<port> or localhost:<port>: a DNS-rebinding page on another
//     name that resolves to 127.0.0.1 is refused even though its browser calls it same-origin.
//   - Sec-Fetch-Site: same-origin  → the page loading its own resources: allowed.
//   - Sec-Fetch-Site: none         → the user typed / opened the URL (browser tab, Electron's
//                                    loadURL, the web agent's page.goto): allowed.
//   - Sec-Fetch-Site: same-site | cross-site → allowed only when the Referer's (or, lacking
//     it, the Origin's) origin is one of MACS's own UI origins (appOrigins): MACS may frame
//     and open its preview. Another preview (another 127.0.0.1 port) can neither fetch,
//     embed, submit a form to, nor navigate to this one; with its referrer suppressed it
//     has no Referer at all and is refused too.
//   - No Sec-Fetch-* (a non-browser client: the readiness probe, curl): allowed unless an
//     Origin or Referer names an origin that is neither this preview nor MACS.
//   - /__macs/report and /__macs/csp take same-origin posts only (the probe's beacons and
//     the browser's CSP reports).
//
// Responses OUT (every one, forwarded or served):
//   - CSP frame-ancestors <appOrigins> 'self': only MACS (or the page itself) may frame it.
//   - CSP default-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:; connect-src 'self'
//     ws://127.0.0.1:<port>; form-action 'self': the page reaches its own app only, never
//     the internet, MACS's REST/WebSocket API or another preview; each blocked request is
//     reported to /__macs/csp (report-uri) and surfaces as a 'blocked' error.
//   - CSP sandbox without allow-popups / allow-top-navigation: the page cannot open windows
//     or navigate the window that embeds it (MACS), even where the embedder forgot the
//     iframe sandbox attribute; allow-same-origin keeps its own storage and origin.
//   - Cross-Origin-Opener-Policy: same-origin: a page that opens it gets no handle on it.
//   - Cross-Origin-Resource-Policy: same-origin: no other origin may load it as a script
//     or image even if a check above were bypassed.
//   - Referrer-Policy: same-origin: its own URLs never leave in a Referer.
import type { IncomingHttpHeaders } from 'node:http';

export interface Verdict {
  ok: boolean;
  /** Why it was refused, in a sentence (ok: false only). */
  reason?: string;
}

const ALLOWED: Verdict = { ok: true };

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    // "null" origins (sandboxed frames, file:) are never MACS and never this preview.
    return parsed.origin === 'null' ? null : parsed.origin;
  } catch {
    return null;
  }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function selfOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

/** Decide whether a request may reach this preview (the policy above). */
export function checkRequest(
  input: { headers: IncomingHttpHeaders; path: string; port: number },
  appOrigins: readonly string[],
): Verdict {
  const { headers, port } = input;
  const host = (header(headers, 'host') ?? '').toLowerCase();
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
    return { ok: false, reason: `This preview answers only to 127.0.0.1:${port}; the request named the host "${host}".` };
  }
  const own = selfOrigins(port);
  const site = header(headers, 'sec-fetch-site');
  const origin = header(headers, 'origin');
  const refererOrigin = originOf(header(headers, 'referer'));
  const requestOrigin = refererOrigin ?? originOf(origin);
  const isReportPath = input.path.startsWith('/__macs/report') || input.path.startsWith('/__macs/csp');

  if (isReportPath) {
    // The probe's beacons and CSP reports come from the page itself.
    if (site === 'same-origin' || (site === undefined && (origin === undefined || own.includes(origin)))) return ALLOWED;
    return { ok: false, reason: 'Only the preview page itself may send error reports.' };
  }
  if (site === 'same-origin' || site === 'none') {
    // A same-origin Origin header can still be forged only outside a browser; nothing to check.
    return ALLOWED;
  }
  if (site === 'same-site' || site === 'cross-site') {
    if (requestOrigin && appOrigins.includes(requestOrigin)) return ALLOWED;
    return {
      ok: false,
      reason: `This preview accepts requests from its own page and from MACS only; ${requestOrigin ?? 'a page that hid its origin'} may not fetch, embed or open it.`,
    };
  }
  // No Sec-Fetch-Site: not a current browser. Refuse only what names a foreign origin.
  for (const named of [originOf(origin), refererOrigin]) {
    if (named && !own.includes(named) && !appOrigins.includes(named)) {
      return { ok: false, reason: `This preview accepts requests from its own page and from MACS only; ${named} may not reach it.` };
    }
  }
  if (origin !== undefined && origin !== 'null' && originOf(origin) === null) {
    return { ok: false, reason: 'This preview refuses requests with an unreadable Origin header.' };
  }
  if (origin === 'null') return { ok: false, reason: 'This preview refuses requests from sandboxed or opaque origins.' };
  return ALLOWED;
}

/** The Content-Security-Policy every preview response carries (see the policy above). */
export function contentSecurityPolicy(port: number, appOrigins: readonly string[]): string {
  // CSP host-sources have no IPv6 literals: `http://[::1]:port` would only earn a console
  // warning (the Referer check above still admits MACS's page served on ::1).
  const ancestors = [...appOrigins.filter((o) => !o.includes('[')), "'self'"].join(' ');
  return [
    "default-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "form-action 'self'",
    "base-uri 'self'",
    `frame-ancestors ${ancestors}`,
    'sandbox allow-scripts allow-same-origin allow-forms allow-modals allow-downloads allow-pointer-lock',
    'report-uri /__macs/csp',
  ].join('; ');
}

/** Headers added to (or replacing those of) every preview response. */
export function isolationHeaders(port: number, appOrigins: readonly string[]): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(port, appOrigins),
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'referrer-policy': 'same-origin',
    'x-content-type-options': 'nosniff',
  };
}

/** The refusal page: a sentence, not a blank 403. */
export function refusalBody(reason: string): string {
  return `<!doctype html><meta charset="utf-8"><title>Refused</title><p>${escapeHtml(reason)}</p>\n`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
