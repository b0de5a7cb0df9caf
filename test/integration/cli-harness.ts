// A real `macs serve` child process on a fresh data dir with the Ollama stand-in, and the
// `macs` command run against it as a script would: for the CLI client test suites.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startOllamaStandin, type ChatScript, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { tempDataDir, waitFor } from './helpers.js';

export const ROOT = path.resolve(__dirname, '../..');
const BUNDLE = path.join(ROOT, 'dist/cli/macs.js');

export interface CliRun {
  code: number | null;
  out: string;
  err: string;
}

export interface RunningCli {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exit: Promise<number | null>;
}

export interface CliOptions {
  env?: Record<string, string>;
  /** Another entry point (bin/agentctl.js). */
  bin?: string;
  stdin?: string;
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Call start() in beforeAll and close() in afterAll. */
export class MacsServeHarness {
  standin!: OllamaStandin;
  dataDir!: string;
  baseUrl!: string;
  /** What `macs serve` printed at start. */
  banner = '';
  private server: ChildProcess | null = null;
  private readonly children: ChildProcess[] = [];

  /** The `macs serve` process id (tests read its memory from /proc). */
  get serverPid(): number | undefined {
    return this.server?.pid;
  }

  async start(label: string, defaultChat: ChatScript): Promise<void> {
    // The CLI runs from the bundle: rebuild when a source is newer (`npm test` has just built it).
    const bundleTime = fs.existsSync(BUNDLE) ? fs.statSync(BUNDLE).mtimeMs : 0;
    if (bundleTime < Math.max(newestSource(path.join(ROOT, 'electron')), newestSource(path.join(ROOT, 'shared')))) {
      const r = spawnSync(process.execPath, ['scripts/build-node.mjs'], { cwd: ROOT, stdio: 'inherit' });
      if (r.status !== 0) throw new Error('could not build the CLI');
    }
    this.standin = await startOllamaStandin();
    this.standin.setDefaultChat(defaultChat);
    this.dataDir = tempDataDir(label);
    const server = spawn(process.execPath, [path.join(ROOT, 'bin/macs.js'), 'serve', '--port', '0'], { cwd: ROOT, env: this.baseEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    this.server = server;
    server.stdout!.on('data', (d) => (this.banner += d));
    server.stderr!.on('data', (d) => (this.banner += d));
    await waitFor(() => /MACS Desktop UI: http:\/\/127\.0\.0\.1:(\d+)\//.test(this.banner), 15_000, `macs serve to start (${this.banner})`);
    this.baseUrl = `http://127.0.0.1:${/127\.0\.0\.1:(\d+)\//.exec(this.banner)![1]}`;
  }

  /** The env a script on the server's machine has: the data dir (for the key file), no MACS_API_KEY. */
  baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, MACS_DATA_DIR: this.dataDir, OLLAMA_HOST: this.standin.url, ...extra };
    if (!('MACS_API_KEY' in extra)) delete env.MACS_API_KEY;
    if (!('MACS_URL' in extra)) delete env.MACS_URL;
    return env;
  }

  /** A `macs` process still running (killed at close() if it has not ended). */
  spawnCli(args: string[], opts: CliOptions = {}): RunningCli {
    const child = spawn(process.execPath, [path.join(ROOT, opts.bin ?? 'bin/macs.js'), ...args], {
      cwd: ROOT,
      env: this.baseEnv({ MACS_URL: this.baseUrl, ...opts.env }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.children.push(child);
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (err += d));
    child.stdin!.end(opts.stdin ?? '');
    const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    return { child, out: () => out, err: () => err, exit };
  }

  async cli(args: string[], opts: CliOptions = {}): Promise<CliRun> {
    const run = this.spawnCli(args, opts);
    const code = await run.exit;
    return { code, out: run.out(), err: run.err() };
  }

  writeJson(name: string, value: unknown): string {
    const file = path.join(this.dataDir, name);
    fs.writeFileSync(file, JSON.stringify(value));
    return file;
  }

  async close(): Promise<void> {
    for (const c of this.children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
    const server = this.server;
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    await this.standin?.close();
    if (this.dataDir) fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}
