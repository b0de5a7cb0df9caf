// The workbench's layout in the browser: after a build the terminal is small (and stays as
// dragged); at 1024×640 the sidebar folds to icons and the tree to a toggle so the editor
// keeps ≥ 60 columns; long file names are cut in the middle (tree, tab, chat chips); light
// and dark themes switch live (page, Monaco, xterm). Screenshots: ui-*.png.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { adder, answer, approve } from '../fixtures/build-scripts.js';
import { chromiumAvailable, CHROMIUM_PATH, screenshot } from './helpers.js';
import { useBrowserSuite } from './suite.js';

const MODEL = 'qwen2.5-coder:7b';
const LONG = 'AnExtremelyLongComponentNameForTheDashboardWidget';

if (!chromiumAvailable()) console.log(`Browser e2e tests SKIPPED: no Chromium at ${CHROMIUM_PATH} (set MACS_CHROMIUM).`);

const box = async (page: Page, selector: string) => {
  const b = await page.locator(selector).first().boundingBox();
  if (!b) throw new Error(`${selector} is not on screen`);
  return b;
};
/** How many lines the composer's placeholder takes at the textarea's width (measured in a twin element). */
const placeholderLines = (page: Page) =>
  page.getByTestId('prompt-input').evaluate((el) => {
    const ta = el as HTMLTextAreaElement;
    const cs = getComputedStyle(ta);
    const twin = document.createElement('div');
    const width = ta.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    twin.style.cssText = `position:absolute;visibility:hidden;white-space:pre-wrap;overflow-wrap:break-word;width:${width}px;font:${cs.font};line-height:${cs.lineHeight}`;
    twin.textContent = ta.placeholder;
    document.body.appendChild(twin);
    const lines = Math.round(twin.getBoundingClientRect().height / parseFloat(cs.lineHeight));
    twin.remove();
    return lines;
  });
const cssColor = (page: Page, selector: string, prop: string) =>
  page.locator(selector).first().evaluate((el, p) => getComputedStyle(el).getPropertyValue(p), prop);

async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.getByTestId('settings-button').click();
  await page.locator('.theme-choice', { has: page.getByTestId(`theme-${theme}`) }).click();
  await page.keyboard.press('Escape');
  await page.getByTestId('settings-dialog').waitFor({ state: 'detached' });
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
}

