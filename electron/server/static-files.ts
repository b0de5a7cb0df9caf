import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  // 'self' covers this page's own ws:// origin (CSP Level 3); no other port or host.
  "connect-src 'self'",
  // The preview of a project's app: an iframe on its own loopback port (never MACS's origin's rights).
  'frame-src http://127.0.0.1:*',
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Serve the built renderer (dist/renderer); unknown paths get index.html. */
export function serveStatic(rootDir: string, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  let rel: string;
  try {
    rel = decodeURIComponent(url.pathname);
  } catch {
    // `/%ZZ`: any web page can make a browser send it (an <img src>), and a URIError thrown here would end the server.
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('The URL is not validly encoded.');
    return;
  }
  if (rel === '/' || !path.extname(rel)) rel = '/index.html';
  const file = path.resolve(rootDir, `.${rel}`);
  if (!file.startsWith(path.resolve(rootDir) + path.sep)) {
    res.writeHead(404).end('Not found');
    return;
  }
  fs.stat(file, (err, stat) => {
    if (err || !stat.isFile()) {
      if (rel === '/index.html') {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('The UI is not built. Run: npm run build');
      } else {
        res.writeHead(404).end('Not found');
      }
      return;
    }
    const headers: Record<string, string | number> = {
      'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'content-length': stat.size,
      'x-content-type-options': 'nosniff',
      'cache-control': rel === '/index.html' ? 'no-cache' : 'public, max-age=31536000, immutable',
    };
    if (rel === '/index.html') {
      headers['content-security-policy'] = CONTENT_SECURITY_POLICY;
      headers['referrer-policy'] = 'no-referrer';
    }
    res.writeHead(200, headers);
    if (req.method === 'HEAD') res.end();
    else fs.createReadStream(file).pipe(res);
  });
}
