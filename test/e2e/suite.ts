// The set-up every browser suite shares: one Chromium for the suite, a LIFO list of
// clean-ups, and "an app" = Ollama stand-in + fresh data dir + `macs serve` + a page on it.
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startOllamaStandin, type ChatScript, type OllamaStandin, type StartOptions } from '../fixtures/ollama-standin/index.js';
import { collectPageErrors, ensureBuilt, launchChromium, startMacsServe, tempDataDir, type MacsServer } from './helpers.js';

export interface E2eApp {
  standin: OllamaStandin;
  dataDir: string;
  server: MacsServer;
  page: Page;
  errors: string[];
}

export interface AppOptions {
  standin?: StartOptions;
  chat?: ChatScript;
  /** Extra environment for `macs serve`. */
  env?: Record<string, string>;
  acceptDownloads?: boolean;
}

/** Call at describe level: registers beforeAll/afterAll and returns the suite's tools. */
export function useBrowserSuite() {
  let browser: Browser | undefined;
  const cleanups: (() => Promise<void> | void)[] = [];

  beforeAll(async () => {
    ensureBuilt();
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
    await browser?.close();
  });

  /** Undo this after the suite (clean-ups run newest first). */
  const defer = (fn: () => Promise<void> | void) => void cleanups.push(fn);

  async function openPage(url: string, opts: { acceptDownloads?: boolean } = {}): Promise<{ page: Page; errors: string[] }> {
    const context = await browser!.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: opts.acceptDownloads });
    defer(() => context.close());
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(url);
    return { page, errors };
  }

  async function startApp(label: string, opts: AppOptions = {}): Promise<E2eApp> {
    const standin = await startOllamaStandin(opts.standin);
    defer(() => standin.close());
    if (opts.chat) standin.setDefaultChat(opts.chat);
    const dataDir = tempDataDir(label);
    defer(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const server = await startMacsServe({ dataDir, ollamaHost: standin.url, extra: opts.env });
    defer(() => server.stop());
    const { page, errors } = await openPage(server.url, opts);
    return { standin, dataDir, server, page, errors };
  }

  return { browser: () => browser!, defer, openPage, startApp };
}
