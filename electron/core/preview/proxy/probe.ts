// The page probe: a small script the proxy puts first into every HTML page it hands out,
// and the parsing of what it (and the browser's CSP reporting) sends back. The probe only
// observes: it wraps console.error/warn, fetch and XHR, listens for errors, and on load
// checks whether anything is visible. Everything goes out by sendBeacon to the page's own
// origin, at most PROBE_REPORTS_PER_PAGE per page load.
import type { RunErrorReport } from '../types.js';

export const PROBE_PATH = '/__macs/probe.js';
export const PROBE_TAG = `<script src="${PROBE_PATH}"></script>`;
export const REPORT_PATH = '/__macs/report';
export const CSP_REPORT_PATH = '/__macs/csp';
export const PROBE_REPORTS_PER_PAGE = 30;
/** The probe's message for a page with nothing visible after load (see isBlankPageReport). */
export const BLANK_PAGE_MESSAGE = 'The page is blank: nothing visible (no text, images or controls) after it loaded.';
const MAX_TEXT = 4000;

export function isBlankPageReport(report: RunErrorReport): boolean {
  return report.source === 'page' && report.message === BLANK_PAGE_MESSAGE;
}

/** The probe's source. Plain ES2017, no dependencies; never throws into the page. */
export const PROBE_SOURCE = `(() => {
  if (window.__macsProbe) return;
  window.__macsProbe = true;
  let left = ${PROBE_REPORTS_PER_PAGE};
  const text = (v) => {
    try {
      if (v instanceof Error) return String(v.name || 'Error') + ': ' + String(v.message);
      if (typeof v === 'string') return v;
      return JSON.stringify(v) ?? String(v);
    } catch (e) { return String(v); }
  };
  const send = (r) => {
    if (left <= 0) return;
    left -= 1;
    try {
      const body = JSON.stringify({ kind: r.kind, message: String(r.message).slice(0, ${MAX_TEXT}), stack: r.stack ? String(r.stack).slice(0, ${MAX_TEXT}) : null, where: r.where || null });
      navigator.sendBeacon('${REPORT_PATH}', new Blob([body], { type: 'text/plain' }));
    } catch (e) { /* reporting must never break the page */ }
  };
  for (const level of ['error', 'warn']) {
    const original = console[level];
    console[level] = function (...args) {
      const err = args.find((a) => a instanceof Error);
      send({ kind: level === 'warn' ? 'warn' : 'console', message: args.map(text).join(' '), stack: err && err.stack, where: location.pathname });
      return original.apply(this, args);
    };
  }
  // A failed request to another origin was blocked by the page's CSP, which reports it
  // itself (source 'blocked'): only the page's own failures are reported here.
  const foreign = (url) => { try { const u = new URL(url, location.href); return /^(https?|wss?):$/.test(u.protocol) && u.origin !== location.origin; } catch (e) { return false; } };
  window.addEventListener('error', (e) => {
    if (e.target && e.target !== window && e.target.tagName) {
      const url = e.target.src || e.target.href || '';
      if (foreign(url)) return;
      send({ kind: 'request', message: 'Could not load ' + e.target.tagName.toLowerCase() + ' ' + url, where: url });
      return;
    }
    send({ kind: 'page', message: e.message || text(e.error), stack: e.error && e.error.stack, where: e.filename ? e.filename + ':' + e.lineno + ':' + e.colno : null });
  }, true);
  window.addEventListener('unhandledrejection', (e) => {
    const r = e.reason;
    send({ kind: 'page', message: 'Unhandled promise rejection: ' + text(r), stack: r && r.stack, where: location.pathname });
  });
  const origFetch = window.fetch;
  if (origFetch) {
    window.fetch = function (input, init) {
      const url = typeof input === 'string' ? input : (input && input.url) || String(input);
      const method = ((init && init.method) || (input && input.method) || 'GET').toUpperCase();
      return origFetch.apply(window, arguments).then((res) => {
        if (res.status >= 400) send({ kind: 'request', message: method + ' ' + url + ' answered ' + res.status + ' ' + res.statusText, where: url });
        return res;
      }, (err) => {
        if (!foreign(url)) send({ kind: 'request', message: method + ' ' + url + ' failed: ' + text(err), where: url });
        throw err;
      });
    };
  }
  const XHR = window.XMLHttpRequest;
  if (XHR) {
    const open = XHR.prototype.open;
    const sendXhr = XHR.prototype.send;
    XHR.prototype.open = function (method, url) { this.__macs = { method: String(method).toUpperCase(), url: String(url) }; return open.apply(this, arguments); };
    XHR.prototype.send = function () {
      const info = this.__macs;
      if (info) {
        this.addEventListener('loadend', () => {
          if (this.status >= 400) send({ kind: 'request', message: info.method + ' ' + info.url + ' answered ' + this.status + ' ' + this.statusText, where: info.url });
          else if (this.status === 0 && !foreign(info.url)) send({ kind: 'request', message: info.method + ' ' + info.url + ' failed: network error', where: info.url });
        });
      }
      return sendXhr.apply(this, arguments);
    };
  }
  const blankCheck = () => {
    const body = document.body;
    const visibleText = body && (body.innerText || '').trim().length > 0;
    let visibleThing = false;
    if (body) {
      for (const el of body.querySelectorAll('img,svg,canvas,video,iframe,input,button,select,textarea,object,embed')) {
        const box = el.getBoundingClientRect();
        if (box.width > 0 && box.height > 0) { visibleThing = true; break; }
      }
    }
    if (!visibleText && !visibleThing) send({ kind: 'blank', message: ${JSON.stringify(BLANK_PAGE_MESSAGE)}, where: location.pathname });
  };
  // Script-rendered pages draw after load: look a moment later.
  window.addEventListener('load', () => setTimeout(blankCheck, 1000));
})();
`;

const KINDS: Record<string, RunErrorReport['source']> = { console: 'console', warn: 'console', page: 'page', blank: 'page', request: 'request' };

function clip(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value.slice(0, MAX_TEXT) : null;
}

/** One probe beacon → a report, or null when it is not one. */
export function reportFromProbe(body: string, now: number): RunErrorReport | null {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return null;
  }
  if (!data || typeof data !== 'object') return null;
  const { kind, message, stack, where } = data as Record<string, unknown>;
  const source = typeof kind === 'string' ? KINDS[kind] : undefined;
  const text = clip(message);
  if (!source || !text) return null;
  return { source, message: kind === 'warn' ? `Warning: ${text}` : text, stack: clip(stack), where: clip(where), at: now };
}

/**
 * A browser CSP report (report-uri, application/csp-report) → a 'blocked' report. The
 * violated directive says what kind of thing the page tried to reach.
 */
export function reportFromCsp(body: string, now: number): RunErrorReport | null {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return null;
  }
  const report = (data as { 'csp-report'?: Record<string, unknown> } | null)?.['csp-report'];
  if (!report || typeof report !== 'object') return null;
  const blocked = clip(report['blocked-uri']) ?? 'an address';
  const directive = clip(report['effective-directive']) ?? clip(report['violated-directive']) ?? 'policy';
  const page = clip(report['document-uri']);
  const line = typeof report['line-number'] === 'number' ? `:${report['line-number']}` : '';
  const sourceFile = clip(report['source-file']);
  const what = directive === 'frame-ancestors' ? `Refused to be framed by ${blocked}` : `Blocked ${blocked} (${directive})`;
  return {
    source: 'blocked',
    message: `${what}: a preview may reach its own app only, not the internet, MACS or another preview.`,
    stack: null,
    where: sourceFile ? `${sourceFile}${line}` : (page ?? blocked),
    at: now,
  };
}
