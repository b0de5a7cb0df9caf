// `macs app run|stop|logs` as a script runs them: the built CLI spawned against a real
// `macs serve` (its own data dir), and on a data dir with no server (the app then lives in
// the `macs app run` process until Ctrl-C). A static site opened as a project is what runs.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MacsServeHarness, ROOT, type CliRun } from './cli-harness.js';
import { closedPort, tempDataDir, waitFor } from './helpers.js';

const h = new MacsServeHarness();
const cli = (args: string[]) => h.cli(args);
const dirs: string[] = [];

beforeAll(async () => {
  await h.start('cli-app', { text: 'unused' });
}, 120_000);
afterAll(async () => {
  await h.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const HEADING = 'Started by macs app run';

function siteFolder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-cli-app-'));
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, 'index.html'), `<!doctype html><html><head><title>Site</title></head><body><h1>${HEADING}</h1></body></html>\n`);
  return dir;
}

async function pageText(url: string): Promise<string> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return res.text();
}

describe('macs app against `macs serve`', () => {
  it('run (by name) prints the URL and returns while the app keeps running; logs; stop closes it; refusals', async () => {
    const opened = await cli(['project', 'new', '--folder', siteFolder()]);
    expect(opened.code).toBe(0);
    const id = opened.out.trim().split('\n')[0];
    expect((await cli(['project', 'rename', id, 'cli app site'])).code).toBe(0);

    const port = await closedPort();
    const run = await cli(['app', 'run', 'cli app site', '--port', String(port)]);
    expect(run.err).toContain(`project ${id} "cli app site"`);
    expect(run.code).toBe(0);
    const url = run.out.trim().split('\n')[0];
    // The pinned port is kept for the project and used.
    expect(url).toBe(`http://127.0.0.1:${port}/`);
    // The command has ended; the server still serves the app.
    expect(await pageText(url)).toContain(HEADING);

    const logs = await cli(['app', 'logs', id]);
    expect(logs.code).toBe(0);
    expect(logs.out).toMatch(new RegExp(`^--- ready at ${url.replace(/[.]/g, '\\.')}`, 'm'));

    const json = await cli(['app', 'logs', id, '--json']);
    expect(JSON.parse(json.out).run).toMatchObject({ project_id: id, state: 'ready', url });

    // --follow goes on while the app runs, and ends (0) once it is stopped.
    const following = h.spawnCli(['app', 'logs', id, '--follow']);
    await waitFor(() => /^--- ready at /m.test(following.out()), 15_000, `logs --follow to start (${following.err()})`);
    expect(following.child.exitCode).toBe(null);

    const stop = await cli(['app', 'stop', id]);
    expect(stop.code).toBe(0);
    expect(await following.exit).toBe(0);
    expect(following.out()).toMatch(/^--- idle$/m);
    expect(stop.out).toMatch(/the app is stopped/);
    await expect(fetch(url)).rejects.toThrow();
    const after = await cli(['app', 'logs', id]);
    expect(after.out).toMatch(/not running; start it with: macs app run/);

    // Refusals: unknown project (3), no such subcommand / no project / a misplaced option (2), wrong key (5).
    expect((await cli(['app', 'run', 'no-such-project'])).code).toBe(3);
    const frob = await cli(['app', 'frob', id]);
    expect(frob.code).toBe(2);
    expect(frob.err).toMatch(/There is no "macs app frob"/);
    expect((await cli(['app', 'run'])).code).toBe(2);
    expect((await cli(['app', 'stop', id, '--follow'])).code).toBe(2);
    expect((await cli(['app', 'logs', id, '--port', '5000'])).code).toBe(2);
    const badPort = await cli(['app', 'run', id, '--port', '80']);
    expect(badPort.code).toBe(2);
    expect(badPort.err).toMatch(/--port must be a port from 1024 to 65535, or any/);
    expect((await cli(['app', 'run', id, '--api-key', 'wrong-key'])).code).toBe(5);
    const help = await cli(['app', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: macs app <command> PROJECT/);
  }, 60_000);

  it('run of a folder with nothing to start says why and exits 1', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-cli-app-empty-'));
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'no app here\n');
    const opened = await cli(['project', 'new', '--folder', dir]);
    const id = opened.out.trim().split('\n')[0];
    const run = await cli(['app', 'run', id]);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/\[APP_NOT_RUNNABLE\]/);
  }, 30_000);
});

/** `macs` with no server named (no MACS_URL) and none on MACS_PORT, on its own data dir. */
function spawnWithoutServer(args: string[], dataDir: string) {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/macs.js'), ...args], { cwd: ROOT, env: h.baseEnv({ MACS_DATA_DIR: dataDir, MACS_PORT: '1' }), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exit = new Promise<CliRun>((resolve) => child.on('close', (code) => resolve({ code, out, err })));
  return { child, out: () => out, err: () => err, exit };
}

describe('macs app with no server: the data dir itself', () => {
  it('run serves from its own process until Ctrl-C, then the app is stopped', async () => {
    const dataDir = tempDataDir('cli-app-local');
    dirs.push(dataDir);
    const opened = await spawnWithoutServer(['project', 'new', '--folder', siteFolder()], dataDir).exit;
    expect(opened.code).toBe(0);
    const id = opened.out.trim().split('\n')[0];

    const running = spawnWithoutServer(['app', 'run', id], dataDir);
    try {
      await runUntilInterrupted(running);
    } finally {
      if (running.child.exitCode === null) running.child.kill('SIGKILL');
    }
  }, 60_000);
});

/** The URL is printed and served; Ctrl-C stops the app and the command ends with 0. */
async function runUntilInterrupted(running: ReturnType<typeof spawnWithoutServer>): Promise<void> {
  await waitFor(() => /press Ctrl-C/.test(running.err()) || running.child.exitCode !== null, 30_000, `the URL (${running.err()})`);
  const url = /^(http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(running.out())![1];
  expect(running.err()).toMatch(/press Ctrl-C to stop the app/);
  expect(await pageText(url)).toContain(HEADING);

  running.child.kill('SIGINT');
  const done = await running.exit;
  expect(done.code).toBe(0);
  expect(done.err).toMatch(/Stopped the app\./);
  await expect(fetch(url)).rejects.toThrow();
}
