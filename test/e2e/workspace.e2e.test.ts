// Workspace folders in the browser: open a copy of a fixture repo through the path field,
// its tree, edit and save, an outside edit arriving live, a chat task that edits two files
// (with an unsaved buffer in the way: the conflict notice), the Changes tab with the diff,
// revert one, accept the other, Undo task back to the exact bytes. And a 100,000-file
// folder: first paint, scrolling to the bottom, the renderer's heap.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, CHROMIUM_PATH, ROOT, screenshot, sha256 } from './helpers.js';
import { useBrowserSuite } from './suite.js';

const MODEL = 'qwen2.5-coder:7b';
const FIXTURE = path.join(ROOT, 'test/fixtures/retrieval-repo');

if (!chromiumAvailable()) console.log(`Browser e2e tests SKIPPED: no Chromium at ${CHROMIUM_PATH} (set MACS_CHROMIUM).`);

/** Every file under `dir` → sha256 (the exact state of a folder). */
function folderState(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p);
      else out[p] = sha256(fs.readFileSync(path.join(dir, p)));
    }
  };
  walk('');
  return out;
}

async function wsEditorText(page: Page): Promise<string> {
  const lines = page.locator('[data-testid="ws-editor"] .view-lines');
  if ((await lines.count()) === 0) return '';
  return (await lines.innerText()).replace(/\u00a0/g, ' ');
}

const row = (page: Page, p: string) => page.locator(`[data-testid="ws-tree-row"][data-path="${p}"]`);

async function pickModel(page: Page): Promise<void> {
  const picker = page.getByTestId('model-picker');
  await expect.poll(() => picker.locator('option', { hasText: MODEL }).count(), { timeout: 15_000 }).toBe(1);
  await picker.selectOption(MODEL);
}

async function openThroughDialog(page: Page, folder: string): Promise<void> {
  await page.getByTestId('empty-open-folder').click();
  await page.getByTestId('open-folder-path').fill(folder);
  await page.getByTestId('open-folder-submit').click();
  await page.getByTestId('open-folder-dialog').waitFor({ state: 'detached', timeout: 20_000 });
}

/**
 * In the page: resolve with Date.now() when `selector` first matches (and its text
 * contains `text`, if given), watching the DOM. Node and the page share the system
 * clock, so the test subtracts its own Date.now() taken just before the change.
 */
function whenInPage(page: Page, selector: string, text?: string): Promise<number> {
  return page.evaluate(
    ([sel, want]) =>
      new Promise<number>((resolve) => {
        const test = () => {
          const el = document.querySelector(sel);
          return el !== null && (want === null || (el.textContent ?? '').replace(/\u00a0/g, ' ').includes(want));
        };
        if (test()) return resolve(Date.now());
        const obs = new MutationObserver(() => {
          if (test()) {
            obs.disconnect();
            resolve(Date.now());
          }
        });
        obs.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
      }),
    [selector, text ?? null] as const,
  );
}

