// Adversarial review of workspace-write+net: slirp4netns's --disable-host-loopback keeps
// the host's 127.0.0.1 out, but its NAT still connects to the host's OTHER addresses
// (LAN IP, docker0 …), and so to every service listening on 0.0.0.0 there: Ollama run
// with OLLAMA_HOST=0.0.0.0 (pull, delete models), Docker-published databases. Verified
// on the host: a server on the host's own IP answered the sandbox. The sandbox must not
// reach this machine's services through any of its addresses.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturesRoot, HAS_BWRAP, sh } from './sandbox-harness.js';

const HAS_SLIRP = ['/usr/bin/slirp4netns', '/usr/local/bin/slirp4netns', '/bin/slirp4netns'].some((p) => fs.existsSync(p));
const HOST_V4 = Object.values(os.networkInterfaces())
  .flat()
  .filter((a) => a && a.family === 'IPv4' && !a.internal)
  .map((a) => (a as os.NetworkInterfaceInfo).address);
let root = '';

describe.skipIf(!HAS_BWRAP || !HAS_SLIRP || HOST_V4.length === 0)("workspace-write+net does not reach this machine's services through its own addresses", () => {
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(fixturesRoot(), 'sandbox-net-host-'));
  });
  afterAll(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it("a server on 0.0.0.0 is not reached through the host's non-loopback addresses, even after trying to lift the block", async () => {
    let connections = 0;
    const server = net.createServer((s) => {
      connections++;
      s.end('hello from the host\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const probes = HOST_V4.map((ip) => `(exec 3<>/dev/tcp/${ip}/${port} && head -1 <&3 && echo REACHED-${ip}) 2>&1 || echo REFUSED-${ip}`).join('; ');
      const ws = path.join(root, 'ws');
      fs.mkdirSync(ws);
      // First try to lift the block from inside: it must hold anyway.
      const lift = HOST_V4.map((ip) => `ip route del prohibit ${ip} 2>/dev/null`).join('; ');
      const run = await sh(ws, `${lift}; ${probes}; grep CapEff /proc/self/status`, { level: 'workspace-write+net', timeoutMs: 30_000 });
      expect(run.sandboxFailure).toBeNull();
      expect(run.output).not.toContain('hello from the host');
      for (const ip of HOST_V4) expect(run.output).toContain(`REFUSED-${ip}`);
      expect(connections).toBe(0);
      // The command itself holds no capability (so it cannot remove the block).
      expect(run.output).toMatch(/CapEff:\s+0000000000000000/);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