describe.skipIf(!chromiumAvailable())('workbench layout, themes, long names', () => {
  const suite = useBrowserSuite();

  it('keeps the terminal small after a build, folds panes on a narrow window, cuts long names in the middle, and switches themes live', async () => {
    const { page, standin, errors } = await suite.startApp('layout-e2e');
    standin.enqueueChat(answer('plan', adder.plan));
    standin.enqueueChat(answer('implement', adder.buggy));
    standin.enqueueChat(answer('docs', adder.readme));
    standin.enqueueChat(answer('fix', adder.fixed));
    standin.enqueueChat(answer('review', approve));

    // The default theme follows the system's, live.
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(theme).toBe('light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(theme).toBe('dark');

    // The composer's placeholder stays on ≤ 2 lines, Chat or Build, wide or narrow.
    for (const size of [{ width: 1024, height: 640 }, { width: 1440, height: 900 }]) {
      await page.setViewportSize(size);
      for (const kind of ['build', 'chat']) {
        await page.getByTestId(`composer-kind-${kind}`).click();
        expect(await placeholderLines(page), `${kind} at ${size.width}`).toBeLessThanOrEqual(2);
      }
    }

    const picker = page.getByTestId('model-picker');
    await expect.poll(() => picker.locator('option', { hasText: MODEL }).count(), { timeout: 15_000 }).toBe(1);
    await picker.selectOption(MODEL);
    await page.getByTestId('composer-kind-build').click();
    await page.getByTestId('prompt-input').fill('Write a tiny math library (add, multiply) with tests.');
    await page.getByTestId('send-button').click();
    const item = page.locator('[data-testid="project-list-item"][aria-selected="true"]');
    // The build's outcome is the pipeline's business (build.e2e); here only its end matters.
    await expect.poll(() => item.getAttribute('data-state'), { timeout: 60_000 }).toMatch(/^(READY|FAILED)$/);

    // The build opened the terminal (its Runs): a fifth of the window or so, not a third.
    const panel = page.getByTestId('terminal-panel');
    // (A build that failed before running a command opens nothing: open it as a user would.)
    if ((await panel.getAttribute('data-open')) !== 'true') await page.getByTestId('terminal-toggle').click();
    await expect.poll(() => panel.getAttribute('data-open'), { timeout: 10_000 }).toBe('true');
    const termHeight = (await box(page, '[data-testid="terminal-panel"]')).height;
    expect(termHeight).toBeLessThanOrEqual(200);
    expect(termHeight).toBeGreaterThanOrEqual(110);

    // Long names beside each other in the project's folder: the tree cuts the middle, keeps the end.
    const root = await page.locator('.ws-tree-title').getAttribute('title');
    expect(root).toBeTruthy();
    fs.mkdirSync(path.join(root!, 'src'), { recursive: true });
    fs.writeFileSync(path.join(root!, `src/${LONG}.tsx`), 'export const widget = 1;\n');
    fs.writeFileSync(path.join(root!, `src/${LONG}.test.tsx`), 'import "./widget";\n');
    const srcRow = page.locator('[data-testid="ws-tree-row"][data-path="src"]');
    await srcRow.waitFor({ timeout: 10_000 });
    if ((await srcRow.getAttribute('aria-expanded')) !== 'true') await srcRow.click();
    const longRow = page.locator(`[data-testid="ws-tree-row"][data-path="src/${LONG}.test.tsx"]`);
    await longRow.waitFor({ timeout: 10_000 });
    expect(await longRow.locator('.mid-ellipsis-tail').innerText()).toBe('Widget.test.tsx');
    await longRow.click();
    const tab = page.locator(`[data-testid="ws-tab"][data-path="src/${LONG}.test.tsx"]`);
    await tab.waitFor();
    expect(await tab.getAttribute('title')).toBe(`src/${LONG}.test.tsx`);
    // The head is cut (ellipsis), the tail whole and visible.
    const tail = await box(page, `[data-testid="ws-tab"][data-path="src/${LONG}.test.tsx"] .mid-ellipsis-tail`);
    const tabBox = await tab.boundingBox();
    expect(tail.x + tail.width).toBeLessThanOrEqual(tabBox!.x + tabBox!.width);
    const headCut = await tab.locator('.mid-ellipsis-head').evaluate((el) => el.scrollWidth > el.clientWidth);
    expect(headCut).toBe(true);

    // Dark (the stand-in browser prefers dark): page, Monaco and xterm agree.
    await setTheme(page, 'dark');
    const darkBg = await cssColor(page, 'body', 'background-color');
    await screenshot(page, 'ui-1440-dark');
    await setTheme(page, 'light');
    const lightBg = await cssColor(page, 'body', 'background-color');
    expect(lightBg).toBe('rgb(255, 255, 255)');
    expect(darkBg).not.toBe(lightBg);
    await expect.poll(() => cssColor(page, '.monaco-editor .monaco-editor-background', 'background-color')).toBe('rgb(255, 255, 255)');
    await expect.poll(() => cssColor(page, '[data-testid="terminal-panel"] .xterm-viewport', 'background-color')).toBe('rgb(255, 255, 255)');
    await screenshot(page, 'ui-1440-light');

    // Dragging the terminal taller is remembered (for this window size class); a double-click resets it.
    const handle = await box(page, '[data-testid="terminal-resize"]');
    await page.mouse.move(handle.x + 200, handle.y + 3);
    await page.mouse.down();
    await page.mouse.move(handle.x + 200, handle.y - 100, { steps: 4 });
    await page.mouse.up();
    const dragged = (await box(page, '[data-testid="terminal-panel"]')).height;
    expect(dragged).toBeGreaterThan(termHeight + 80);
    await page.reload();
    await panel.waitFor();
    await expect.poll(async () => Math.round((await box(page, '[data-testid="terminal-panel"]')).height)).toBe(Math.round(dragged));
    await page.getByTestId('terminal-resize').dblclick();
    await expect.poll(async () => (await box(page, '[data-testid="terminal-panel"]')).height).toBeLessThanOrEqual(200);
    // (A reload does not reopen tabs: open the file again for the narrow window's editor.)
    if ((await srcRow.getAttribute('aria-expanded')) !== 'true') await srcRow.click();
    await longRow.click();
    await page.locator('.monaco-editor').first().waitFor({ timeout: 15_000 });

    // The chat/files splitter: a drag is remembered across a reload, a double-click restores the default.
    const filesWidth = async () => (await box(page, '[data-testid="ws-files"]')).width;
    const before = await filesWidth();
    const split = await box(page, '[data-testid="splitter-files"]');
    await page.mouse.move(split.x + 3, split.y + 300);
    await page.mouse.down();
    await page.mouse.move(split.x + 123, split.y + 300, { steps: 4 });
    await page.mouse.up();
    const narrower = await filesWidth();
    expect(Math.abs(before - 120 - narrower)).toBeLessThanOrEqual(4);
    await page.reload();
    await page.getByTestId('ws-files').waitFor();
    await expect.poll(filesWidth).toBeCloseTo(narrower, 0);
    await page.getByTestId('splitter-files').dblclick();
    await expect.poll(filesWidth).toBeCloseTo(before, 0);
    if ((await srcRow.getAttribute('aria-expanded')) !== 'true') await srcRow.click();
    await longRow.click();
    await page.locator('.monaco-editor').first().waitFor({ timeout: 15_000 });

    // Chat file chips: one line each, the name cut in the middle.
    await page.getByTestId('tab-chat').click();
    const chips = page.locator('.file-chip');
    await expect.poll(() => chips.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    for (const h of await chips.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height))) expect(h).toBeLessThanOrEqual(28);

    // 1024×640: the sidebar is an icon rail, the tree a toggle, the editor keeps ≥ 60 columns.
    await page.setViewportSize({ width: 1024, height: 640 });
    await expect.poll(() => page.getByTestId('project-sidebar').getAttribute('data-rail')).toBe('true');
    // The rail still lists the projects (initials; the name in the tooltip), the open one marked.
    expect(await page.locator('[data-testid="rail-project"][aria-selected="true"]').innerText()).toBe('WA');
    await longRow.waitFor({ state: 'hidden' });
    const editor = await box(page, '.monaco-editor');
    const charWidth = await page.locator('.monaco-editor .view-line span span').first().evaluate((el) => el.getBoundingClientRect().width / Math.max(1, (el.textContent ?? '').length));
    expect(editor.width).toBeGreaterThanOrEqual(520);
    expect((editor.width - 70) / charWidth).toBeGreaterThanOrEqual(60);
    const chat = await box(page, '.chat');
    expect(chat.width).toBeGreaterThanOrEqual(320);
    expect((await box(page, '[data-testid="terminal-panel"]')).height).toBeLessThanOrEqual(640 / 4);
    await screenshot(page, 'ui-1024-light');
    await setTheme(page, 'dark');
    await expect.poll(() => cssColor(page, '.monaco-editor .monaco-editor-background', 'background-color')).not.toBe('rgb(255, 255, 255)');
    await screenshot(page, 'ui-1024-dark');

    // The tree comes back with its toggle, and the editor still keeps its minimum.
    await page.getByTestId('tree-toggle').click();
    await longRow.waitFor();
    expect((await box(page, '.monaco-editor')).width).toBeGreaterThanOrEqual(390);
    await screenshot(page, 'ui-1024-dark-tree');

    // The task's title takes two lines rather than ending at "Writ…".
    expect((await box(page, '[data-testid="project-title"]')).width).toBeGreaterThanOrEqual(100);

    // A toast (Saved …) stacks over the chat column: not over the editor, nor the terminal's + button; it fades by itself.
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('End');
    await page.keyboard.type(' // edited');
    await page.keyboard.press('Control+s');
    const toast = page.getByTestId('toast').first();
    await toast.waitFor({ timeout: 10_000 });
    const t = (await toast.boundingBox())!;
    const overlaps = (a: { x: number; y: number; width: number; height: number }) =>
      t.x < a.x + a.width && a.x < t.x + t.width && t.y < a.y + a.height && a.y < t.y + t.height;
    expect(overlaps(await box(page, '.monaco-editor'))).toBe(false);
    expect(overlaps(await box(page, '[data-testid="terminal-new"]'))).toBe(false);
    await page.waitForTimeout(250); // past the fade-in
    await screenshot(page, 'ui-1024-dark-toast');
    await toast.waitFor({ state: 'detached', timeout: 8_000 });
    expect(errors).toEqual([]);
  });
});
