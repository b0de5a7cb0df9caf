import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findElectronBinary } from '../../scripts/electron-binary.mjs';

// Runs the real desktop shell where an Electron binary exists; says plainly when it cannot.
const ROOT = path.resolve(__dirname, '../..');
function findElectron(): { binary?: string; reason?: string } {
  // Not require('electron'): since Electron 42 that downloads a missing binary (see the helper).
  const found = findElectronBinary();
  if (!found.binary) return found;
  const display = process.env.DISPLAY || spawnSync('which', ['xvfb-run']).status === 0;
  if (process.platform === 'linux' && !display) return { reason: 'no display and no xvfb-run' };
  return found;
}

const electron = findElectron();
if (!electron.binary) console.log(`Electron smoke test SKIPPED: ${electron.reason}.`);

describe('Electron shell', () => {
  it.skipIf(!electron.binary)('opens the window, loads the UI over app://, the preload bridge answers, links stay in their lane', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-electron-'));
    const useXvfb = process.platform === 'linux' && !process.env.DISPLAY;
    const cmd = useXvfb ? 'xvfb-run' : electron.binary!;
    const args = useXvfb ? ['-a', electron.binary!, '--no-sandbox', '.'] : ['.'];
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, MACS_SMOKE_TEST: '1', MACS_DATA_DIR: dataDir } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(out).toMatch(/MACS_SMOKE_OK .*"host":"electron"/);
    expect(out).toMatch(/MACS_SMOKE_OK .*"fileLink":"LINK_NOT_ALLOWED"/); // checked again in the main process
    expect(out).toMatch(/MACS_SMOKE_OK .*"popup":"null"/); // setWindowOpenHandler denies
    expect(code).toBe(0);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
