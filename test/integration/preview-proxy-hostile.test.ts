// A hostile generated page, in real Chromium: framed by a stand-in for MACS's UI (which holds
// a token and serves an API and a WebSocket on its own port), next to a second preview. The
// page tries to fetch, frame, post to and navigate to the other preview, navigate the MACS
// window, open windows, read the token, and call MACS's API: each must fail, and the proxy
// alone must hold (the stand-in UI frames it WITHOUT an iframe sandbox attribute).
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { PreviewProxy, RunErrorReport } from '../../electron/core/preview/index.js';
import { startPreviewProxy } from '../../electron/core/preview/index.js';
import { launchChromium } from '../e2e/helpers.js';

const TOKEN = 'macs-token-5f1e2d3c';

interface Fixture {
  browser: Browser;
  macs: http.Server;
  macsPort: number;
  /** Requests MACS's API and WebSocket received (other than the UI page itself). */
  macsHits: string[];
  a: PreviewProxy;
  aReports: RunErrorReport[];
  b: PreviewProxy;
  /** Requests that reached the app behind preview B. */
  bHits: string[];
  bApp: http.Server;
  dir: string;
}

let fx: Fixture;

const ATTACKS = `
window.results = {};
const done = (name, value) => { window.results[name] = value; };
const B = new URL(location.href).searchParams.get('b') || window.B_URL;
async function attempt(name, fn) {
  try { done(name, 'LEAKED: ' + String(await fn()).slice(0, 200)); } catch (e) { done(name, 'blocked: ' + (e && e.name)); }
}
(async () => {
  await attempt('fetchB', () => fetch(B + 'secret').then((r) => r.status + ' ' + r.type));
  await attempt('fetchBNoCors', () => fetch(B + 'secret', { mode: 'no-cors' }).then((r) => r.type));
  await attempt('fetchMacsApi', () => fetch(MACS + '/v1/projects?token=' + TOKEN_GUESS).then((r) => r.status));
  await attempt('macsWebSocket', () => new Promise((resolve, reject) => {
    const ws = new WebSocket(MACS.replace('http', 'ws') + '/v1/events');
    ws.onopen = () => resolve('open');
    ws.onerror = () => reject(new Error('ws error'));
  }));
  await attempt('webSocketToB', () => new Promise((resolve, reject) => {
    const ws = new WebSocket(B.replace('http', 'ws') + 'hmr');
    ws.onopen = () => resolve('open');
    ws.onerror = () => reject(new Error('ws error'));
  }));
  await attempt('imageToMacs', () => new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve('loaded');
    img.onerror = () => reject(new Error('img error'));
    img.src = MACS + '/v1/beacon.png';
  }));
  await attempt('readParentToken', () => parent.document.body.innerHTML);
  await attempt('readParentGlobal', () => { const t = parent.macsToken; if (t === undefined) throw new Error('none'); return t; });
  await attempt('referrerHasToken', () => { if (document.referrer.includes('${TOKEN}')) return document.referrer; throw new Error('no token'); });
  await attempt('navigateTop', () => { top.location.href = B; return 'navigated'; });
  await attempt('windowOpen', () => { const w = window.open(B); if (!w) throw new Error('no window'); return 'opened'; });
  await attempt('iframeB', () => new Promise((resolve, reject) => {
    const f = document.createElement('iframe');
    f.src = B;
    // A blocked frame still fires load (with an error page); what matters is reading B.
    f.onload = () => { try { resolve('readable: ' + f.contentWindow.document.body.innerText); } catch (e) { reject(e); } };
    document.body.appendChild(f);
    setTimeout(() => reject(new Error('no load')), 1500);
  }));
  await attempt('formPostToMacs', () => new Promise((resolve, reject) => {
    const form = document.createElement('form');
    form.method = 'POST';
    form.action = MACS + '/v1/projects';
    form.target = 'sink';
    const sink = document.createElement('iframe');
    sink.name = 'sink';
    document.body.append(sink, form);
    form.submit();
    setTimeout(() => reject(new Error('not submitted')), 800);
  }));
  done('finished', true);
})();
`;

function write(dir: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), text);
}

async function listenHttp(server: http.Server, where: number | string): Promise<void> {
  await new Promise<void>((resolve) => (typeof where === 'string' ? server.listen(where, resolve) : server.listen(where, '127.0.0.1', resolve)));
}

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-hostile-'));
  const macsHits: string[] = [];
  let macsPort = 0;
  let aPort = 0;
  // The stand-in for MACS's UI: its page carries the token in the URL, a global and the DOM.
  const macs = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/ui') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><title>MACS</title><script>window.macsToken = '${TOKEN}'; localStorage.setItem('token', '${TOKEN}');</script>
