// Issue 14, "Fix this error": a running Node app whose page handler throws. Its stack shows
// in the terminal's App tab as one error (however often it happens), "Fix this error" opens
// a build turn with the error, its stack and the file it names, the stand-in answers it like
// a model, and the changed file restarts the server: the preview shows the fixed page.
// Checked on the host too: what the plan request held, the file as the fix left it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { answer, approve, filesAnswer, stepOf } from '../fixtures/build-scripts.js';
import { brokenNodeApp } from '../fixtures/app-run-projects.js';
import { createProject, headingIn, macsUiErrors, pickModel, previewFrame, read, runFromHeader, runOf, type Body } from './app-run-helpers.js';
import { chromiumAvailable, CHROMIUM_PATH, screenshot } from './helpers.js';
import { useBrowserSuite } from './suite.js';

if (!chromiumAvailable()) console.log(`Browser e2e tests SKIPPED: no Chromium at ${CHROMIUM_PATH} (set MACS_CHROMIUM).`);

const textOf = (body: Body) => ((body.messages as Array<{ content: string }> | undefined) ?? []).map((m) => m.content).join('\n');

describe.skipIf(!chromiumAvailable())('Fix this error', () => {
  const suite = useBrowserSuite();

  it("sends the server's error into a fix turn, and the restarted app shows the fixed page", async () => {
    const { page, standin, server } = await suite.startApp('app-run-fix');
    const errors = macsUiErrors(page, new URL(server.url).origin);
    await pickModel(page);
    const { projectId, root } = await createProject(page, standin, 'A tiny Node page server', brokenNodeApp(false));
    const run = await runFromHeader(page, server, projectId, 'app-run-fix');
    const frame = await previewFrame(page, run.url);
    await frame.getByText('Internal error').waitFor({ timeout: 15_000 });
    // Two more requests: the same error three times is still one entry.
    await page.getByTestId('preview-reload').click();
    await page.getByTestId('preview-reload').click();

    let fingerprints: Body[] = [];
    await expect
      .poll(async () => {
        fingerprints = ((await runOf(server, projectId)).fingerprints as Body[]).filter((f) => f.source === 'server');
        return fingerprints.length === 1 && fingerprints[0].count >= 2;
      }, { timeout: 15_000 })
      .toBe(true)
      .catch(() => {
        throw new Error(`the server's error is not one counted entry: ${JSON.stringify(fingerprints, null, 1)}`);
      });
    expect(fingerprints[0].message).toMatch(/Cannot read properties of undefined/);
    expect(fingerprints[0].files).toContain('server.js');

    // The App tab lists it with "Fix this error".
    await page.getByTestId('terminal-tab').filter({ hasText: 'App' }).click();
    const row = page.getByTestId('run-error').first();
    await row.waitFor({ timeout: 10_000 });
    expect(await row.innerText()).toMatch(/Cannot read properties of undefined/);
    await screenshot(page, 'app-run-fix-error');

    standin.enqueueChat(answer('plan', JSON.stringify({ summary: 'Render the page title', language: 'JavaScript', files: [{ path: 'server.js', purpose: 'render page.title' }], test_command: 'node --check server.js', acceptance: ['the page renders'], run_command: '', scenarios: [] })));
    standin.enqueueChat(answer('implement', filesAnswer({ 'server.js': brokenNodeApp(true)['server.js'] })));
    standin.enqueueChat(answer('review', approve));
    const mark = standin.requests.length;
    await row.getByTestId('run-error-fix').click();

    // A build turn of the project, with the error, its stack and the file in its request.
    await expect.poll(() => standin.requests.slice(mark).some((r) => r.path === '/api/chat' && stepOf(r.body as Body) === 'plan'), { timeout: 20_000 }).toBe(true);
    const planText = textOf(standin.requests.slice(mark).find((r) => r.path === '/api/chat' && stepOf(r.body as Body) === 'plan')!.body as Body);
    expect(planText).toContain('Fix this error from the running app');
    expect(planText).toMatch(/Cannot read properties of undefined \(reading 'title'\)/);
    expect(planText).toMatch(/server\.js:\d+/);
    // (A build turn opens the Steps tab; its status is read over REST.)
    const lastTurn = async () => ((await read(server, `/v1/projects/${projectId}`)).turns as Body[]).at(-1);
    await expect.poll(async () => (await lastTurn())?.status, { timeout: 60_000 }).toBe('succeeded');
    expect((await read(server, `/v1/projects/${projectId}`)).turns).toHaveLength(2);
    expect(fs.readFileSync(path.join(root, 'server.js'), 'utf8')).toBe(brokenNodeApp(true)['server.js']);

    // The turn's changed file restarted the server and reloaded the preview: the fixed page, without a click.
    let heading = '';
    await expect
      .poll(async () => {
        const f = await previewFrame(page, run.url).catch(() => null);
        heading = f ? await headingIn(f, 1_000).catch(() => heading) : heading;
        return heading;
      }, { timeout: 20_000 })
      .toBe('Fixed by a turn');
    await screenshot(page, 'app-run-fix-fixed');
    const after = await runOf(server, projectId);
    expect(after.state).toBe('ready');
    expect(errors).toEqual([]);
  }, 180_000);
});
