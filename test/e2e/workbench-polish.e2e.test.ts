// Rough edges a screenshot sweep found after the workbench work (issue 18): the empty state opens
// at its heading; the composer keeps ≥ 300 px at 1024×640 whatever layout was remembered; the
// Timeline's facts take a small share of a short pane; toasts hang inside the chat column under
// its header; a version's message gets the room in its row. Screenshots: polish-*.png.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { adder, answer, approve } from '../fixtures/build-scripts.js';
import { chromiumAvailable, CHROMIUM_PATH, screenshot } from './helpers.js';
import { useBrowserSuite } from './suite.js';

const MODEL = 'qwen2.5-coder:7b';
const LAPTOP = { width: 1024, height: 640 };
const WIDE = { width: 1440, height: 900 };

if (!chromiumAvailable()) console.log(`Browser e2e tests SKIPPED: no Chromium at ${CHROMIUM_PATH} (set MACS_CHROMIUM).`);

const box = async (page: Page, selector: string) => {
  const b = await page.locator(selector).first().boundingBox();
  if (!b) throw new Error(`${selector} is not on screen`);
  return b;
};

async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.emulateMedia({ colorScheme: theme });
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
  await page.waitForTimeout(300); // past the buttons' colour transitions, for the screenshots
}

describe.skipIf(!chromiumAvailable())('workbench polish', () => {
  const suite = useBrowserSuite();

  it('opens the empty state at its heading, keeps a usable composer, folds the facts, anchors toasts, gives version messages room', async () => {
    const { page, standin, errors } = await suite.startApp('polish-e2e');
    standin.enqueueChat(answer('plan', adder.plan));
    standin.enqueueChat(answer('implement', adder.buggy));
    standin.enqueueChat(answer('docs', adder.readme));
    standin.enqueueChat(answer('fix', adder.fixed));
    standin.enqueueChat(answer('review', approve));

    // 1. The empty state reads from the top: its heading in view, not scrolled to the bottom.
    for (const size of [LAPTOP, WIDE]) {
      await page.setViewportSize(size);
      await page.reload();
      await page.getByTestId('empty-state').waitFor();
      await page.waitForTimeout(300); // past the layout's settling (the old scroll came after it)
      expect(await page.locator('.chat-scroll').evaluate((el) => el.scrollTop), `scrollTop at ${size.width}`).toBe(0);
      const heading = await box(page, '[data-testid="empty-state"] h1');
      const scroller = await box(page, '.chat-scroll');
      expect(heading.y).toBeGreaterThanOrEqual(scroller.y);
      for (const theme of ['light', 'dark'] as const) {
        await setTheme(page, theme);
        await screenshot(page, `polish-empty-${size.width}-${theme}`);
      }
    }

    // 2. A remembered layout that squeezed the chat (sidebar unfolded wide, Files dragged wide):
    // the composer still gets ≥ 300 px at 1024×640.
    await page.setViewportSize(LAPTOP);
    await page.evaluate(() => localStorage.setItem('macs.layout.narrow', JSON.stringify({ sidebarOpen: true, sidebar: 400, files: 5000, treeOpen: true, tree: 420 })));
    await page.reload();
    await page.getByTestId('prompt-input').waitFor();
    expect((await box(page, '.composer-box')).width).toBeGreaterThanOrEqual(300);
    await screenshot(page, 'polish-composer-remembered-1024');
    await page.evaluate(() => localStorage.removeItem('macs.layout.narrow'));
    await page.setViewportSize(WIDE);
    await page.reload();

    const picker = page.getByTestId('model-picker');
    await expect.poll(() => picker.locator('option', { hasText: MODEL }).count(), { timeout: 15_000 }).toBe(1);
    await picker.selectOption(MODEL);
    await page.getByTestId('composer-kind-build').click();
    await page.getByTestId('prompt-input').fill('Write a tiny math library (add, multiply) with tests.');
    await page.getByTestId('send-button').click();
    const item = page.locator('[data-testid="project-list-item"][aria-selected="true"]');
    await expect.poll(() => item.getAttribute('data-state'), { timeout: 60_000 }).toMatch(/^(READY|FAILED)$/);
    await page.setViewportSize(LAPTOP);
    await page.getByTestId('tab-chat').click();
    expect((await box(page, '.composer-box')).width).toBeGreaterThanOrEqual(300);

    // 3. At 1024×640 the Timeline's facts take a small share of the pane (the rest fold).
    const panel = page.getByTestId('terminal-panel');
    if ((await panel.getAttribute('data-open')) !== 'true') await page.getByTestId('terminal-toggle').click();
    await page.getByTestId('tab-timeline').click();
    await page.getByTestId('task-detail').waitFor();
    const facts = await box(page, '.facts-block');
    const detail = await box(page, '[data-testid="task-detail"]');
    expect(facts.height / detail.height).toBeLessThanOrEqual(0.45);
    expect(await page.getByTestId('task-facts-more').evaluate((el) => (el as HTMLDetailsElement).open)).toBe(false);
    for (const theme of ['light', 'dark'] as const) {
      await setTheme(page, theme);
      await screenshot(page, `polish-timeline-1024-${theme}`);
    }

    // 5. At 1440×900 a version's message gets the room; badges and meta wrap under it.
    await page.setViewportSize(WIDE);
    await page.getByTestId('tab-versions').click();
    const message = page.locator('[data-testid="version-row"] .version-message').first();
    await message.waitFor({ timeout: 10_000 });
    expect((await message.boundingBox())!.width).toBeGreaterThanOrEqual(200);
    for (const theme of ['light', 'dark'] as const) {
      await setTheme(page, theme);
      await screenshot(page, `polish-versions-1440-${theme}`);
    }

    // 4. A toast hangs inside the chat column, under its header: never over the tabs, the editor or the terminal's +.
    for (const size of [LAPTOP, WIDE]) {
      await page.setViewportSize(size);
      await page.getByTestId('tab-chat').click();
      const chip = page.locator('.file-chip').first();
      await chip.waitFor({ timeout: 10_000 });
      await chip.click();
      await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: 15_000 });
      await page.locator('.monaco-editor .view-lines').first().click();
      await page.keyboard.press('End');
      await page.keyboard.type(' ');
      await page.keyboard.press('Control+s');
      const toast = page.locator('.chat [data-testid="toast"]').first();
      await toast.waitFor({ timeout: 10_000 });
      const t = (await toast.boundingBox())!;
      const overlaps = (a: { x: number; y: number; width: number; height: number }) =>
        t.x < a.x + a.width && a.x < t.x + t.width && t.y < a.y + a.height && a.y < t.y + t.height;
      const head = await box(page, '.chat-head');
      expect(t.y).toBeGreaterThanOrEqual(head.y + head.height);
      expect(overlaps(await box(page, '.pane-tabs'))).toBe(false);
      expect(overlaps(await box(page, '.monaco-editor'))).toBe(false);
      expect(overlaps(await box(page, '[data-testid="terminal-new"]'))).toBe(false);
      const chat = await box(page, '.chat');
      expect(t.x + t.width).toBeLessThanOrEqual(chat.x + chat.width);
      await page.waitForTimeout(250); // past the fade-in
      await screenshot(page, `polish-toast-${size.width}`);
      await toast.waitFor({ state: 'detached', timeout: 8_000 });
    }
    expect(errors).toEqual([]);
  });
});
