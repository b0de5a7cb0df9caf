// Helpers for the "run what was built" browser tests (issue 14): make a project from a
// prompt the stand-in answers with files, Run it from the project header, find the preview
// frame, read the run over REST, and look at the host's processes.
import fs from 'node:fs';
import type { Frame, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { OllamaStandin } from '../fixtures/ollama-standin/index.js';
import type { Files } from '../fixtures/app-run-projects.js';
import { screenshot, type MacsServer } from './helpers.js';

export const MODEL = 'qwen2.5-coder:7b';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- REST answers are checked field by field
export type Body = any;

/** Files as a model writes them in a chat answer ("File: path" + a fence). */
export function filesReply(intro: string, files: Files): string {
  const lang = (p: string) => ({ html: 'html', css: 'css', js: 'javascript', json: 'json', py: 'python', md: 'markdown' })[p.split('.').pop() ?? ''] ?? 'text';
  return `${intro}\n\n${Object.entries(files)
    .map(([p, content]) => `File: ${p}\n\`\`\`${lang(p)}\n${content.replace(/\n?$/, '\n')}\`\`\``)
    .join('\n\n')}\n`;
}

export async function pickModel(page: Page): Promise<void> {
  const picker = page.getByTestId('model-picker');
  await expect.poll(() => picker.locator('option', { hasText: MODEL }).count(), { timeout: 15_000 }).toBe(1);
  await picker.selectOption(MODEL);
}

/** New project → prompt → the stand-in writes `files`; resolves with the project's id and folder once the turn succeeded. */
export async function createProject(page: Page, standin: OllamaStandin, prompt: string, files: Files): Promise<{ projectId: string; root: string }> {
  const before = await page.getByTestId('project-list-item').count();
  await page.getByRole('button', { name: 'New project' }).click();
  standin.enqueueChat({ text: filesReply('Here it is.', files), tokensPerSecond: 2_000 });
  await page.getByTestId('composer-kind-chat').click();
  await page.getByTestId('prompt-input').fill(prompt);
  await page.getByTestId('send-button').click();
  const item = page.locator('[data-testid="project-list-item"][aria-selected="true"]');
  await expect.poll(() => page.getByTestId('project-list-item').count(), { timeout: 10_000 }).toBe(before + 1);
  const turn = page.getByTestId('turn').last();
  await turn.waitFor({ timeout: 10_000 });
  await expect.poll(() => turn.getAttribute('data-status'), { timeout: 30_000 }).toBe('succeeded');
  const projectId = (await item.getAttribute('data-project-id'))!;
  const root = (await item.getAttribute('title'))!;
  for (const p of Object.keys(files)) expect(fs.existsSync(`${root}/${p}`), `${p} was written`).toBe(true);
  return { projectId, root };
}

/** A REST call with the UI's per-launch token (reads only, as the browser may). */
export async function read(server: MacsServer, urlPath: string): Promise<Body> {
  const url = new URL(server.url);
  const res = await fetch(`${url.origin}${urlPath}`, { headers: { authorization: `Bearer ${url.searchParams.get('token')}` } });
  if (res.status !== 200) throw new Error(`GET ${urlPath}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** GET /v1/projects/{id}/run: the run as REST shows it. */
export const runOf = async (server: MacsServer, projectId: string): Promise<Body> => {
  const body = await read(server, `/v1/projects/${projectId}/run`);
  return body.run ?? body;
};

/** Click Run in the project header and wait for the run to be ready (the header says so); on a failure, the reason and output. */
export async function runFromHeader(page: Page, server: MacsServer, projectId: string, shot: string, timeout = 30_000): Promise<Body> {
  await page.getByTestId('run-start').click();
  const control = page.getByTestId('run-control');
  try {
    await expect.poll(() => control.getAttribute('data-state'), { timeout }).toBe('ready');
  } catch (err) {
    await screenshot(page, `${shot}-debug`);
    const run = await runOf(server, projectId).catch((e: unknown) => String(e));
    throw new Error(`the run did not get ready: ${JSON.stringify(run, null, 1)}\n${(err as Error).message}`);
  }
  return runOf(server, projectId);
}

