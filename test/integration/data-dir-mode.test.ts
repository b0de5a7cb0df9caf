// The data dir holds every prompt, answer and generated file (macs.db, workspaces): another
// user on the machine must not read it directly, around the API's credentials. With the
// usual umask 022 it was created 0755 and macs.db 0644, readable by every local account.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../electron/core/engine/index.js';
import { closedPort, tempDataDir } from './helpers.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
});

const modeOf = (p: string) => fs.statSync(p).mode & 0o777;

async function open(dataDir: string): Promise<void> {
  const engine = createEngine({ dataDir, host: 'browser', version: 'test', ollamaHost: `http://127.0.0.1:${await closedPort()}`, env: {} });
  await engine.close();
}

describe.skipIf(process.platform === 'win32')('data dir permissions', () => {
  it('a new data dir is private to its owner (0700), whatever the umask', async () => {
    const root = tempDataDir('mode');
    roots.push(root);
    fs.chmodSync(root, 0o755);
    const dataDir = path.join(root, 'nested', 'MACS Desktop');
    const previous = process.umask(0o022);
    try {
      await open(dataDir);
    } finally {
      process.umask(previous);
    }
    expect(modeOf(dataDir).toString(8)).toBe('700');
  });

  it('an existing data dir of ours that others can read is made private at start', async () => {
    const dataDir = tempDataDir('mode-existing');
    roots.push(dataDir);
    fs.chmodSync(dataDir, 0o755);
    await open(dataDir);
    expect(modeOf(dataDir).toString(8)).toBe('700');
  });
});
