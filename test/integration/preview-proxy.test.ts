// The preview proxy against real sockets: a static folder served with its traversal and
// symlink refusals, and forwarding (HTTP, streaming, WebSocket) to a unix-socket server
// standing where the sandbox bridge would be.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { PreviewProxy, RunErrorReport } from '../../electron/core/preview/index.js';
import { startPreviewProxy } from '../../electron/core/preview/index.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

function tempDir(label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `macs-proxy-${label}-`));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function proxyFor(target: Parameters<typeof startPreviewProxy>[0]['target'], preferredPort = 0): Promise<{ proxy: PreviewProxy; reports: RunErrorReport[] }> {
  const reports: RunErrorReport[] = [];
  const proxy = await startPreviewProxy({ target, preferredPort, appOrigins: () => ['http://127.0.0.1:1'], onReport: (r) => reports.push(r) });
  cleanups.push(() => proxy.close());
  return { proxy, reports };
}

/** A raw request (fetch normalises paths, so `..` would never reach the proxy). */
function rawGet(port: number, rawPath: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: rawPath, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('static target', () => {
  function site(): { root: string; outside: string } {
    const base = tempDir('static');
    const root = path.join(base, 'site');
    const outside = path.join(base, 'secret');
    fs.mkdirSync(path.join(root, 'sub'), { recursive: true });
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><html><head><title>Shop</title></head><body><h1>Shop</h1></body></html>');
    fs.writeFileSync(path.join(root, 'app.js'), 'console.log("hi")');
    fs.writeFileSync(path.join(root, 'style.css'), 'body{}');
    fs.writeFileSync(path.join(root, 'sub', 'index.html'), '<p>sub</p>');
    fs.writeFileSync(path.join(root, '.env'), 'TOKEN=secret');
    fs.writeFileSync(path.join(outside, 'passwd'), 'SECRET-CONTENT');
    fs.symlinkSync(outside, path.join(root, 'escape'));
    fs.symlinkSync(path.join(outside, 'passwd'), path.join(root, 'link.txt'));
    return { root, outside };
  }

  it('serves files with their media types, index.html for folders, and the probe in pages', async () => {
    const { root } = site();
    const { proxy } = await proxyFor({ kind: 'static', root });
    expect(proxy.url).toBe(`http://127.0.0.1:${proxy.port}/`);
    const index = await rawGet(proxy.port, '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.body).toBe('<!doctype html><html><head><script src="/__macs/probe.js"></script><title>Shop</title></head><body><h1>Shop</h1></body></html>');
    expect((await rawGet(proxy.port, '/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await rawGet(proxy.port, '/style.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    const folder = await rawGet(proxy.port, '/sub');
    expect(folder.status).toBe(301);
    expect(folder.headers.location).toBe('/sub/');
    const sub = await rawGet(proxy.port, '/sub/');
    expect(sub.body).toBe('<script src="/__macs/probe.js"></script><p>sub</p>');
    const probe = await rawGet(proxy.port, '/__macs/probe.js');
    expect(probe.status).toBe(200);
    expect(probe.body).toContain('sendBeacon');
  });

  it('refuses `..`, encoded `..`, symlinks out of the root and dotfiles', async () => {
    const { root } = site();
    const { proxy } = await proxyFor({ kind: 'static', root });
    for (const p of ['/../secret/passwd', '/%2e%2e/secret/passwd', '/sub/..%2f..%2fsecret%2fpasswd', '/escape/passwd', '/link.txt', '/.env', '/sub/%2e%2e/.env']) {
      const res = await rawGet(proxy.port, p);
      expect(res.status, p).toBeGreaterThanOrEqual(400);
      expect(res.body, p).not.toContain('SECRET-CONTENT');
      expect(res.body, p).not.toContain('TOKEN');
      expect(res.headers['content-type'], p).toBe('text/html; charset=utf-8');
    }
    expect((await rawGet(proxy.port, '/escape/passwd')).status).toBe(403);
    expect((await rawGet(proxy.port, '/missing.js')).body).toContain('There is no file at /missing.js');
  });

  it('a reload after a change is fresh: no-cache, and the ETag changes with the file', async () => {
    const { root } = site();
    const { proxy } = await proxyFor({ kind: 'static', root });
    const first = await rawGet(proxy.port, '/app.js');
    expect(first.headers['cache-control']).toBe('no-cache');
    const etag = String(first.headers.etag);
    expect((await rawGet(proxy.port, '/app.js', { 'if-none-match': etag })).status).toBe(304);
    fs.writeFileSync(path.join(root, 'app.js'), 'console.log("changed, and longer")');
    const second = await rawGet(proxy.port, '/app.js', { 'if-none-match': etag });
    expect(second.status).toBe(200);
    expect(second.body).toContain('changed');
  });

  it('takes the preferred port when free, another one (said so) when taken', async () => {
    const { root } = site();
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const taken = (blocker.address() as net.AddressInfo).port;
    const { proxy } = await proxyFor({ kind: 'static', root }, taken);
    expect(proxy.preferredPortTaken).toBe(true);
    expect(proxy.port).not.toBe(taken);
    const free = proxy.port;
    await proxy.close();
    const { proxy: again } = await proxyFor({ kind: 'static', root }, free);
    expect(again.port).toBe(free);
    expect(again.preferredPortTaken).toBe(false);
  });
});

describe('socket target', () => {
  async function appOnSocket(handler: http.RequestListener): Promise<{ socketPath: string; server: http.Server }> {
    const socketPath = path.join(tempDir('sock'), 'app.sock');
    const server = http.createServer(handler);
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    cleanups.push(() => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }));
    return { socketPath, server };
  }

  it('forwards requests and bodies both ways, and injects the probe into pages only', async () => {
    const seen: Array<{ method?: string; url?: string; encoding?: string; body: string }> = [];
    const { socketPath } = await appOnSocket((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, encoding: req.headers['accept-encoding'], body });
        if (req.url === '/') {
          res.writeHead(200, { 'content-type': 'text/html', 'x-frame-options': 'DENY' });
          res.end('<html><head></head><body>app</body></html>');
        } else if (req.url === '/stream') {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.write('data: one\n\n');
          setTimeout(() => res.end('data: two\n\n'), 50);
        } else {
          res.writeHead(201, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ echo: body }));
        }
      });
    });
    const { proxy } = await proxyFor({ kind: 'socket', socketPath });
    const page = await fetch(proxy.url, { headers: { 'accept-encoding': 'gzip' } });
    expect(page.headers.get('x-frame-options')).toBeNull();
    expect(await page.text()).toBe('<html><head><script src="/__macs/probe.js"></script></head><body>app</body></html>');
    expect(seen[0]!.encoding).toBe('identity');
    const posted = await fetch(`${proxy.url}api/items?x=1`, { method: 'POST', body: 'milk' });
    expect(posted.status).toBe(201);
    expect(await posted.json()).toEqual({ echo: 'milk' });
    expect(seen[1]).toMatchObject({ method: 'POST', url: '/api/items?x=1', body: 'milk' });
    const stream = await fetch(`${proxy.url}stream`);
    expect(await stream.text()).toBe('data: one\n\ndata: two\n\n');
    // The reserved prefix is the proxy's own and never reaches the app.
    const before = seen.length;
    expect((await fetch(`${proxy.url}__macs/anything`)).status).toBe(404);
    expect((await fetch(`${proxy.url}__macs/probe.js`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(seen.length).toBe(before);
    // A fetched HTML fragment is not a page: no probe.
    const fragment = await fetch(proxy.url, { headers: { 'sec-fetch-dest': 'empty', 'sec-fetch-site': 'same-origin' } });
    expect(await fragment.text()).not.toContain('probe.js');
  });

  it('splices a WebSocket upgrade through to the app (dev-server hot reload)', async () => {
    const { server, socketPath } = await appOnSocket((_req, res) => res.end('ok'));
    const wss = new WebSocketServer({ server });
    wss.on('connection', (ws) => ws.on('message', (data) => ws.send(`echo ${data.toString()}`)));
    cleanups.push(() => new Promise<void>((resolve) => wss.close(() => resolve())));
    const { proxy } = await proxyFor({ kind: 'socket', socketPath });
    const ws = new WebSocket(`ws://127.0.0.1:${proxy.port}/hmr`, { headers: { origin: `http://127.0.0.1:${proxy.port}` } });
    const reply = await new Promise<string>((resolve, reject) => {
      ws.on('open', () => ws.send('ping'));
      ws.on('message', (data) => resolve(data.toString()));
      ws.on('error', reject);
    });
    expect(reply).toBe('echo ping');
    ws.close();
    // Another origin may not open a socket to it.
    const foreign = new WebSocket(`ws://127.0.0.1:${proxy.port}/hmr`, { headers: { origin: 'http://127.0.0.1:9' } });
    const status = await new Promise<number>((resolve) => {
      foreign.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      foreign.on('open', () => resolve(101));
    });
    expect(status).toBe(403);
  });

  it('a bridge that does not answer gives a readable 502 page, reported once per outage (not while starting)', async () => {
    const socketPath = path.join(tempDir('gone'), 'app.sock');
    const { proxy, reports } = await proxyFor({ kind: 'socket', socketPath });
    const fiveTimes = async () => {
      for (let i = 0; i < 5; i++) {
        const res = await fetch(proxy.url);
        expect(res.status).toBe(502);
        expect(res.headers.get('content-security-policy')).toContain('frame-ancestors');
        expect(await res.text()).toContain('The app is not answering');
      }
    };
    await fiveTimes();
    expect(reports, 'still starting: not an error yet').toEqual([]);
    const app = http.createServer((_req, res) => res.end('up'));
    await new Promise<void>((resolve) => app.listen(socketPath, resolve));
    expect(await (await fetch(proxy.url)).text()).toBe('up');
    app.closeAllConnections();
    await new Promise<void>((resolve) => app.close(() => resolve()));
    await fiveTimes();
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ source: 'request', where: '/' });
    expect(reports[0]!.message).toMatch(/^The app did not answer \/: connect ENOENT/);
  });
});

