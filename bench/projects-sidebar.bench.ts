// The sidebar with 1,000 projects (issue 11 target: first paint < 100 ms). A data dir with
// 1,000 generated projects, each with 1–4 turns (one real turn run against the stand-in, its
// row copied for the rest, so the list's per-project subqueries have rows to read); then
// projects.list in process, and the real renderer in Chromium through `macs serve`: from
// navigation to the frame that shows the first project row.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { MethodResult } from '../shared/index.js';
import { createEngine } from '../electron/core/engine/index.js';
import type { Page } from 'playwright-core';
import { launchChromium, ROOT, type MacsServer } from '../test/e2e/helpers.js';

const PROJECTS = 1_000;
const LOADS = 5;
const MODEL = 'qwen2.5-coder:7b';

type Row = Record<string, number | boolean | string>;

export async function fillDataDir(dataDir: string, ollamaHost: string): Promise<string> {
  const engine = createEngine({ dataDir, host: 'cli', version: 'bench', ollamaHost });
  const ids: string[] = [];
  let template: string;
  const dbPath = engine.dbPath;
  try {
    for (let i = 0; i < PROJECTS; i++) {
      const { project } = (await engine.invoke('projects.create', { name: `Project ${i}: a ${['CLI', 'web app', 'parser', 'game'][i % 4]} for ${i}` })) as MethodResult<'projects.create'>;
      ids.push(project.id);
    }
    const { task } = (await engine.invoke('tasks.create', { projectId: ids[0], prompt: 'Write a.txt', model: MODEL })) as MethodResult<'tasks.create'>;
    await engine.waitForTask(task.id, 60_000);
    template = task.id;
  } finally {
    await engine.close();
  }
  // The other projects' turns: copies of the real one's row (its events stay with it).
  const db = new Database(dbPath);
  try {
    const cols = (db.prepare(`PRAGMA table_info(tasks)`).all() as Array<{ name: string }>).map((c) => c.name);
    const picks = cols.map((c) => (c === 'id' ? '@id' : c === 'project_id' ? '@project' : c === 'created_at' ? '@at' : c === 'updated_at' ? '@at' : c));
    const copy = db.prepare(`INSERT INTO tasks (${cols.join(', ')}) SELECT ${picks.join(', ')} FROM tasks WHERE id = @template`);
    const now = Date.now();
    db.transaction(() => {
      ids.forEach((project, i) => {
        for (let t = i === 0 ? 1 : 0; t < 1 + (i % 4); t++) copy.run({ id: `bench-${i}-${t}`, project, at: now - (PROJECTS - i) * 60_000 + t, template });
      });
    })();
  } finally {
    db.close();
  }
  return ids[0];
}

/** `macs serve` from the built CLI (npm run bench builds it); MACS_BENCH_CLI points at another build. */
function serve(dataDir: string, ollamaHost: string): Promise<MacsServer> {
  const entry = process.env.MACS_BENCH_CLI ?? path.join(ROOT, 'dist/cli/macs.js');
  const script = `const { main } = await import(${JSON.stringify(new URL(`file://${entry}`).href)}); process.exitCode = await main(['serve', '--port', '0']);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    env: { ...process.env, MACS_DATA_DIR: dataDir, OLLAMA_HOST: ollamaHost },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`macs serve printed no URL in 30 s:\n${out}`)), 30_000);
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /MACS Desktop UI: (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], pid: child.pid ?? 0, output: () => out, stop });
      }
    });
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => reject(new Error(`macs serve exited (${code}):\n${out}`)));
  });
}

/**
 * In the page, before any of the app's code: when the app asks for projects.list (its
 * WebSocket send), and the first time a project row is in the DOM, the frame that paints
 * it (rAF, then a task after that frame); performance.now() is ms since navigation start.
 */
const WATCH_FIRST_ROW = `
  window.__firstRow = null;
  window.__listSent = null;
  window.__listReply = null;
  // The reply is told by its size: the only message of 100 KB or more after the call.
  const Socket = WebSocket;
  window.WebSocket = class extends Socket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        if (window.__listSent !== null && window.__listReply === null && typeof e.data === 'string' && e.data.length > 100000) window.__listReply = performance.now();
      });
    }
  };
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (window.__listSent === null && typeof data === 'string' && data.includes('"projects.list"')) window.__listSent = performance.now();
    return send.call(this, data);
  };
  new MutationObserver((_, obs) => {
    if (!document.querySelector('[data-testid="project-list-item"]')) return;
    obs.disconnect();
    requestAnimationFrame(() => setTimeout(() => { window.__firstRow = performance.now(); }, 0));
  }).observe(document, { childList: true, subtree: true });
`;

