// Issue 14 end to end: Run what was built. Three projects a model writes (the stand-in
// answers the turn with their files): a static site, a dependency-free Node HTTP app and a
// Python http.server app. Each is started with Run in the project header and shows in the
// preview pane (the page's own text, read inside the iframe); stopping it leaves no process
// behind, checked on the host (/proc), not by asking MACS.
import { describe, expect, it } from 'vitest';
import { nodeApp, pythonApp, staticSite, type Files } from '../fixtures/app-run-projects.js';
import {
  createProject,
  filesReply,
  descendantsOf,
  describeProcs,
  headingIn,
  hostProcesses,
  macsUiErrors,
  pickModel,
  previewPageErrors,
  previewFrame,
  processesInProject,
  runFromHeader,
  runOf,
  stillRunning,
  type HostProcess,
} from './app-run-helpers.js';
import { chromiumAvailable, CHROMIUM_PATH, screenshot } from './helpers.js';
import { useBrowserSuite, type E2eApp } from './suite.js';

if (!chromiumAvailable()) console.log(`Browser e2e tests SKIPPED: no Chromium at ${CHROMIUM_PATH} (set MACS_CHROMIUM).`);

interface Case {
  label: string;
  prompt: string;
  files: Files;
  heading: string;
  kind: RegExp;
  /** The app is a process of its own (not served by MACS). */
  process: boolean;
  /** A follow-up turn's files: the preview must show `heading` then, without a click. */
  change: { files: Files; heading: string };
}

const CASES: Case[] = [
  { label: 'static', prompt: 'A one-page static site that says hello', files: staticSite(), heading: 'Hello from a static site', kind: /^static$/, process: false, change: { files: { 'index.html': staticSite('Changed by a turn')['index.html'] }, heading: 'Changed by a turn' } },
  { label: 'node', prompt: 'A tiny Node HTTP server without dependencies', files: nodeApp(), heading: 'Hello from a Node app', kind: /^(npm|node)$/, process: true, change: { files: { 'message.js': nodeApp('Restarted after a turn')['message.js'] }, heading: 'Restarted after a turn' } },
  { label: 'python', prompt: "A tiny Python web app on the standard library's http.server", files: pythonApp(), heading: 'Hello from a Python app', kind: /^python$/, process: true, change: { files: pythonApp('Restarted after a turn'), heading: 'Restarted after a turn' } },
];

/**
 * MACS's own version store keeps git batch processes per project (cwd <root>/.git) while it
 * runs; they are started by turns, not by the app, and are not what Stop stops.
 */
const isVersionStoreGit = (p: HostProcess, root: string) => p.cmdline.startsWith('git ') && p.cwd.endsWith('/.git') && p.cwd.startsWith(root);

/** Processes the run added: below `macs serve` and not there before Run, plus any that name the project folder. */
function runProcesses(serverPid: number, before: Set<string>, root: string): HostProcess[] {
  const all = hostProcesses().filter((p) => !isVersionStoreGit(p, root));
  const added = descendantsOf(serverPid, all).filter((p) => !before.has(`${p.pid}:${p.start}`));
  const named = processesInProject(root, all);
  return [...new Map([...added, ...named].map((p) => [`${p.pid}:${p.start}`, p])).values()];
}

describe.skipIf(!chromiumAvailable())('run what was built, in the browser', () => {
  const suite = useBrowserSuite();
  let app: (E2eApp & { uiErrors: string[]; pageErrors: string[] }) | undefined;

  async function ready(): Promise<E2eApp & { uiErrors: string[]; pageErrors: string[] }> {
    if (!app) {
      const started = await suite.startApp('app-run');
      const origin = new URL(started.server.url).origin;
      app = { ...started, uiErrors: macsUiErrors(started.page, origin), pageErrors: previewPageErrors(started.page, origin) };
      await pickModel(app.page);
    }
    return app;
  }

  for (const c of CASES) {
    it(`${c.label}: Run shows the page in the preview; Stop leaves no process behind`, async () => {
      const { page, standin, server, uiErrors, pageErrors } = await ready();
      const { projectId, root } = await createProject(page, standin, c.prompt, c.files);

      const before = new Set(descendantsOf(server.pid).map((p) => `${p.pid}:${p.start}`));

      const run = await runFromHeader(page, server, projectId, `app-run-${c.label}`);
      expect(run.state).toBe('ready');
      expect(run.plan?.kind, JSON.stringify(run.plan)).toMatch(c.kind);
      expect(run.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(new URL(run.url).origin, 'the preview has an origin of its own').not.toBe(new URL(server.url).origin);

      const frame = await previewFrame(page, run.url);
      expect(await headingIn(frame)).toBe(c.heading);
      await screenshot(page, `app-run-${c.label}`);

      // A turn changes the page while it runs: the preview follows (reload, or restart of the server) without a click.
      standin.enqueueChat({ text: filesReply('Changed it.', c.change.files), tokensPerSecond: 2_000 });
      await page.getByTestId('prompt-input').fill('Change the heading');
      await page.getByTestId('send-button').click();
      await expect.poll(() => page.getByTestId('turn').last().getAttribute('data-status'), { timeout: 30_000 }).toBe('succeeded');
      let shown = '';
      await expect
        .poll(
          async () => {
            const f = await previewFrame(page, run.url).catch(() => null);
            shown = f ? await f.locator('#heading').innerText({ timeout: 1_000 }).catch(() => shown) : shown;
            return shown;
          },
          { timeout: 15_000 },
        )
        .toBe(c.change.heading);
      expect((await runOf(server, projectId)).url, 'the same address after the change').toBe(run.url);
      await screenshot(page, `app-run-${c.label}-changed`);

      const running = runProcesses(server.pid, before, root);
      if (c.process) expect(running.length, `the ${c.label} app runs as a process of its own`).toBeGreaterThan(0);
      console.log(`[app-run e2e] ${c.label} while running: ${running.map((p) => `${p.pid} ${p.cmdline.slice(0, 60)}`).join(' | ')}`);

      // Stop from the header: the state goes back to idle and the port is closed.
      await page.getByTestId('run-stop').click();
      await expect.poll(() => page.getByTestId('run-control').getAttribute('data-state'), { timeout: 10_000 }).toBe('idle');
      const stopped = await runOf(server, projectId);
      expect(stopped.state).toBe('idle');
      await expect.poll(() => fetch(run.url).then(() => 'answers', () => 'closed'), { timeout: 5_000 }).toBe('closed');
      // Nothing it started runs on: not the app, not its sandbox, not a bridge.
      let left: HostProcess[] = [];
      await expect
        .poll(
          () => {
            left = [...stillRunning(running), ...runProcesses(server.pid, before, root)];
            return left.length;
          },
          { timeout: 5_000 },
        )
        .toBe(0)
        .catch(() => {
          throw new Error(`processes left after Stop:\n${describeProcs(left)}\n(while running:\n${describeProcs(running)})`);
        });
      await screenshot(page, `app-run-${c.label}-stopped`);
      expect(uiErrors).toEqual([]);
      // A plain page stays clean in the preview: MACS's probe, headers and CSP add no console errors of their own.
      expect(pageErrors).toEqual([]);
    }, 120_000);
  }
});
