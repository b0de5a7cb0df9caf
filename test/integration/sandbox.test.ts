// Adversarial tests of the command sandbox with the real bubblewrap. Each test checks
// what the command reported AND the host side: a refusal message proves nothing if the
// file changed anyway. Fixtures live outside /tmp, /run and HOME (which the sandbox
// replaces with empty tmpfs), so "outside" files are visible but read-only inside —
// the hard case — rather than merely invisible.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MacsError } from '../../shared/errors.js';
import { detectSandbox, INSTALL_BWRAP_HINT, runSandboxed, UnrestrictedSandbox, type SandboxAudit } from '../../electron/core/sandbox/index.js';
import { countingServer, fixturesRoot, HAS_BWRAP, sandbox, sh as harnessSh, type Run, type ShOptions } from './sandbox-harness.js';

const SKIP_REASON = `bubblewrap is not usable here: ${sandbox.status().hint ?? 'not Linux'}`;
if (!HAS_BWRAP) console.warn(`[sandbox.test] skipped: ${SKIP_REASON}`);

const FIXTURES = fixturesRoot();
/** The harness's run, with this file's shorter default timeout. */
const sh = (ws: string, script: string, extra: ShOptions = {}): Promise<Run> => harnessSh(ws, script, { timeoutMs: 20_000, ...extra });
let root = '';

interface Case {
  ws: string;
  outside: string;
  /** outside/f, holding "original". */
  target: string;
}

function makeCase(name: string): Case {
  const dir = path.join(root, name);
  const ws = path.join(dir, 'ws');
  const outside = path.join(dir, 'outside');
  fs.mkdirSync(ws, { recursive: true });
  fs.mkdirSync(outside, { recursive: true });
  const target = path.join(outside, 'f');
  fs.writeFileSync(target, 'original\n');
  return { ws, outside, target };
}

