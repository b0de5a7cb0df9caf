// `npm start`: the desktop window when an Electron binary is available; otherwise one
// line saying why, and the same UI from the browser host (`macs serve`).
import { spawn } from 'node:child_process';
import { findElectronBinary } from './electron-binary.mjs';

function headless() {
  return process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
}

const found = findElectronBinary();
if (found.binary && !headless()) {
  const child = spawn(found.binary, ['.'], { stdio: 'inherit', env: process.env });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const why = found.binary ? 'no display is available' : found.reason;
  console.log(`Electron window unavailable (${why}); starting the browser UI instead — open the URL below.`);
  const child = spawn(process.execPath, ['bin/macs.js', 'serve', ...process.argv.slice(2)], { stdio: 'inherit', env: process.env });
  child.on('exit', (code) => process.exit(code ?? 0));
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
}
