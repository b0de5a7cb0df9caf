// Issue 18's rough edges of tasks and steps, in the browser: a replayed fix is labelled as a replay
// of fix@v1 (round 1, not "Fix round 2"), the header still counts one fix round, the new row is
// scrolled into view, and the chat's line about it is settled; the Timeline's attempts; the Changes
// tab after Undo task ("Undone", disabled); the folder view starts at the top in another project.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { adder, answer, approve } from '../fixtures/build-scripts.js';
import { chromiumAvailable, CHROMIUM_PATH, screenshot } from './helpers.js';
import { useBrowserSuite } from './suite.js';

const MODEL = 'qwen2.5-coder:7b';

if (!chromiumAvailable()) console.log(`Browser e2e tests SKIPPED: no Chromium at ${CHROMIUM_PATH} (set MACS_CHROMIUM).`);

const stepRow = (page: Page, ref: string) => page.locator(`[data-testid="step-row"][data-step="${ref}"]`);

async function bothSizes(page: Page, name: string): Promise<void> {
  await screenshot(page, `${name}`);
  await page.setViewportSize({ width: 1024, height: 640 });
  await page.waitForTimeout(150);
  await screenshot(page, `${name}-1024`);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.waitForTimeout(150);
}

/** A folder with enough files that its tree scrolls. */
function manyFiles(suite: ReturnType<typeof useBrowserSuite>, label: string): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), `macs-e2e-${label}-`));
  suite.defer(() => fs.rmSync(folder, { recursive: true, force: true }));
  for (let i = 0; i < 120; i++) fs.writeFileSync(path.join(folder, `file-${String(i).padStart(3, '0')}.txt`), `line ${i}\n`);
  return folder;
}

async function openFolder(page: Page, folder: string): Promise<void> {
  await page.getByTestId('open-folder-button').click();
  await page.getByTestId('open-folder-path').fill(folder);
  await page.getByTestId('open-folder-submit').click();
  await page.getByTestId('open-folder-dialog').waitFor({ state: 'detached', timeout: 20_000 });
  await page.locator('[data-testid="ws-tree-row"][data-path="file-000.txt"]').waitFor({ timeout: 15_000 });
}