<p id="token">${TOKEN}</p><iframe id="preview" style="width:800px;height:600px" src="${url.searchParams.get('frame')}"></iframe>`);
      return;
    }
    if (url.pathname === '/evil') {
      // A page on another port with no CSP of its own: preview B's own checks must hold.
      res.writeHead(200, { 'content-type': 'text/html' });
      const b = url.searchParams.get('b');
      res.end(`<!doctype html><body><script>window.results = {};
fetch('${b}secret', { mode: 'no-cors' }).then((r) => results.noCors = r.type, (e) => results.noCors = 'failed');
const ws = new WebSocket('${b}'.replace('http', 'ws') + 'hmr'); ws.onopen = () => results.ws = 'open'; ws.onerror = () => results.ws = 'refused';
</script><iframe id="f" src="${b}"></iframe><img src="${b}secret"><script src="${b}app.js"></script>
<form id="post" method="POST" action="${b}secret" target="sink"></form><iframe name="sink"></iframe></body>`);
      return;
    }
    if (url.pathname !== '/favicon.ico') macsHits.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
    res.end(JSON.stringify({ token: TOKEN }));
  });
  const wss = new WebSocketServer({ server: macs });
  wss.on('connection', () => macsHits.push('websocket'));
  await listenHttp(macs, 0);
  macsPort = (macs.address() as { port: number }).port;
  const appOrigins = () => [`http://127.0.0.1:${macsPort}`];

  // Preview B: an app behind a unix socket that records every request reaching it.
  const bHits: string[] = [];
  const bApp = http.createServer((req, res) => {
    bHits.push(`${req.method} ${req.url} site=${req.headers['sec-fetch-site']} referer=${req.headers.referer}`);
    res.writeHead(200, { 'content-type': req.url === '/' ? 'text/html' : 'text/plain', 'access-control-allow-origin': '*' });
    res.end(req.url === '/' ? '<html><head></head><body><h1>Preview B</h1></body></html>' : 'B-SECRET');
  });
  // Its hot-reload WebSocket: echoes, and records who connected.
  const bSockets = new WebSocketServer({ server: bApp });
  bSockets.on('connection', (ws, req) => {
    bHits.push(`websocket origin=${req.headers.origin}`);
    ws.on('message', (data) => ws.send(`echo ${data.toString()}`));
  });
  const socketPath = path.join(dir, 'b.sock');
  await listenHttp(bApp, socketPath);
  const b = await startPreviewProxy({ target: { kind: 'socket', socketPath }, preferredPort: 0, appOrigins, onReport: () => {} });

  const aRoot = path.join(dir, 'a');
  const aReports: RunErrorReport[] = [];
  const a = await startPreviewProxy({ target: { kind: 'static', root: aRoot }, preferredPort: 0, appOrigins, onReport: (r) => aReports.push(r) });
  aPort = a.port;
  write(aRoot, 'index.html', `<!doctype html><html><head><title>Hostile</title></head><body><h1>Hostile</h1>
<script>const MACS = 'http://127.0.0.1:${macsPort}'; const TOKEN_GUESS = 'x'; window.B_URL = '${b.url}';</script>
<script src="/attacks.js"></script></body></html>`);
  write(aRoot, 'attacks.js', ATTACKS);
  write(aRoot, 'leave.html', `<!doctype html><body><p>leaving</p><script>location.href = '${b.url}';</script></body>`);
  void aPort;
  const browser = await launchChromium();
  fx = { browser, macs, macsPort, macsHits, a, aReports, b, bHits, bApp, dir };
}, 30_000);

afterAll(async () => {
  await fx?.browser.close();
  await fx?.a.close();
  await fx?.b.close();
  fx?.bApp.closeAllConnections();
  fx?.macs.closeAllConnections();
  await new Promise<void>((resolve) => fx?.bApp.close(() => resolve()) ?? resolve());
  await new Promise<void>((resolve) => fx?.macs.close(() => resolve()) ?? resolve());
  if (fx) fs.rmSync(fx.dir, { recursive: true, force: true });
});

