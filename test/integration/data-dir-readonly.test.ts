// A data folder that cannot be written (read-only mount, or macs.db not writable) stops
// MACS at start with one sentence (DATA_DIR_NOT_WRITABLE), not a stack trace. We run as
// root in CI, where file modes do not stop a write: a read-only tmpfs mount does.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MacsError } from '../../shared/index.js';
import { createEngine } from '../../electron/core/engine/index.js';
import { main } from '../../electron/cli/macs.js';

const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-rodisk-'));
let skipReason: string | null = os.platform() === 'linux' ? null : 'tmpfs mounts are a Linux test';
if (!skipReason) {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', mountPoint], { stdio: 'pipe' });
  } catch (err) {
    skipReason = `mount -t tmpfs is not permitted here (${(err as Error).message.split('\n')[0]})`;
  }
}
if (skipReason) console.warn(`read-only data dir test skipped: ${skipReason}`);

describe.skipIf(skipReason !== null)('a data folder that cannot be written', () => {
  const dataDir = path.join(mountPoint, 'data');

  beforeAll(async () => {
    // A real data dir with a database, then the file system goes read-only under it.
    const engine = createEngine({ dataDir, host: 'cli', version: 'test', runsQueue: false });
    await engine.close();
    execFileSync('mount', ['-o', 'remount,ro', mountPoint]);
  });
  afterAll(() => {
    try {
      execFileSync('umount', [mountPoint], { stdio: 'pipe' });
    } catch {
      execFileSync('umount', ['-l', mountPoint], { stdio: 'pipe' });
    }
    fs.rmSync(mountPoint, { recursive: true, force: true });
  });

  it('an existing macs.db on a read-only file system: DATA_DIR_NOT_WRITABLE in one sentence', () => {
    let thrown: unknown;
    try {
      createEngine({ dataDir, host: 'browser', version: 'test' });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(MacsError);
    expect((thrown as MacsError).code).toBe('DATA_DIR_NOT_WRITABLE');
    expect((thrown as MacsError).message).toBe(
      `MACS cannot write its database ${path.join(dataDir, 'macs.db')}: its file system is mounted read-only. Make ${dataDir} writable, or start MACS with another data folder (MACS_DATA_DIR=/path/to/folder).`,
    );
  });

  it('a data folder that does not exist yet on a read-only file system: the same', () => {
    expect(() => createEngine({ dataDir: path.join(mountPoint, 'new'), host: 'browser', version: 'test' })).toThrow(/cannot write its database .*read-only/);
  });

  it('macs serve prints the sentence and exits 1 (no stack trace)', async () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    let code: number | undefined;
    try {
      code = await main(['serve', '--port', '0'], { ...process.env, MACS_DATA_DIR: dataDir });
    } finally {
      spy.mockRestore();
    }
    expect(code).toBe(1);
    const out = written.join('');
    expect(out).toMatch(/^macs: MACS cannot write its database .*macs\.db: its file system is mounted read-only\./);
    expect(out).not.toMatch(/\n\s+at /);
  });
});