describe.skipIf(!chromiumAvailable())('task and step rough edges (issue 18)', () => {
  const suite = useBrowserSuite();

  it('a replay of fix@v1 is labelled so, counted as no new round, scrolled into view and settled in the chat', async () => {
    const { page, standin, errors } = await suite.startApp('rough-replay');
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
    await page.getByTestId('tab-steps').waitFor({ timeout: 10_000 });
    await expect.poll(() => stepRow(page, 'review@v1').getAttribute('data-status'), { timeout: 40_000 }).toBe('succeeded');
    await expect.poll(() => page.getByTestId('pipeline-head').innerText()).toContain('1 fix round');

    // At the smaller size the list scrolls: start at its top, then replay fix@v1.
    await page.setViewportSize({ width: 1024, height: 640 });
    await page.getByTestId('steps-panel').evaluate((el) => (el.scrollTop = 0));
    await stepRow(page, 'fix@v1').getByTestId('step-replay').click();
    await page.getByTestId('replay-submit').click();
    await expect.poll(() => stepRow(page, 'fix@v2').getAttribute('data-status'), { timeout: 20_000 }).toBe('succeeded');
    const fix2 = stepRow(page, 'fix@v2');
    expect(await fix2.getByTestId('step-heading').innerText()).toBe('Fix round 1');
    expect(await fix2.locator('.step-chip-replay').innerText()).toBe('replay of fix@v1');
    // Nothing cut: the heading shows whole beside the chips.
    expect(await fix2.getByTestId('step-heading').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    expect(await fix2.getByTestId('step-summary').innerText()).toMatch(/^round 1:/);
    await expect.poll(() => page.getByTestId('pipeline-head').innerText()).toContain('1 fix round');
    expect(await page.getByTestId('pipeline-head').innerText()).not.toContain('2 fix rounds');
    // The new row was brought into view.
    await expect
      .poll(async () => {
        const panel = await page.getByTestId('steps-panel').boundingBox();
        const box = await fix2.boundingBox();
        return panel !== null && box !== null && box.y >= panel.y - 1 && box.y + 20 <= panel.y + panel.height;
      }, { timeout: 5_000 })
      .toBe(true);
    await screenshot(page, 'rough-steps-replay-1024');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.waitForTimeout(200);
    await screenshot(page, 'rough-steps-replay');

    // The chat: the replay's line is settled, never "Replaying fix@v1." left standing.
    await page.getByTestId('tab-chat').click();
    await expect.poll(() => page.getByTestId('chat-message-assistant').last().innerText(), { timeout: 10_000 }).toContain('Replayed fix@v1 as fix@v2: succeeded.');
    expect(await page.getByTestId('chat-message-assistant').last().innerText()).not.toContain('Replaying fix@v1');
    expect(await page.getByTestId('chat-message-assistant').last().innerText()).toContain('replay of fix@v1');
    await screenshot(page, 'rough-chat-replay');

    // The Timeline: the facts and the two attempts (the build, the replay), both done.
    await page.getByTestId('tab-timeline').click();
    await page.getByTestId('attempts-table').waitFor({ timeout: 10_000 });
    await expect
      .poll(() => page.locator('[data-testid="attempt-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-outcome'))), { timeout: 10_000 })
      .toEqual(['succeeded', 'succeeded']);
    // No error in any attempt: no empty Error column cut off at the pane's edge.
    expect(await page.getByTestId('attempts-table').locator('th').allInnerTexts()).not.toContain('Error');
    await bothSizes(page, 'rough-timeline');
    // The replay's rows in the Timeline name the version they replay, and the settled line follows.
    const timeline = page.getByTestId('timeline');
    await expect.poll(() => timeline.innerText()).toContain('replay of fix@v1');
    await expect.poll(() => timeline.innerText()).toContain('Replayed fix@v1 as fix@v2: succeeded.');
    await timeline.locator('[data-testid="timeline-row"]').last().scrollIntoViewIfNeeded();
    await screenshot(page, 'rough-timeline-replay');
    expect(errors).toEqual([]);
  });

  it('Undo task leaves "Undone" (disabled) above the reverted files; another folder starts at the top of its tree', async () => {
    const { page, standin, errors } = await suite.startApp('rough-folder');
    const a = manyFiles(suite, 'rough-a');
    const b = manyFiles(suite, 'rough-b');
    const picker = page.getByTestId('model-picker');
    await expect.poll(() => picker.locator('option', { hasText: MODEL }).count(), { timeout: 15_000 }).toBe(1);

    // Folder A: scroll its tree down.
    await openFolder(page, a);
    const tree = page.getByTestId('ws-tree');
    await tree.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect.poll(() => tree.evaluate((el) => el.scrollTop)).toBeGreaterThan(200);

    // Folder B: its tree starts at the top, not where A's was (the pane lists the new folder afresh:
    // this guards that, it did not fail on the tree as it is now).
    await openFolder(page, b);
    await expect.poll(() => tree.evaluate((el) => el.scrollTop)).toBe(0);
    await screenshot(page, 'rough-folder-switch');
    // Back to A (from the sidebar): at the top too.
    await page.locator('[data-testid="project-list-item"]', { hasText: path.basename(a) }).click();
    await page.locator('[data-testid="project-list-item"][aria-selected="true"]', { hasText: path.basename(a) }).waitFor({ timeout: 10_000 });
    await page.waitForTimeout(300); // the project's composer settles before we type into it
    await expect.poll(() => tree.evaluate((el) => el.scrollTop), { timeout: 10_000 }).toBe(0);

    // A turn in A changes two files; Undo task puts them back.
    await picker.selectOption(MODEL);
    standin.enqueueChat({ text: ['File: file-000.txt', '```', 'changed 0', '```', '', 'File: file-001.txt', '```', 'changed 1', '```', ''].join('\n') });
    await page.getByTestId('prompt-input').fill('Change the first two files.');
    await expect.poll(() => page.getByTestId('send-button').isEnabled()).toBe(true);
    await page.getByTestId('send-button').click();
    await expect.poll(() => page.getByTestId('turn').last().getAttribute('data-status'), { timeout: 30_000 }).toBe('succeeded');
    await page.getByTestId('tab-changes').click();
    await expect.poll(() => page.getByTestId('change-row').count(), { timeout: 10_000 }).toBe(2);
    const undo = page.getByTestId('changes-undo');
    expect(await undo.isEnabled()).toBe(true);
    await undo.click();
    await page.getByTestId('undo-confirm-button').click();
    await expect.poll(() => fs.readFileSync(path.join(a, 'file-000.txt'), 'utf8'), { timeout: 10_000 }).toBe('line 0\n');
    await expect.poll(() => undo.innerText(), { timeout: 10_000 }).toBe('Undone');
    expect(await undo.isDisabled()).toBe(true);
    const summary = await page.getByTestId('changes-summary').innerText();
    expect(summary).toBe('Undone: the 2 files it changed are back as they were.');
    expect(await page.locator('[data-testid="change-row"][data-status="unchanged"]').count()).toBe(2);
    await bothSizes(page, 'rough-changes-undone');
    expect(errors).toEqual([]);
  });
});
