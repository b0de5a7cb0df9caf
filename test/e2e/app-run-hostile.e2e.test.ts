// Issue 14, "a hostile generated page": a project whose page attacks MACS from inside its
// preview, through the real UI. It tries to navigate the MACS window, open windows, find
// MACS's token (referrer, parent/top URL, storage, cookies, the parent's DOM) and use it on
// MACS's REST API and WebSocket, and reach another project's running preview. Every verdict
// is taken on the host side: the MACS tab's URL, the browser's pages, MACS's projects as REST
// lists them, what the other project's server logged, what the hostile page managed to send
// home (its own server logs every request), and what the model stand-in was asked.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { hostilePage, hostileServerProbe, loggingNodeApp, VICTIM_SECRET, victimPage } from '../fixtures/app-run-projects.js';
import { createProject, macsUiErrors, pickModel, previewFrame, read, runFromHeader, runOf, type Body } from './app-run-helpers.js';
import { chromiumAvailable, CHROMIUM_PATH, screenshot } from './helpers.js';
import { useBrowserSuite } from './suite.js';

if (!chromiumAvailable()) console.log(`Browser e2e tests SKIPPED: no Chromium at ${CHROMIUM_PATH} (set MACS_CHROMIUM).`);

const MARKER = 'pwned-by-preview';

/** One JSON line per request the app received (loggingNodeApp). */
function requestLog(root: string): Array<{ method: string; url: string; origin: string | null; referer: string | null; body: string }> {
  const file = path.join(root, 'requests.log');
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

/** Every file under `root` (not .git) as text. */
function folderText(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (p === '.git') continue;
      if (e.isDirectory()) walk(p);
      else out[p] = fs.readFileSync(path.join(root, p), 'latin1');
    }
  };
  walk('');
  return out;
}

/** The HTTP status a WebSocket upgrade to `url` with this Origin gets (101: let in). */
function wsUpgradeStatus(url: string, origin: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { origin });
    ws.once('upgrade', (res) => {
      resolve(res.statusCode ?? 0);
      ws.close();
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
    });
    ws.once('error', (err) => reject(err));
  });
}

