// `npm start`: the desktop window when an Electron binary is available; otherwise one
// line saying why, and the same UI from the browser host (`macs serve`).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';

const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const binary = require('electron'); // the package exports the binary's path, or throws if it was never downloaded
    return typeof binary === 'string' && existsSync(binary) ? { binary } : { reason: 'the Electron binary is not installed' };
  } catch {
    return { reason: 'no Electron binary is installed; its download was skipped or blocked at npm install' };
  }
}

function headless() {
  return process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
}

const found = electronBinary();
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
