// The workbench's actions in the browser host: the command palette opens with Ctrl+K and
// runs a command (filtered by typing, keyboard only); the shortcuts list; in the file tree,
// F2 renames a file on disk, Delete moves it to MACS's trash and Undo brings it back, the
// context menu makes a new folder; Open folder suggests folders as the path is typed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable, CHROMIUM_PATH, screenshot } from './helpers.js';
import { useBrowserSuite } from './suite.js';
import { AXE_EXCLUDE, blocking, describeFindings, runAxe } from './axe.js';

if (!chromiumAvailable()) console.log(`Browser e2e tests SKIPPED: no Chromium at ${CHROMIUM_PATH} (set MACS_CHROMIUM).`);

const row = (page: Page, p: string) => page.locator(`[data-testid="ws-tree-row"][data-path="${p}"]`);

describe.skipIf(!chromiumAvailable())('workbench actions', () => {
  const suite = useBrowserSuite();

  it('the palette runs a command by keyboard; F2 renames, Delete trashes with Undo, the menu makes a folder; Open folder completes paths', async () => {
    const { page, errors, dataDir } = await suite.startApp('wb-actions');
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-wb-actions-'));
    suite.defer(() => fs.rmSync(folder, { recursive: true, force: true }));
    fs.mkdirSync(path.join(folder, 'src'));
    fs.mkdirSync(path.join(folder, 'srcgen'));
    fs.writeFileSync(path.join(folder, 'src/app.js'), 'console.log(1);\n');
    fs.writeFileSync(path.join(folder, 'README.md'), '# hi\n');

    // The palette: Ctrl+K, type, Enter runs "Open folder…" (the browser host's path dialog).
    await page.getByTestId('prompt-input').waitFor({ timeout: 20_000 });
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+k');
    await page.getByTestId('command-palette').waitFor({ timeout: 5_000 });
    await page.keyboard.type('opfold');
    await expect.poll(() => page.getByTestId('palette-item').first().getAttribute('data-command')).toBe('project.openFolder');
    await expect.poll(() => page.getByTestId('palette-item').first().innerText()).toContain('Ctrl+O');
    await screenshot(page, 'workbench-palette');
    await page.keyboard.press('Enter');
    await page.getByTestId('command-palette').waitFor({ state: 'detached' });
    await page.getByTestId('open-folder-dialog').waitFor({ timeout: 5_000 });

    // Open folder: typing suggests folders (no files), Tab completes, Enter opens.
    await page.getByTestId('open-folder-path').fill(`${folder}/sr`);
    await expect.poll(() => page.getByTestId('open-folder-suggestion').allInnerTexts()).toEqual(['src/', 'srcgen/']);
    await screenshot(page, 'workbench-open-folder-suggestions');
    await page.getByTestId('open-folder-path').fill(`${folder.slice(0, -3)}`);
    await expect.poll(() => page.getByTestId('open-folder-suggestion').count()).toBeGreaterThan(0);
    await page.getByTestId('open-folder-path').fill(folder.slice(0, -2));
    await expect.poll(() => page.getByTestId('open-folder-suggestion').allInnerTexts()).toContain(`${path.basename(folder)}/`);
    const idx = (await page.getByTestId('open-folder-suggestion').allInnerTexts()).indexOf(`${path.basename(folder)}/`);
    for (let i = 0; i <= idx; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    await expect.poll(() => page.getByTestId('open-folder-path').inputValue()).toBe(`${folder}/`);
    await page.keyboard.press('Enter');
    await page.getByTestId('open-folder-dialog').waitFor({ state: 'detached', timeout: 20_000 });
    await row(page, 'README.md').waitFor({ timeout: 20_000 });

    // F2 renames on disk; the tree follows.
    await row(page, 'README.md').click();
    await page.getByTestId('ws-tree').focus();
    await page.keyboard.press('F2');
    await page.getByTestId('ws-name-dialog').waitFor();
    await page.getByTestId('ws-name-input').fill('GUIDE.md');
    await page.keyboard.press('Enter');
    await row(page, 'GUIDE.md').waitFor({ timeout: 10_000 });
    expect(fs.readFileSync(path.join(folder, 'GUIDE.md'), 'utf8')).toBe('# hi\n');
    expect(fs.existsSync(path.join(folder, 'README.md'))).toBe(false);

    // Delete moves it to MACS's trash; Undo puts it back.
    await page.getByTestId('ws-tree').focus();
    await page.keyboard.press('Delete');
    await page.getByTestId('ws-deleted').waitFor({ timeout: 10_000 });
    await expect.poll(() => fs.existsSync(path.join(folder, 'GUIDE.md'))).toBe(false);
    expect(fs.readdirSync(path.join(dataDir, 'trash'))).toHaveLength(1);
    await screenshot(page, 'workbench-tree-deleted');
    await page.getByTestId('ws-undo-delete').click();
    await row(page, 'GUIDE.md').waitFor({ timeout: 10_000 });
    expect(fs.readFileSync(path.join(folder, 'GUIDE.md'), 'utf8')).toBe('# hi\n');

    // Again, undone from the keyboard this time (Ctrl+Z in the tree).
    await row(page, 'GUIDE.md').click();
    await page.keyboard.press('Delete');
    await row(page, 'GUIDE.md').waitFor({ state: 'detached', timeout: 10_000 });
    await page.getByTestId('ws-tree').focus();
    await page.keyboard.press('Control+z');
    await row(page, 'GUIDE.md').waitFor({ timeout: 10_000 });
    expect(fs.readFileSync(path.join(folder, 'GUIDE.md'), 'utf8')).toBe('# hi\n');

    // The context menu on a folder: New folder… inside it.
    await row(page, 'src').click({ button: 'right' });
    await page.getByTestId('ws-menu').waitFor();
    await screenshot(page, 'workbench-tree-menu');
    await page.getByTestId('ws-menu-new-folder').click();
    await page.getByTestId('ws-name-input').fill('lib');
    await page.keyboard.press('Enter');
    await expect.poll(() => fs.existsSync(path.join(folder, 'src/lib'))).toBe(true);

    // Drag a file onto a folder: moved into it.
    await row(page, 'GUIDE.md').dragTo(row(page, 'srcgen'));
    await expect.poll(() => fs.existsSync(path.join(folder, 'srcgen/GUIDE.md')), { timeout: 10_000 }).toBe(true);
    expect(fs.existsSync(path.join(folder, 'GUIDE.md'))).toBe(false);

    // A name that leaves the folder is refused with the engine's sentence.
    await page.getByTestId('ws-tree').focus();
    await page.keyboard.press('Shift+F10');
    await page.getByTestId('ws-menu').waitFor();
    await page.getByTestId('ws-menu-new-file').click();
    await page.getByTestId('ws-name-input').fill('../../../../escape.txt');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('ws-name-error').innerText()).toMatch(/leaves the workspace/);
    expect(fs.existsSync(path.join(path.dirname(folder), 'escape.txt'))).toBe(false);
    await page.keyboard.press('Escape');
    await page.getByTestId('ws-name-dialog').waitFor({ state: 'detached' });

    // The shortcuts list (Ctrl+/) names the palette's keys.
    await page.keyboard.press('Control+/');
    await page.getByTestId('shortcuts-dialog').waitFor();
    expect(await page.getByTestId('shortcuts-list').innerText()).toContain('Ctrl+K');
    await screenshot(page, 'workbench-shortcuts');
    await page.keyboard.press('Escape');
    await page.getByTestId('shortcuts-dialog').waitFor({ state: 'detached' });

    // At the laptop size, dark (switched from the palette with Ctrl+Shift+P): the palette, the menu and the shortcuts list.
    await page.setViewportSize({ width: 1024, height: 640 });
    await page.keyboard.press('Control+Shift+P');
    await page.getByTestId('command-palette').waitFor();
    await page.keyboard.type('theme dark');
    await expect.poll(() => page.getByTestId('palette-item').first().getAttribute('data-command')).toBe('view.themeDark');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+k');
    await page.getByTestId('command-palette').waitFor();
    await screenshot(page, 'workbench-palette-1024-dark');
    const paletteFindings = blocking(await runAxe(page, { exclude: AXE_EXCLUDE }));
    expect(paletteFindings, describeFindings('palette', paletteFindings)).toEqual([]);
    await page.keyboard.press('Escape');
    // The narrow window folds the tree away: show it (its own shortcut).
    if (!(await row(page, 'src').isVisible())) await page.keyboard.press('Control+Shift+E');
    await row(page, 'src').click({ button: 'right' });
    await page.getByTestId('ws-menu').waitFor();
    const menuBox = await page.getByTestId('ws-menu').boundingBox();
    expect(menuBox!.x + menuBox!.width).toBeLessThanOrEqual(1024);
    await screenshot(page, 'workbench-tree-menu-1024-dark');
    const menuFindings = blocking(await runAxe(page, { exclude: AXE_EXCLUDE }));
    expect(menuFindings, describeFindings('tree menu', menuFindings)).toEqual([]);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+/');
    await page.getByTestId('shortcuts-dialog').waitFor();
    await screenshot(page, 'workbench-shortcuts-1024-dark');
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
  });
});
