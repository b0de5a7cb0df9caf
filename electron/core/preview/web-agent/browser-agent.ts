// The web agent: runs a plan's smoke scenarios against a ready run in a headless Chromium
// (playwright-core, the machine's own browser). Offline: every request that is not to the
// run's own origin is aborted and recorded. One browser per call, one fresh context per
// scenario (no state leaks between them), a screenshot after every step.
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ScenarioResult, SmokeScenario } from '../../../../shared/index.js';
import { MacsError } from '../../../../shared/index.js';
import type { WebAgent } from '../types.js';
import { findChromium, type BrowserFound } from './find-browser.js';
import { parsePlainStep, scenarioSlug, type StepAction } from './plain-steps.js';
import { prepareScreenshotFolder, writeScreenshot } from './screenshot-file.js';
import { findClickable, findField, findPlace } from './targets.js';

const DEFAULT_SCENARIO_TIMEOUT_MS = 30_000;
/** How long one step waits for its element or its expectation (a page's own fetch, a re-render). */
const STEP_WAIT_MS = 4_000;
const EXCERPT_MAX = 1_500;
const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-extensions'];

export interface WebAgentOptions {
  env?: NodeJS.ProcessEnv;
  /** Override where Chromium is (tests). */
  findBrowser?: () => BrowserFound;
}

class StepFailure extends Error {}

type PlaywrightModule = typeof import('playwright-core');

/** Loaded on first use: most builds are not web projects, and the engine starts without it. */
async function loadPlaywright(): Promise<PlaywrightModule> {
  try {
    return await import('playwright-core');
  } catch (err) {
    throw new MacsError('TOOLCHAIN_MISSING', `The web agent needs the playwright-core package, which could not be loaded here: ${(err as Error).message}`, { tool: 'playwright-core' });
  }
}

export function createWebAgent(options: WebAgentOptions = {}): WebAgent {
  const find = options.findBrowser ?? (() => findChromium(options.env));
  return {
    available: find,
    async runScenarios({ url, scenarios, screenshotDir, root, timeoutMs }) {
      const found = find();
      if (!found.ok) throw new MacsError('TOOLCHAIN_MISSING', found.reason, { tool: 'chromium' });
      const { chromium } = await loadPlaywright();
      const browser = await chromium.launch({ executablePath: found.executable, headless: true, args: LAUNCH_ARGS });
      try {
        const results: ScenarioResult[] = [];
        const slugs = new Set<string>();
        for (const [i, scenario] of scenarios.entries()) {
          // Two scenarios of the same name must not overwrite each other's screenshots.
          let slug = scenarioSlug(scenario.name, i);
          for (let n = 2; slugs.has(slug); n++) slug = `${scenarioSlug(scenario.name, i)}-${n}`;
          slugs.add(slug);
          results.push(await runScenario(browser, { url, scenario, slug, screenshotDir, root, timeoutMs: timeoutMs ?? DEFAULT_SCENARIO_TIMEOUT_MS }));
        }
        return results;
      } finally {
        await browser.close().catch(() => undefined);
      }
    },
  };
}

interface ScenarioRun {
  url: string;
  scenario: SmokeScenario;
  slug: string;
  screenshotDir: string;
  root: string;
  timeoutMs: number;
}

async function runScenario(browser: Browser, r: ScenarioRun): Promise<ScenarioResult> {
  const t0 = performance.now();
  const origin = new URL(r.url).origin;
  const consoleErrors: string[] = [];
  const failedRequests: string[] = [];
  const steps: ScenarioResult['steps'] = [];
  let domExcerpt: string | null = null;
  const context: BrowserContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
  try {
    await context.route('**/*', (route) => {
      const target = route.request().url();
      if (sameOrigin(target, origin) || target.startsWith('data:') || target.startsWith('blob:')) return route.continue();
      failedRequests.push(`blocked (offline): ${route.request().method()} ${target}`);
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_WAIT_MS);
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => consoleErrors.push(`Uncaught ${err.name}: ${err.message}`));
    page.on('requestfailed', (req) => {
      const why = req.failure()?.errorText ?? 'failed';
      // Our own aborts are already recorded as blocked.
      if (why.includes('BLOCKED_BY_CLIENT')) return;
      failedRequests.push(`${req.method()} ${req.url()}: ${why}`);
    });
    page.on('response', (res) => {
      if (res.status() >= 400) failedRequests.push(`${res.request().method()} ${res.url()}: HTTP ${res.status()}`);
    });

    const deadline = Date.now() + r.timeoutMs;
    for (const [i, text] of r.scenario.steps.entries()) {
      const s0 = performance.now();
      const shot = path.join(r.screenshotDir, `${r.slug}-${i + 1}.png`);
      let error: string | null = null;
      try {
        if (Date.now() > deadline) throw new StepFailure(`The scenario ran past its time limit (${Math.round(r.timeoutMs / 1000)} s).`);
        const parsed = parsePlainStep(text);
        if (!parsed.ok) throw new StepFailure(parsed.reason);
        await perform(page, parsed.action, r.url);
      } catch (err) {
        error = err instanceof StepFailure ? err.message : `The step failed: ${firstLine((err as Error).message)}`;
      }
      // Checked before every shot: the app runs meanwhile and may swap the folder for a link.
      const screenshot = await page
        .screenshot({ timeout: 5_000 })
        .then((bytes) => (prepareScreenshotFolder(r.screenshotDir, r.root) && writeScreenshot(shot, bytes) ? path.relative(r.root, shot).split(path.sep).join('/') : null))
        .catch(() => null);
      steps.push({ step: text, ok: error === null, error, screenshot, durationMs: Math.round(performance.now() - s0) });
      if (error !== null) {
        domExcerpt = trimExcerpt(await bodyText(page).catch(() => null));
        break;
      }
    }
  } finally {
    await context.close().catch(() => undefined);
  }
  const passed = steps.length === r.scenario.steps.length && steps.every((s) => s.ok);
  return { name: r.scenario.name, passed, steps, consoleErrors: dedupe(consoleErrors), failedRequests: dedupe(failedRequests), domExcerpt, durationMs: Math.round(performance.now() - t0) };
}