interface PageTimes {
  firstRow: number;
  listSent: number;
  listReply: number;
  fcp: number;
  domContentLoaded: number;
}

/** projects.list over its own WebSocket once the app is idle (median of 5): the round trip without the boot's other calls beside it. */
async function listRoundTrip(page: Page, uiUrl: string): Promise<number> {
  const token = new URL(uiUrl).searchParams.get('token') ?? '';
  const wsUrl = uiUrl.replace(/^http/, 'ws').replace(/\/\?.*$/, `/ws?token=${encodeURIComponent(token)}`);
  return page.evaluate(async (url) => {
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    const times: number[] = [];
    for (let id = 1; id <= 5; id++) {
      const t0 = performance.now();
      await new Promise<void>((resolve) => {
        ws.onmessage = (ev) => {
          if ((JSON.parse(ev.data as string) as { id?: number }).id === id) resolve();
        };
        ws.send(JSON.stringify({ id, method: 'projects.list', params: { limit: 5000 } }));
      });
      times.push(performance.now() - t0);
    }
    ws.close();
    return Math.round(times.sort((a, b) => a - b)[2]);
  }, wsUrl);
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

export async function sidebarBench(base: string, ollamaHost: string): Promise<Row> {
  const dataDir = await fs.mkdtemp(path.join(base, 'data-sidebar-'));
  await fillDataDir(dataDir, ollamaHost);

  const engine = createEngine({ dataDir, host: 'cli', version: 'bench', ollamaHost });
  const listMs: number[] = [];
  let listed = 0;
  let payloadKB = 0;
  try {
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      const { projects } = (await engine.invoke('projects.list', { limit: 5000 })) as MethodResult<'projects.list'>;
      listMs.push(performance.now() - t0);
      listed = projects.length;
      payloadKB = Math.round(Buffer.byteLength(JSON.stringify({ projects })) / 1024);
    }
  } finally {
    await engine.close();
  }
  const row: Row = { sidebarProjects: listed, projectsListMs: Math.round(median(listMs.slice(1))), projectsListColdMs: Math.round(listMs[0]), projectsListPayloadKB: payloadKB };

  const server = await serve(dataDir, ollamaHost);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript(WATCH_FIRST_ROW);
    const loads: PageTimes[] = [];
    for (let i = 0; i < LOADS; i++) {
      await page.goto(server.url);
      await page.waitForFunction(() => (window as unknown as { __firstRow: number | null }).__firstRow !== null, undefined, { timeout: 30_000 });
      loads.push(
        await page.evaluate(() => {
          const w = window as unknown as { __firstRow: number; __listSent: number | null; __listReply: number | null };
          const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
          return {
            firstRow: w.__firstRow,
            listSent: w.__listSent ?? Number.NaN,
            listReply: w.__listReply ?? Number.NaN,
            fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
            domContentLoaded: nav?.domContentLoadedEventEnd ?? Number.NaN,
          };
        }),
      );
    }
    const warm = loads.slice(1);
    const m = (f: (t: PageTimes) => number) => Math.round(median(warm.map(f)));
    Object.assign(row, {
      sidebarFirstPaintMs: m((t) => t.firstRow),
      sidebarFirstPaintColdMs: Math.round(loads[0].firstRow),
      sidebarListCallToRowMs: m((t) => t.firstRow - t.listSent),
      sidebarListRoundTripMs: m((t) => t.listReply - t.listSent),
      sidebarReplyToRowMs: m((t) => t.firstRow - t.listReply),
      sidebarNavToListCallMs: m((t) => t.listSent),
      sidebarDomContentLoadedMs: m((t) => t.domContentLoaded),
      sidebarFirstContentfulPaintMs: m((t) => t.fcp),
      sidebarRowsInDom: await page.locator('[data-testid="project-list-item"]').count(),
      sidebarListAloneRoundTripMs: await listRoundTrip(page, server.url),
    });
  } catch (err) {
    row.sidebarError = (err as Error).message.split('\n')[0];
  } finally {
    await browser.close();
    await server.stop();
  }
  return row;
}
