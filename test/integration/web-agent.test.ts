// The web agent against real pages in the machine's Chromium: a todo page whose Add button
// works, and one whose Add button does nothing (the scenario fails with a clear message,
// the screenshots exist), served by node:http in the test.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebAgent, findChromium } from '../../electron/core/preview/index.js';
import { addScenario, todoPage } from './web-agent-pages.js';

const browser = findChromium();
if (!browser.ok) console.log(`web agent tests SKIPPED: ${browser.reason}`);

describe.skipIf(!browser.ok)('web agent (playwright-core + the machine Chromium)', () => {
  let server: http.Server;
  let base: string;
  let root: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/' || req.url === '/index.html') {
        res.writeHead(200, { 'content-type': 'text/html' }).end(todoPage(true));
      } else if (req.url === '/broken') {
        res.writeHead(200, { 'content-type': 'text/html' }).end(todoPage(false));
      } else {
        res.writeHead(404).end('not found');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-webagent-'));
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('passes a scenario whose Add button works, with a screenshot per step; the internet is blocked and recorded', async () => {
    const agent = createWebAgent();
    const dir = path.join(root, '.macs', 'screenshots');
    const t0 = performance.now();
    const [result] = await agent.runScenarios({ url: base, scenarios: [addScenario], screenshotDir: dir, root });
    const ms = performance.now() - t0;
    console.log(`web agent: one 5-step scenario incl. browser launch ${Math.round(ms)} ms (scenario ${result.durationMs} ms)`);
    expect(result.steps.map((s) => s.error)).toEqual([null, null, null, null, null]);
    expect(result.passed).toBe(true);
    expect(result.steps.map((s) => s.screenshot)).toEqual([1, 2, 3, 4, 5].map((n) => `.macs/screenshots/adds-an-item-${n}.png`));
    for (const s of result.steps) expect(fs.statSync(path.join(root, s.screenshot!)).size).toBeGreaterThan(1000);
    expect(result.failedRequests.some((r) => r.startsWith('blocked (offline): GET https://cdn.example.com/logo.png'))).toBe(true);
  });

  it('fails the scenario when Add does nothing: the step, the expectation and the DOM text', async () => {
    const agent = createWebAgent();
    const dir = path.join(root, 'broken-shots');
    const scenario = { ...addScenario, steps: ['open /broken', ...addScenario.steps.slice(1)] };
    const [result] = await agent.runScenarios({ url: base, scenarios: [scenario], screenshotDir: dir, root });
    expect(result.passed).toBe(false);
    const failed = result.steps.find((s) => !s.ok)!;
    expect(failed.step).toBe('expect the text milk in the list');
    expect(failed.error).toBe('Expected the text "milk" in list; list is empty.');
    expect(result.domExcerpt).toContain('Todos');
    expect(result.steps).toHaveLength(5);
    for (const s of result.steps) expect(fs.existsSync(path.join(root, s.screenshot!))).toBe(true);
  });

  it('reports a missing button, an unknown step and console errors', async () => {
    const agent = createWebAgent();
    const dir = path.join(root, 'other-shots');
    const results = await agent.runScenarios({
      url: base,
      root,
      screenshotDir: dir,
      scenarios: [
        { name: 'missing', steps: ['open /', 'click Delete all'] },
        { name: 'unknown', steps: ['open /', 'drag the card to Done'] },
        { name: 'not found page', steps: ['open /nope'] },
        { name: 'not found page', steps: ['open /nope'] },
      ],
    });
    // The same name twice: the second one's screenshots do not overwrite the first's.
    expect(results.map((r) => r.steps[0].screenshot)).toEqual([
      'other-shots/missing-1.png',
      'other-shots/unknown-1.png',
      'other-shots/not-found-page-1.png',
      'other-shots/not-found-page-2-1.png',
    ]);
    expect(results.map((r) => r.passed)).toEqual([false, false, false, false]);
    expect(results[0].steps[1].error).toBe('There is no button or link named "Delete all" on the page.');
    expect(results[1].steps[1].error).toMatch(/"drag the card to Done" is not understood/);
    expect(results[2].steps[0].error).toBe('Opening /nope answered HTTP 404.');
    expect(results[2].failedRequests.some((r) => r.includes('/nope: HTTP 404'))).toBe(true);
  });

  it('says plainly when no browser is there', async () => {
    const agent = createWebAgent({ env: { MACS_CHROMIUM: '/nonexistent/chrome' } });
    expect(agent.available()).toEqual({ ok: false, reason: 'MACS_CHROMIUM is /nonexistent/chrome, which is not an executable file.' });
    await expect(agent.runScenarios({ url: base, root, screenshotDir: root, scenarios: [addScenario] })).rejects.toMatchObject({ code: 'TOOLCHAIN_MISSING', message: expect.stringMatching(/MACS_CHROMIUM/) });
  });
});
