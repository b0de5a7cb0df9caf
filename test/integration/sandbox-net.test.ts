// Issue 12 "the sandbox must not reach MACS's own server at any level": at
// workspace-write+net the sandbox shared the host's network namespace, so everything
// bound to 127.0.0.1 (MACS's server included) was reachable. Now it gets its own
// namespace with slirp4netns egress (--disable-host-loopback). Egress to the internet
// cannot be tested here (no network); the configured tap device and route are.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MacsError } from '../../shared/errors.js';
import { BwrapSandbox } from '../../electron/core/sandbox/index.js';
import { countingServer, fixturesRoot, HAS_BWRAP, sandbox, sh } from './sandbox-harness.js';

const HAS_SLIRP = fs.existsSync('/usr/bin/slirp4netns') || fs.existsSync('/usr/local/bin/slirp4netns') || fs.existsSync('/bin/slirp4netns');
if (HAS_BWRAP && !HAS_SLIRP) console.warn('[sandbox-net.test] slirp4netns is not installed: only the refusal is tested');
let root = '';

/** Live slirp4netns processes (zombies waiting for a reaper do not count). */
function slirpProcesses(): number {
  const pids = spawnSync('pgrep', ['-x', 'slirp4netns'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  return pids.filter((pid) => {
    try {
      return !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    } catch {
      return false;
    }
  }).length;
}

describe.skipIf(!HAS_BWRAP)('sandbox (bubblewrap): workspace-write+net has egress but not the host loopback', () => {
  beforeAll(() => {
    const base = fixturesRoot();
    fs.mkdirSync(base, { recursive: true });
    root = fs.mkdtempSync(path.join(base, 'sandbox-net-'));
  });
  afterAll(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  function ws(name: string): string {
    const dir = path.join(root, name);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }

  it.skipIf(!HAS_SLIRP)("a server on the host's 127.0.0.1 is not reachable, neither as 127.0.0.1 nor through the gateway", async () => {
    const server = await countingServer('127.0.0.1', 'hello from the host\n');
    try {
      const probe = (host: string) => `(exec 3<>/dev/tcp/${host}/${server.port} && head -1 <&3 && echo REACHED-${host}) 2>&1 || echo REFUSED-${host}`;
      const run = await sh(ws('loopback'), `${probe('127.0.0.1')}; ${probe('10.0.2.2')}; ${probe('localhost')}`, { level: 'workspace-write+net', timeoutMs: 30_000 });
      expect(run.output).not.toContain('hello from the host');
      expect(run.output).not.toMatch(/REACHED-/);
      expect(run.output).toContain('REFUSED-127.0.0.1');
      expect(run.output).toContain('REFUSED-10.0.2.2');
      expect(server.connections()).toBe(0);
    } finally {
      await server.close();
    }
  });

  it.skipIf(!HAS_SLIRP)('a server on every host address is not reached through the gateway either', async () => {
    const server = await countingServer('0.0.0.0', 'hello from the host\n');
    try {
      const run = await sh(ws('any'), `(exec 3<>/dev/tcp/10.0.2.2/${server.port} && echo REACHED) 2>&1 || echo REFUSED`, { level: 'workspace-write+net', timeoutMs: 30_000 });
      expect(run.output).toContain('REFUSED');
      expect(server.connections()).toBe(0);
    } finally {
      await server.close();
    }
  });

  it.skipIf(!HAS_SLIRP)('has its own network namespace with a configured tap0, a default route and slirp’s DNS, before the command starts', async () => {
    const run = await sh(ws('tap'), 'readlink /proc/self/ns/net; cat /proc/net/route; grep nameserver /etc/resolv.conf; grep -c tap0: /proc/net/dev', { level: 'workspace-write+net' });
    expect(run.exitCode).toBe(0);
    expect(run.output).not.toContain(fs.readlinkSync('/proc/self/ns/net'));
    // Default route (destination 0) through 10.0.2.2 (little-endian hex 0202000A) on tap0.
    expect(run.output).toMatch(/^tap0\s+00000000\s+0202000A\s/m);
    expect(run.output).toContain('nameserver 10.0.2.3');
    expect(run.output).toMatch(/^1$/m);
  });

  it.skipIf(!HAS_SLIRP)('passes the exit code and output through, and leaves no slirp4netns behind (also on timeout)', async () => {
    const before = slirpProcesses();
    const run = await sh(ws('exit'), 'echo out; echo err >&2; exit 7', { level: 'workspace-write+net' });
    expect(run.exitCode).toBe(7);
    expect(run.output).toContain('out');
    expect(run.output).toContain('err');
    const slow = await sh(ws('timeout'), 'sleep 30', { level: 'workspace-write+net', timeoutMs: 800 });
    expect(slow.timedOut).toBe(true);
    const deadline = Date.now() + 5000;
    while (slirpProcesses() > before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(slirpProcesses()).toBeLessThanOrEqual(before);
  });

  it('without slirp4netns the level is refused with a typed error saying how to install it; other levels still run', async () => {
    const features = { unshareUser: true, disableUserns: false };
    const noSlirp = new BwrapSandbox({ bwrapPath: '/usr/bin/bwrap', version: null, features, slirpCandidates: [path.join(os.tmpdir(), 'no-such-slirp4netns')] });
    let error: unknown = null;
    try {
      noSlirp.buildCommand({ command: ['true'], cwd: ws('refused'), level: 'workspace-write+net' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(MacsError);
    expect((error as MacsError).code).toBe('SANDBOX_NET_UNAVAILABLE');
    expect((error as MacsError).message).toMatch(/apt install slirp4netns/);
    expect(noSlirp.status().levels).not.toContain('workspace-write+net');
    expect(noSlirp.status().hint).toMatch(/slirp4netns/);
    expect(noSlirp.buildCommand({ command: ['true'], cwd: ws('refused'), level: 'workspace-write' }).file).toBe('/usr/bin/bwrap');
    expect(sandbox.backend).toBe('bwrap');
  });
});
