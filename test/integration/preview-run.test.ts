// Running what was built (issue 14), the process side against real bubblewrap: apps start
// in the sandbox, answer through the unix-socket bridge and the preview proxy, stop with
// nothing left behind (checked on the host in /proc), and stay off the host's network.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPreviewBed, fetchText, HAS_BWRAP, processesWith, type PreviewBed } from './preview-run-harness.js';

let bed: PreviewBed;

describe.skipIf(!HAS_BWRAP)('preview runs in the sandbox', () => {
  beforeAll(() => {
    bed = createPreviewBed();
  });
  afterAll(async () => {
    await bed?.close();
  });

  it('a dependency-free Node http app starts, answers through the proxy, and stop leaves no process', async () => {
    const marker = `node-marker-${Date.now()}`;
    const p = bed.addProject('node', {
      'server.js': `// ${marker}\nconst http = require('http');\nhttp.createServer((req, res) => res.end('hello from node ' + req.url)).listen(process.env.PORT, '127.0.0.1', () => console.log('listening'));\n`,
    });
    const detected = await bed.service.detect(p.id);
    expect(detected.chosen).toMatchObject({ kind: 'node', command: 'node server.js', web: true });
    // A marker on the command line, so the check below finds this run's processes only (the machine is shared).
    await bed.service.configure(p.id, { command: `node server.js ${marker}` });
    const started = Date.now();
    await bed.service.run(p.id);
    const run = await bed.service.waitSettled(p.id, 20_000);
    const readyMs = Date.now() - started;
    expect(run.state, `${run.reason}\n${run.outputTail}`).toBe('ready');
    expect(run.url).toBe(`http://127.0.0.1:${run.port}/`);
    const page = await fetchText(`${run.url}abc`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('hello from node /abc');
    expect(run.sessionId).toMatch(/^app-/);
    expect(bed.terminalText(run.sessionId as string)).toContain('listening');
    expect(bed.terminal.list().find((s) => s.sessionId === run.sessionId)).toMatchObject({ kind: 'app', taskId: null, title: 'App' });
    console.log(`node app ready in ${readyMs} ms`);
    expect(processesWith(marker).length).toBeGreaterThan(0);
    expect(processesWith(p.root).length).toBeGreaterThan(0); // bwrap, whose arguments name the workspace

    const stopped = await bed.service.stop(p.id);
    expect(stopped.state).toBe('idle');
    expect(processesWith(marker)).toEqual([]);
    expect(processesWith(p.root)).toEqual([]);
    await expect(fetch(run.url as string)).rejects.toThrow();
  });

  it('a package.json "dev" script runs through npm in the sandbox (nothing to install without dependencies)', async () => {
    const p = bed.addProject('npmdev', {
      // An argument after the file: not a plain `node <file>`, which would run without npm.
      'package.json': JSON.stringify({ name: 'npmdev', type: 'commonjs', scripts: { dev: 'node web.js --dev' } }),
      'web.js': `require('http').createServer((q, s) => s.end('from npm run dev')).listen(process.env.PORT, '127.0.0.1');\n`,
    });
    const { chosen } = await bed.service.detect(p.id);
    expect(chosen).toMatchObject({ kind: 'npm', command: 'npm run dev', install: null, web: true });
    await bed.service.run(p.id);
    const run = await bed.service.waitSettled(p.id, 20_000);
    expect(run.state, `${run.reason}\n${run.outputTail}`).toBe('ready');
    expect((await fetchText(run.url as string)).text).toBe('from npm run dev');
    await bed.service.stop(p.id);
    expect(processesWith(p.root)).toEqual([]);
  });

  it('a changed dependency file runs the project again from the start (install included), on the same port', async () => {
    const p = bed.addProject('depchange', { 'server.js': `require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT);\n` });
    await bed.service.run(p.id);
    const first = await bed.service.waitSettled(p.id, 20_000);
    expect(first.state).toBe('ready');
    bed.published.length = 0;
    bed.service.filesChanged(p.id, ['package.json']);
    let now = bed.service.status(p.id);
    for (let i = 0; i < 100 && !(now.state === 'ready' && now.startedAt !== first.startedAt); i++) {
      await new Promise((r) => setTimeout(r, 50));
      now = bed.service.status(p.id);
    }
    expect(now.state).toBe('ready');
    expect(now.startedAt).not.toBe(first.startedAt);
    expect(now.port).toBe(first.port);
    expect(bed.published.some((r) => r.projectId === p.id && r.state === 'starting')).toBe(true);
    await bed.service.stop(p.id);
  });

  it('the same project gets the same port on the next run', async () => {
    const p = bed.addProject('sameport', { 'server.js': `require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT);\n` });
    await bed.service.run(p.id);
    const first = await bed.service.waitSettled(p.id, 20_000);
    expect(first.state).toBe('ready');
    await bed.service.stop(p.id);
    await bed.service.run(p.id);
    const second = await bed.service.waitSettled(p.id, 20_000);
    expect(second.state).toBe('ready');
    expect(second.port).toBe(first.port);
    await bed.service.stop(p.id);
  });

  it('a python3 http.server app starts and answers, and stop leaves no python behind', async () => {
    const p = bed.addProject('python', {
      'server.py': 'import http.server, os\nclass H(http.server.BaseHTTPRequestHandler):\n    def do_GET(self):\n        self.send_response(200); self.end_headers(); self.wfile.write(b"hello from python")\nhttp.server.HTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()\n',
    });
    const detected = await bed.service.detect(p.id);
    expect(detected.chosen).toMatchObject({ kind: 'python', command: 'python3 server.py', web: true });
    await bed.service.run(p.id);
    const run = await bed.service.waitSettled(p.id, 20_000);
    expect(run.state, `${run.reason}\n${run.outputTail}`).toBe('ready');
    expect((await fetchText(run.url as string)).text).toBe('hello from python');
    await bed.service.stop(p.id);
    expect(processesWith(p.root)).toEqual([]);
  });

  it('an app that hard-codes its port (not $PORT) is found through /proc/net/tcp', async () => {
    const p = bed.addProject('hardcoded', {
      'server.js': `require('http').createServer((q, s) => s.end('on 5173')).listen(5173, 'localhost');\n`,
    });
    await bed.service.run(p.id);
    const run = await bed.service.waitSettled(p.id, 20_000);
    expect(run.state, `${run.reason}\n${run.outputTail}`).toBe('ready');
    expect((await fetchText(run.url as string)).text).toBe('on 5173');
    await bed.service.stop(p.id);
  });

  it("the app cannot reach a server on the host's 127.0.0.1", async () => {
    let connections = 0;
    const host = net.createServer((s) => {
      connections++;
      s.end('host secret\n');
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    const hostPort = (host.address() as net.AddressInfo).port;
    try {
      const p = bed.addProject('netcheck', {
        'server.js': `const net = require('net');\nlet verdict = 'pending';\nconst c = net.connect(${hostPort}, '127.0.0.1');\nc.on('data', (d) => { verdict = 'REACHED ' + d; });\nc.on('error', (e) => { verdict = 'BLOCKED ' + e.code; });\nnet.connect(80, '1.1.1.1').on('error', (e) => console.error('outbound failed: ' + e.message));\nrequire('http').createServer((q, s) => s.end(verdict)).listen(process.env.PORT, '127.0.0.1');\n`,
      });
      await bed.service.run(p.id);
      const run = await bed.service.waitSettled(p.id, 20_000);
      expect(run.state, `${run.reason}\n${run.outputTail}`).toBe('ready');
      let verdict = 'pending';
      for (let i = 0; i < 30 && verdict === 'pending'; i++) {
        verdict = (await fetchText(run.url as string)).text;
        if (verdict === 'pending') await new Promise((r) => setTimeout(r, 100));
      }
      expect(verdict).toMatch(/^BLOCKED/);
      expect(connections).toBe(0);
      // A call to the internet is blocked too, and logged as a 'blocked' error.
      let blocked = bed.service.status(p.id).fingerprints.find((f) => f.source === 'blocked');
      for (let i = 0; i < 20 && !blocked; i++) {
        await new Promise((r) => setTimeout(r, 100));
        blocked = bed.service.status(p.id).fingerprints.find((f) => f.source === 'blocked');
      }
      expect(blocked?.message).toMatch(/ENETUNREACH/);
      await bed.service.stop(p.id);
    } finally {
      await new Promise((r) => host.close(r));
    }
  });

  it("an app that swaps the bridge's socket for a symlink to a host socket does not get the proxy to talk to it", async () => {
    // A host service speaking HTTP on a unix socket (as Docker and snapd do).
    const hostDir = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-hostsock-'));
    const hostSocket = path.join(hostDir, 'service.sock');
    let connections = 0;
    const service = net.createServer((s) => {
      connections++;
      s.end('HTTP/1.1 200 OK\r\ncontent-length: 11\r\n\r\nhost secret');
    });
    await new Promise<void>((resolve) => service.listen(hostSocket, resolve));
    try {
      const p = bed.addProject('swap', {
        'target.txt': hostSocket,
        'server.js': `const fs = require('fs');
const target = fs.readFileSync('target.txt', 'utf8').trim();
require('http').createServer((q, s) => s.end('app')).listen(process.env.PORT, () => setTimeout(() => {
  for (const pid of fs.readdirSync('/proc').filter((n) => /^\\d+$/.test(n))) {
    try {
      const argv = fs.readFileSync('/proc/' + pid + '/cmdline', 'utf8').split('\\0');
      const i = argv.findIndex((a) => a.endsWith('bridge.mjs'));
      if (i < 0 || !argv[i + 1]) continue;
      try { fs.unlinkSync(argv[i + 1]); } catch {}
      fs.symlinkSync(target, argv[i + 1]);
      console.log('SWAPPED ' + argv[i + 1]);
    } catch (e) { console.log('swap failed ' + e.message); }
  }
}, 800));
`,
      });
      await bed.service.run(p.id);
      const run = await bed.service.waitSettled(p.id, 20_000);
      expect(run.state, `${run.reason}\n${run.outputTail}`).toBe('ready');
      expect((await fetchText(run.url as string)).text).toBe('app');
      for (let i = 0; i < 50 && !bed.service.status(p.id).outputTail.includes('SWAPPED'); i++) await new Promise((r) => setTimeout(r, 100));
      expect(bed.service.status(p.id).outputTail).toContain('SWAPPED');
      // Several at once: the proxy's kept-alive connection is busy, so it opens new ones.
      const pages = await Promise.all(Array.from({ length: 6 }, () => fetchText(run.url as string).catch(() => ({ status: 0, text: '' }))));
      for (const page of pages) expect(page.text).not.toContain('host secret');
      expect(connections).toBe(0);
      await bed.service.stop(p.id);
    } finally {
      await new Promise((r) => service.close(r));
      fs.rmSync(hostDir, { recursive: true, force: true });
    }
  });

  it('a static index.html is served by the proxy (no process)', async () => {
    const p = bed.addProject('static', { 'index.html': '<!doctype html><h1>static hello</h1>' });
    await bed.service.run(p.id);
    const run = await bed.service.waitSettled(p.id, 10_000);
    expect(run.state).toBe('ready');
    expect(run.plan?.kind).toBe('static');
    expect((await fetchText(run.url as string)).text).toContain('static hello');
    const before = bed.service.status(p.id).reloadSeq;
    bed.service.filesChanged(p.id, ['index.html']);
    expect(bed.service.status(p.id).reloadSeq).toBe(before + 1);
    await bed.service.stop(p.id);
  });

  it('a changed file restarts the server, and the page reloads', async () => {
    const p = bed.addProject('restart', { 'server.js': `require('http').createServer((q, s) => s.end('v1')).listen(process.env.PORT);\n` });
    await bed.service.run(p.id);
    const first = await bed.service.waitSettled(p.id, 20_000);
    expect((await fetchText(first.url as string)).text).toBe('v1');
    fs.writeFileSync(path.join(p.root, 'server.js'), `require('http').createServer((q, s) => s.end('v2')).listen(process.env.PORT);\n`);
    const changedAt = Date.now();
    bed.service.filesChanged(p.id, ['server.js']);
    // The old server answers until the new one does: no request meets a gap.
    let text = '';
    const seen: string[] = [];
    for (let i = 0; i < 200 && (text !== 'v2' || bed.service.status(p.id).state !== 'ready'); i++) {
      await new Promise((r) => setTimeout(r, 25));
      text = await fetchText(first.url as string).then((r) => (r.status === 200 ? r.text : `status ${r.status}`), (e: Error) => e.message);
      seen.push(text);
    }
    expect(text).toBe('v2');
    expect(seen.filter((t) => t !== 'v1' && t !== 'v2')).toEqual([]);
    const after = bed.service.status(p.id);
    console.log(`restart after a file change: ready again ${(after.readyAt ?? 0) - changedAt} ms after filesChanged`);
    expect(after.state).toBe('ready');
    expect(after.reloadSeq).toBeGreaterThan(first.reloadSeq);
    expect(after.restarts).toBe(0);
    await bed.service.stop(p.id);
  });
});
