// Adversarial review of issue 14's web agent and preview proxy, in the machine's Chromium: a
// hostile app behind the real preview proxy tries to make the host-side browser (which has
// the host's network; the app has none) reach another origin — the host's loopback services
// or the internet — by redirecting, navigating, or by a scenario step that names another host.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebAgent, findChromium, startPreviewProxy, type PreviewProxy, type RunErrorReport } from '../../electron/core/preview/index.js';

const browser = findChromium();

describe.skipIf(!browser.ok)('preview attacks: the web agent and redirects', () => {
  let dir: string;
  let app: http.Server;
  let proxy: PreviewProxy;
  let host: http.Server;
  let hostPort = 0;
  const hostHits: string[] = [];
  const reports: RunErrorReport[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-attack-agent-'));
    // A service on the host's loopback (Ollama, a database's web UI, …) that must stay unreached.
    host = http.createServer((req, res) => {
      hostHits.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'text/html' }).end('<p>host service secret</p>');
    });
    await new Promise<void>((r) => host.listen(0, '127.0.0.1', r));
    hostPort = (host.address() as { port: number }).port;
    const elsewhere = `http://127.0.0.1:${hostPort}`;
    // The hostile app: what it serves decides where it sends the browser.
    app = http.createServer((req, res) => {
      const url = req.url ?? '/';
      if (url === '/redirect') return void res.writeHead(302, { location: `${elsewhere}/leak?via=302` }).end();
      if (url === '/redirect-relative') return void res.writeHead(307, { location: `//127.0.0.1:${hostPort}/leak?via=307` }).end();
      if (url === '/refresh') return void res.writeHead(200, { 'content-type': 'text/html', refresh: `0;url=${elsewhere}/leak?via=refresh-header` }).end('<p>wait</p>');
      if (url === '/meta') return void res.writeHead(200, { 'content-type': 'text/html' }).end(`<meta http-equiv="refresh" content="0;url=${elsewhere}/leak?via=meta"><p>wait</p>`);
      if (url === '/script') return void res.writeHead(200, { 'content-type': 'text/html' }).end(`<p>wait</p><script>location.href = '${elsewhere}/leak?via=script';</script>`);
      if (url === '/inside') return void res.writeHead(302, { location: '/home' }).end();
      if (url === '/inside-absolute') return void res.writeHead(301, { location: `http://${req.headers.host}/home` }).end();
      if (url === '/wipe') return void res.writeHead(200, { 'content-type': 'text/plain', 'clear-site-data': '"cookies", "storage"' }).end('wiped');
      if (url === '/file') return void res.writeHead(302, { location: 'file:///etc/passwd' }).end();
      res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>home</h1>');
    });
    const socketPath = path.join(dir, 'app.sock');
    await new Promise<void>((r) => app.listen(socketPath, r));
    proxy = await startPreviewProxy({ target: { kind: 'socket', socketPath }, preferredPort: 0, appOrigins: () => [], onReport: (r) => reports.push(r) });
  });
  afterAll(async () => {
    await proxy?.close();
    app?.closeAllConnections();
    host?.closeAllConnections();
    await new Promise((r) => app?.close(r));
    await new Promise((r) => host?.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the proxy does not hand the browser a redirect to another origin', async () => {
    for (const p of ['/redirect', '/redirect-relative', '/refresh']) {
      const res = await fetch(`${proxy.url}${p.slice(1)}`, { redirect: 'manual' });
      const location = res.headers.get('location');
      const refresh = res.headers.get('refresh');
      expect(location === null || new URL(location, proxy.url).origin === new URL(proxy.url).origin, `${p} → ${location}`).toBe(true);
      expect(refresh, p).toBeNull();
    }
    expect(reports.some((r) => r.source === 'blocked' && r.message.includes(`127.0.0.1:${hostPort}`))).toBe(true);
    // Nor a Clear-Site-Data: "cookies" would wipe every 127.0.0.1 port's cookies (other previews' sessions).
    expect((await fetch(`${proxy.url}wipe`)).headers.get('clear-site-data')).toBeNull();
    // Redirects within the app still work (a login form sending on to /home).
    for (const p of ['inside', 'inside-absolute']) {
      const res = await fetch(`${proxy.url}${p}`, { redirect: 'manual' });
      expect(res.status, p).toBeGreaterThanOrEqual(301);
      expect(new URL(res.headers.get('location') ?? '', proxy.url).href, p).toBe(`${proxy.url}home`);
    }
  });

  it("the agent's browser reaches nothing but the preview, however the page leaves", { timeout: 60_000 }, async () => {
    const agent = createWebAgent();
    hostHits.length = 0;
    const scenarios = ['/redirect', '/redirect-relative', '/refresh', '/meta', '/script', '/file'].map((p) => ({ name: `leave by ${p}`, steps: [`open ${p}`, 'expect the text secret'] }));
    scenarios.push({ name: 'a step naming another host', steps: [`open //127.0.0.1:${hostPort}/leak?via=step`, 'expect the text secret'] });
    const results = await agent.runScenarios({ url: proxy.url, scenarios, screenshotDir: path.join(dir, 'shots'), root: dir });
    await new Promise((r) => setTimeout(r, 500));
    expect(hostHits).toEqual([]);
    for (const result of results) expect(result.passed, result.name).toBe(false);
  });

  // The screenshots go into the workspace, which the sandboxed app (running meanwhile) may
  // write: a planted symlink must not make the host-side agent write through it.
  it("a symlink the app planted where a screenshot goes does not make the agent write outside the workspace", { timeout: 60_000 }, async () => {
    const root = path.join(dir, 'workspace');
    const outside = path.join(dir, 'outside');
    fs.mkdirSync(path.join(root, '.macs', 'screenshots'), { recursive: true });
    fs.mkdirSync(outside, { recursive: true });
    const victim = path.join(outside, 'precious.txt');
    fs.writeFileSync(victim, 'precious');
    fs.symlinkSync(victim, path.join(root, '.macs', 'screenshots', 'file-link-1.png'));
    // And a whole screenshot folder that is a link out of the workspace.
    const linkedDir = path.join(root, 'shots-link');
    fs.symlinkSync(outside, linkedDir);
    const agent = createWebAgent();
    const [first] = await agent.runScenarios({ url: proxy.url, scenarios: [{ name: 'file link', steps: ['open /'] }], screenshotDir: path.join(root, '.macs', 'screenshots'), root });
    expect(fs.readFileSync(victim, 'utf8')).toBe('precious');
    expect(first.steps[0].ok).toBe(true);
    const [second] = await agent.runScenarios({ url: proxy.url, scenarios: [{ name: 'dir link', steps: ['open /'] }], screenshotDir: linkedDir, root });
    expect(fs.readdirSync(outside)).toEqual(['precious.txt']);
    expect(second.steps[0].screenshot).toBeNull();
  });
});

describe('preview attacks: a static page too large to read whole', () => {
  it('is streamed as it is (no probe) instead of being read into memory or failing', { timeout: 30_000 }, async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-attack-bigpage-'));
    // Sparse: 3 GB on paper, nothing on disk. Read whole, it cannot even become a Buffer.
    const fd = fs.openSync(path.join(root, 'index.html'), 'w');
    fs.writeSync(fd, '<html><head></head><body>big');
    fs.ftruncateSync(fd, 3 * 1024 ** 3);
    fs.closeSync(fd);
    const proxy = await startPreviewProxy({ target: { kind: 'static', root }, preferredPort: 0, appOrigins: () => [], onReport: () => {} });
    try {
      const res = await fetch(proxy.url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-length')).toBe(String(3 * 1024 ** 3));
      const reader = res.body!.getReader();
      const first = await reader.read();
      expect(Buffer.from(first.value!).toString('latin1')).toMatch(/^<html><head><\/head><body>big/);
      await reader.cancel();
    } finally {
      await proxy.close();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
