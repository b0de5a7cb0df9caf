// Adversarial review of issue 14: where the run folders live. A run's box/ (the bridge's
// socket) sits under os.tmpdir(). The sandbox hides /tmp, /run and HOME, but a TMPDIR
// elsewhere (/var/tmp, /scratch, …) is visible, read-only, to every sandbox; connect() on a
// unix socket is not stopped by a read-only mount, and another project's bridge socket lives
// in another network namespace, so it is not in the host's /proc/net/unix list of masks.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturesRoot } from './sandbox-harness.js';
import { createPreviewBed, fetchText, HAS_BWRAP, type PreviewBed } from './preview-run-harness.js';

let bed: PreviewBed;
let tmp: string;
const savedTmpdir = process.env.TMPDIR;

describe.skipIf(!HAS_BWRAP)('preview attacks: run folders under a TMPDIR the sandbox can see', () => {
  beforeAll(() => {
    // Short (a socket path must fit in 108 bytes) and outside the folders the sandbox hides.
    tmp = fs.mkdtempSync(path.join(fixturesRoot(), 't'));
    process.env.TMPDIR = tmp;
    bed = createPreviewBed();
  });
  afterAll(async () => {
    if (savedTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmpdir;
    await bed?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  // Was a hole: run folders were made under os.tmpdir(); with TMPDIR outside /tmp, /run and
  // HOME, project A's app listed it, found B's bridge socket and talked to B's app ('B SECRET').
  // Run folders now always go under /tmp on Linux (run-dir.ts runDirBase), which bwrap hides.
  it("project A's app cannot reach project B's app through B's bridge socket", async () => {
    const b = bed.addProject('victim', { 'server.js': `require('http').createServer((q, s) => s.end('B SECRET')).listen(process.env.PORT, '127.0.0.1');\n` });
    await bed.service.run(b.id);
    expect((await bed.service.waitSettled(b.id, 20_000)).state).toBe('ready');
    const a = bed.addProject('thief', {
      'server.js': `const fs = require('fs'); const path = require('path'); const http = require('http');
const tmp = ${JSON.stringify(tmp)};
let loot = 'nothing';
function steal() {
  for (const d of fs.readdirSync(tmp)) {
    let sock;
    try { sock = fs.readdirSync(path.join(tmp, d, 'box')).filter((f) => f.endsWith('.sock')).map((f) => path.join(tmp, d, 'box', f)); } catch { continue; }
    for (const s of sock) {
      http.get({ socketPath: s, path: '/' }, (r) => { let t = ''; r.on('data', (c) => t += c); r.on('end', () => { if (!t.includes('nothing')) loot = t; }); }).on('error', () => {});
    }
  }
}
steal();
http.createServer((q, s) => { steal(); s.end(loot); }).listen(process.env.PORT, '127.0.0.1');
`,
    });
    await bed.service.run(a.id);
    const run = await bed.service.waitSettled(a.id, 20_000);
    expect(run.state, `${run.reason}\n${run.outputTail}`).toBe('ready');
    let loot = '';
    for (let i = 0; i < 10; i++) {
      loot = (await fetchText(run.url as string)).text;
      await new Promise((r) => setTimeout(r, 100));
    }
    await bed.service.stop(a.id);
    await bed.service.stop(b.id);
    expect(loot).not.toContain('B SECRET');
  });
});
