// The terminal pane end to end: `macs serve` + Chromium. Open a shell for a task, type,
// see the answer; reload and find it again; a pipeline command in the Runs log; 5 MB of
// output with the page still drawing frames. Screenshots t1–t5 in test/e2e/screenshots/.
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOllamaStandin } from '../fixtures/ollama-standin/index.js';
import { detectSandbox } from '../../electron/core/sandbox/index.js';
import { chromiumAvailable, collectPageErrors, CHROMIUM_PATH, ensureBuilt, launchChromium, screenshot, startMacsServe, tempDataDir, type MacsServer } from './helpers.js';
import { callEngine, screenText, startFrameProbe, stopFrameProbe } from './terminal-helpers.js';

const MODEL = 'qwen2.5-coder:7b';

if (!chromiumAvailable()) console.log(`Terminal e2e tests SKIPPED: no Chromium at ${CHROMIUM_PATH} (set MACS_CHROMIUM).`);

describe.skipIf(!chromiumAvailable())('terminal pane (macs serve + Chromium)', () => {
  let browser: Browser;
  let server: MacsServer;
  const cleanups: (() => Promise<void> | void)[] = [];

  beforeAll(async () => {
    ensureBuilt();
    const standin = await startOllamaStandin();
    cleanups.push(() => standin.close());
    standin.setDefaultChat({ text: 'File: hello.py\n```python\nprint("hello")\n```\n', tokensPerSecond: 500 });
    const dataDir = tempDataDir('terminal');
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    server = await startMacsServe({ dataDir, ollamaHost: standin.url });
    cleanups.push(() => server.stop());
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    for (const c of cleanups.reverse()) await c();
  });

  async function openPage(): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
    cleanups.push(() => context.close());
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(server.url);
    return { page, errors };
  }

  /** A finished task to open terminals in (its workspace holds hello.py). */
  async function makeTask(page: Page): Promise<void> {
    const picker = page.getByTestId('model-picker');
    await expect.poll(() => picker.locator('option', { hasText: MODEL }).count(), { timeout: 15_000 }).toBe(1);
    await picker.selectOption(MODEL);
    await page.getByTestId('prompt-input').fill('hello world in python');
    await page.getByTestId('send-button').click();
    await expect.poll(() => page.getByTestId('chat-message-assistant').getAttribute('data-status'), { timeout: 20_000 }).toBe('succeeded');
  }

  it('opens a shell, runs what is typed, survives a reload, and shows pipeline runs', async () => {
    const { page, errors } = await openPage();
    await makeTask(page);
    const panel = page.getByTestId('terminal-panel');
    await screenshot(page, 't1-panel-collapsed');
    // The status bar says whether commands are sandboxed, as this machine really is.
    const hasBwrap = detectSandbox().backend === 'bwrap';
    await expect.poll(() => page.getByTestId('status-sandbox').getAttribute('data-available')).toBe(String(hasBwrap));
    expect(await page.getByTestId('status-sandbox').textContent()).toContain(hasBwrap ? 'Sandbox: bwrap' : 'No sandbox');
    // Ctrl+` shows and hides the panel.
    await page.keyboard.press('Control+Backquote');
    await expect.poll(() => panel.getAttribute('data-open')).toBe('true');
    await page.keyboard.press('Control+Backquote');
    await expect.poll(() => panel.getAttribute('data-open')).toBe('false');

    await page.getByTestId('terminal-new').click();
    await expect.poll(() => panel.getAttribute('data-open')).toBe('true');
    const tab = page.locator('[data-testid="terminal-tab"][data-kind="shell"]');
    await expect.poll(() => tab.count()).toBe(1);
    expect(await tab.getByTestId('terminal-level').getAttribute('data-level')).toBe('workspace-write');
    await expect.poll(() => screenText(page), { timeout: 10_000 }).toMatch(/\[sandbox workspace-write\].*[$#]/);

    await page.getByTestId('terminal-view').click();
    await page.keyboard.type('ls; echo $((6*7))');
    await page.keyboard.press('Enter');
    await expect.poll(() => screenText(page)).toMatch(/^42$/m);
    expect(await screenText(page)).toContain('hello.py');
    await screenshot(page, 't2-shell-42');

    // Dragging the panel taller refits xterm and resizes the pty: the shell sees more rows.
    const rowsNow = async () => {
      await page.keyboard.type('stty size');
      await page.keyboard.press('Enter');
      let size = '';
      await expect.poll(async () => (size = [...(await screenText(page)).matchAll(/^(\d+) (\d+)$/gm)].at(-1)?.[1] ?? '')).not.toBe('');
      await page.keyboard.type('clear');
      await page.keyboard.press('Enter');
      return Number(size);
    };
    const rowsBefore = await rowsNow();
    const handle = await page.locator('.term-resize').boundingBox();
    if (!handle) throw new Error('no resize handle');
    await page.mouse.move(handle.x + 300, handle.y + 3);
    await page.mouse.down();
    await page.mouse.move(handle.x + 300, handle.y - 120, { steps: 5 });
    await page.mouse.up();
    await page.getByTestId('terminal-view').click();
    await expect.poll(rowsNow, { timeout: 10_000 }).toBeGreaterThan(rowsBefore + 4);
    await page.keyboard.type('ls; echo $((6*7))');
    await page.keyboard.press('Enter');
    await expect.poll(() => screenText(page)).toMatch(/^42$/m);

    // Ctrl+F searches the scrollback.
    await page.keyboard.press('Control+f');
    await page.getByTestId('terminal-search').locator('input').fill('hello');
    await expect.poll(() => page.getByTestId('terminal-search-count').innerText()).toMatch(/of|\+/);
    await screenshot(page, 't3-search');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('terminal-search').count()).toBe(0);

    // Reload: the panel, the tab and the output come back (list + replay), and the shell still answers.
    await page.reload();
    // The app comes back to the selected project after a reload; a click on it keeps it.
    await page.getByTestId('project-list-item').first().click();
    await expect.poll(() => page.locator('[data-testid="terminal-tab"][data-kind="shell"]').count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => screenText(page), { timeout: 10_000 }).toMatch(/^42$/m);
    await page.getByTestId('terminal-view').click();
    await page.keyboard.type('echo again-$((7*6))');
    await page.keyboard.press('Enter');
    await expect.poll(() => screenText(page)).toMatch(/^again-42$/m);
    await screenshot(page, 't4-after-reload');

    // Copy and paste: double-click selects a word, Ctrl+Shift+C copies it, Ctrl+Shift+V types it.
    const row = await page.locator('[data-testid="terminal-view"] .xterm-rows > div', { hasText: /^again-42\s*$/ }).first().boundingBox();
    if (!row) throw new Error('the again-42 row is not on screen');
    await page.mouse.dblclick(row.x + 20, row.y + row.height / 2);
    await page.keyboard.press('Control+Shift+C');
    await expect.poll(() => page.evaluate('navigator.clipboard.readText()')).toBe('again-42');
    await page.keyboard.type('echo pasted:');
    await page.keyboard.press('Control+Shift+V');
    await page.keyboard.press('Enter');
    await expect.poll(() => screenText(page)).toMatch(/^pasted:again-42$/m);

    // A command the pipeline runs (exec.run) appears live in the task's Runs log.
    const active = await callEngine<{ tasks: { id: string }[] }>(page, server.url, 'tasks.list', {});
    const run = callEngine(page, server.url, 'exec.run', { taskId: active.tasks[0].id, command: ['sh', '-c', 'echo compiling; echo 3 passed; exit 1'] });
    const runsTab = page.locator('[data-testid="terminal-tab"][data-kind="runs"]');
    await expect.poll(() => runsTab.count(), { timeout: 10_000 }).toBe(1);
    await run;
    // The user is in a live shell: the Runs tab gets a dot instead of stealing the focus.
    expect(await runsTab.getAttribute('aria-selected')).toBe('false');
    await expect.poll(() => runsTab.getByTestId('terminal-unseen').count()).toBe(1);
    await runsTab.click();
    await expect.poll(() => runsTab.getByTestId('terminal-unseen').count()).toBe(0);
    await expect.poll(() => screenText(page)).toContain('━━ exit 1');
    expect(await screenText(page)).toContain('$ sh -c');
    await screenshot(page, 't5-runs');

    // The same run is on the task's timeline: one "ran" row with its exit code.
    await page.getByTestId('tab-timeline').click();
    const execRow = page.locator('[data-testid="timeline-row"][data-kind="exec"]');
    await expect.poll(() => execRow.count(), { timeout: 10_000 }).toBe(1);
    expect(await execRow.textContent()).toMatch(/sh -c .*exit 1/);
    await execRow.scrollIntoViewIfNeeded();
    await screenshot(page, 't9-timeline-exec');
    await page.getByTestId('tab-chat').click();

    // A shell that exits says so, in the pane and on its tab.
    const shellTab = page.locator('[data-testid="terminal-tab"][data-kind="shell"]');
    await shellTab.click();
    await page.getByTestId('terminal-view').click();
    await page.keyboard.type('exit 0');
    await page.keyboard.press('Enter');
    await expect.poll(() => screenText(page)).toContain('[process exited with code 0]');
    await expect.poll(() => shellTab.innerText()).toContain('exited 0');
    await screenshot(page, 't6-exited');

    // Another isolation level from the "+" menu: the badge says which (amber = network allowed).
    await page.getByLabel('More terminal kinds').click();
    await screenshot(page, 't7-new-menu');
    await page.getByTestId('terminal-new-workspace-write+net').click();
    const netTab = page.locator('[data-testid="terminal-tab"][data-kind="shell"]').last();
    await expect.poll(() => netTab.getByTestId('terminal-level').getAttribute('data-level')).toBe('workspace-write+net');
    await expect.poll(() => screenText(page), { timeout: 10_000 }).toContain('[sandbox workspace-write+net]');
    await screenshot(page, 't8-net-shell');
    expect(errors).toEqual([]);
    // This page would follow the next test's shell too (same task): keep the measurement clean.
    await page.context().close();
  });

  it('prints 5 MB without freezing the page (frames keep coming)', async () => {
    const { page, errors } = await openPage();
    // Runs alone too: make a task when the first test did not.
    const { tasks } = await callEngine<{ tasks: unknown[] }>(page, server.url, 'tasks.list', {});
    if (tasks.length === 0) await makeTask(page);
    else await page.getByTestId('project-list-item').first().click();
    const panel = page.getByTestId('terminal-panel');
    if ((await panel.getAttribute('data-open')) !== 'true') await page.getByTestId('terminal-toggle').click();
    await page.getByTestId('terminal-new').click();
    await expect.poll(() => page.locator('[data-testid="terminal-tab"][data-kind="shell"]').count()).toBeGreaterThan(0);
    await expect.poll(() => screenText(page), { timeout: 10_000 }).toMatch(/[$#] *$/m);
    await page.getByTestId('terminal-view').click();
    await startFrameProbe(page);
    const started = Date.now();
    await page.keyboard.type("yes 'macs terminal line' | head -c 5000000; echo; echo FIVE-MB-DONE");
    await page.keyboard.press('Enter');
    await expect.poll(() => screenText(page), { timeout: 60_000, interval: 100 }).toMatch(/^FIVE-MB-DONE$/m);
    const seconds = (Date.now() - started) / 1000;
    const { maxGapMs, frames, longGaps } = await stopFrameProbe(page);
    console.log(`5 MB through the terminal pane in ${seconds.toFixed(2)} s; ${frames} frames, max frame gap ${maxGapMs.toFixed(0)} ms; gaps > 50 ms at [ms, gap]: ${JSON.stringify(longGaps)}`);
    expect(maxGapMs).toBeLessThan(200);
    expect(await page.getByTestId('terminal-view').locator('.term-host').getAttribute('data-skipped')).toBeNull();
    expect(errors).toEqual([]);
  });
});