describe('isolation', () => {
  async function staticProxy(): Promise<PreviewProxy> {
    const root = tempDir('iso');
    fs.writeFileSync(path.join(root, 'index.html'), '<p>hi</p>');
    return (await proxyFor({ kind: 'static', root })).proxy;
  }

  it('every answer carries the CSP (frame-ancestors MACS, own origin only, reports), COOP and CORP', async () => {
    const proxy = await staticProxy();
    for (const p of ['/', '/missing', '/__macs/probe.js']) {
      const res = await rawGet(proxy.port, p);
      const csp = String(res.headers['content-security-policy']);
      expect(csp, p).toContain("frame-ancestors http://127.0.0.1:1 'self'");
      expect(csp, p).toContain("default-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:");
      expect(csp, p).toContain(`connect-src 'self' ws://127.0.0.1:${proxy.port}`);
      expect(csp, p).toContain("form-action 'self'");
      expect(csp, p).toContain('report-uri /__macs/csp');
      expect(csp, p).toMatch(/sandbox allow-scripts allow-same-origin/);
      expect(csp, p).not.toMatch(/allow-popups|allow-top-navigation/);
      expect(res.headers['cross-origin-opener-policy'], p).toBe('same-origin');
      expect(res.headers['cross-origin-resource-policy'], p).toBe('same-origin');
    }
  });

  it('refuses with a sentence what comes from another origin, and another host name (DNS rebinding)', async () => {
    const proxy = await staticProxy();
    const other = 'http://127.0.0.1:9';
    const cases: Array<[Record<string, string>, number]> = [
      [{}, 200],
      [{ 'sec-fetch-site': 'none', 'sec-fetch-dest': 'document' }, 200],
      [{ 'sec-fetch-site': 'same-origin', 'sec-fetch-dest': 'script', referer: proxy.url }, 200],
      [{ 'sec-fetch-site': 'same-site', 'sec-fetch-dest': 'iframe', referer: 'http://127.0.0.1:1/ui' }, 200],
      [{ 'sec-fetch-site': 'same-site', 'sec-fetch-dest': 'iframe', referer: `${other}/` }, 403],
      [{ 'sec-fetch-site': 'same-site', 'sec-fetch-dest': 'document' }, 403],
      [{ 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'cors', origin: 'https://evil.example' }, 403],
      [{ origin: other }, 403],
      [{ referer: `${other}/page` }, 403],
      [{ origin: 'null' }, 403],
      [{ host: `evil.example:${proxy.port}` }, 403],
      [{ host: `localhost:${proxy.port}` }, 200],
    ];
    for (const [headers, status] of cases) {
      const res = await rawGet(proxy.port, '/', headers);
      expect(res.status, JSON.stringify(headers)).toBe(status);
      if (status === 403) expect(res.body, JSON.stringify(headers)).toMatch(/<p>This preview [^<]+\.<\/p>/);
    }
    // Reports come from the page itself only.
    const forged = await fetch(`${proxy.url}__macs/report`, { method: 'POST', body: '{}', headers: { origin: other } });
    expect(forged.status).toBe(403);
  });
});

