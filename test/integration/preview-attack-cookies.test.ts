// Adversarial review of issue 14: cookies. Every preview is http://127.0.0.1:<port>, and a
// browser's cookies are per host, not per port: what preview B's app sets is sent to
// preview A too (and to MACS). A hostile app A must not receive, read or plant B's cookies.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium, startPreviewProxy, type PreviewProxy } from '../../electron/core/preview/index.js';
import { launchChromium } from '../e2e/helpers.js';

const chromium = findChromium();

describe.skipIf(!chromium.ok)('preview attacks: cookies shared by every 127.0.0.1 port', () => {
  let dir: string;
  let browser: Browser;
  const apps: http.Server[] = [];
  let a: PreviewProxy;
  let b: PreviewProxy;
  /** The Cookie header each app received. */
  const seenByA: string[] = [];
  const seenByB: string[] = [];

  async function preview(name: string, handler: http.RequestListener): Promise<PreviewProxy> {
    const app = http.createServer(handler);
    apps.push(app);
    const socketPath = path.join(dir, `${name}.sock`);
    await new Promise<void>((r) => app.listen(socketPath, r));
    return startPreviewProxy({ target: { kind: 'socket', socketPath }, preferredPort: 0, appOrigins: () => [], onReport: () => {} });
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-attack-cookies-'));
    // B: an honest app with a login session (HttpOnly) and a preference its page reads.
    b = await preview('b', (req, res) => {
      seenByB.push(String(req.headers.cookie ?? ''));
      res.writeHead(200, { 'content-type': 'text/html', 'set-cookie': ['session=B-SESSION-SECRET; HttpOnly; Path=/; SameSite=Lax', 'pref=B-PREF; Path=/'] });
      res.end('<h1>B</h1>');
    });
    // A: hostile. Its server logs what cookies arrive; its page reads and plants cookies.
    a = await preview('a', (req, res) => {
      seenByA.push(String(req.headers.cookie ?? ''));
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<h1>A</h1><script>window.readCookies = document.cookie; document.cookie = 'session=PLANTED-BY-A; Path=/';</script>`);
    });
    browser = await launchChromium();
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await a?.close();
    await b?.close();
    for (const app of apps) {
      app.closeAllConnections();
      await new Promise((r) => app.close(r));
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  // HOLE (electron/core/preview/proxy/forward.ts): the proxy forwards the browser's Cookie
  // header as is, and cookies are per host, not per port: A's app receives B's HttpOnly
  // session (seen: 'session=B-SESSION-SECRET; pref=B-PREF'), A's page reads B's other cookies
  // and plants one B's app then receives. Fix (proxy side, for the server half): namespace
  // cookies per preview — Set-Cookie name → m<port>_name on the way out, and forward only
  // m<port>_* cookies (prefix stripped) on the way in; the probe wraps document.cookie so the
  // page keeps seeing its own names. The page half (a hostile page reading/planting raw
  // cookies) needs a host per preview (e.g. 127.0.0.<n>): a design choice for the lead.
  it.fails("preview A's app and page never see preview B's cookies, and cannot plant one in B", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(b.url); // the user looks at B: B logs them in
    await page.goto(a.url); // then at A
    const readByPage = await page.evaluate(() => (window as unknown as { readCookies: string }).readCookies);
    await page.goto(b.url); // and back at B
    await context.close();
    expect(seenByA.join(' | ')).not.toContain('B-SESSION-SECRET');
    expect(seenByA.join(' | ')).not.toContain('B-PREF');
    expect(readByPage).not.toContain('B-PREF');
    expect(seenByB.at(-1)).not.toContain('PLANTED-BY-A');
  });
});

describe.skipIf(!chromium.ok)('preview attacks: a service worker that would outlive the app', () => {
  it('a preview page cannot install one (it would answer for the port after a fix, a stop, or for the next project on it)', { timeout: 30_000 }, async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-attack-sw-'));
    fs.writeFileSync(path.join(root, 'index.html'), `<!doctype html><h1>sw</h1><script>
window.swResult = navigator.serviceWorker.register('/sw.js').then(() => 'INSTALLED', (e) => 'refused: ' + e.name);
</script>`);
    fs.writeFileSync(path.join(root, 'sw.js'), `self.addEventListener('fetch', (e) => e.respondWith(new Response('<h1>hijacked</h1>', { headers: { 'content-type': 'text/html' } })));`);
    const proxy = await startPreviewProxy({ target: { kind: 'static', root }, preferredPort: 0, appOrigins: () => [], onReport: () => {} });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(proxy.url);
      expect(await page.evaluate(() => (window as unknown as { swResult: Promise<string> }).swResult)).toMatch(/^refused/);
    } finally {
      await browser.close();
      await proxy.close();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
