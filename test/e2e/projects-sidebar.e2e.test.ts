// The project sidebar in Chromium against `macs serve`: 1,000 projects paint virtualised
// (the first paint measured in the page), search, pin, rename, delete (files kept unless the
// box is ticked), an opened folder that is only ever forgotten, and one that went missing
// (folder missing → Locate… its new path). The composer's words follow the selection.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Project } from '../../shared/index.js';
import { chromiumAvailable, screenshot } from './helpers.js';
import { useBrowserSuite } from './suite.js';

const COUNT = 1_000;

/** The contract over the UI's own WebSocket, from Node (bulk set-up without the page). */
async function engineSocket(uiUrl: string) {
  const u = new URL(uiUrl);
  const ws = new WebSocket(`ws://${u.host}/ws?token=${encodeURIComponent(u.searchParams.get('token') ?? '')}`);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let id = 0;
  const pending = new Map<number, (frame: { result?: unknown; error?: { code: string; message: string } }) => void>();
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { code: string; message: string } };
    if (typeof frame.id === 'number') pending.get(frame.id)?.(frame);
  });
  const call = <T,>(method: string, params: unknown): Promise<T> =>
    new Promise((resolve, reject) => {
      const n = ++id;
      pending.set(n, (f) => (pending.delete(n), f.error ? reject(new Error(`${f.error.code}: ${f.error.message}`)) : resolve(f.result as T)));
      ws.send(JSON.stringify({ id: n, method, params }));
    });
  return { call, close: () => ws.close() };
}

