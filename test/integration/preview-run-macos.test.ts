// On macOS the sandbox (sandbox-exec) has no network namespace for the app and no socket
// for the bridge: a server app is refused with a sentence that says so (instead of a run
// that times out on a port), while a static site still runs (MACS serves its files).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MacsError } from '../../shared/index.js';
import type { Sandbox } from '../../electron/core/sandbox/index.js';
import { createPreviewBed, sandbox, type PreviewBed } from './preview-run-harness.js';

const seatbelt: Sandbox = {
  backend: 'sandbox-exec',
  status: () => ({ ...sandbox.status(), backend: 'sandbox-exec' }),
  buildCommand: () => {
    throw new Error('a server app must not be started under sandbox-exec');
  },
  signalTree: () => undefined,
};

let bed: PreviewBed;
beforeAll(() => {
  bed = createPreviewBed({ sandbox: seatbelt });
});
afterAll(async () => {
  await bed.close();
});

describe('running apps under the macOS sandbox', () => {
  it('refuses a server app with the reason, and still serves a static site', async () => {
    const server = bed.addProject('node', { 'server.js': "require('http').createServer((q, s) => s.end('x')).listen(process.env.PORT);\n", 'package.json': '{"scripts":{"start":"node server.js"}}' });
    const err = await bed.service.run(server.id).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(MacsError);
    expect((err as MacsError).code).toBe('NOT_SUPPORTED');
    expect((err as MacsError).message).toMatch(/macOS sandbox/);
    expect(bed.service.status(server.id)).toMatchObject({ state: 'failed', reason: expect.stringMatching(/macOS sandbox/) });

    const site = bed.addProject('site', { 'index.html': '<!doctype html><h1>static ok</h1>' });
    await bed.service.run(site.id);
    const ready = await bed.service.waitSettled(site.id, 10_000);
    expect(ready.state).toBe('ready');
    expect(await (await fetch(ready.url!)).text()).toContain('static ok');
  });
});
