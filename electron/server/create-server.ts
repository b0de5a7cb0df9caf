import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer } from 'ws';
import type { MethodResult } from '../../shared/index.js';
import { MacsError, toErrorPayload } from '../../shared/index.js';
import type { Engine } from '../core/engine/index.js';
import { RequestGuard } from './request-guard.js';
import { createRestApi, type RestApiOptions } from './rest/index.js';
import { serveStatic } from './static-files.js';
import { bindContractToWebSocket } from './ws-binding.js';

export interface ServerOptions {
  engine: Engine;
  rendererDir: string;
  port?: number;
  /** Fixed token (tests); random per launch otherwise. */
  token?: string;
  /** REST/SSE API tuning (tests shorten the SSE heartbeat). */
  rest?: RestApiOptions;
}

export interface RunningServer {
  port: number;
  token: string;
  /** The URL to open: loopback, with the token. */
  url: string;
  close(): Promise<void>;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

/**
 * The request target as a URL, or null when it is not one: `//a:b/` or `http://a:b/` (a host
 * with a bad port) makes `new URL` throw, and a throw in a request or upgrade listener is an
 * uncaught exception that ends `macs serve`. Any local process could send one.
 */
function requestUrl(req: http.IncomingMessage): URL | null {
  try {
    return new URL(req.url ?? '/', 'http://x');
  } catch {
    return null;
  }
}

const BAD_TARGET = { error: { code: 'INVALID_INPUT', message: 'The request target is not a valid path (send a path such as /v1/tasks).' } };

/** `macs serve`: the renderer over HTTP and the contract over WebSocket, loopback only. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { engine, rendererDir } = options;
  const guard = new RequestGuard(options.token);
  const rest = createRestApi(engine, options.rest, guard.token);

  const server = http.createServer((req, res) => {
    try {
      handleRequest(req, res);
    } catch (err) {
      // Last line of defence: whatever a request makes throw, the server answers and stays up.
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, { error: toErrorPayload(err) });
    }
  });

  function handleRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (!guard.hostAllowed(req)) {
      sendJson(res, 403, { error: { code: 'UNAUTHORIZED', message: 'Host not allowed.' } });
      return;
    }
    // A page on another origin can send simple requests (a form POST, an <img>) without a
    // preflight; nothing here is meant for other origins, so none of it answers them.
    if (!guard.originAllowed(req)) {
      sendJson(res, 403, { error: { code: 'UNAUTHORIZED', message: `Origin ${String(req.headers.origin).slice(0, 200)} is not this server: cross-origin requests are refused.` } });
      return;
    }
    const url = requestUrl(req);
    if (!url) {
      sendJson(res, 400, BAD_TARGET);
      return;
    }
    // The API reads credentials its own way (rest/auth.ts): the key, or the UI token for reads only.
    if (rest.owns(url.pathname)) {
      void rest.handle(req, res, url);
      return;
    }
    if (url.pathname.startsWith('/download/')) {
      if (!guard.tokenValid(guard.tokenFrom(req))) {
        sendJson(res, 401, { error: { code: 'UNAUTHORIZED', message: 'Missing or wrong token.' } });
        return;
      }
      try {
        const file = engine.exportFile(url.pathname.slice('/download/'.length));
        const stat = fs.statSync(file.path);
        if (!stat.isFile()) throw new MacsError('EXPORT_NOT_FOUND', 'This export is not a file; export again.');
        res.writeHead(200, {
          'content-type': 'application/zip',
          'content-length': stat.size,
          'content-disposition': `attachment; filename="${file.fileName.replace(/"/g, '')}"`,
          'cache-control': 'no-store',
        });
        // A read that fails midway (pruning removed the export) must end this response only:
        // an unhandled stream error would end the server.
        pipeline(fs.createReadStream(file.path), res).catch(() => res.destroy());
      } catch (err) {
        sendJson(res, 404, { error: toErrorPayload(err) });
      }
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { error: { code: 'INVALID_INPUT', message: 'Method not allowed.' } });
      return;
    }
    serveStatic(rendererDir, req, res);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 32 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = requestUrl(req);
    if (!url) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      return;
    }
    const ok = url.pathname === '/ws' && guard.hostAllowed(req) && guard.originAllowed(req) && guard.tokenValid(guard.tokenFrom(req));
    if (!ok) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const unbind = bindContractToWebSocket(wss, engine, {
    // Browser downloads go through an authenticated URL; add the token the engine does not know.
    'export.zip': async (params) => {
      const result = (await engine.invoke('export.zip', params)) as MethodResult<'export.zip'>;
      return { ...result, downloadUrl: `${result.downloadUrl}?token=${encodeURIComponent(guard.token)}` };
    },
    'projects.export': async (params) => {
      const result = (await engine.invoke('projects.export', params)) as MethodResult<'projects.export'>;
      return { ...result, downloadUrl: result.downloadUrl ? `${result.downloadUrl}?token=${encodeURIComponent(guard.token)}` : null };
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  guard.setPort(port);
  // This UI's own origins are the ones allowed to frame a running app's preview.
  const forgetOrigins = engine.addAppOrigins(guard.allowedHosts().map((h) => `http://${h}`));

  return {
    port,
    token: guard.token,
    url: `http://127.0.0.1:${port}/?token=${encodeURIComponent(guard.token)}`,
    async close() {
      forgetOrigins();
      unbind();
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
