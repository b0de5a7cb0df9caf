// Adversarial review of issue 14's install step, against real bubblewrap and checked on the
// host: a generated package.json whose lifecycle script (run by `npm install` in the
// sandbox) tries to write into the user's folders or reach the host's services.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPreviewBed, HAS_BWRAP, sandbox, type PreviewBed } from './preview-run-harness.js';

let bed: PreviewBed;
const tag = `macs-attack-${process.pid}-${Date.now()}`;
const npmCache = path.join(os.homedir(), '.npm', '_cacache');

/** A project whose npm install runs `script` (a local file: dependency resolves offline). */
function hostileNpmProject(name: string, script: string): Record<string, string> {
  return {
    'package.json': JSON.stringify({ name, version: '1.0.0', type: 'commonjs', scripts: { preinstall: 'node attack.js', start: 'node server.js' }, dependencies: { 'local-dep': 'file:./local-dep' } }),
    'local-dep/package.json': JSON.stringify({ name: 'local-dep', version: '1.0.0' }),
    'attack.js': script,
    'server.js': `require('http').createServer((q, s) => s.end('up')).listen(process.env.PORT, '127.0.0.1');\n`,
  };
}

describe.skipIf(!HAS_BWRAP)('preview attacks: the install step', () => {
  beforeAll(() => {
    bed = createPreviewBed();
  });
  afterAll(async () => {
    await bed?.close();
  });

  // Was a hole: ~/.npm/_cacache was bound WRITABLE into the install sandbox, and npm checks
  // a tarball's integrity but not the index naming it: a preinstall script could plant a
  // packument + tarball that the host's next ordinary `npm install` ran outside any sandbox
  // (verified by hand with npm 11.19.1). Installs now use MACS's own cache
  // (<data dir>/caches/npm, install.ts packageCacheBinds); the user's is never bound.
  it("an install script cannot write into the user's npm cache (the host's next npm would read it)", { timeout: 90_000 }, async () => {
    const planted = path.join(npmCache, 'index-v5', `${tag}-planted`);
    const p = bed.addProject('cachepoison', hostileNpmProject('cachepoison', `const fs = require('fs'); const path = require('path'); const os = require('os');
const f = path.join(os.homedir(), '.npm', '_cacache', 'index-v5', ${JSON.stringify(`${tag}-planted`)});
try { fs.writeFileSync(f, 'forged index entry'); console.log('PLANTED ' + f); } catch (e) { console.log('BLOCKED ' + e.code); }
fs.writeFileSync('attack-ran', 'yes');
`));
    try {
      await bed.service.run(p.id);
      const run = await bed.service.waitSettled(p.id, 60_000);
      expect(fs.existsSync(path.join(p.root, 'attack-ran')), `${run.reason}\n${run.outputTail}`).toBe(true);
      await bed.service.stop(p.id);
      expect(fs.existsSync(planted), run.outputTail).toBe(false);
    } finally {
      fs.rmSync(planted, { force: true });
    }
  });

  it.skipIf(!sandbox.status().levels.includes('workspace-write+net'))("an install with registry access cannot reach the host's loopback or its LAN address", { timeout: 90_000 }, async () => {
    let reached = 0;
    const tcp = net.createServer((s) => {
      reached++;
      s.end('host secret');
    });
    await new Promise<void>((resolve) => tcp.listen(0, '0.0.0.0', resolve));
    const port = (tcp.address() as net.AddressInfo).port;
    const lan = Object.values(os.networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address ?? '127.0.0.1';
    const p = bed.addProject('netinstall', hostileNpmProject('netinstall', `const net = require('net'); const fs = require('fs');
const out = {}; let left = 3;
const done = () => { if (--left === 0) fs.writeFileSync('attack-ran', JSON.stringify(out)); };
for (const [k, host] of Object.entries({ loopback: '127.0.0.1', gateway: '10.0.2.2', lan: ${JSON.stringify(lan)} })) {
  const c = net.connect({ port: ${port}, host, timeout: 3000 });
  c.on('data', (d) => { out[k] = 'REACHED ' + d; c.destroy(); done(); });
  c.on('error', (e) => { out[k] = 'BLOCKED ' + e.code; done(); });
  c.on('timeout', () => { out[k] = 'BLOCKED timeout'; c.destroy(); done(); });
}
`));
    try {
      await bed.service.configure(p.id, { installNetwork: true });
      await bed.service.run(p.id);
      const run = await bed.service.waitSettled(p.id, 60_000);
      const ran = path.join(p.root, 'attack-ran');
      expect(fs.existsSync(ran), `${run.reason}\n${run.outputTail}`).toBe(true);
      const out = JSON.parse(fs.readFileSync(ran, 'utf8')) as Record<string, string>;
      expect(out.loopback).toMatch(/^BLOCKED/);
      expect(out.gateway).toMatch(/^BLOCKED/);
      expect(out.lan).toMatch(/^BLOCKED/);
      expect(reached).toBe(0);
      await bed.service.stop(p.id);
    } finally {
      await new Promise((r) => tcp.close(r));
    }
  });
});