function sameOrigin(target: string, origin: string): boolean {
  try {
    return new URL(target).origin === origin;
  } catch {
    return false;
  }
}

/** Do one step; a StepFailure says in a sentence what the page did not do. */
async function perform(page: Page, action: StepAction, base: string): Promise<void> {
  switch (action.kind) {
    case 'open': {
      const target = new URL(action.path, base).toString();
      const res = await page.goto(target, { waitUntil: 'load', timeout: 15_000 }).catch((err: Error) => {
        throw new StepFailure(`Opening ${action.path} failed: ${firstLine(err.message)}`);
      });
      if (res && res.status() >= 400) throw new StepFailure(`Opening ${action.path} answered HTTP ${res.status()}.`);
      return;
    }
    case 'type': {
      const field = await waitFor(() => findField(page, action.field));
      if (!field) throw new StepFailure(`There is no field "${action.field}" to type into (looked for a label, a placeholder, an accessible name, a name or id).`);
      await field.fill(action.text);
      return;
    }
    case 'click': {
      const target = await waitFor(() => findClickable(page, action.target, action.role));
      if (!target) throw new StepFailure(`There is no ${action.role ?? 'button or link'} named "${action.target}" on the page.`);
      await target.click();
      return;
    }
    case 'press':
      await page.keyboard.press(action.key);
      return;
    case 'expect-text': {
      const place = action.place;
      if (place) {
        const region = await waitFor(() => findPlace(page, place));
        if (!region) throw new StepFailure(`Expected the text "${action.text}" in ${place}, but there is no ${place} on the page.`);
        const read = () => region.innerText();
        if (!(await poll(async () => contains(await read(), action.text)))) {
          const shown = quoteExcerpt(await read().catch(() => ''));
          throw new StepFailure(`Expected the text "${action.text}" in ${place}; ${shown ? `${place} shows: ${shown}` : `${place} is empty`}.`);
        }
        return;
      }
      if (!(await poll(async () => contains(await bodyText(page), action.text)))) {
        throw new StepFailure(`Expected the text "${action.text}" on the page, but it is not there.`);
      }
      return;
    }
    case 'expect-no-text':
      if (!(await poll(async () => !contains(await bodyText(page), action.text)))) {
        throw new StepFailure(`Expected no text "${action.text}" on the page, but it is there.`);
      }
      return;
    case 'expect-title':
      if (!(await poll(async () => contains(await page.title(), action.text)))) {
        throw new StepFailure(`Expected the title "${action.text}", but the page's title is "${await page.title()}".`);
      }
      return;
  }
}

/** Retry a lookup until it finds something or the step's wait is over (the page may still be rendering). */
async function waitFor<T>(find: () => Promise<T | null>): Promise<T | null> {
  const end = Date.now() + STEP_WAIT_MS;
  for (;;) {
    const found = await find();
    if (found || Date.now() > end) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function poll(check: () => Promise<boolean>): Promise<boolean> {
  return (await waitFor(async () => ((await check().catch(() => false)) ? true : null))) === true;
}

/** Case and spacing do not matter: "Milk" is on a page that shows "milk ". */
function contains(haystack: string, needle: string): boolean {
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();
  return norm(haystack).includes(norm(needle));
}

async function bodyText(page: Page): Promise<string> {
  return (await page.locator('body').innerText({ timeout: 2_000 })).slice(0, 20_000);
}

function quoteExcerpt(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t ? `"${t.slice(0, 300)}${t.length > 300 ? '…' : ''}"` : '';
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/\s+/g, ' ').trim();
}

function dedupe(items: string[]): string[] {
  return [...new Set(items)].slice(0, 50);
}

function trimExcerpt(text: string | null): string | null {
  if (text === null) return null;
  const t = text.replace(/[ \t]+/g, ' ').replace(/\n{3,}/g, '\n\n').trim();
  return t.length > EXCERPT_MAX ? `${t.slice(0, EXCERPT_MAX)}…` : t;
}
