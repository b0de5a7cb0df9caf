// Issue 14, the web agent in build mode: a todo page whose unit tests pass but whose Add
// button does nothing. The stand-in plans it with a smoke scenario (issue 14's own example),
// implements it with the bug, and fixes it when the fix step is sent the failed scenario.
// The build's webcheck step must catch the bug in a real browser, the fix loop must take it
// like a failing test, and the scenario must then pass. Checked in the Steps tab and on the
// host: the fix request held the failed step and the page's text, the files as the fix left
// them, the screenshots under .macs/screenshots/.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { approve, filesAnswer, stepOf } from '../fixtures/build-scripts.js';
import { TODO_APP_FIXED, TODO_SCENARIO, todoSite } from '../fixtures/app-run-projects.js';
import type { ChatScript } from '../fixtures/ollama-standin/index.js';
import { macsUiErrors, pickModel } from './app-run-helpers.js';
import { chromiumAvailable, CHROMIUM_PATH, screenshot } from './helpers.js';
import { useBrowserSuite } from './suite.js';

if (!chromiumAvailable()) console.log(`Browser e2e tests SKIPPED: no Chromium at ${CHROMIUM_PATH} (set MACS_CHROMIUM).`);

type Body = Record<string, unknown>;
const textOf = (body: Body) => ((body.messages as Array<{ content: string }> | undefined) ?? []).map((m) => m.content).join('\n');

/** The fix step (a failed smoke scenario reaches it as failing tests do). */
const isFix = (body: Body) => stepOf(body) === 'fix';

const PLAN = JSON.stringify({
  summary: 'A todo page: type an item, click Add, it shows in the list.',
  language: 'JavaScript',
  files: [
    { path: 'index.html', purpose: 'the page' },
    { path: 'app.js', purpose: 'wires the input and the Add button to the list' },
    { path: 'todo.js', purpose: 'addItem(items, text)' },
    { path: 'test/todo.test.js', purpose: 'node:test tests for todo.js' },
    { path: 'package.json', purpose: 'ES modules for node --test' },
  ],
  test_command: 'node --test',
  acceptance: ['adding an item shows it in the list'],
  run_command: '',
  scenarios: [TODO_SCENARIO],
});

const script = (when: (body: Body) => boolean, text: string): ChatScript => ({ text, when, tokensPerSecond: 2_000 });

describe.skipIf(!chromiumAvailable())('the web agent in a build', () => {
  const suite = useBrowserSuite();
  const row = (page: Page, ref: string) => page.locator(`[data-testid="step-row"][data-step="${ref}"]`);

  it('catches "Add does nothing" in a browser, the fix loop fixes it, and the scenario then passes', async () => {
    const { page, standin, server } = await suite.startApp('app-run-webcheck');
    const errors = macsUiErrors(page, new URL(server.url).origin);
    await pickModel(page);
    standin.enqueueChat(script((b) => stepOf(b) === 'plan', PLAN));
    standin.enqueueChat(script((b) => stepOf(b) === 'implement', filesAnswer(todoSite(true))));
    standin.enqueueChat(script((b) => stepOf(b) === 'docs', filesAnswer({ 'README.md': '# todo\n\nOpen index.html; `node --test` runs the tests.\n' }, 'markdown')));
    standin.enqueueChat(script(isFix, filesAnswer({ 'app.js': TODO_APP_FIXED })));
    standin.enqueueChat(script((b) => stepOf(b) === 'review', approve));

    await page.getByRole('button', { name: 'New project' }).click();
    await page.getByTestId('composer-kind-build').click();
    await page.getByTestId('prompt-input').fill('A todo page: type an item, click Add, and it shows in the list.');
    await page.getByTestId('send-button').click();
    await page.getByTestId('tab-steps').waitFor({ timeout: 10_000 });

    // The unit tests pass; the browser check fails on the bug.
    await expect.poll(() => row(page, 'test@v1').getAttribute('data-status'), { timeout: 60_000 }).toBe('succeeded');
    await expect.poll(() => row(page, 'webcheck@v1').getAttribute('data-status'), { timeout: 90_000 }).toBe('failed');
    await screenshot(page, 'app-run-webcheck-failed');
    // The fix, the tests again, the browser check again: it passes now.
    await expect.poll(() => row(page, 'webcheck@v2').getAttribute('data-status'), { timeout: 90_000 }).toBe('succeeded');
    expect(await row(page, 'fix@v1').getAttribute('data-status')).toBe('succeeded');
    await expect.poll(() => row(page, 'review@v1').getAttribute('data-status'), { timeout: 30_000 }).toBe('succeeded');
    const item = page.locator('[data-testid="project-list-item"][aria-selected="true"]');
    await expect.poll(() => item.getAttribute('data-state'), { timeout: 10_000 }).toBe('READY');
    await row(page, 'webcheck@v1').scrollIntoViewIfNeeded();
    await screenshot(page, 'app-run-webcheck-fixed');

    // The Steps tab shows each scenario with its failed step and a screenshot per step.
    const failedCheck = row(page, 'webcheck@v1');
    await failedCheck.getByTestId('step-report-toggle').click();
    const scenario = failedCheck.getByTestId('scenario-result');
    await expect.poll(() => scenario.getAttribute('data-passed'), { timeout: 10_000 }).toBe('false');
    expect(await scenario.innerText()).toContain('expect the text milk in the list');
    await expect.poll(() => failedCheck.getByTestId('scenario-screenshot').count(), { timeout: 10_000 }).toBe(TODO_SCENARIO.steps.length);
    await expect.poll(() => failedCheck.getByTestId('scenario-screenshot').last().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    await failedCheck.getByTestId('scenario-screenshot').last().scrollIntoViewIfNeeded();
    await screenshot(page, 'app-run-webcheck-scenario');
    const passedCheck = row(page, 'webcheck@v2');
    await passedCheck.getByTestId('step-report-toggle').click();
    await expect.poll(() => passedCheck.getByTestId('scenario-result').getAttribute('data-passed'), { timeout: 10_000 }).toBe('true');

    // Its tests and scenarios passed: the turn's version is marked working in the Versions tab.
    await page.getByTestId('tab-versions').click();
    await expect.poll(() => page.getByTestId('version-working').count(), { timeout: 10_000 }).toBe(1);
    await screenshot(page, 'app-run-webcheck-working-version');
    await page.getByTestId('tab-steps').click();

    // The fix step was sent what failed, as a failing test would be: the step, the expectation, the page's text.
    const chats = standin.requests.filter((r) => r.path === '/api/chat').map((r) => r.body as Body);
    console.log(`[webcheck e2e] chat requests: ${chats.map((b) => `${stepOf(b)}`).join(', ')}`);
    const fixes = chats.filter(isFix);
    expect(fixes).toHaveLength(1);
    const fixText = textOf(fixes[0]);
    expect(fixText).toContain('add an item');
    expect(fixText).toMatch(/expect the text milk in the list/);
    expect(fixText).toContain('Todo'); // the DOM excerpt: the page's heading
    // The project as the fix left it, with the scenario's screenshots in its folder.
    const root = (await item.getAttribute('title'))!;
    expect(fs.readFileSync(path.join(root, 'app.js'), 'utf8')).toBe(TODO_APP_FIXED);
    const shots = fs.readdirSync(path.join(root, '.macs/screenshots')).filter((f) => f.endsWith('.png'));
    expect(shots.length, shots.join(', ')).toBeGreaterThanOrEqual(TODO_SCENARIO.steps.length);
    expect(errors).toEqual([]);
  }, 240_000);
});
