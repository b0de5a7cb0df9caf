// `macs exec`: exit codes (the command's, 124 timeout, 125 sandbox error, 127 not
// found, 130 interrupted, 2 usage) and stdout/stderr kept apart, with the real sandbox.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execCommand, type ExecCommandOptions } from '../../electron/cli/exec-command.js';
import type { CliContext } from '../../electron/cli/context.js';
import { detectSandbox } from '../../electron/core/sandbox/index.js';

const sandbox = detectSandbox();
const FIXTURES = path.resolve(import.meta.dirname, '../.tmp');
let ws = '';

function harness() {
  const out: string[] = [];
  const err: string[] = [];
  const signals = new EventEmitter();
  const ctx: CliContext = {
    version: 'test',
    dataDir: '/nonexistent',
    rendererDir: '/nonexistent',
    env: {},
    stdout: (l) => out.push(`${l}\n`),
    stderr: (l) => err.push(`${l}\n`),
    write: (t) => out.push(t),
  };
  const run = (opts: Partial<ExecCommandOptions>) =>
    execCommand(ctx, { workspace: ws, command: [], ...opts }, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), signals: signals as unknown as NodeJS.Process, sandbox });
  return { run, out: () => out.join(''), err: () => err.join(''), signals };
}

describe.skipIf(sandbox.backend !== 'bwrap')('macs exec', () => {
  beforeAll(() => {
    fs.mkdirSync(FIXTURES, { recursive: true });
    ws = fs.mkdtempSync(path.join(FIXTURES, 'exec-'));
  });
  afterAll(() => fs.rmSync(ws, { recursive: true, force: true }));

  it("exits with the command's code, stdout and stderr apart", async () => {
    const h = harness();
    expect(await h.run({ command: ['sh', '-c', 'echo out; echo err >&2; exit 7'] })).toBe(7);
    expect(h.out()).toBe('out\n');
    expect(h.err()).toBe('err\n');
  });

  it('applies the level: read-only cannot write', async () => {
    const h = harness();
    expect(await h.run({ level: 'read-only', command: ['sh', '-c', 'echo x > f'] })).not.toBe(0);
    expect(fs.existsSync(path.join(ws, 'f'))).toBe(false);
  });

  it('124 on timeout', async () => {
    const h = harness();
    const t0 = Date.now();
    expect(await h.run({ timeoutS: '0.5', command: ['sleep', '30'] })).toBe(124);
    expect(Date.now() - t0).toBeLessThan(4000);
    expect(h.err()).toMatch(/timeout/);
  });

  it('130 on Ctrl-C, and the command is gone', async () => {
    const h = harness();
    const pending = h.run({ command: ['sleep', '30'] });
    await new Promise((r) => setTimeout(r, 300));
    h.signals.emit('SIGINT');
    expect(await pending).toBe(130);
  });

  it('125 when the sandbox refuses the workspace', async () => {
    const h = harness();
    expect(await h.run({ workspace: '/', command: ['true'] })).toBe(125);
    expect(h.err()).toMatch(/filesystem root/);
  });

  it('127 when the command does not exist', async () => {
    const h = harness();
    expect(await h.run({ command: ['no-such-command-xyz'] })).toBe(127);
  });

  it('2 for usage errors', async () => {
    expect(await harness().run({ workspace: undefined, command: ['true'] })).toBe(2);
    expect(await harness().run({ command: [] })).toBe(2);
    expect(await harness().run({ level: 'root', command: ['true'] })).toBe(2);
    expect(await harness().run({ timeoutS: 'soon', command: ['true'] })).toBe(2);
  });
});