/** The preview pane's iframe and the frame inside it (the page of the run at `url`). */
export async function previewFrame(page: Page, url: string, timeout = 15_000): Promise<Frame> {
  const iframe = page.locator('iframe[data-testid="preview-frame"]');
  // Run opens the preview; when the user had closed it, its tab brings it back.
  if (!(await iframe.isVisible())) await page.getByTestId('preview-tab').click({ timeout });
  await iframe.waitFor({ timeout });
  const origin = new URL(url).origin;
  let frame: Frame | undefined;
  await expect
    .poll(
      () => {
        frame = page.frames().find((f) => f !== page.mainFrame() && f.url().startsWith(origin));
        return frame !== undefined;
      },
      { timeout },
    )
    .toBe(true);
  return frame!;
}

/** The text of #heading inside the preview, once the page shows one. */
export async function headingIn(frame: Frame, timeout = 15_000): Promise<string> {
  await frame.locator('#heading').waitFor({ timeout });
  return frame.locator('#heading').innerText();
}

// ---- processes on the host ----

export interface HostProcess {
  pid: number;
  ppid: number;
  /** Clock ticks since boot: a pid reused later has another start time. */
  start: string;
  cmdline: string;
  cwd: string;
}

function readProc(pid: number): HostProcess | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm may hold spaces and parentheses: the fields after it start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    let cwd = '';
    try {
      cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      cwd = '?';
    }
    return { pid, ppid: Number(fields[1]), start: fields[19], cmdline, cwd };
  } catch {
    return null; // gone while we looked
  }
}

export function hostProcesses(): HostProcess[] {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => readProc(Number(d)))
    .filter((p): p is HostProcess => p !== null && p.start !== undefined);
}

/** Every process below `pid` (its children, theirs, …). */
export function descendantsOf(pid: number, all = hostProcesses()): HostProcess[] {
  const out: HostProcess[] = [];
  const queue = [pid];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const p of all) {
      if (p.ppid === parent) {
        out.push(p);
        queue.push(p.pid);
      }
    }
  }
  return out;
}

/** Processes whose working directory is in the project folder or whose command line names it. */
export function processesInProject(root: string, all = hostProcesses()): HostProcess[] {
  const real = fs.realpathSync(root);
  return all.filter((p) => p.pid !== process.pid && [root, real].some((r) => p.cwd === r || p.cwd.startsWith(`${r}/`) || p.cmdline.includes(r)));
}

/** Which of `procs` still run (same pid, same start time). */
export function stillRunning(procs: HostProcess[]): HostProcess[] {
  return procs.filter((p) => readProc(p.pid)?.start === p.start);
}

export const describeProcs = (procs: HostProcess[]) => procs.map((p) => `${p.pid} (parent ${p.ppid}, cwd ${p.cwd}): ${p.cmdline}`).join('\n');

/**
 * Console errors and uncaught errors of MACS's own UI only (collectPageErrors also hears the
 * preview's frames, whose page may fail on purpose: a hostile page, a missing favicon).
 */
export function macsUiErrors(page: Page, macsOrigin: string): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && (m.location().url === '' || m.location().url.startsWith(macsOrigin))) errors.push(`console: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => {
    if ((e.stack ?? '').includes(macsOrigin) || !/127\.0\.0\.1:\d+/.test(e.stack ?? '')) errors.push(`pageerror: ${e.message}`);
  });
  return errors;
}

/** Console errors and uncaught errors of the preview's page (any frame not on MACS's origin). */
export function previewPageErrors(page: Page, macsOrigin: string): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    const url = m.location().url;
    if (m.type() === 'error' && url !== '' && !url.startsWith(macsOrigin)) errors.push(`${m.text()} (${url})`);
  });
  return errors;
}
