// Adversarial review of issue 14's sandbox side, against real bubblewrap and checked on the
// host: a generated app (or its install step) that tries to write outside its workspace,
// reach the host's loopback (TCP and abstract unix sockets), leave processes behind after
// stop or after MACS closes, and an install script that reaches the host.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPreviewBed, fetchText, HAS_BWRAP, processesWith, type PreviewBed } from './preview-run-harness.js';

let bed: PreviewBed;
const tag = `macs-attack-${process.pid}-${Date.now()}`;

async function pollJson(url: string, done: (v: Record<string, string>) => boolean): Promise<Record<string, string>> {
  let value: Record<string, string> = {};
  for (let i = 0; i < 50; i++) {
    const page = await fetchText(url).catch(() => ({ status: 0, text: '{}' }));
    try {
      value = JSON.parse(page.text) as Record<string, string>;
    } catch {
      value = {};
    }
    if (done(value)) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  return value;
}

describe.skipIf(!HAS_BWRAP)('preview attacks: the sandbox', () => {
  beforeAll(() => {
    bed = createPreviewBed();
  });
  afterAll(async () => {
    await bed?.close();
  });

  it('an app cannot reach an abstract unix socket or the host loopback, nor resolve names', async () => {
    let reached = 0;
    const abstract = net.createServer((s) => {
      reached++;
      s.end('host abstract secret');
    });
    const name = `\0${tag}-abstract`;
    await new Promise<void>((resolve) => abstract.listen(name, resolve));
    const tcp = net.createServer((s) => {
      reached++;
      s.end('host tcp secret');
    });
    await new Promise<void>((resolve) => tcp.listen(0, '0.0.0.0', resolve));
    const port = (tcp.address() as net.AddressInfo).port;
    const lan = Object.values(os.networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address ?? '127.0.0.1';
    try {
      const p = bed.addProject('abstract', {
        'server.js': `const net = require('net'); const dns = require('dns');
const out = {};
const tryConnect = (key, opts) => { out[key] = 'pending'; const c = net.connect(opts); c.on('data', (d) => { out[key] = 'REACHED ' + d; }); c.on('error', (e) => { out[key] = 'BLOCKED ' + e.code; }); };
tryConnect('abstract', { path: ${JSON.stringify(name)} });
tryConnect('loopback', { port: ${port}, host: '127.0.0.1' });
tryConnect('lan', { port: ${port}, host: ${JSON.stringify(lan)} });
out.dns = 'pending'; dns.lookup('example.com', (e, a) => { out.dns = e ? 'BLOCKED ' + e.code : 'RESOLVED ' + a; });
require('http').createServer((q, s) => s.end(JSON.stringify(out))).listen(process.env.PORT, '127.0.0.1');
`,
      });
      await bed.service.run(p.id);
      const run = await bed.service.waitSettled(p.id, 20_000);
      expect(run.state, `${run.reason}\n${run.outputTail}`).toBe('ready');
      const out = await pollJson(run.url as string, (v) => Object.keys(v).length === 4 && !Object.values(v).includes('pending'));
      expect(out.abstract).toMatch(/^BLOCKED/);
      expect(out.loopback).toMatch(/^BLOCKED/);
      expect(out.lan).toMatch(/^BLOCKED/);
      expect(out.dns).toMatch(/^BLOCKED/);
      expect(reached).toBe(0);
      await bed.service.stop(p.id);
    } finally {
      await new Promise((r) => abstract.close(r));
      await new Promise((r) => tcp.close(r));
    }
  });

  it('an app writing to HOME, /tmp, the folder above its workspace and / leaves nothing on the host', async () => {
    const p = bed.addProject('writes', {
      'server.js': `const fs = require('fs'); const path = require('path'); const os = require('os');
const out = {};
const targets = { home: path.join(os.homedir(), '${tag}-home'), tmp: '/tmp/${tag}-tmp', parent: path.join(path.dirname(process.cwd()), '${tag}-parent'), root: '/${tag}-root', vartmp: '/var/tmp/${tag}-vartmp', devshm: '/dev/shm/${tag}-shm' };
for (const [k, f] of Object.entries(targets)) { try { fs.writeFileSync(f, 'x'); out[k] = 'WROTE ' + f; } catch (e) { out[k] = 'BLOCKED ' + e.code; } }
require('http').createServer((q, s) => s.end(JSON.stringify(out))).listen(process.env.PORT, '127.0.0.1');
`,
    });
    await bed.service.run(p.id);
    const run = await bed.service.waitSettled(p.id, 20_000);
    expect(run.state, `${run.reason}\n${run.outputTail}`).toBe('ready');
    const out = await pollJson(run.url as string, (v) => Object.keys(v).length === 6);
    await bed.service.stop(p.id);
    // Inside its own tmpfs HOME and /tmp writes succeed; none of them may show on the host.
    const onHost = [
      path.join(os.homedir(), `${tag}-home`),
      path.join(os.tmpdir(), `${tag}-tmp`),
      `/tmp/${tag}-tmp`,
      path.join(path.dirname(p.root), `${tag}-parent`),
      `/${tag}-root`,
      `/var/tmp/${tag}-vartmp`,
      `/dev/shm/${tag}-shm`,
    ].filter((f) => fs.existsSync(f));
    for (const f of onHost) fs.rmSync(f, { force: true });
    expect(onHost, JSON.stringify(out)).toEqual([]);
  });

  it('daemons (setsid, double fork, SIGTERM ignored) do not survive stop', async () => {
    const marker = `${tag}-daemon`;
    const p = bed.addProject('daemons', {
      'server.js': `const { spawn } = require('child_process');
const keep = 'process.on("SIGTERM", () => {}); process.on("SIGHUP", () => {}); setInterval(() => {}, 1000)';
spawn('setsid', ['sh', '-c', 'node -e \\'' + keep + '\\' ${marker}-setsid & exit 0'], { detached: true, stdio: 'ignore' }).unref();
spawn('sh', ['-c', '(nohup node -e \\'' + keep + '\\' ${marker}-double >/dev/null 2>&1 &) ; exit 0'], { detached: true, stdio: 'ignore' }).unref();
require('http').createServer((q, s) => s.end('up')).listen(process.env.PORT, '127.0.0.1');
`,
    });
    await bed.service.run(p.id);
    const run = await bed.service.waitSettled(p.id, 20_000);
    expect(run.state, `${run.reason}\n${run.outputTail}`).toBe('ready');
    for (let i = 0; i < 40 && processesWith(marker).length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    expect(processesWith(marker).length).toBe(2);
    await bed.service.stop(p.id);
    await new Promise((r) => setTimeout(r, 300));
    expect(processesWith(marker)).toEqual([]);
    expect(processesWith(p.root)).toEqual([]);
  });

  it('a Makefile run target that deletes everything it can, and a run command full of shell tricks, touch nothing outside the workspace', async () => {
    const outside = path.join(path.dirname(bed.dir), `${tag}-neighbour`);
    fs.mkdirSync(outside, { recursive: true });
    fs.writeFileSync(path.join(outside, 'keep.txt'), 'keep');
    try {
      // Another project's folder: visible (read-only) to the sandbox, as the fixtures root is not hidden.
      const neighbour = bed.addProject('neighbour', { 'index.html': '<p>keep me</p>' });
      const p = bed.addProject('wiper', {
        Makefile: `run:\n\trm -rf "$$HOME"/* ${JSON.stringify(outside)} ${JSON.stringify(neighbour.root)} 2>/dev/null; node app.txt\n`,
        'app.txt': `require('http').createServer((q, s) => s.end('wiped')).listen(process.env.PORT, '127.0.0.1');\n`,
      });
      const detected = await bed.service.detect(p.id);
      expect(detected.chosen).toMatchObject({ kind: 'make', command: 'make run' });
      await bed.service.run(p.id);
      const run = await bed.service.waitSettled(p.id, 20_000);
      expect(run.state, `${run.reason}\n${run.outputTail}`).toBe('ready');
      await bed.service.stop(p.id);
      expect(fs.readFileSync(path.join(outside, 'keep.txt'), 'utf8')).toBe('keep');
      expect(fs.readFileSync(path.join(neighbour.root, 'index.html'), 'utf8')).toBe('<p>keep me</p>');
      // A command as a model might write it, with substitutions, redirections and a second line.
      const q = bed.addProject('tricks', { 'server.js': `require('http').createServer((q, s) => s.end('tricks')).listen(process.env.PORT, '127.0.0.1');\n` });
      const evil = `node server.js & echo $(id) > ${JSON.stringify(path.join(outside, 'pwned'))}; touch "$HOME/${tag}-pwned" /tmp/${tag}-pwned ../${tag}-pwned\n curl http://127.0.0.1:1/ ; wait`;
      await bed.service.configure(q.id, { command: evil });
      await bed.service.run(q.id);
      const run2 = await bed.service.waitSettled(q.id, 20_000);
      expect(run2.state, `${run2.reason}\n${run2.outputTail}`).toBe('ready');
      await bed.service.stop(q.id);
      const planted = [path.join(outside, 'pwned'), path.join(os.homedir(), `${tag}-pwned`), `/tmp/${tag}-pwned`, path.join(path.dirname(q.root), `${tag}-pwned`)].filter((f) => fs.existsSync(f));
      expect(planted).toEqual([]);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('daemons do not survive MACS closing the preview service without a stop', async () => {
    const own = createPreviewBed();
    const marker = `${tag}-closed`;
    const p = own.addProject('closing', {
      'server.js': `const { spawn } = require('child_process');
spawn('setsid', ['sh', '-c', 'node -e "process.on(\\'SIGTERM\\', () => {}); setInterval(() => {}, 1000)" ${marker} & exit 0'], { detached: true, stdio: 'ignore' }).unref();
require('http').createServer((q, s) => s.end('up')).listen(process.env.PORT, '127.0.0.1');
`,
    });
    try {
      await own.service.run(p.id);
      const run = await own.service.waitSettled(p.id, 20_000);
      expect(run.state, `${run.reason}\n${run.outputTail}`).toBe('ready');
      for (let i = 0; i < 40 && processesWith(marker).length < 1; i++) await new Promise((r) => setTimeout(r, 100));
      expect(processesWith(marker).length).toBe(1);
    } finally {
      await own.close();
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(processesWith(marker)).toEqual([]);
    expect(processesWith(p.root)).toEqual([]);
  });
});