describe.skipIf(!chromiumAvailable())('workspace folders in the browser', () => {
  const suite = useBrowserSuite();
  let tmp = '';
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-e2e-ws-'));
  });
  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('opens a repo, edits and saves, follows outside edits, and reviews, reverts, accepts and undoes a task', async () => {
    const repo = path.join(tmp, 'retrieval-repo');
    fs.cpSync(FIXTURE, repo, { recursive: true });
    // A binary file, and ignored ones (.gitignore: dist/, *.log).
    fs.writeFileSync(path.join(repo, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]));
    fs.mkdirSync(path.join(repo, 'dist'));
    fs.writeFileSync(path.join(repo, 'dist/bundle.js'), 'console.log(1);\n');
    fs.writeFileSync(path.join(repo, 'debug.log'), 'log\n');
    const app = await suite.startApp('workspace');
    const { page, standin, errors } = app;
    await pickModel(page);
    await screenshot(page, 'ws-01-start');

    // Refusals are shown next to the field, in the engine's words.
    await page.getByTestId('empty-open-folder').click();
    const field = page.getByTestId('open-folder-path');
    await field.fill(path.join(tmp, 'no-such-folder'));
    await page.getByTestId('open-folder-submit').click();
    await expect.poll(() => page.getByTestId('open-folder-error').innerText()).toContain('does not exist');
    await field.fill(path.join(repo, 'package.json'));
    await page.getByTestId('open-folder-submit').click();
    await expect.poll(() => page.getByTestId('open-folder-error').innerText()).toContain('not a folder');
    await field.fill('/etc');
    await page.getByTestId('open-folder-submit').click();
    await expect.poll(() => page.getByTestId('open-folder-error').textContent()).toMatch(/system|folder/i);
    await screenshot(page, 'ws-02-open-error');

    // Open it: it becomes the selected project (its name in the header), the tree with top-level folders collapsed.
    await field.fill(repo);
    await page.getByTestId('open-folder-submit').click();
    await page.getByTestId('open-folder-dialog').waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('project-title').innerText()).toBe('retrieval-repo');
    expect(await page.locator('[data-testid="project-list-item"][aria-selected="true"]').getAttribute('data-kind')).toBe('folder');
    await row(page, 'src').waitFor();
    const topLevel = await page.locator('[data-testid="ws-tree-row"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-path')));
    expect(topLevel).toEqual(['docs', 'scripts', 'src', 'test', '.gitignore', 'logo.png', 'package.json', 'README.md']);

    // Binary files are marked and not opened as text.
    expect(await row(page, 'logo.png').locator('.ws-flag').innerText()).toBe('bin');
    await row(page, 'logo.png').click();
    await expect.poll(() => page.getByTestId('ws-editor-binary').innerText()).toContain('Binary file, 16 bytes');

    // Ignored files: hidden, then shown dimmed with the toggle, then hidden again.
    expect(await row(page, 'dist').count()).toBe(0);
    await page.getByTestId('ws-show-ignored').click();
    await row(page, 'dist').waitFor();
    expect(await row(page, 'dist').getAttribute('class')).toContain('ignored');
    expect(await row(page, 'debug.log').getAttribute('class')).toContain('ignored');
    await screenshot(page, 'ws-02b-ignored-binary');
    await page.getByTestId('ws-show-ignored').click();
    await expect.poll(() => row(page, 'dist').count()).toBe(0);

    // Keyboard: → opens src, ↓ to auth, → opens it, ↓ → login.js, Enter opens the file.
    await row(page, 'src').click();
    await page.getByTestId('ws-tree').press('ArrowLeft'); // click toggled it open; close it again with the keyboard
    expect(await row(page, 'src/auth').count()).toBe(0);
    await page.getByTestId('ws-tree').press('ArrowRight');
    await row(page, 'src/auth').waitFor();
    await page.getByTestId('ws-tree').press('ArrowDown');
    await page.getByTestId('ws-tree').press('ArrowRight');
    await row(page, 'src/auth/login.js').waitFor();
    await page.getByTestId('ws-tree').press('ArrowDown');
    await page.getByTestId('ws-tree').press('ArrowDown'); // auth holds login.js, password.js, token.js
    const focused = await page.locator('.ws-row.focused').getAttribute('data-path');
    expect(focused).toBe('src/auth/password.js');
    await page.getByTestId('ws-tree').press('ArrowUp');
    await page.getByTestId('ws-tree').press('Enter');
    await expect.poll(() => page.getByTestId('ws-editor').getAttribute('data-path')).toBe('src/auth/login.js');
    await expect.poll(() => wsEditorText(page)).toContain('export async function login');

    // Edit and save: dirty in the tab and the tree, Ctrl+S writes the file.
    await page.locator('[data-testid="ws-editor"] .view-lines').click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('// reviewed in MACS\n');
    await expect.poll(() => page.locator('[data-testid="ws-tab"][data-path="src/auth/login.js"]').getAttribute('data-dirty')).toBe('true');
    await expect.poll(() => row(page, 'src/auth/login.js').getAttribute('data-dirty')).toBe('true');
    await screenshot(page, 'ws-03-dirty');
    await page.keyboard.press('Control+s');
    await expect.poll(() => page.locator('[data-testid="ws-tab"][data-path="src/auth/login.js"]').getAttribute('data-dirty')).toBe('false');
    await expect.poll(() => fs.readFileSync(path.join(repo, 'src/auth/login.js'), 'utf8').startsWith('// reviewed in MACS\n')).toBe(true);

    // An outside edit: a new file shows in the tree, and the open (clean) file follows the disk.
    await page.waitForTimeout(300); // our own save's watcher batch has come and gone
    const treeSeen = whenInPage(page, '[data-testid="ws-tree-row"][data-path="NOTES.md"]');
    const t0 = Date.now();
    fs.writeFileSync(path.join(repo, 'NOTES.md'), '# Notes\n');
    const treeMs = (await treeSeen) - t0;
    const editorSeen = whenInPage(page, '[data-testid="ws-editor"] .view-lines', 'outside edit');
    const t1 = Date.now();
    const loginNow = fs.readFileSync(path.join(repo, 'src/auth/login.js'), 'utf8');
    fs.writeFileSync(path.join(repo, 'src/auth/login.js'), loginNow.replace('// reviewed in MACS', '// reviewed in MACS (outside edit)'));
    const editorMs = (await editorSeen) - t1;
    console.log(`[workspace e2e] outside edit → tree row: ${treeMs} ms; → open editor: ${editorMs} ms (target < 300 ms)`);
    expect(treeMs).toBeLessThan(300);
    expect(editorMs).toBeLessThan(300);
    await screenshot(page, 'ws-04-outside-edit');

    // An unsaved edit in config.js, which the task is about to rewrite: it must not be lost silently.
    await row(page, 'src/config.js').click();
    await expect.poll(() => wsEditorText(page)).toContain('export const config');
    await page.locator('[data-testid="ws-editor"] .view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n// my unsaved note');
    await expect.poll(() => page.locator('[data-testid="ws-tab"][data-path="src/config.js"]').getAttribute('data-dirty')).toBe('true');
    await page.locator('[data-testid="ws-tab"][data-path="src/auth/login.js"]').click(); // back to a clean file: the editor follows the task

    // Ask for a change: the context line shows what the model will see.
    const before = folderState(repo);
    const loginBefore = fs.readFileSync(path.join(repo, 'src/auth/login.js'), 'utf8');
    const configBefore = fs.readFileSync(path.join(repo, 'src/config.js'), 'utf8');
    const loginAfter = loginBefore.replace("return res.status(401).json({ error: 'wrong email or password' });", "return res.status(401).json({ error: 'wrong email or password', code: 'BAD_LOGIN' });");
    const configAfter = configBefore.replace('tokenTtlSeconds: Number(process.env.TOKEN_TTL_SECONDS ?? 3600)', 'tokenTtlSeconds: Number(process.env.TOKEN_TTL_SECONDS ?? 7200)');
    expect(loginAfter).not.toBe(loginBefore);
    expect(configAfter).not.toBe(configBefore);
    standin.enqueueChat({
      text: [
        'Both changes:',
        '',
        'File: src/auth/login.js',
        '```javascript',
        loginAfter.replace(/\n$/, ''),
        '```',
        '',
        'File: src/config.js',
        '```javascript',
        configAfter.replace(/\n$/, ''),
        '```',
        '',
      ].join('\n'),
      tokensPerSecond: 150,
    });
    await page.getByTestId('prompt-input').fill('Give failed logins an error code and make session tokens last two hours (login, token ttl in config).');
    await expect.poll(() => page.getByTestId('context-line-text').textContent(), { timeout: 10_000 }).toMatch(/^context: \d+ files?, [\d.]+k? tokens$/);
    await page.getByTestId('context-toggle').click();
    await expect.poll(() => page.getByTestId('context-file').count()).toBeGreaterThan(0);
    const firstContext = await page.getByTestId('context-file').first().getAttribute('data-path');
    await page.getByTestId('context-pin').first().click();
    await expect.poll(() => page.locator('[data-testid="composer-chip"][data-kind="pinned"]').count()).toBe(1);
    await screenshot(page, 'ws-05-context');

    // Drop a file from outside the folder: the overlay says what happens, then it is a chip and rides in the prompt.
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['Remember the audit log.\n'], 'notes.txt', { type: 'text/plain' }));
      (window as unknown as { __drop: DataTransfer }).__drop = dt;
      window.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    await page.getByTestId('drop-overlay').waitFor();
    await screenshot(page, 'ws-05b-drop-overlay');
    await page.evaluate(() => {
      const dt = (window as unknown as { __drop: DataTransfer }).__drop;
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    await expect.poll(() => page.getByTestId('drop-overlay').count()).toBe(0);
    await expect.poll(() => page.locator('[data-testid="composer-chip"][data-kind="attached"]').innerText()).toContain('notes.txt');
    await page.getByTestId('send-button').click();

    // The file being written shows live, read-only, in the folder's editor.
    await page.locator('[data-testid="ws-writing"]').waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="editor"][data-streaming="true"]').waitFor({ timeout: 5_000 });
    await screenshot(page, 'ws-05c-streaming');
    const item = page.getByTestId('turn').last();
    await expect.poll(() => item.getAttribute('data-status'), { timeout: 30_000 }).toBe('succeeded');
    await expect.poll(() => page.locator('[data-testid="ws-writing"]').count()).toBe(0);
    const chatRequest = standin.requests.filter((r) => r.path === '/api/chat').at(-1);
    expect(JSON.stringify(chatRequest?.body)).toContain(firstContext!);
    expect(JSON.stringify(chatRequest?.body)).toContain('File: notes.txt');
    expect(JSON.stringify(chatRequest?.body)).toContain('Remember the audit log.');

    // The task's version of config.js is on disk; the buffer with my note is kept, with a notice.
    await expect.poll(() => fs.readFileSync(path.join(repo, 'src/config.js'), 'utf8')).toBe(configAfter);
    await page.locator('[data-testid="ws-tab"][data-path="src/config.js"]').click();
    await page.getByTestId('ws-conflict').waitFor({ timeout: 5_000 });
    expect(await wsEditorText(page)).toContain('my unsaved note');
    await screenshot(page, 'ws-06-conflict');
    await page.getByTestId('conflict-diff').click();
    await page.getByTestId('diff-editor').waitFor();
    await screenshot(page, 'ws-07-conflict-diff');
    await page.getByTestId('conflict-diff-take-theirs').click();
    await expect.poll(() => page.getByTestId('diff-editor').count()).toBe(0);
    await expect.poll(() => page.getByTestId('ws-conflict').count()).toBe(0);
    await page.locator('[data-testid="ws-tab"][data-path="src/config.js"]').click();
    await expect.poll(() => wsEditorText(page)).toContain('7200');
    expect(await wsEditorText(page)).not.toContain('my unsaved note');

    // The turn: its context receipt, the Changes tab with both files, the diff.
    await expect.poll(() => page.getByTestId('turn-receipt-line').first().textContent()).toMatch(/^Sent \d+ files?/);
    await page.getByTestId('tab-changes').click();
    await expect.poll(() => page.getByTestId('change-row').count(), { timeout: 10_000 }).toBe(2);
    expect(await page.getByTestId('changes-summary').innerText()).toContain('2 files changed');
    const loginRow = page.locator('[data-testid="change-row"][data-path="src/auth/login.js"]');
    const configRow = page.locator('[data-testid="change-row"][data-path="src/config.js"]');
    expect(await loginRow.getAttribute('data-status')).toBe('modified');
    await loginRow.locator('.change-open').click();
    await page.getByTestId('diff-editor').waitFor();
    await expect.poll(() => page.locator('[data-testid="diff-editor"] .view-lines').last().innerText()).toContain('BAD_LOGIN');
    await page.waitForTimeout(300); // let the diff decorations settle for the screenshot
    await screenshot(page, 'ws-08-changes-diff');

    // Revert login.js: back to its bytes before the task. Accept config.js.
    await loginRow.getByTestId('change-revert').click();
    await expect.poll(() => fs.readFileSync(path.join(repo, 'src/auth/login.js'), 'utf8')).toBe(loginBefore);
    await expect.poll(() => loginRow.getAttribute('data-status')).toBe('unchanged');
    await configRow.getByTestId('change-accept').click();
    await expect.poll(() => configRow.getAttribute('data-accepted')).toBe('true');
    expect(fs.readFileSync(path.join(repo, 'src/config.js'), 'utf8')).toBe(configAfter);
    await screenshot(page, 'ws-09-reverted-accepted');

    // Undo task: asks first, then the folder is exactly as before the task.
    await page.getByTestId('changes-undo').click();
    await page.getByTestId('undo-confirm').waitFor();
    await screenshot(page, 'ws-10-undo-confirm');
    await page.getByTestId('undo-confirm-button').click();
    await expect.poll(() => folderState(repo), { timeout: 10_000 }).toEqual(before);
    // The open editor follows (config.js was clean after "take the task's version").
    await page.locator('[data-testid="ws-tab"][data-path="src/config.js"]').click();
    await expect.poll(() => wsEditorText(page)).toContain('?? 3600');
    await screenshot(page, 'ws-11-undone');

    // Forget the folder's project: the dialog says the folder stays, and it does.
    const projectRow = page.locator('[data-testid="project-list-item"][aria-selected="true"]');
    await projectRow.hover();
    await projectRow.getByTestId('project-delete').click();
    const forget = page.getByTestId('delete-project-dialog');
    await forget.waitFor();
    expect(await forget.innerText()).toContain('The folder is never deleted');
    expect(await forget.getByTestId('delete-project-files').count()).toBe(0);
    await screenshot(page, 'ws-12-forget');
    await page.getByTestId('delete-project-confirm').click();
    await expect.poll(() => page.locator('[data-testid="project-list-item"][data-kind="folder"]').count()).toBe(0);
    await expect.poll(() => page.getByTestId('files-empty').count()).toBe(1);
    expect(fs.existsSync(path.join(repo, 'package.json'))).toBe(true);
    expect(errors).toEqual([]);
  });

  describe('a 100,000-file folder', () => {
    const DIRS = 2000;
    const PER_DIR = 50;
    let big = '';
    beforeAll(async () => {
      big = path.join(tmp, 'big-repo');
      const t0 = performance.now();
      const names = Array.from({ length: DIRS }, (_, d) => `pkg${String(d).padStart(4, '0')}`);
      await Promise.all(names.map((d) => fs.promises.mkdir(path.join(big, d), { recursive: true })));
      // Parallel, in bounded waves (too many open files at once fails with EMFILE).
      const jobs: Array<() => Promise<void>> = [];
      for (const d of names) for (let f = 0; f < PER_DIR; f++) jobs.push(() => fs.promises.writeFile(path.join(big, d, `file${f}.ts`), ''));
      for (let i = 0; i < jobs.length; i += 2000) await Promise.all(jobs.slice(i, i + 2000).map((j) => j()));
      fs.writeFileSync(path.join(big, 'README.md'), '# big\n');
      // Flush the 100,000 new inodes first, so the measurement is the app's and not the disk's writeback.
      spawnSync('sync');
      console.log(`[workspace e2e] generated ${DIRS * PER_DIR + 1} files in ${Math.round(performance.now() - t0)} ms`);
    }, 120_000);

    it('opens fast, scrolls to the bottom, and keeps the renderer heap small', async () => {
      const { page, errors } = await suite.startApp('workspace-big');
      await page.getByTestId('empty-open-folder').waitFor();
      const t0 = Date.now();
      await openThroughDialog(page, big);
      await row(page, 'pkg0000').waitFor({ timeout: 30_000 });
      const wall = Date.now() - t0;
      const paint = await page.evaluate(() => performance.getEntriesByName('macs-ws-first-paint', 'measure').at(-1)?.duration ?? -1);
      const parts = await page.evaluate(() =>
        ['macs-ws-open-call', 'macs-ws-tree-call', 'macs-ws-tree-build'].map((n) => `${n.slice(8)} ${Math.round(performance.getEntriesByName(n, 'measure').at(-1)?.duration ?? -1)} ms`).join(', '),
      );
      console.log(`[workspace e2e] 100,000 files: ${parts}`);
      console.log(`[workspace e2e] 100,000 files: first tree paint ${Math.round(paint)} ms after workspaces.open (${wall} ms from the click, test-measured); target < 1000 ms`);
      expect(paint).toBeGreaterThan(0);
      expect(paint).toBeLessThan(3000);
      await expect.poll(() => page.getByTestId('ws-file-count').innerText()).toBe('100,001');
      // Only what is on screen is in the DOM.
      expect(await page.locator('[data-testid="ws-tree-row"]').count()).toBeLessThan(120);

      // Expand the first and the last folder, then scroll to the very bottom.
      await row(page, 'pkg0000').click();
      await row(page, 'pkg0000/file0.ts').waitFor();
      const tree = page.getByTestId('ws-tree');
      await tree.press('End');
      await row(page, 'README.md').waitFor();
      await row(page, 'pkg1999').click();
      await tree.evaluate((el) => (el.scrollTop = el.scrollHeight));
      await row(page, 'pkg1999/file49.ts').waitFor();
      await row(page, 'README.md').waitFor();
      expect(Number(await tree.getAttribute('data-rows'))).toBe(DIRS + PER_DIR * 2 + 1);
      // Scroll through the middle in big jumps: rows keep rendering.
      for (const frac of [0.25, 0.5, 0.75]) {
        await tree.evaluate((el, f) => (el.scrollTop = el.scrollHeight * f), frac);
        await expect.poll(() => page.locator('[data-testid="ws-tree-row"]').count()).toBeGreaterThan(10);
      }
      await tree.evaluate((el) => (el.scrollTop = el.scrollHeight));
      await row(page, 'README.md').waitFor();
      await screenshot(page, 'ws-13-big-tree-bottom');

      // The renderer's JS heap after a GC (CDP, Chromium).
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = await cdp.send('Performance.getMetrics');
      const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
      const heapMb = heap / 1024 / 1024;
      console.log(`[workspace e2e] renderer JS heap with the 100,000-file tree open: ${heapMb.toFixed(1)} MB (target < 150 MB)`);
      expect(heapMb).toBeGreaterThan(0);
      expect(heapMb).toBeLessThan(250);
      expect(errors).toEqual([]);
    });
  });
});