describe('a hostile page in a preview, framed by MACS', () => {
  it('cannot reach the other preview, MACS, its token or its window', async () => {
    const context = await fx.browser.newContext();
    const page = await context.newPage();
    const popups: string[] = [];
    context.on('page', (p) => popups.push(p.url()));
    const uiUrl = `http://127.0.0.1:${fx.macsPort}/ui?token=${TOKEN}&frame=${encodeURIComponent(fx.a.url)}`;
    fx.bHits.length = 0;
    fx.macsHits.length = 0;
    await page.goto(uiUrl);
    const frame = page.frames().find((f) => f.url().startsWith(fx.a.url));
    expect(frame, 'MACS could frame its preview').toBeDefined();
    await frame!.waitForFunction(() => (window as unknown as { results?: { finished?: boolean } }).results?.finished === true, undefined, { timeout: 15_000 });
    const results = await frame!.evaluate(() => (window as unknown as { results: Record<string, unknown> }).results);
    for (const [name, value] of Object.entries(results)) {
      if (name !== 'finished') expect(String(value), name).toMatch(/^blocked/);
    }
    expect(Object.keys(results)).toHaveLength(14);
    // The MACS window stayed where it was, no window opened, and nothing reached B or MACS.
    await page.waitForTimeout(300);
    expect(page.url()).toBe(uiUrl);
    expect(popups).toEqual([]);
    expect(fx.bHits).toEqual([]);
    expect(fx.macsHits).toEqual([]);
    // Each blocked request was reported as such.
    await expect.poll(() => fx.aReports.filter((r) => r.source === 'blocked').map((r) => r.message).join('\n'), { timeout: 5_000 }).toContain(`127.0.0.1:${fx.macsPort}`);
    const blocked = fx.aReports.filter((r) => r.source === 'blocked').map((r) => r.message).join('\n');
    expect(blocked).toContain(`127.0.0.1:${fx.b.port}`);
    await context.close();
  });

  it('navigating its own frame to the other preview is refused by that preview', async () => {
    const context = await fx.browser.newContext();
    const page = await context.newPage();
    fx.bHits.length = 0;
    await page.goto(`http://127.0.0.1:${fx.macsPort}/ui?frame=${encodeURIComponent(`${fx.a.url}leave.html`)}`);
    await expect.poll(() => page.frames().map((f) => f.url()).join(' '), { timeout: 5_000 }).toContain(fx.b.url);
    const frame = page.frames().find((f) => f.url().startsWith(fx.b.url))!;
    await expect.poll(() => frame.evaluate(() => document.body.innerText).catch(() => ''), { timeout: 5_000 }).toContain('accepts requests from its own page and from MACS only');
    expect(fx.bHits).toEqual([]);
    await context.close();
  });

  it('a page on another port without any CSP still cannot fetch, frame, load, post to or open a WebSocket to a preview', async () => {
    const context = await fx.browser.newContext();
    const page = await context.newPage();
    fx.bHits.length = 0;
    // Not MACS: another 127.0.0.1 port (same site), like another preview that escaped its
    // CSP. It relays the stand-in's /evil page, which B would trust on MACS's own port.
    const evilPage = http.createServer((req, res) => {
      http.get(`http://127.0.0.1:${fx.macsPort}${req.url}`, (up) => {
        res.writeHead(up.statusCode ?? 200, { 'content-type': 'text/html' });
        up.pipe(res);
      });
    });
    await listenHttp(evilPage, 0);
    const evilPort = (evilPage.address() as { port: number }).port;
    await page.goto(`http://127.0.0.1:${evilPort}/evil?b=${encodeURIComponent(fx.b.url)}`);
    await page.evaluate(() => (document.getElementById('post') as HTMLFormElement).submit());
    await page.waitForTimeout(1000);
    expect(await page.evaluate(() => (window as unknown as { results: { ws?: string } }).results.ws)).toBe('refused');
    const frameText = await page.frames().find((f) => f.url().startsWith(fx.b.url))?.evaluate(() => document.body.innerText).catch(() => 'opaque');
    expect(frameText ?? '').not.toContain('Preview B');
    expect(fx.bHits).toEqual([]);
    await context.close();
    evilPage.closeAllConnections();
    await new Promise<void>((resolve) => evilPage.close(() => resolve()));
  });

  it('MACS may frame the other preview, the user may open it in a tab, and its own WebSocket works', async () => {
    const context = await fx.browser.newContext();
    const page = await context.newPage();
    fx.bHits.length = 0;
    await page.goto(`http://127.0.0.1:${fx.macsPort}/ui?frame=${encodeURIComponent(fx.b.url)}`);
    const framed = page.frames().find((f) => f.url().startsWith(fx.b.url))!;
    await expect.poll(() => framed.evaluate(() => document.body.innerText).catch(() => ''), { timeout: 5_000 }).toContain('Preview B');
    const tab = await context.newPage();
    await tab.goto(fx.b.url);
    expect(await tab.textContent('h1')).toBe('Preview B');
    expect(fx.bHits.filter((h) => h.startsWith('GET / ')).length).toBe(2);
    // The page's own WebSocket (a dev server's hot reload) goes through.
    const echoed = await tab.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(`ws://${location.host}/hmr`);
          ws.onopen = () => ws.send('ping');
          ws.onmessage = (e) => resolve(String(e.data));
          ws.onerror = () => resolve('error');
        }),
    );
    expect(echoed).toBe('echo ping');
    expect(fx.bHits).toContain(`websocket origin=http://127.0.0.1:${fx.b.port}`);
    await context.close();
  });
});
