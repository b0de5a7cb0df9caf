// The accessibility pass and the screenshot sweep of issue 18: every screen of the workbench
// (empty state, a project with chat, a build's Steps, Versions, Timeline, the editor with a
// file, the terminal's App and Runs tabs, Models, Settings, Open folder, the preview of a
// running static site) at 1440×900 and 1024×640, each checked by axe-core (WCAG 2 A/AA: no
// serious or critical violation) and photographed as test/e2e/screenshots/a11y-<screen>-<size>.png.
// The keyboard: from page load Tab reaches every control of the main screen, focus is visible,
// and each dialog keeps focus inside and closes on Escape.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { adder, answer, approve } from '../fixtures/build-scripts.js';
import { staticSite } from '../fixtures/app-run-projects.js';
import { createProject, pickModel, previewFrame, runFromHeader } from './app-run-helpers.js';
import { AXE_EXCLUDE, blocking, describeFindings, runAxe, walkWithTab, type AxeFinding } from './axe.js';
import { chromiumAvailable, CHROMIUM_PATH, screenshot } from './helpers.js';
import { useBrowserSuite } from './suite.js';

const SIZES = [
  { name: 'wide', width: 1440, height: 900 },
  { name: 'laptop', width: 1024, height: 640 },
] as const;
const THEMES = ['dark', 'light'] as const;

if (!chromiumAvailable()) console.log(`Browser e2e tests SKIPPED: no Chromium at ${CHROMIUM_PATH} (set MACS_CHROMIUM).`);

