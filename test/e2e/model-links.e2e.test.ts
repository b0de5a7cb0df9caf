// Links in a model's answer, in real Chromium against `macs serve`: a click never navigates
// the app or opens a tab by itself; the confirm shows the whole URL and its real host; "Open
// in browser" opens a tab with no opener and no referrer; a file: link cannot be opened. And
// the page's CSP lets it connect only to its own origin (the engine's WebSocket).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, chromiumAvailable, closedPort, screenshot } from './helpers.js';
import { useBrowserSuite } from './suite.js';

const MODEL = 'qwen2.5-coder:7b';
const ANSWER = [
  'Read [the guide](https://docs.example.com/guide?lang=en#install) first.',
  '',
  'Then log in at [your bank](https://bank.example@evil.example/login).',
  '',
  'Or open [the password file](file:///etc/passwd).',
  '',
].join('\n');

async function askForAnswer(page: Page): Promise<void> {
  const picker = page.getByTestId('model-picker');
  await expect.poll(() => picker.locator('option', { hasText: MODEL }).count(), { timeout: 15_000 }).toBe(1);
  await picker.selectOption(MODEL);
  await page.getByTestId('prompt-input').fill('Where are the docs?');
  await page.getByTestId('send-button').click();
  const assistant = page.getByTestId('chat-message-assistant');
  await expect.poll(() => assistant.getAttribute('data-status'), { timeout: 15_000 }).toBe('succeeded');
}

if (!chromiumAvailable()) console.log(`Model-link e2e tests SKIPPED: no Chromium at ${CHROMIUM_PATH} (set MACS_CHROMIUM).`);

describe.skipIf(!chromiumAvailable())('links in model output (macs serve + Chromium)', () => {
  const suite = useBrowserSuite();

  it('ask before leaving the app, show where they go, and open without opener or referrer', async () => {
    const { page } = await suite.startApp('links', { chat: { text: ANSWER, tokensPerSecond: 400 } });
    const context = page.context();
    // The linked site, answered locally: it reports what it can see of MACS.
    await context.route('https://docs.example.com/**', (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: '<script>document.title = JSON.stringify({ opener: window.opener !== null, referrer: document.referrer })</script>',
      }),
    );
    const popups: Page[] = [];
    context.on('page', (p) => popups.push(p));
    await askForAnswer(page);
    const appUrl = page.url();

    const links = page.getByTestId('chat-message-assistant').getByTestId('md-link');
    await expect.poll(() => links.count()).toBe(3);
    expect(await links.first().getAttribute('href')).toBeNull();

    // A plain click, a Ctrl+click and a middle-click open nothing by themselves.
    await links.first().click({ modifiers: ['Control'] });
    await page.getByTestId('link-confirm-cancel').click();
    await links.first().click({ button: 'middle' });
    await links.first().click();
    const dialog = page.getByTestId('link-confirm');
    await dialog.waitFor();
    expect(await page.getByTestId('link-confirm-url').innerText()).toBe('https://docs.example.com/guide?lang=en#install');
    expect(await page.getByTestId('link-confirm-target').innerText()).toBe('docs.example.com');
    expect(popups).toHaveLength(0);
    expect(page.url()).toBe(appUrl);
    await screenshot(page, 'links-01-confirm');

    // Escape cancels; Open in browser opens a new tab that cannot reach back.
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    await links.first().click();
    const [popup] = await Promise.all([context.waitForEvent('page'), page.getByTestId('link-confirm-open').click()]);
    await popup.waitForLoadState();
    expect(popup.url()).toBe('https://docs.example.com/guide?lang=en#install');
    await expect.poll(() => popup.title()).toBe(JSON.stringify({ opener: false, referrer: '' }));
    await expect.poll(() => dialog.count()).toBe(0);
    expect(page.url()).toBe(appUrl);

    // The host hidden behind "user@" is the one emphasised.
    await links.nth(1).click();
    expect(await page.getByTestId('link-confirm-target').innerText()).toBe('evil.example');
    expect(await page.getByTestId('link-confirm-credentials').count()).toBe(1);
    await screenshot(page, 'links-02-credentials');
    await page.getByTestId('link-confirm-cancel').click();

    // file: is named and refused: no Open button at all.
    await links.nth(2).click();
    expect(await page.getByTestId('link-confirm-url').innerText()).toBe('file:///etc/passwd');
    expect(await page.getByTestId('link-confirm-open').count()).toBe(0);
    expect(await dialog.innerText()).toContain('“file:”');
    await screenshot(page, 'links-03-refused');
    await page.getByTestId('link-confirm-cancel').click();
    expect(popups).toHaveLength(1);
  });

  it("the page's CSP allows connections to its own origin only", async () => {
    const { page } = await suite.startApp('csp');
    await expect.poll(() => page.getByTestId('status-ollama').getAttribute('data-reachable'), { timeout: 15_000 }).toBe('true'); // its own WebSocket works
    const port = await closedPort();
    const blocked = await page.evaluate(async (p) => {
      const seen: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI}`));
      try {
        new WebSocket(`ws://127.0.0.1:${p}/`);
      } catch {
        seen.push('threw');
      }
      try {
        new WebSocket(`ws://localhost:${p}/`);
      } catch {
        seen.push('threw');
      }
      await new Promise((r) => setTimeout(r, 300));
      return seen;
    }, port);
    // Both the served header and the page's meta policy say connect-src 'self', so each blocked
    // socket may be reported once per policy: count the distinct URLs.
    expect(new Set(blocked.filter((s) => s.startsWith('connect-src')))).toEqual(new Set([`connect-src ws://127.0.0.1:${port}/`, `connect-src ws://localhost:${port}/`]));
  });
});