describe.skipIf(!chromiumAvailable())('a hostile page in the preview', () => {
  const suite = useBrowserSuite();

  it('cannot navigate MACS, open windows, read the token, call MACS, or reach another project', async () => {
    const { page, standin, server, dataDir } = await suite.startApp('app-run-hostile');
    const macsOrigin = new URL(server.url).origin;
    const errors = macsUiErrors(page, macsOrigin);
    const token = new URL(server.url).searchParams.get('token')!;
    await pickModel(page);

    // The other project, running: its server logs every request that reaches it.
    const victim = await createProject(page, standin, 'A small Node app that shows a secret', loggingNodeApp(victimPage, 'Victim'));
    const victimRun = await runFromHeader(page, server, victim.projectId, 'app-run-hostile-victim');
    const victimFrame = await previewFrame(page, victimRun.url);
    expect(await victimFrame.locator('#secret').innerText()).toBe(VICTIM_SECRET);

    // The hostile project knows where MACS and the other preview are (an attacker would scan loopback for them).
    // Its server, too, tries to reach MACS, the other preview and the internet, and to read MACS's secrets from the data dir.
    const victimUrl = victimRun.url.replace(/\/$/, '');
    const secretFiles = [path.join(dataDir, 'api-key'), path.join(dataDir, 'macs.db')];
    const apiKey = fs.readFileSync(secretFiles[0], 'utf8').trim();
    const serverProbe = hostileServerProbe({ macsOrigin, victimUrl, secretFiles, marker: MARKER });
    const hostileFiles = loggingNodeApp(hostilePage({ macsOrigin, victimUrl, marker: MARKER }), 'Hostile', serverProbe);
    const hostile = await createProject(page, standin, 'A totally normal Node app', hostileFiles);
    const projectsBefore = ((await read(server, '/v1/projects')).projects as Body[]).map((p) => p.id).sort();
    const chatsBefore = standin.requests.filter((r) => r.path === '/api/chat').length;
    const macsUrlBefore = page.url();
    const popups: string[] = [];
    page.context().on('page', (p) => popups.push(p.url() || '(blank)'));
    page.on('popup', (p) => popups.push(p.url() || '(blank popup)'));
    const navigations: string[] = [];
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) navigations.push(f.url());
    });

    const run = await runFromHeader(page, server, hostile.projectId, 'app-run-hostile');
    const frame = await previewFrame(page, run.url);
    await frame.locator('#heading').waitFor({ timeout: 15_000 });
    // The page reports every attempt into #report and ends with "done" (unless something stopped it first).
    let report = '';
    await expect
      .poll(
        async () => {
          report = await frame.locator('#report').innerText().catch(() => report);
          return report.includes('"done"');
        },
        { timeout: 45_000 },
      )
      .toBe(true)
      .catch(() => undefined);
    console.log(`[hostile e2e] what the page saw of itself:\n${report}`);
    await page.waitForTimeout(1_000); // let a late navigation or popup land
    await screenshot(page, 'app-run-hostile');

    // 1. The MACS window was not navigated, and no window was opened.
    expect(page.url()).toBe(macsUrlBefore);
    expect(navigations, 'the MACS tab navigated').toEqual([]);
    expect(popups, 'a window was opened').toEqual([]);
    expect(page.context().pages()).toHaveLength(1);

    // 2. Nothing reached MACS with authority: no new project, the other run still up, no model call.
    const projectsAfter = ((await read(server, '/v1/projects')).projects as Body[]).map((p) => p.id).sort();
    expect(projectsAfter).toEqual(projectsBefore);
    expect(JSON.stringify(await read(server, '/v1/projects'))).not.toContain(MARKER);
    expect((await runOf(server, victim.projectId)).state).toBe('ready');
    expect(standin.requests.filter((r) => r.path === '/api/chat').length).toBe(chatsBefore);

    // 3. What the page sent home (its own server): never MACS's token, the other project's secret, or MACS's UI.
    const sentHome = requestLog(hostile.root);
    const reports = sentHome.filter((r) => r.url === '/report');
    expect(reports.length, 'the hostile page reported (it ran)').toBeGreaterThan(0);
    const everything = JSON.stringify(sentHome);
    expect(everything.includes(token), 'the page found MACS\'s token').toBe(false);
    expect(everything.includes(VICTIM_SECRET), "the page read the other project's page").toBe(false);
    expect(everything.includes('New project'), "the page read MACS's DOM").toBe(false);
    const macsStorage = await page.evaluate(() => Object.values(localStorage).filter((v) => v.length >= 8));
    for (const value of macsStorage) expect(everything.includes(value), `the page read MACS's localStorage (${value.slice(0, 40)})`).toBe(false);

    // 3b. Its server: nothing of MACS's secrets in the project folder it can write, and it ran (its log is there).
    const probeFile = path.join(hostile.root, 'server-probe.log');
    let probe = '';
    const probed = () => {
      probe = fs.existsSync(probeFile) ? fs.readFileSync(probeFile, 'utf8') : '';
      return ['macs', 'victim', 'internet', 'file0', 'file1', 'processes'].filter((k) => !probe.includes(`"${k}"`));
    };
    await expect.poll(probed, { timeout: 15_000 }).toEqual([]);
    console.log(`[hostile e2e] what its server reached:\n${probe}`);
    for (const [file, text] of Object.entries(folderText(hostile.root))) {
      expect(text.includes(apiKey), `MACS's API key is in ${file}`).toBe(false);
      expect(text.includes(token), `MACS's UI token is in ${file}`).toBe(false);
      expect(text.includes('SQLite format 3'), `MACS's database is in ${file}`).toBe(false);
    }
    expect(probe, 'the server reached MACS').not.toMatch(/"macs": "reached/);
    expect(probe, 'the server reached the internet').not.toMatch(/"internet": "reached/);

    // 4. The other project's server never saw a request from the hostile page (fetch, no-cors, frame, image) or its server.
    const reached = requestLog(victim.root).filter((r) => r.url.includes(MARKER));
    expect(reached.map((r) => `${r.method} ${r.url} (origin ${r.origin}, referer ${r.referer})`), "requests that reached the other project's app").toEqual([]);

    // The blocked attempts are not silent: the run lists them as 'blocked' errors (the App tab shows them).
    let blocked: Body[] = [];
    await expect
      .poll(async () => {
        blocked = ((await runOf(server, hostile.projectId)).fingerprints as Body[]).filter((f) => f.source === 'blocked');
        return blocked.some((f) => String(f.message).includes(new URL(macsOrigin).port));
      }, { timeout: 10_000 })
      .toBe(true)
      .catch(() => {
        throw new Error(`no blocked request to MACS in the run's errors: ${JSON.stringify((blocked.length ? blocked : 'none'), null, 1)}`);
      });
    console.log(`[hostile e2e] blocked, as the run lists them: ${blocked.map((f) => `${f.message} ×${f.count}`).join(' | ')}`);

    // Behind the page's own walls, MACS refuses the preview's origin even with the token in hand.
    const previewOrigin = new URL(run.url).origin;
    expect(await wsUpgradeStatus(`${macsOrigin.replace('http', 'ws')}/ws?token=${token}`, previewOrigin)).toBe(403);
    expect(await wsUpgradeStatus(`${macsOrigin.replace('http', 'ws')}/ws?token=${token}`, macsOrigin), "the check itself: MACS's own origin is let in").toBe(101);
    const restWrite = await fetch(`${macsOrigin}/v1/projects`, { method: 'POST', headers: { origin: previewOrigin, authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: MARKER }) });
    expect(restWrite.status, await restWrite.text()).toBeGreaterThanOrEqual(400);
    expect(JSON.stringify(await read(server, '/v1/projects'))).not.toContain(MARKER);

    // The preview itself still works: the hostile page shows, the MACS UI is intact.
    expect(await frame.locator('#heading').innerText()).toBe('Totally normal app');
    expect(await page.getByTestId('project-list-item').count()).toBe(projectsBefore.length);
    expect(errors).toEqual([]);
  }, 180_000);
});
