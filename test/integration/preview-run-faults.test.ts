// Running what was built (issue 14): the ways a run goes wrong, each with its reason and
// the output tail: a crash before the port opened, a crash loop (stopped after 3
// restarts), no port within the timeout, an offline install that needs the registry, a
// pinned port that is taken, nothing to run, and a command that is not a server.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MacsError } from '../../shared/index.js';
import { createPreviewBed, HAS_BWRAP, processesWith, type PreviewBed } from './preview-run-harness.js';

let bed: PreviewBed;

describe.skipIf(!HAS_BWRAP)('preview run faults', () => {
  beforeAll(() => {
    bed = createPreviewBed({ readyTimeoutMs: 2_000 });
  });
  afterAll(async () => {
    await bed?.close();
  });

  it('a server that throws at start fails CRASHED with its stack in the tail and as a fingerprint naming the file', async () => {
    const p = bed.addProject('throws', {
      'server.js': `const http = require('http');\nfunction boot() { throw new TypeError('config.port is undefined'); }\nboot();\nhttp.createServer().listen(process.env.PORT);\n`,
    });
    await bed.service.run(p.id);
    const run = await bed.service.waitSettled(p.id, 10_000);
    expect(run.state).toBe('failed');
    expect(run.failure).toBe('CRASHED');
    expect(run.reason).toContain('exited with code 1');
    expect(run.outputTail).toContain('TypeError: config.port is undefined');
    expect(run.restarts).toBe(0);
    const fp = run.fingerprints.find((f) => f.message.includes('config.port is undefined'));
    expect(fp?.files).toContain('server.js');
    expect(bed.service.fingerprint(p.id, fp?.id as string)?.count).toBe(1);
    bed.service.noteFixAttempt(p.id, fp?.id as string);
    expect(bed.service.fingerprint(p.id, fp?.id as string)?.fixAttempts).toBe(1);
  });

  it('a server that keeps crashing after it served is restarted 3 times, then stopped as CRASH_LOOP', async () => {
    const p = bed.addProject('crashloop', {
      'server.js': `const http = require('http');\nhttp.createServer((q, s) => s.end('up')).listen(process.env.PORT, () => { console.log('up, crashing soon'); setTimeout(() => { console.error('boom'); process.exit(3); }, 400); });\n`,
    });
    await bed.service.run(p.id);
    let run = bed.service.status(p.id);
    for (let i = 0; i < 200 && run.state !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      run = bed.service.status(p.id);
    }
    expect(run.state).toBe('failed');
    expect(run.failure).toBe('CRASH_LOOP');
    expect(run.restarts).toBe(3);
    expect(run.reason).toContain('restarted 3 times');
    expect(run.outputTail.match(/up, crashing soon/g)?.length).toBe(4);
    await new Promise((r) => setTimeout(r, 300));
    expect(processesWith(p.root)).toEqual([]);
  });

  it('a server that never opens a port fails NO_PORT with the last 50 lines of its output', async () => {
    const p = bed.addProject('noport', {
      'server.js': `const http = require('http');\nfor (let i = 1; i <= 80; i++) console.log('line ' + i);\nif (process.env.NEVER) http.createServer().listen(1);\nsetInterval(() => {}, 1000);\n`,
    });
    await bed.service.run(p.id);
    const run = await bed.service.waitSettled(p.id, 10_000);
    expect(run.state).toBe('failed');
    expect(run.failure).toBe('NO_PORT');
    expect(run.reason).toContain('never opened a port');
    const lines = run.outputTail.split('\n');
    expect(lines).toHaveLength(50);
    expect(lines.at(-1)).toBe('line 80');
    expect(lines[0]).toBe('line 31');
    await new Promise((r) => setTimeout(r, 500));
    expect(processesWith(p.root)).toEqual([]);
  });

  it('an install that needs the registry says so when registry access is off', { timeout: 90_000 }, async () => {
    const p = bed.addProject('needsnet', {
      'package.json': JSON.stringify({ name: 'x', scripts: { start: 'node server.js' }, dependencies: { 'macs-surely-not-cached-pkg': '1.0.0' } }),
      'server.js': `require('http').createServer((q, s) => s.end('x')).listen(process.env.PORT);\n`,
    });
    const detected = await bed.service.detect(p.id);
    expect(detected.chosen?.install).toMatchObject({ command: 'npm install', needsNetwork: true });
    await bed.service.run(p.id);
    const run = await bed.service.waitSettled(p.id, 80_000);
    expect(run.state).toBe('failed');
    expect(run.failure).toBe('INSTALL_NEEDS_NETWORK');
    expect(run.reason).toContain('install: registry access');
    expect(run.reason).toContain('npm install --offline');
    expect(bed.terminalText(run.sessionId as string)).toContain('npm install --offline');
  });

  it('a pinned port that is taken gives another port and says so', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const p = bed.addProject('pinned', { 'index.html': '<p>pinned</p>' });
      const configured = await bed.service.configure(p.id, { pinnedPort: taken });
      expect(configured.settings.pinnedPort).toBe(taken);
      await bed.service.run(p.id);
      const run = await bed.service.waitSettled(p.id, 10_000);
      expect(run.state).toBe('ready');
      expect(run.pinnedPortTaken).toBe(true);
      expect(run.port).not.toBe(taken);
      await bed.service.stop(p.id);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('a folder with nothing to run is refused APP_NOT_RUNNABLE', async () => {
    const p = bed.addProject('empty', { 'notes.txt': 'hello' });
    const error = await bed.service.run(p.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MacsError);
    expect((error as MacsError).code).toBe('APP_NOT_RUNNABLE');
    expect(bed.service.status(p.id)).toMatchObject({ state: 'failed', failure: 'NOTHING_TO_RUN' });
  });

  it('a command that is not a server runs to its end: exited, with its exit code', async () => {
    const p = bed.addProject('script', { 'index.js': `console.log('computed 42');\n` });
    await bed.service.run(p.id);
    const run = await bed.service.waitSettled(p.id, 10_000);
    expect(run.plan?.web).toBe(false);
    expect(run.state).toBe('exited');
    expect(run.exitCode).toBe(0);
    expect(run.outputTail).toContain('computed 42');
  });
});
