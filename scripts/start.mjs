// `npm start`: the desktop window when an Electron binary is available; otherwise one
// line saying why, and the same UI from the browser host (`macs serve`).
import { spawn, spawnSync } from 'node:child_process';
import { electronInstallScript, findElectronBinary } from './electron-binary.mjs';

function headless() {
  return process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
}

let found = findElectronBinary();
// Electron 42+ no longer downloads its binary at npm install. Fetch it once here, as
// `require('electron')` would, unless told not to (CI, air-gapped) or there is no display.
const installer = electronInstallScript();
if (!found.binary && installer && !process.env.ELECTRON_SKIP_BINARY_DOWNLOAD && !headless()) {
  console.log('Downloading the Electron binary once (set ELECTRON_SKIP_BINARY_DOWNLOAD=1 to skip and use the browser UI)…');
  spawnSync(process.execPath, [installer], { stdio: 'inherit', timeout: 600_000 });
  found = findElectronBinary();
}
if (found.binary && !headless()) {
  const child = spawn(found.binary, ['.'], { stdio: 'inherit', env: process.env });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const why = found.binary ? 'no display is available' : found.reason;
  console.log(`Electron window unavailable: ${why}. Starting the browser UI instead — open the URL below.`);
  const child = spawn(process.execPath, ['bin/macs.js', 'serve', ...process.argv.slice(2)], { stdio: 'inherit', env: process.env });
  child.on('exit', (code) => process.exit(code ?? 0));
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
}