describe.skipIf(!chromiumAvailable())('workbench accessibility and screenshots', () => {
  const suite = useBrowserSuite();
  const found = new Map<string, AxeFinding[]>();

  /** Both sizes × both themes: settle, photograph, run axe; the page is left wide and dark. */
  async function sweep(page: Page, screen: string): Promise<void> {
    for (const theme of THEMES) {
      await page.emulateMedia({ colorScheme: theme });
      // The default theme follows the system: the page shows the emulated one.
      await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme ?? 'dark')).toBe(theme);
      for (const size of SIZES) {
        await page.setViewportSize({ width: size.width, height: size.height });
        await page.waitForTimeout(400); // layout, Monaco's and xterm's resize observers, a file's text
        await screenshot(page, `a11y-${screen}-${size.name}-${theme}`);
        const findings = await runAxe(page, { exclude: AXE_EXCLUDE });
        if (findings.length > 0) console.log(describeFindings(`${screen} ${size.name} ${theme}`, findings));
        found.set(`${screen} ${size.name} ${theme}`, findings);
      }
    }
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.setViewportSize({ width: SIZES[0].width, height: SIZES[0].height });
  }

  /** A dialog: focus starts inside it, Tab and Shift+Tab stay inside, Escape closes it. */
  async function checkDialog(page: Page, dialogSelector: string): Promise<void> {
    const dialog = page.locator(dialogSelector);
    await dialog.waitFor();
    const inside = () => page.evaluate((sel) => document.querySelector(sel)?.contains(document.activeElement) ?? false, dialogSelector);
    await expect.poll(inside, { message: `focus starts inside ${dialogSelector}` }).toBe(true);
    let escaped = 0;
    for (let i = 0; i < 25; i += 1) {
      await page.keyboard.press('Tab');
      if (!(await inside())) escaped += 1;
    }
    for (let i = 0; i < 5; i += 1) {
      await page.keyboard.press('Shift+Tab');
      if (!(await inside())) escaped += 1;
    }
    expect.soft(escaped, `Tab and Shift+Tab presses that left ${dialogSelector}`).toBe(0);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count(), { message: `Escape closes ${dialogSelector}` }).toBe(0);
  }

  it('every screen at both sizes: no serious axe violation; Tab reaches every control; dialogs trap focus and close on Escape', async () => {
    const { page, standin, server, errors } = await suite.startApp('a11y');
    await page.emulateMedia({ colorScheme: 'dark' });

    // 1. The empty state, then the keyboard walk of the main screen from page load.
    await page
      .getByTestId('model-picker')
      .waitFor({ timeout: 15_000 })
      .catch(async (err: Error) => {
        await screenshot(page, 'a11y-debug');
        throw new Error(`${err.message}\npage errors: ${errors.join('\n')}`);
      });
    await pickModel(page);
    await sweep(page, 'empty');
    await page.reload();
    await page.getByTestId('model-picker').waitFor();
    await page.waitForTimeout(300); // the project list and the model list settle
    const walk = await walkWithTab(page);
    console.log(`[a11y] empty state: Tab reached ${walk.reached.length} controls: ${walk.reached.join(' | ')}`);
    expect.soft(walk.unreached, 'controls Tab never reaches on the empty state').toEqual([]);
    expect.soft(walk.invisibleFocus, 'controls focused without a visible indicator').toEqual([]);
    // A sensible order: the top bar, then the project list, then the composer, then the terminal.
    const at = (label: string) => walk.reached.findIndex((l) => l.includes(label));
    const order = ['open-folder-button', 'settings-button', 'new-project-button', 'prompt-input', 'terminal-toggle'].map(at);
    expect(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1])), `Tab order ${walk.reached.join(' | ')}`).toBe(true);

    // 2. Dialogs: Open folder, Settings, Models.
    await page.getByTestId('open-folder-button').click();
    await page.getByTestId('open-folder-dialog').waitFor();
    await sweep(page, 'open-folder');
    await checkDialog(page, '[data-testid="open-folder-dialog"]');
    await page.getByTestId('settings-button').click();
    await page.getByTestId('settings-dialog').waitFor();
    await sweep(page, 'settings');
    await checkDialog(page, '[data-testid="settings-dialog"]');
    await page.getByTestId('models-button').click();
    await page.getByTestId('models-screen').waitFor();
    await page.waitForTimeout(500); // the installed list and the catalogue load
    await sweep(page, 'models');
    await checkDialog(page, '[data-testid="models-screen"]');

    // 3. A project with chat (a static site), its file in the editor, then Run: the preview and the App tab.
    const { projectId } = await createProject(page, standin, 'A static page with a heading', staticSite()).catch(async (err: Error) => {
      await screenshot(page, 'a11y-debug');
      throw new Error(`${err.message}\nthe turn: ${await page.getByTestId('turn').last().innerText({ timeout: 2_000 }).catch(() => '?')}\npage errors: ${errors.join('\n')}`);
    });
    await sweep(page, 'chat');
    const projectWalk = await walkWithTab(page);
    console.log(`[a11y] project with chat: Tab reached ${projectWalk.reached.length} controls`);
    expect.soft(projectWalk.unreached, 'controls Tab never reaches on a project').toEqual([]);
    expect.soft(projectWalk.invisibleFocus, 'controls focused without a visible indicator (project)').toEqual([]);
    await page.locator('[data-testid="ws-tree-row"][data-path="index.html"]').click();
    await page.locator('[data-testid="ws-editor"] .view-lines').waitFor();
    await sweep(page, 'editor');
    // The file's tab is a keyboard stop of its own (no nested × button): Delete closes it.
    const fileTab = page.locator('[data-testid="ws-tab"][data-path="index.html"]');
    await fileTab.focus();
    await page.keyboard.press('Delete');
    await expect.poll(() => fileTab.count()).toBe(0);
    const run = await runFromHeader(page, server, projectId, 'a11y-preview');
    await previewFrame(page, run.url);
    await sweep(page, 'preview');
    const panel = page.getByTestId('terminal-panel');
    if ((await panel.getAttribute('data-open')) !== 'true') await page.getByTestId('terminal-toggle').click();
    await page.getByTestId('terminal-tab').filter({ hasText: 'App' }).first().click();
    await sweep(page, 'terminal-app');
    await page.getByTestId('run-stop').click();

    // 4. A build: Steps, the terminal's Runs tab, Versions, Timeline.
    for (const reply of [answer('plan', adder.plan), answer('implement', adder.buggy), answer('docs', adder.readme), answer('fix', adder.fixed), answer('review', approve)]) {
      standin.enqueueChat({ ...reply, tokensPerSecond: 2_000 });
    }
    await page.getByRole('button', { name: 'New project' }).click();
    await page.getByTestId('composer-kind-build').click();
    await page.getByTestId('prompt-input').fill('Write a tiny math library (add, multiply) with tests.');
    await page.getByTestId('send-button').click();
    await page.getByTestId('tab-steps').waitFor({ timeout: 10_000 });
    const review = page.locator('[data-testid="step-row"][data-step="review@v1"]');
    await expect.poll(() => review.getAttribute('data-status'), { timeout: 40_000 }).toBe('succeeded');
    await sweep(page, 'steps');
    const buildWalk = await walkWithTab(page);
    console.log(`[a11y] a build's Steps: Tab reached ${buildWalk.reached.length} controls; last: ${buildWalk.reached.slice(-4).join(' | ')}`);
    expect.soft(buildWalk.unreached, "controls Tab never reaches on a build's Steps tab").toEqual([]);
    expect.soft(buildWalk.invisibleFocus, 'controls focused without a visible indicator (Steps)').toEqual([]);
    if ((await panel.getAttribute('data-open')) !== 'true') await page.getByTestId('terminal-toggle').click();
    await page.getByTestId('terminal-tab').filter({ hasText: 'Runs' }).first().click();
    await sweep(page, 'terminal-runs');
    // The Runs log is read-only: Tab leaves it (a shell keeps Tab for completion).
    const inTerminal = () => page.evaluate(() => document.activeElement?.closest('.xterm') != null);
    await page.locator('[data-testid="terminal-view"]:visible').first().click();
    await expect.poll(inTerminal).toBe(true);
    await page.keyboard.press('Tab');
    expect(await inTerminal(), 'Tab leaves the read-only Runs log').toBe(false);
    await page.getByTestId('tab-versions').click();
    await sweep(page, 'versions');
    await page.getByTestId('tab-timeline').click();
    await page.getByTestId('task-detail').waitFor();
    await sweep(page, 'timeline');

    // One line per distinct finding (rule, element), with the screens it was on: the list to fix.
    const distinct = new Map<string, string[]>();
    for (const [screen, list] of found) for (const f of list) for (const t of f.targets) distinct.set(`${f.impact} ${f.id} ${t}`, [...(distinct.get(`${f.impact} ${f.id} ${t}`) ?? []), screen]);
    console.log(`[a11y] distinct findings:\n${[...distinct].map(([k, v]) => `${k}  (${v.length}: ${v.slice(0, 3).join(', ')}${v.length > 3 ? ', …' : ''})`).join('\n')}`);
    const failing = [...found.entries()].flatMap(([screen, f]) => (blocking(f).length > 0 ? [describeFindings(screen, blocking(f))] : []));
    const moderate = [...found.values()].flat().filter((f) => !blocking([f]).length).length;
    console.log(`[a11y] ${found.size} screen×size checks; ${failing.length} with serious/critical findings; ${moderate} moderate/minor findings`);
    expect(failing, 'serious or critical axe violations').toEqual([]);
    expect(errors).toEqual([]);
  }, 240_000);
});
