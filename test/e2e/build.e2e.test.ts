// A build task in the browser: Build mode in the composer, the pipeline live in the Steps
// tab (the failing sandboxed test, the fix, the passing test, the review), a test report,
// and replaying one step from the UI. The stand-in answers each step as a model would.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { adder, answer, approve } from '../fixtures/build-scripts.js';
import { chromiumAvailable, CHROMIUM_PATH, readExportZip, screenshot } from './helpers.js';
import { useBrowserSuite } from './suite.js';

const MODEL = 'qwen2.5-coder:7b';

if (!chromiumAvailable()) console.log(`Browser e2e tests SKIPPED: no Chromium at ${CHROMIUM_PATH} (set MACS_CHROMIUM).`);

describe.skipIf(!chromiumAvailable())('build pipeline in the browser', () => {
  const suite = useBrowserSuite();
  const row = (page: Page, ref: string) => page.locator(`[data-testid="step-row"][data-step="${ref}"]`);

  it('builds with Build mode: steps appear live, the failed test shows its report, the fix makes it pass; replaying a step answers from the cache', async () => {
    // The stand-in prices each call like Ollama (cost-model.ts, simulated time): the first call loads the model.
    const app = await suite.startApp('build-e2e', { acceptDownloads: true, standin: { costModel: true } });
    const { page, standin, errors } = app;
    standin.enqueueChat(answer('plan', adder.plan, { tokensPerSecond: 400 }));
    standin.enqueueChat(answer('implement', adder.buggy, { tokensPerSecond: 400 }));
    standin.enqueueChat(answer('docs', adder.readme, { tokensPerSecond: 400 }));
    standin.enqueueChat(answer('fix', adder.fixed, { tokensPerSecond: 400 }));
    standin.enqueueChat(answer('review', approve));

    const picker = page.getByTestId('model-picker');
    await expect.poll(() => picker.locator('option', { hasText: MODEL }).count(), { timeout: 15_000 }).toBe(1);
    await picker.selectOption(MODEL);
    await page.getByTestId('composer-kind-build').click();
    await page.getByTestId('prompt-input').fill('Write a tiny math library (add, multiply) with tests.');
    await page.getByTestId('send-button').click();

    // The Steps tab opens for a build and fills in live.
    await page.getByTestId('tab-steps').waitFor({ timeout: 10_000 });
    await expect.poll(() => row(page, 'test@v1').getAttribute('data-status'), { timeout: 30_000 }).toBe('failed');
    await expect.poll(() => row(page, 'review@v1').getAttribute('data-status'), { timeout: 30_000 }).toBe('succeeded');
    expect(await row(page, 'test@v2').getAttribute('data-status')).toBe('succeeded');
    expect(await row(page, 'fix@v1').getByTestId('step-summary').innerText()).toContain('src/math.js');
    // The build is the project's turn: the project is READY when it has succeeded.
    const item = page.locator('[data-testid="project-list-item"][aria-selected="true"]');
    await expect.poll(() => item.getAttribute('data-state'), { timeout: 10_000 }).toBe('READY');

    // The failed run's report: the failing test by name, from the real node --test output.
    await row(page, 'test@v1').getByTestId('step-report-toggle').click();
    await expect.poll(() => row(page, 'test@v1').innerText()).toContain('adds two numbers');
    // Model time: the first call loaded the model (and says why), the fix round read most of its prompt from the cache.
    expect(await row(page, 'plan@v1').getByTestId('step-load').innerText()).toMatch(/load 8\.0 s · first use/);
    expect(await row(page, 'fix@v1').getByTestId('step-prompt-tokens').innerText()).toMatch(/cached · \d+ evaluated/);
    expect(await page.getByTestId('build-loads').innerText()).toBe('1 load · 8.0 s (first use)');
    await screenshot(page, 'build-steps');
    await row(page, 'test@v1').getByTestId('step-report-toggle').click();
    await page.getByTestId('pipeline-head').scrollIntoViewIfNeeded();
    await screenshot(page, 'build-model-time');

    // Replay the fix step: a new version, answered from the LLM cache, nothing after it re-run.
    const chatsBefore = standin.requests.filter((r) => r.path === '/api/chat').length;
    await row(page, 'fix@v1').getByTestId('step-replay').click();
    await page.getByTestId('replay-submit').click();
    await expect.poll(() => row(page, 'fix@v2').getAttribute('data-status'), { timeout: 20_000 }).toBe('succeeded');
    expect(await row(page, 'fix@v2').getByTestId('step-cached').count()).toBe(1);
    expect(standin.requests.filter((r) => r.path === '/api/chat').length).toBe(chatsBefore);
    expect(await page.locator('[data-testid="step-row"][data-step="test@v3"]').count()).toBe(0);
    await expect.poll(() => item.getAttribute('data-state'), { timeout: 10_000 }).toBe('READY');
    await screenshot(page, 'build-replay');

    // The chat view groups the answer by step.
    await page.getByTestId('tab-chat').click();
    await expect.poll(() => page.getByTestId('chat-message-assistant').first().innerText()).toContain('Fix round 1');
    await screenshot(page, 'build-chat');

    // The zip (the project's files as they are now) holds the fixed code, and its manifest names the project.
    const exportButton = page.getByTestId('export-button');
    await expect.poll(() => exportButton.isEnabled()).toBe(true);
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 20_000 }), exportButton.click()]);
    const zip = await readExportZip(await download.path());
    expect(zip.contents['src/math.js'].toString('utf8')).toContain('return a + b;');
    const manifest = zip.manifest as unknown as { project?: { name: string; turns: number } };
    expect(manifest.project?.turns).toBe(1);
    expect(errors).toEqual([]);
  });
});
