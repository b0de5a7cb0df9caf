// The page probe in real Chromium: a page's console errors and warnings, uncaught errors,
// unhandled rejections, failed requests, requests its CSP blocked, and a blank page all come
// back as reports, once each, capped per page.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreviewProxy, RunErrorReport } from '../../electron/core/preview/index.js';
import { BLANK_PAGE_MESSAGE, isBlankPageReport, startPreviewProxy } from '../../electron/core/preview/index.js';
import { launchChromium } from '../e2e/helpers.js';

let browser: Browser;
let proxy: PreviewProxy;
let dir: string;
const reports: RunErrorReport[] = [];

const ERRORS_PAGE = `<!doctype html><html><head><title>Shop</title>
<script src="/__macs/probe.js"></script>
</head><body><h1>Shop</h1><img src="https://cdn.example/logo.png"><img src="/missing-logo.png"><script>
console.error('Could not load items', new Error('db down'));
console.warn('the old API is deprecated');
setTimeout(() => { throw new TypeError('items.map is not a function'); }, 0);
Promise.reject(new Error('save failed'));
fetch('/api/missing');
const xhr = new XMLHttpRequest(); xhr.open('POST', '/api/xhr-missing'); xhr.send('x');
fetch('https://tracker.example/collect').catch(() => {});
</script></body></html>`;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-probe-'));
  fs.writeFileSync(path.join(dir, 'errors.html'), ERRORS_PAGE);
  fs.writeFileSync(path.join(dir, 'blank.html'), '<!doctype html><html><head></head><body><div id="root"></div><script>console.log("rendered nothing")</script></body></html>');
  fs.writeFileSync(path.join(dir, 'flood.html'), '<!doctype html><body><p>flood</p><script>for (let i = 0; i < 500; i++) console.error("tick " + i);</script></body>');
  fs.writeFileSync(path.join(dir, 'fine.html'), '<!doctype html><body><p>All good</p><img src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"></body>');
  proxy = await startPreviewProxy({ target: { kind: 'static', root: dir }, preferredPort: 0, appOrigins: () => [], onReport: (r) => reports.push(r) });
  browser = await launchChromium();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await proxy?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function visit(pagePath: string, settleMs = 1600): Promise<RunErrorReport[]> {
  reports.length = 0;
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${proxy.url}${pagePath}`);
  await page.waitForTimeout(settleMs);
  const probes = await page.evaluate(() => document.querySelectorAll('script[src="/__macs/probe.js"]').length);
  expect(probes, 'the probe is in the page exactly once').toBe(1);
  await context.close();
  return [...reports];
}

describe('the page probe', () => {
  it('reports console errors and warnings, uncaught errors, rejections, failed and blocked requests', async () => {
    const got = await visit('errors.html');
    const lines = got.map((r) => `${r.source}: ${r.message}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        'console: Could not load items Error: db down',
        'console: Warning: the old API is deprecated',
        expect.stringMatching(/^page: (Uncaught )?TypeError: items\.map is not a function$/),
        'page: Unhandled promise rejection: Error: save failed',
        'request: GET /api/missing answered 404 Not Found',
        'request: POST /api/xhr-missing answered 405 Method Not Allowed',
        expect.stringMatching(/^blocked: Blocked https:\/\/tracker\.example\/collect \(connect-src\)/),
        expect.stringMatching(/^blocked: Blocked https:\/\/cdn\.example\/logo\.png \(img-src\)/),
        `request: Could not load img ${proxy.url}missing-logo.png`,
      ]),
    );
    const uncaught = got.find((r) => r.message.includes('items.map'))!;
    expect(uncaught.where).toMatch(new RegExp(`^${proxy.url}errors\\.html:\\d+:\\d+$`));
    expect(got.find((r) => r.message.startsWith('Could not load items'))!.stack).toContain('Error: db down');
    // The page is not blank, and a blocked request is told once (as blocked, not also as failed).
    expect(got.some(isBlankPageReport)).toBe(false);
    expect(got.filter((r) => r.message.includes('tracker.example'))).toHaveLength(1);
    expect(got.filter((r) => r.message.includes('cdn.example'))).toHaveLength(1);
  });

  it('says when a page shows nothing, and stays quiet about a page that is fine', async () => {
    const blank = await visit('blank.html');
    expect(blank).toEqual([expect.objectContaining({ source: 'page', message: BLANK_PAGE_MESSAGE, where: '/blank.html' })]);
    const fine = await visit('fine.html');
    expect(fine, JSON.stringify(fine)).toEqual([]);
  });

  it('caps what one page can send', async () => {
    const got = await visit('flood.html');
    expect(got.length).toBeGreaterThan(10);
    expect(got.length).toBeLessThanOrEqual(30);
  });
});
