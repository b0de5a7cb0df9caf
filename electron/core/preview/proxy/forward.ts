// Forwarding to the app inside the sandbox through its bridge's unix socket: requests and
// bodies stream both ways; HTML pages are read whole (asked for uncompressed) to put the
// probe in; WebSocket upgrades (dev-server hot reload) are spliced through byte for byte.
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import zlib from 'node:zlib';
import { injectProbeBytes, isHtml, wantsProbe } from './html.js';
import { escapeHtml } from './isolation.js';

/** Headers that describe one hop, not the message (RFC 9110 §7.6.1). */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade'];
/**
 * The app's own framing rules give way to the preview's frame-ancestors. Clear-Site-Data
 * "cookies" would wipe the cookies of every 127.0.0.1 port (cookies are per host): the other
 * previews' sessions too.
 */
const DROPPED_FROM_APP = ['x-frame-options', 'clear-site-data'];
const MAX_HTML_BYTES = 20 * 1024 * 1024;

export interface ForwardHooks {
  /** Headers every answer carries (the isolation policy). */
  extraHeaders: () => Record<string, string>;
  /** The app did not answer (connection refused, socket missing, reset before the answer). */
  upstreamFailed: (error: Error, path: string) => void;
  upstreamAnswered: () => void;
  /**
   * Where a redirect (Location) or a Refresh header of the app's leads when that is outside
   * the preview's own origin, else null. The browser showing the page (the user's, the web
   * agent's) has the host's network, which the app has not: following the app there would
   * make it a way out (the agent's page.route is not asked about redirect hops).
   */
  foreignTarget: (headerValue: string, requestPath: string) => string | null;
  /** That redirect was refused: say so as a 'blocked' error. */
  redirectBlocked: (target: string, requestPath: string) => void;
}

function forwardedHeaders(headers: IncomingHttpHeaders, keepUpgrade: boolean): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  const connectionListed = String(headers.connection ?? '').toLowerCase().split(',').map((s) => s.trim());
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (!keepUpgrade && (HOP_BY_HOP.includes(name) || connectionListed.includes(name))) continue;
    out[name] = value;
  }
  return out;
}

function answerHeaders(headers: IncomingHttpHeaders, extra: Record<string, string>): IncomingHttpHeaders {
  const out = forwardedHeaders(headers, false);
  for (const name of DROPPED_FROM_APP) delete out[name];
  return { ...out, ...extra };
}

/** Methods sent without a body, safe to send again (RFC 9110 §9.2.2). */
const RETRYABLE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function forwardRequest(socketPath: string, req: IncomingMessage, res: ServerResponse, hooks: ForwardHooks): void {
  const probe = wantsProbe(req.headers);
  const headers = forwardedHeaders(req.headers, false);
  // A page must come back uncompressed to get the probe; other answers pass as they are.
  if (probe) headers['accept-encoding'] = 'identity';
  const send = (retried: boolean): void => {
    const upstream = http.request({ socketPath, method: req.method, path: req.url, headers });
    upstream.on('response', (answer) => {
      hooks.upstreamAnswered();
      const status = answer.statusCode ?? 502;
      const leadsOut = leavingTarget(answer.headers, req.url ?? '/', hooks);
      if (leadsOut !== null) {
        answer.resume();
        hooks.redirectBlocked(leadsOut, req.url ?? '/');
        redirectRefused(res, leadsOut, hooks.extraHeaders());
        return;
      }
      if (probe && isHtml(answer.headers['content-type']) && req.method !== 'HEAD' && status !== 204 && status !== 304) {
        void sendInjected(answer, res, hooks.extraHeaders());
        return;
      }
      res.writeHead(status, answer.statusMessage, answerHeaders(answer.headers, hooks.extraHeaders()));
      answer.pipe(res);
      answer.on('error', () => res.destroy());
    });
    upstream.on('error', (error) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // A kept-alive connection the relay closed as this request went out (a restarted
      // server took over, socket-relay.ts setTarget): send a bodiless request once more on
      // a fresh connection, as Node's docs advise for reusedSocket + ECONNRESET.
      if (!retried && upstream.reusedSocket && RETRYABLE.has(req.method ?? 'GET') && !res.destroyed) {
        send(true);
        return;
      }
      hooks.upstreamFailed(error, req.url ?? '/');
      notAnswering(res, hooks.extraHeaders());
    });
    res.once('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    if (RETRYABLE.has(req.method ?? 'GET')) upstream.end();
    else req.pipe(upstream);
  };
  send(false);
}