function sha(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function survivors(marker: string): string[] {
  const run = spawnSync('pgrep', ['-f', marker], { encoding: 'utf8' });
  return run.stdout.split('\n').filter(Boolean);
}

/** A marker unique to this run, usable as a sleep duration so pgrep -f can find it. */
function marker(base: number): string {
  return `${base}.${String(randomBytes(3).readUIntBE(0, 3)).padStart(8, '0')}`;
}

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

describe.skipIf(!HAS_BWRAP)('sandbox (bubblewrap): filesystem', () => {
  beforeAll(() => {
    fs.mkdirSync(FIXTURES, { recursive: true });
    root = fs.mkdtempSync(path.join(FIXTURES, 'sandbox-'));
  });
  afterAll(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('refuses touch /etc/pwned', async () => {
    const { ws } = makeCase('etc');
    const name = `/etc/pwned-${randomBytes(4).toString('hex')}`;
    const run = await sh(ws, `touch ${name}`);
    expect(run.exitCode).not.toBe(0);
    expect(run.output).toMatch(/Read-only file system/);
    expect(run.audits.some((a) => a.kind === 'denied' && /Read-only/.test(a.message))).toBe(true);
    expect(fs.existsSync(name)).toBe(false);
  });

  it('refuses echo x > ../outside/f', async () => {
    const c = makeCase('dotdot');
    const run = await sh(c.ws, 'echo x > ../outside/f; echo x > ../outside/new');
    expect(run.exitCode).not.toBe(0);
    expect(fs.readFileSync(c.target, 'utf8')).toBe('original\n');
    expect(fs.existsSync(path.join(c.outside, 'new'))).toBe(false);
  });

  it('does not write through a symlink planted before the run', async () => {
    const c = makeCase('planted-link');
    fs.symlinkSync(c.target, path.join(c.ws, 'link'));
    fs.symlinkSync(c.outside, path.join(c.ws, 'dirlink'));
    const run = await sh(c.ws, 'echo pwned > link || echo REFUSED-1; echo pwned >> link || echo REFUSED-2; echo pwned > dirlink/new || echo REFUSED-3; cat link');
    expect(run.output).toContain('REFUSED-1');
    expect(run.output).toContain('REFUSED-2');
    expect(run.output).toContain('REFUSED-3');
    expect(run.output).toContain('original'); // reading through it is fine: the outside is visible, read-only
    expect(fs.readFileSync(c.target, 'utf8')).toBe('original\n');
    expect(fs.existsSync(path.join(c.outside, 'new'))).toBe(false);
  });

  it('does not write through a symlink the command creates', async () => {
    const c = makeCase('own-link');
    const run = await sh(c.ws, `ln -s ${c.target} l1 && ln -s ../outside l2 && { echo pwned > l1; echo pwned > l2/new; echo pwned > l2/f; }`);
    expect(run.exitCode).not.toBe(0);
    expect(fs.lstatSync(path.join(c.ws, 'l1')).isSymbolicLink()).toBe(true); // creating links inside is allowed
    expect(fs.readFileSync(c.target, 'utf8')).toBe('original\n');
    expect(fs.existsSync(path.join(c.outside, 'new'))).toBe(false);
  });

  it('cannot hard-link a file outside into the workspace', async () => {
    const c = makeCase('hardlink');
    const inode = fs.statSync(c.target).ino;
    const run = await sh(c.ws, `ln ${c.target} hl; echo pwned > hl; echo pwned >> hl`);
    expect(run.output).toMatch(/Invalid cross-device link|Operation not permitted|Read-only/);
    expect(fs.readFileSync(c.target, 'utf8')).toBe('original\n');
    expect(fs.statSync(c.target).nlink).toBe(1);
    const hl = path.join(c.ws, 'hl');
    if (fs.existsSync(hl)) expect(fs.statSync(hl).ino).not.toBe(inode);
  });

  it('gets nowhere through /proc/self/root and /proc/1/root', async () => {
    const c = makeCase('procroot');
    const name = `pwned-${randomBytes(4).toString('hex')}`;
    const run = await sh(
      c.ws,
      `echo pwned > /proc/self/root${c.target} || echo REFUSED-1; echo pwned > /proc/1/root${c.target} || echo REFUSED-2; ` +
        `touch /proc/self/root/etc/${name} || echo REFUSED-3; touch /proc/1/root/etc/${name} || echo REFUSED-4`,
    );
    for (const n of [1, 2, 3, 4]) expect(run.output).toContain(`REFUSED-${n}`);
    expect(fs.readFileSync(c.target, 'utf8')).toBe('original\n');
    expect(fs.existsSync(`/etc/${name}`)).toBe(false);
  });

  it('keeps ~ private: writes to ~/.bashrc vanish, the real home is unchanged and unreadable', async () => {
    const { ws } = makeCase('home');
    const home = os.homedir();
    const bashrc = path.join(home, '.bashrc');
    const before = fs.existsSync(bashrc) ? sha(bashrc) : null;
    // A planted secret in the real home: the sandbox must not see it.
    const secret = path.join(home, `.macs-sandbox-test-${randomBytes(4).toString('hex')}`);
    fs.writeFileSync(secret, 'top secret\n');
    try {
      const first = await sh(ws, `echo pwned-bashrc >> ~/.bashrc && cat ~/.bashrc; echo "HOME=$HOME"; cat ${secret}; ls -A ~`);
      expect(first.output).toContain('pwned-bashrc'); // the write succeeded — in the private HOME
      expect(first.output).toContain(`HOME=${home}`);
      expect(first.output).not.toContain('top secret');
      expect(fs.existsSync(bashrc) ? sha(bashrc) : null).toBe(before);
      const second = await sh(ws, 'cat ~/.bashrc 2>/dev/null; echo done');
      expect(second.output).not.toContain('pwned-bashrc'); // thrown away with the tmpfs
    } finally {
      fs.rmSync(secret, { force: true });
    }
  });

  it('refuses writing .git/hooks/pre-commit and .git/config, and moving .git away', async () => {
    const c = makeCase('git');
    execFileSync('git', ['init', '-q', c.ws]);
    const config = path.join(c.ws, '.git', 'config');
    const before = sha(config);
    const run = await sh(
      c.ws,
      'echo "#!/bin/sh" > .git/hooks/pre-commit; echo "[core] fsmonitor = evil" >> .git/config; echo ../evil > .git/commondir; ' +
        'mv .git .git-moved; rm -rf .git; mkdir -p .git/hooks; echo evil > .git/hooks/post-checkout; echo ok > file.txt',
    );
    expect(run.output).toMatch(/Read-only file system/);
    expect(run.output).toMatch(/busy/i); // the rename
    expect(sha(config)).toBe(before);
    expect(fs.existsSync(path.join(c.ws, '.git', 'hooks', 'pre-commit'))).toBe(false);
    expect(fs.existsSync(path.join(c.ws, '.git', 'hooks', 'post-checkout'))).toBe(false);
    expect(fs.existsSync(path.join(c.ws, '.git', 'commondir'))).toBe(false);
    expect(fs.existsSync(path.join(c.ws, '.git-moved'))).toBe(false);
    expect(fs.readFileSync(path.join(c.ws, 'file.txt'), 'utf8')).toBe('ok\n'); // the rest of the workspace is writable
  });

  it('read-only level: reads the workspace, writes nothing', async () => {
    const c = makeCase('readonly');
    fs.writeFileSync(path.join(c.ws, 'in.txt'), 'hello\n');
    const run = await sh(c.ws, 'cat in.txt; echo x > out.txt; echo y >> in.txt', { level: 'read-only' });
    expect(run.output).toContain('hello');
    expect(run.exitCode).not.toBe(0);
    expect(run.level).toBe('read-only');
    expect(fs.existsSync(path.join(c.ws, 'out.txt'))).toBe(false);
    expect(fs.readFileSync(path.join(c.ws, 'in.txt'), 'utf8')).toBe('hello\n');
  });

  it('workspace-write level writes the workspace (control)', async () => {
    const c = makeCase('write');
    const run = await sh(c.ws, 'mkdir -p a/b && echo ok > a/b/c.txt && cat a/b/c.txt');
    expect(run.exitCode).toBe(0);
    expect(fs.readFileSync(path.join(c.ws, 'a/b/c.txt'), 'utf8')).toBe('ok\n');
  });

  it('refuses the root, the home folder and a missing folder as workspace', async () => {
    for (const cwd of ['/', os.homedir(), path.join(root, 'missing')]) {
      await expect(runSandboxed({ command: ['true'], cwd, level: 'workspace-write', sandbox })).rejects.toBeInstanceOf(MacsError);
    }
  });

  it('reports a missing command as 127', async () => {
    const { ws } = makeCase('notfound');
    const result = await runSandboxed({ command: ['no-such-command-xyz'], cwd: ws, level: 'workspace-write', sandbox });
    expect(result.exitCode).toBe(127);
    expect(result.sandboxFailure).toBeNull();
  });
});

describe.skipIf(!HAS_BWRAP)('sandbox (bubblewrap): network, sockets, environment', () => {
  let server: Awaited<ReturnType<typeof countingServer>>;
  beforeAll(async () => {
    fs.mkdirSync(FIXTURES, { recursive: true });
    root = fs.mkdtempSync(path.join(FIXTURES, 'sandbox-net-'));
    // 0.0.0.0: reachable on loopback and on the host's own addresses.
    server = await countingServer('0.0.0.0', 'hello\n');
  });
  afterAll(async () => {
    await server?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('has no network: bash /dev/tcp and curl to a port the host listens on get nothing', async () => {
    const { ws } = makeCase('nonet');
    const hostIps = Object.values(os.networkInterfaces())
      .flat()
      .filter((i) => i && i.family === 'IPv4' && !i.internal)
      .map((i) => i!.address);
    const targets = ['127.0.0.1', ...hostIps.slice(0, 2)];
    const before = server.connections();
    const script = targets
      .map((ip) => `(exec 3<>/dev/tcp/${ip}/${server.port}) && echo CONNECTED-${ip}; ${hasCommand('curl') ? `curl -sS -m 3 http://${ip}:${server.port}/ && echo CURL-OK-${ip};` : ''}`)
      .join(' ');
    const run = await sh(ws, script);
    expect(run.output).not.toContain('CONNECTED');
    expect(run.output).not.toContain('CURL-OK');
    expect(server.connections()).toBe(before);
    expect(run.audits.some((a) => a.kind === 'denied')).toBe(true);
  });

  // It used to (it shared the host's network namespace): issue 12. Egress now comes from
  // slirp4netns without the host's loopback, or the level is refused (sandbox-net.test.ts).
  it("workspace-write+net does not reach a server on the host's loopback", async () => {
    const { ws } = makeCase('net');
    const before = server.connections();
    const probe = `exec 3<>/dev/tcp/127.0.0.1/${server.port} && head -1 <&3`;
    if (!sandbox.status().levels.includes('workspace-write+net')) {
      await expect(sh(ws, probe, { level: 'workspace-write+net' })).rejects.toMatchObject({ code: 'SANDBOX_NET_UNAVAILABLE' });
      return;
    }
    const run = await sh(ws, probe, { level: 'workspace-write+net' });
    expect(run.exitCode).not.toBe(0);
    expect(run.output).not.toContain('hello');
    if (hasCommand('curl')) {
      const viaCurl = await sh(ws, `curl -sS -m 5 --http0.9 http://127.0.0.1:${server.port}/`, { level: 'workspace-write+net' });
      expect(viaCurl.output).not.toContain('hello');
    }
    expect(server.connections()).toBe(before);
  });

  it('cannot connect to a host Unix socket outside /tmp, /run and HOME', async () => {
    const c = makeCase('unix');
    const socketPath = path.join(c.outside, 's.sock');
    let got = 0;
    const unixServer = net.createServer((s) => {
      got++;
      s.end('hi');
    });
    await new Promise<void>((resolve) => unixServer.listen(socketPath, resolve));
    try {
      const probe = `require('net').connect(${JSON.stringify(socketPath)}).on('connect',()=>{console.log('CONNECTED');process.exit(0)}).on('error',e=>{console.log('ERR',e.code);process.exit(1)})`;
      const run = await sh(c.ws, `node -e "${probe.replace(/"/g, '\\"')}"`);
      expect(run.output).toMatch(/ERR/);
      expect(run.output).not.toContain('CONNECTED');
      expect(got).toBe(0);
      // Control: the same probe from the host connects.
      const host = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
      expect(host.stdout).toContain('CONNECTED');
    } finally {
      await new Promise((resolve) => unixServer.close(resolve));
    }
  });

  it('does not pass the app environment through', async () => {
    const { ws } = makeCase('env');
    const planted = { MACS_SECRET_TEST: `macs-${randomBytes(6).toString('hex')}`, OLLAMA_HOST: 'http://10.9.8.7:1', GITHUB_TOKEN: `ghp_${randomBytes(6).toString('hex')}`, MY_API_KEY: 'k-123456789' };
    const saved = Object.fromEntries(Object.keys(planted).map((k) => [k, process.env[k]]));
    Object.assign(process.env, planted);
    try {
      const run = await sh(ws, 'env; cat /proc/*/environ 2>/dev/null | tr "\\0" "\\n"; echo "[$MACS_SECRET_TEST]"');
      for (const value of Object.values(planted)) expect(run.output).not.toContain(value);
      expect(run.output).toContain('[]');
      expect(run.output).toMatch(/^PATH=/m);
      expect(run.output).toMatch(/^HOME=/m);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('unrestricted runs directly (no namespace), still without the app environment', async () => {
    const c = makeCase('unrestricted');
    process.env.MACS_SECRET_TEST = 'unrestricted-secret';
    try {
      const run = await sh(c.ws, 'readlink /proc/self/ns/pid; readlink /proc/self/ns/net; echo ok > out.txt; echo "[$MACS_SECRET_TEST]"', { level: 'unrestricted' });
      expect(run.exitCode).toBe(0);
      expect(run.level).toBe('unrestricted');
      expect(run.audits.some((a) => a.kind === 'unsandboxed')).toBe(true);
      expect(run.output).toContain(fs.readlinkSync('/proc/self/ns/pid'));
      expect(run.output).toContain(fs.readlinkSync('/proc/self/ns/net'));
      expect(run.output).toContain('[]');
      expect(fs.readFileSync(path.join(c.ws, 'out.txt'), 'utf8')).toBe('ok\n');
    } finally {
      delete process.env.MACS_SECRET_TEST;
    }
  });

  it.skipIf(!hasCommand('script'))('has no controlling terminal even when the app has one (no TIOCSTI)', async () => {
    const { ws } = makeCase('tty');
    const cmd = sandbox.buildCommand({ command: ['bash', '-c', ': > /dev/tty && echo HAS-TTY || echo NO-TTY'], cwd: ws, level: 'workspace-write' });
    const quoted = [cmd.file, ...cmd.args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    // `script` gives the parent a controlling pty, as a terminal running `macs exec` would.
    const out = spawnSync('script', ['-qec', quoted, '/dev/null'], { encoding: 'utf8', env: cmd.env });
    expect(out.stdout).toContain('NO-TTY');
    const control = spawnSync('script', ['-qec', `bash -c ': > /dev/tty && echo HAS-TTY'`, '/dev/null'], { encoding: 'utf8' });
    expect(control.stdout).toContain('HAS-TTY');
  });
});

describe.skipIf(!HAS_BWRAP)('sandbox (bubblewrap): process lifetime and output', () => {
  beforeAll(() => {
    fs.mkdirSync(FIXTURES, { recursive: true });
    root = fs.mkdtempSync(path.join(FIXTURES, 'sandbox-proc-'));
  });
  afterAll(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('cancel kills a setsid nohup daemon too', async () => {
    const { ws } = makeCase('cancel');
    const m = marker(999);
    const controller = new AbortController();
    const pending = sh(ws, `setsid nohup sleep ${m} >/dev/null 2>&1 & echo started; sleep 600`, { signal: controller.signal });
    await waitFor(() => survivors(m).length > 0, 5000);
    const t0 = Date.now();
    controller.abort();
    const run = await pending;
    expect(Date.now() - t0).toBeLessThan(3500);
    expect(run.killed).toBe(true);
    expect(run.timedOut).toBe(false);
    expect(run.audits.some((a) => a.kind === 'killed')).toBe(true);
    expect(survivors(m)).toEqual([]);
  });

  it('cancel is SIGTERM first: a handler gets to run before the 2 s SIGKILL', async () => {
    const { ws } = makeCase('graceful');
    const controller = new AbortController();
    const pending = sh(ws, `trap 'echo cleaned-up > cleanup.txt; exit 0' TERM; echo ready; sleep 600 & wait`, { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 300)); // the trap is set
    const t0 = Date.now();
    controller.abort();
    const run = await pending;
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(run.killed).toBe(true);
    expect(fs.readFileSync(path.join(ws, 'cleanup.txt'), 'utf8')).toBe('cleaned-up\n');
  });

  it('a daemon left behind by a command that exits dies with it', async () => {
    const { ws } = makeCase('leftover');
    const m = marker(998);
    const run = await sh(ws, `setsid nohup sleep ${m} >/dev/null 2>&1 & disown; exit 0`);
    expect(run.exitCode).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(survivors(m)).toEqual([]);
  });

  it("trap '' TERM; sleep 600 with a 2 s timeout is killed within ~4 s", async () => {
    const { ws } = makeCase('timeout');
    const m = marker(600);
    const t0 = Date.now();
    const run = await sh(ws, `trap '' TERM; sleep ${m}; echo not-reached`, { timeoutMs: 2000 });
    const took = Date.now() - t0;
    expect(run.timedOut).toBe(true);
    expect(run.killed).toBe(true);
    expect(took).toBeGreaterThanOrEqual(3900); // it ignored SIGTERM: only SIGKILL after the 2 s grace ended it
    expect(took).toBeLessThan(5500);
    expect(run.output).not.toContain('not-reached');
    expect(run.audits.some((a) => a.kind === 'timeout')).toBe(true);
    expect(survivors(m)).toEqual([]);
  });

  it('yes: capped for the UI, stopped at the log cap, event loop stays responsive', async () => {
    const { ws } = makeCase('yes');
    const logDir = path.join(root, 'logs');
    let maxLag = 0;
    let last = Date.now();
    const ticker = setInterval(() => {
      const now = Date.now();
      maxLag = Math.max(maxLag, now - last - 10);
      last = now;
    }, 10);
    const t0 = Date.now();
    const run = await sh(ws, 'yes', { outputCapBytes: 64 * 1024, logDir }).finally(() => clearInterval(ticker));
    const took = Date.now() - t0;
    expect(run.killed).toBe(true);
    expect(run.outputTruncated).toBe(true);
    expect(Buffer.byteLength(run.output)).toBeLessThan(64 * 1024 + 512);
    expect(run.audits.map((a) => a.kind)).toEqual(expect.arrayContaining(['output_capped', 'killed']));
    expect(run.logPath).not.toBeNull();
    const logSize = fs.statSync(run.logPath!).size;
    expect(logSize).toBe(20 * 1024 * 1024);
    expect(run.tail.endsWith('y\n')).toBe(true);
    expect(maxLag).toBeLessThan(250);
    console.info(`[sandbox.test] yes: stopped after ${took} ms, log ${logSize} bytes, max event-loop lag ${maxLag} ms`);
  });

  it('tty: an interactive shell through node-pty keeps job control and Ctrl-C', async () => {
    const { ws } = makeCase('pty');
    const pty = await import('node-pty');
    const cmd = sandbox.buildCommand({ command: ['bash', '--norc', '-i'], cwd: ws, level: 'workspace-write', tty: true });
    const term = pty.spawn(cmd.file, cmd.args, { cols: 100, rows: 30, cwd: cmd.cwd, env: cmd.env });
    let out = '';
    term.onData((d) => {
      out += d;
    });
    const exited = new Promise<number>((resolve) => term.onExit((e) => resolve(e.exitCode)));
    try {
      term.write('sleep 30\r');
      await new Promise((r) => setTimeout(r, 500));
      term.write('\x03'); // Ctrl-C interrupts the foreground job, not the shell
      term.write('echo "answer=$((6*7))"; [ -t 0 ] && echo "stdin-tty=$((40+2))"; exit 5\r');
      expect(await Promise.race([exited, new Promise((r) => setTimeout(() => r('hung'), 8000))])).toBe(5);
      expect(out).toContain('answer=42');
      expect(out).toContain("stdin-tty=42");
      expect(out).not.toMatch(/no job control/);
    } finally {
      if (term.pid) sandbox.signalTree(term.pid, 'SIGKILL');
    }
  });
});

async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  while (!predicate()) {
    if (Date.now() - t0 > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('sandbox detection and the unsandboxed fallback (no bwrap needed)', () => {
  let dir = '';
  beforeAll(() => {
    fs.mkdirSync(FIXTURES, { recursive: true });
    dir = fs.mkdtempSync(path.join(FIXTURES, 'sandbox-detect-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('no bwrap: unrestricted, with the install hint', () => {
    const s = detectSandbox({ platform: 'linux', bwrapCandidates: [path.join(dir, 'missing-bwrap')] });
    expect(s.status()).toEqual({ backend: 'unrestricted', available: false, version: null, hint: INSTALL_BWRAP_HINT, levels: ['unrestricted'] });
  });

  it('bwrap present but user namespaces refused: the hint says so', () => {
    const fake = path.join(dir, 'bwrap');
    fs.writeFileSync(fake, '#!/bin/sh\ncase "$1" in --version) echo "bubblewrap 0.8.0";; --help) echo "--disable-userns";; *) echo "bwrap: setting up uid map: Permission denied" >&2; exit 1;; esac\n', { mode: 0o755 });
    const s = detectSandbox({ platform: 'linux', bwrapCandidates: [fake] });
    expect(s.backend).toBe('unrestricted');
    expect(s.status().hint).toMatch(/cannot create a sandbox here \(bwrap: setting up uid map: Permission denied\).*user namespaces/);
  });

  it('Windows and macOS pick their backends', () => {
    expect(detectSandbox({ platform: 'win32' }).status().hint).toMatch(/Windows/);
    expect(detectSandbox({ platform: 'darwin' }).backend).toBe(fs.existsSync('/usr/bin/sandbox-exec') ? 'sandbox-exec' : 'unrestricted');
  });

  it('without a sandbox a command still runs, audited as unsandboxed — or is refused with requireSandbox', async () => {
    const ws = fs.mkdtempSync(path.join(dir, 'ws-'));
    const fallback = new UnrestrictedSandbox(INSTALL_BWRAP_HINT);
    const audits: SandboxAudit[] = [];
    const result = await runSandboxed({ command: ['sh', '-c', 'echo ok > f'], cwd: ws, level: 'workspace-write', sandbox: fallback, onAudit: (a) => audits.push(a) });
    expect(result.exitCode).toBe(0);
    expect(result.level).toBe('unrestricted');
    expect(audits).toEqual([{ kind: 'unsandboxed', message: expect.stringContaining('install bubblewrap') }]);
    await expect(runSandboxed({ command: ['true'], cwd: ws, level: 'workspace-write', sandbox: fallback, requireSandbox: true })).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
  });
});
