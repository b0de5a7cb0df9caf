// Helpers for the browser end-to-end tests: the built `macs serve`, system Chromium via
// playwright-core, screenshots, and zip checks.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { chromium, type Browser, type Page } from 'playwright-core';

// import.meta.dirname, not __dirname: the benchmarks load these helpers under tsx (ESM) too.
export const ROOT = path.resolve(import.meta.dirname, '../..');
export const SCREENSHOT_DIR = path.join(import.meta.dirname, 'screenshots');
export const CHROMIUM_PATH = process.env.MACS_CHROMIUM ?? '/usr/bin/chromium';

/** The e2e tests drive the built app (`npm test` builds first); build here if dist/ is missing. */
export function ensureBuilt(): void {
  const needed = [path.join(ROOT, 'dist/renderer/index.html'), path.join(ROOT, 'dist/cli/macs.js')];
  if (needed.every((f) => fs.existsSync(f))) return;
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const res = spawnSync(npm, ['run', '--silent', 'build'], { cwd: ROOT, encoding: 'utf8' });
  const missing = needed.filter((f) => !fs.existsSync(f));
  if (res.status !== 0 || missing.length > 0) {
    throw new Error(
      `The e2e tests need a built app and \`npm run build\` failed (exit ${res.status}); missing: ${missing.join(', ')}\n${res.stdout}\n${res.stderr}`,
    );
  }
}

export function tempDataDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `macs-e2e-${label}-`));
}

/** A loopback port with nothing listening (for "Ollama is down"). */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface MacsServer {
  url: string;
  /** The `macs serve` process (for a test that kills it outright). */
  pid: number;
  output: () => string;
  stop: () => Promise<void>;
}

/** `node bin/macs.js serve --port 0`; resolves with the printed UI URL (token included). */
export function startMacsServe(
  env: { dataDir: string; ollamaHost: string; extra?: Record<string, string> },
  timeoutMs = 20_000,
): Promise<MacsServer> {
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'bin/macs.js'), 'serve', '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env, MACS_DATA_DIR: env.dataDir, OLLAMA_HOST: env.ollamaHost, ...env.extra },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`macs serve did not print its URL within ${timeoutMs} ms. Output:\n${out}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /MACS Desktop UI: (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], pid: child.pid!, output: () => out, stop });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`macs serve exited (code ${code}) before printing its URL. Output:\n${out}`));
    });
  });
}

export function chromiumAvailable(): boolean {
  return fs.existsSync(CHROMIUM_PATH);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Console errors and page errors, so a test can assert the UI logged none. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return errors;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Text Monaco currently renders in the project's editor (visible lines only; enough for short files): a file being written, else the open file. */
export async function editorText(page: Page): Promise<string> {
  const lines = page.locator('[data-testid="editor"] .view-lines, [data-testid="ws-editor"] .view-lines').first();
  if ((await lines.count()) === 0) return '';
  return (await lines.innerText()).replace(/\u00a0/g, ' ');
}

export interface ZipCheck {
  entries: string[];
  manifest: { files: { path: string; size: number; sha256: string }[] };
  contents: Record<string, Buffer>;
}

export async function readExportZip(file: string): Promise<ZipCheck> {
  const zip = await JSZip.loadAsync(fs.readFileSync(file));
  const entries = Object.values(zip.files)
    .filter((f) => !f.dir)
    .map((f) => f.name)
    .sort();
  const contents: Record<string, Buffer> = {};
  for (const name of entries) contents[name] = await zip.file(name)!.async('nodebuffer');
  const manifestName = entries.find((e) => e === 'manifest.json' || e === 'macs-manifest.json');
  if (!manifestName) throw new Error(`The zip has no manifest.json; entries: ${entries.join(', ')}`);
  return { entries, manifest: JSON.parse(contents[manifestName].toString('utf8')), contents };
}

export function sha256(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}