describe.skipIf(!chromiumAvailable())('the project sidebar in the browser', () => {
  const suite = useBrowserSuite();

  it('paints 1,000 projects virtualised; searches, pins, renames, deletes, forgets and locates', async () => {
    const { server, page, errors } = await suite.startApp('sidebar');
    const engine = await engineSocket(server.url);
    suite.defer(() => engine.close());
    const names = Array.from({ length: COUNT }, (_, i) => `project ${String(i).padStart(4, '0')} ${['api', 'cli', 'site', 'tool'][i % 4]}`);
    for (let i = 0; i < COUNT; i += 50) await Promise.all(names.slice(i, i + 50).map((name) => engine.call('projects.create', { name })));

    // First paint: from projects.list's answer to the first frame with rows (performance.measure in the page).
    await page.reload();
    const rows = page.getByTestId('project-list-item');
    await rows.first().waitFor({ timeout: 15_000 });
    const paint = await page.evaluate(() => new Promise<number>((resolve) => requestAnimationFrame(() => resolve(performance.getEntriesByName('macs-projects-paint', 'measure').at(-1)?.duration ?? -1))));
    console.log(`[sidebar e2e] ${COUNT} projects: first paint ${paint.toFixed(1)} ms after projects.list answered (bench target < 100 ms); ${await rows.count()} rows in the DOM`);
    expect(paint).toBeGreaterThan(0);
    expect(paint).toBeLessThan(1_000); // a loaded shared machine; the bench holds the 100 ms target
    expect(await rows.count()).toBeLessThan(60); // only what is on screen
    expect(await page.getByTestId('project-search').getAttribute('placeholder')).toBe('Search 1,000 projects…');
    await screenshot(page, 'ps1-thousand');

    // Search: every word must match.
    const search = page.getByTestId('project-search');
    await search.fill('0042 cli');
    await expect.poll(() => rows.count()).toBe(0);
    await expect.poll(() => page.getByTestId('project-list-empty').innerText()).toContain('No project matches');
    await search.fill('0042');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain('project 0042 site');
    expect(await rows.first().getAttribute('data-state')).toBe('NEW');

    // Pin it: it goes to the top, and stays there for the engine too.
    const row42 = rows.first();
    const id42 = (await row42.getAttribute('data-project-id'))!;
    await row42.hover();
    await row42.getByTestId('project-pin').click();
    await search.fill('');
    await expect.poll(() => rows.first().getAttribute('data-project-id')).toBe(id42);
    expect(await rows.first().locator('.project-pin-mark').count()).toBe(1);
    const pinned = await engine.call<{ project: Project }>('projects.get', { projectId: id42 }).then((r) => r.project);
    expect(pinned.pinned).toBe(true);

    // Select it: the composer continues it (never "a new task"); F2 renames it in place.
    await rows.first().click();
    await expect.poll(() => page.getByTestId('project-title').innerText()).toBe('project 0042 site');
    expect(await page.getByTestId('prompt-input').getAttribute('placeholder')).toBe('Ask for a change in project 0042 site…');
    await rows.first().focus();
    await page.keyboard.press('F2');
    const rename = page.getByTestId('project-rename-input');
    await rename.fill('csv2json');
    await rename.press('Enter');
    await expect.poll(() => rows.first().innerText()).toContain('csv2json');
    await expect.poll(() => page.getByTestId('project-title').innerText()).toBe('csv2json');
    expect(await page.getByTestId('prompt-input').getAttribute('placeholder')).toBe('Ask for a change in csv2json…');
    expect((await engine.call<{ project: Project }>('projects.get', { projectId: id42 })).project.name).toBe('csv2json');
    await screenshot(page, 'ps2-pinned-renamed');

    // Delete a generated project: the box for its files is off by default, so the folder stays.
    await rows.first().hover();
    await rows.first().getByTestId('project-delete').click();
    const dialog = page.getByTestId('delete-project-dialog');
    await dialog.waitFor();
    expect(await dialog.getByTestId('delete-project-files').isChecked()).toBe(false);
    expect(await dialog.innerText()).toContain('Its files stay on disk.');
    await screenshot(page, 'ps3-delete-dialog');
    await page.getByTestId('delete-project-confirm').click();
    await expect.poll(() => page.locator(`[data-testid="project-list-item"][data-project-id="${id42}"]`).count()).toBe(0);
    expect(fs.existsSync(pinned.root)).toBe(true);
    await expect(engine.call('projects.get', { projectId: id42 })).rejects.toThrow(/PROJECT_NOT_FOUND/);
    // Nothing selected now: the composer starts a new project.
    await expect.poll(() => page.getByTestId('prompt-input').getAttribute('placeholder')).toMatch(/^Describe a new project/);

    // An opened folder: selected when opened; the dialog only forgets it, and says so.
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-e2e-sidebar-folder-'));
    suite.defer(() => fs.rmSync(folder, { recursive: true, force: true }));
    fs.writeFileSync(path.join(folder, 'main.go'), 'package main\n');
    await page.getByTestId('open-folder-button').click();
    await page.getByTestId('open-folder-path').fill(folder);
    await page.getByTestId('open-folder-submit').click();
    const selected = page.locator('[data-testid="project-list-item"][aria-selected="true"]');
    await expect.poll(() => selected.getAttribute('data-kind'), { timeout: 10_000 }).toBe('folder');
    await page.locator('[data-testid="ws-tree-row"][data-path="main.go"]').waitFor({ timeout: 10_000 });
    await selected.hover();
    await selected.getByTestId('project-delete').click();
    expect(await dialog.innerText()).toContain('The folder is never deleted');
    expect(await dialog.getByTestId('delete-project-files').count()).toBe(0);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);

    // The folder moves away: after a reload the project says "folder missing"; Locate… its new path.
    const moved = `${folder}-moved`;
    fs.renameSync(folder, moved);
    suite.defer(() => fs.rmSync(moved, { recursive: true, force: true }));
    await page.reload();
    await expect.poll(() => selected.locator('[data-testid="project-state"]').getAttribute('data-state'), { timeout: 15_000 }).toBe('MISSING');
    await page.getByTestId('folder-missing').waitFor();
    await screenshot(page, 'ps4-folder-missing');
    await selected.getByTestId('project-locate').click();
    await page.getByTestId('locate-path').fill(path.join(os.tmpdir(), 'macs-no-such-folder-here'));
    await page.getByTestId('locate-submit').click();
    await expect.poll(() => page.getByTestId('locate-error').innerText()).not.toBe('');
    await page.getByTestId('locate-path').fill(moved);
    await page.getByTestId('locate-submit').click();
    await expect.poll(() => page.getByTestId('locate-project-dialog').count()).toBe(0);
    await expect.poll(() => selected.locator('[data-testid="project-state"]').getAttribute('data-state')).not.toBe('MISSING');
    await page.locator('[data-testid="ws-tree-row"][data-path="main.go"]').waitFor({ timeout: 10_000 });

    // The narrow window keeps the sidebar readable.
    await page.setViewportSize({ width: 1024, height: 640 });
    await screenshot(page, 'ps5-1024');
    expect(errors).toEqual([]);
  });
});