describe('reports', () => {
  it('turns probe beacons and CSP reports into reports, and a flood into a trickle', async () => {
    const root = tempDir('reports');
    const { proxy, reports } = await proxyFor({ kind: 'static', root });
    const post = (p: string, body: unknown) =>
      fetch(`${proxy.url}${p}`, { method: 'POST', body: JSON.stringify(body), headers: { 'sec-fetch-site': 'same-origin' } });
    await post('__macs/report', { kind: 'console', message: 'x failed', stack: 'Error: x\n    at f (http://127.0.0.1:1/app.js:1:1)', where: '/' });
    await post('__macs/report', { kind: 'nonsense', message: 'ignored' });
    await post('__macs/csp', { 'csp-report': { 'blocked-uri': 'https://api.example/v1', 'effective-directive': 'connect-src', 'document-uri': proxy.url, 'source-file': `${proxy.url}app.js`, 'line-number': 3 } });
    expect(reports.map((r) => [r.source, r.message, r.where])).toEqual([
      ['console', 'x failed', '/'],
      ['blocked', 'Blocked https://api.example/v1 (connect-src): a preview may reach its own app only, not the internet, MACS or another preview.', `${proxy.url}app.js:3`],
    ]);
    await Promise.all(Array.from({ length: 150 }, (_, i) => post('__macs/report', { kind: 'page', message: `loop ${i}` })));
    expect(reports.length).toBeGreaterThan(50);
    expect(reports.length).toBeLessThan(80);
  });
});
