// The host side of a preview: one 127.0.0.1 port per run that forwards to the sandbox
// bridge's unix socket (or serves a static folder itself), puts the page probe into every
// page, keeps other origins out (isolation.ts holds the policy), and turns what the page
// and the browser report into RunErrorReports.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { PreviewProxy, PreviewProxyOptions, RunErrorReport } from '../types.js';
import { forwardRequest, forwardUpgrade, type ForwardHooks } from './forward.js';
import { checkRequest, isolationHeaders, refusalBody, selfOrigins } from './isolation.js';
import { CSP_REPORT_PATH, PROBE_PATH, PROBE_SOURCE, REPORT_PATH, reportFromCsp, reportFromProbe } from './probe.js';
import { page, serveStatic } from './static.js';

export { BLANK_PAGE_MESSAGE, isBlankPageReport, PROBE_PATH } from './probe.js';

const RESERVED_PREFIX = '/__macs/';
const MAX_REPORT_BYTES = 64 * 1024;
/** Reports the proxy passes on: a burst of this many, then REPORTS_PER_SECOND. */
const REPORT_BURST = 60;
const REPORTS_PER_SECOND = 5;

/** Passes reports on unless a page floods them (a loop of console.error, a CSP storm). */
function reportLimiter(onReport: (r: RunErrorReport) => void, now: () => number): (r: RunErrorReport) => void {
  let tokens = REPORT_BURST;
  let last = now();
  return (report) => {
    const t = now();
    tokens = Math.min(REPORT_BURST, tokens + ((t - last) / 1000) * REPORTS_PER_SECOND);
    last = t;
    if (tokens < 1) return;
    tokens -= 1;
    onReport(report);
  };
}

function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(null));
  });
}

/**
 * Where a Location (or a Refresh header's url=) leads when that is not this preview's own
 * origin; null when it stays inside (a relative path, 127.0.0.1 or localhost on this port).
 */
export function foreignTarget(value: string, requestPath: string, port: number): string | null {
  // Refresh: "5" or "0; url=/next" (the url part may be quoted).
  const refresh = /^\s*[\d.]+\s*(?:[;,]\s*(?:url\s*=\s*)?(.*))?$/i.exec(value);
  const raw = refresh ? (refresh[1] ?? '').trim().replace(/^(['"])(.*)\1$/, '$2') : value.trim();
  if (raw === '') return null;
  let target: URL;
  try {
    target = new URL(raw, new URL(requestPath, `http://127.0.0.1:${port}`));
  } catch {
    return raw;
  }
  return selfOrigins(port).includes(target.origin) ? null : target.href;
}

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, '127.0.0.1');
  });
}

export async function startPreviewProxy(opts: PreviewProxyOptions): Promise<PreviewProxy> {
  const now = () => Date.now();
  const report = reportLimiter(opts.onReport, now);
  let port = 0;
  const extra = () => isolationHeaders(port, opts.appOrigins());
  // One report per outage: the app not answering is said once, not once per request; and
  // not before it first answered (starting up is readiness's business, not an error).
  let answeredOnce = false;
  let upstreamDown = false;
  const hooks: ForwardHooks = {
    extraHeaders: extra,
    upstreamFailed: (error, path) => {
      if (upstreamDown || !answeredOnce) return;
      upstreamDown = true;
      report({ source: 'request', message: `The app did not answer ${path}: ${error.message}`, stack: null, where: path, at: now() });
    },
    upstreamAnswered: () => {
      answeredOnce = true;
      upstreamDown = false;
    },
    foreignTarget: (value, requestPath) => foreignTarget(value, requestPath, port),
    redirectBlocked: (target, requestPath) => {
      report({ source: 'blocked', message: `The app redirected ${requestPath} to ${target}, outside its preview: not followed.`, stack: null, where: requestPath, at: now() });
    },
  };

  async function handleReserved(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (path === PROBE_PATH) {
      res.writeHead(200, { ...extra(), 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' });
      res.end(req.method === 'HEAD' ? undefined : PROBE_SOURCE);
      return;
    }
    if ((path === REPORT_PATH || path === CSP_REPORT_PATH) && req.method === 'POST') {
      const body = await readBody(req, MAX_REPORT_BYTES);
      const parsed = body === null ? null : path === REPORT_PATH ? reportFromProbe(body, now()) : reportFromCsp(body, now());
      if (parsed) report(parsed);
      res.writeHead(204, extra());
      res.end();
      return;
    }
    page(res, 404, `${path} is reserved for MACS's preview and holds nothing here.`, extra());
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://preview.invalid').pathname;
    const verdict = checkRequest({ headers: req.headers, path, port }, opts.appOrigins());
    if (!verdict.ok) {
      const body = refusalBody(verdict.reason ?? 'Refused.');
      res.writeHead(403, { ...extra(), 'content-type': 'text/html; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) });
      res.end(body);
      return;
    }
    if (req.headers['service-worker'] === 'script') {
      // A service worker would outlive the app: it keeps answering for this origin (this
      // port) after a fix, a restore or a stop, and for whichever project gets the port next.
      report({ source: 'blocked', message: `The page tried to install a service worker (${path}); previews do not allow them.`, stack: null, where: path, at: now() });
      return page(res, 403, 'Previews do not allow service workers: one would outlive the app and answer for this address after it changed or stopped.', extra());
    }
    if (path.startsWith(RESERVED_PREFIX)) return handleReserved(req, res, path);
    if (opts.target.kind === 'static') return serveStatic(opts.target.root, req, res, extra());
    forwardRequest(opts.target.socketPath, req, res, hooks);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else page(res, 500, `The preview could not answer: ${error instanceof Error ? error.message : String(error)}`, extra());
    });
  });
  const upgraded = new Set<Duplex>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgraded.add(socket);
    socket.on('close', () => upgraded.delete(socket));
    socket.on('error', () => socket.destroy());
    const path = new URL(req.url ?? '/', 'http://preview.invalid').pathname;
    const verdict = checkRequest({ headers: req.headers, path, port }, opts.appOrigins());
    if (!verdict.ok || opts.target.kind !== 'socket' || path.startsWith(RESERVED_PREFIX)) {
      const reason = verdict.ok ? 'This preview takes no WebSocket connections here.' : (verdict.reason ?? 'Refused.');
      socket.end(`HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain; charset=utf-8\r\nconnection: close\r\n\r\n${reason}\n`);
      return;
    }
    forwardUpgrade(opts.target.socketPath, req, socket, head, hooks);
  });
  server.on('clientError', (_error, socket: Socket) => socket.destroy());

  let preferredPortTaken = false;
  if (opts.preferredPort > 0) {
    try {
      port = await listen(server, opts.preferredPort);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' && (error as NodeJS.ErrnoException).code !== 'EACCES') throw error;
      preferredPortTaken = true;
      port = await listen(server, 0);
    }
  } else {
    port = await listen(server, 0);
  }

  return {
    port,
    preferredPortTaken,
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of upgraded) socket.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

