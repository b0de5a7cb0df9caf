// Where the Electron binary is, WITHOUT `require('electron')`: since Electron 42 that call
// downloads the binary when it is missing (the package no longer does it at npm install), so
// on an offline machine or in CI it would hang on the network instead of saying "no binary".
// Used by `npm start` (scripts/start.mjs) and the Electron smoke test.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

function electronPackageDir() {
  try {
    return path.dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/** The electron package's own downloader (what `require('electron')` would run), or null. */
export function electronInstallScript() {
  const dir = electronPackageDir();
  return dir && existsSync(path.join(dir, 'install.js')) ? path.join(dir, 'install.js') : null;
}

/** @returns {{ binary: string } | { reason: string }} */
export function findElectronBinary() {
  const dir = electronPackageDir();
  if (!dir) return { reason: 'the electron package is not installed (npm install)' };
  const { version } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const hint = `run \`npx install-electron\` once with network access to download Electron ${version}`;
  const pathFile = path.join(dir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const binary = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
    return existsSync(binary) ? { binary } : { reason: `ELECTRON_OVERRIDE_DIST_PATH has no Electron binary at ${binary}` };
  }
  if (!relative) return { reason: `the Electron binary was never downloaded (Electron 42 and later fetch it on first use, not at npm install); ${hint}` };
  const binary = path.join(dir, 'dist', relative);
  if (!existsSync(binary)) return { reason: `the Electron binary is missing from ${path.dirname(binary)}; ${hint}` };
  const versionFile = path.join(dir, 'dist', 'version');
  const downloaded = existsSync(versionFile) ? readFileSync(versionFile, 'utf8').trim().replace(/^v/, '') : '';
  if (downloaded && downloaded !== version) return { reason: `the downloaded Electron is ${downloaded}, not ${version}; ${hint}` };
  return { binary };
}