async function sendInjected(answer: IncomingMessage, res: ServerResponse, extra: Record<string, string>): Promise<void> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of decoded(answer)) {
      size += (chunk as Buffer).length;
      if (size > MAX_HTML_BYTES) throw new Error('page too large to inspect');
      chunks.push(chunk as Buffer);
    }
  } catch {
    res.destroy();
    return;
  }
  const body = injectProbeBytes(Buffer.concat(chunks));
  const headers = answerHeaders(answer.headers, extra);
  delete headers['content-encoding'];
  delete headers['content-length'];
  res.writeHead(answer.statusCode ?? 200, answer.statusMessage, { ...headers, 'content-length': String(body.length) });
  res.end(body);
}

/** The app may compress despite `accept-encoding: identity`; undo it. */
function decoded(answer: IncomingMessage): AsyncIterable<unknown> {
  const encoding = String(answer.headers['content-encoding'] ?? '').toLowerCase();
  if (encoding === 'gzip' || encoding === 'x-gzip') return answer.pipe(zlib.createGunzip());
  if (encoding === 'deflate') return answer.pipe(zlib.createInflate());
  if (encoding === 'br') return answer.pipe(zlib.createBrotliDecompress());
  return answer;
}

/** A Location or Refresh header of the app's that leads outside the preview, or null. */
function leavingTarget(headers: IncomingHttpHeaders, requestPath: string, hooks: ForwardHooks): string | null {
  for (const value of [headers.location, headers.refresh]) {
    if (typeof value !== 'string') continue;
    const target = hooks.foreignTarget(value, requestPath);
    if (target !== null) return target;
  }
  return null;
}

function redirectRefused(res: ServerResponse, target: string, extra: Record<string, string>): void {
  const body = Buffer.from(
    `<!doctype html><meta charset="utf-8"><title>Redirect blocked</title>` +
      `<p>${escapeHtml(`The app redirected to ${target}, outside its preview. The preview reaches the app only, so the redirect was not followed.`)}</p>\n`,
    'utf8',
  );
  res.writeHead(403, { ...extra, 'content-type': 'text/html; charset=utf-8', 'content-length': String(body.length), 'cache-control': 'no-store' });
  res.end(body);
}

/** 502 as a page that says what is going on, never a blank frame. */
export function notAnswering(res: ServerResponse, extra: Record<string, string>): void {
  const body = Buffer.from(
    `<!doctype html><html><head><meta charset="utf-8"><title>The app is not answering</title></head>` +
      `<body style="font-family: system-ui, sans-serif; margin: 2rem; color: #333">` +
      `<h1 style="font-size: 1.25rem">The app is not answering</h1>` +
      `<p>${escapeHtml('MACS started it, but nothing answers on its port right now: it may still be starting, or it stopped. Its output is in the Runs tab; reload when it is up.')}</p>` +
      `</body></html>\n`,
    'utf8',
  );
  res.writeHead(502, { ...extra, 'content-type': 'text/html; charset=utf-8', 'content-length': String(body.length), 'cache-control': 'no-store' });
  res.end(body);
}

/** A WebSocket (or other) upgrade: handshake through the socket, then splice the two streams. */
export function forwardUpgrade(socketPath: string, req: IncomingMessage, client: Duplex, head: Buffer, hooks: ForwardHooks): void {
  const upstream = http.request({ socketPath, method: req.method, path: req.url, headers: forwardedHeaders(req.headers, true) });
  client.on('error', () => upstream.destroy());
  upstream.on('upgrade', (answer, appSocket, appHead) => {
    hooks.upstreamAnswered();
    const lines = [`HTTP/1.1 ${answer.statusCode ?? 101} ${answer.statusMessage ?? 'Switching Protocols'}`];
    for (let i = 0; i < answer.rawHeaders.length; i += 2) lines.push(`${answer.rawHeaders[i]}: ${answer.rawHeaders[i + 1]}`);
    client.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (appHead.length > 0) client.write(appHead);
    if (head.length > 0) appSocket.write(head);
    appSocket.on('error', () => client.destroy());
    client.on('error', () => appSocket.destroy());
    appSocket.on('close', () => client.destroy());
    client.on('close', () => appSocket.destroy());
    appSocket.pipe(client);
    client.pipe(appSocket);
  });
  upstream.on('response', (answer) => {
    // The app declined the upgrade: pass its answer on and close.
    hooks.upstreamAnswered();
    const lines = [`HTTP/1.1 ${answer.statusCode ?? 502} ${answer.statusMessage ?? ''}`];
    const headers = answerHeaders(answer.headers, hooks.extraHeaders());
    for (const [name, value] of Object.entries(headers)) {
      for (const v of Array.isArray(value) ? value : [value]) if (v !== undefined) lines.push(`${name}: ${v}`);
    }
    lines.push('connection: close');
    client.write(`${lines.join('\r\n')}\r\n\r\n`);
    answer.pipe(client);
  });
  upstream.on('error', (error) => {
    hooks.upstreamFailed(error, req.url ?? '/');
    client.end('HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/plain; charset=utf-8\r\nconnection: close\r\n\r\nThe app is not answering.\n');
  });
  upstream.end();
}
