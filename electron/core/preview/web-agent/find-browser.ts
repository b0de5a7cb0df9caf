// Which Chromium the web agent drives: the one the machine has (MACS ships none). Looked for
// in a fixed order; when none is found the reason names every place looked at, so the build
// step that needed it says so instead of passing silently.
import fs from 'node:fs';

const KNOWN_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium'];

export type BrowserFound = { ok: true; executable: string } | { ok: false; reason: string };

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** MACS_CHROMIUM first (when set it is the only one tried: the user chose it), then the usual install paths. */
export function findChromium(env: NodeJS.ProcessEnv = process.env, paths: readonly string[] = KNOWN_PATHS): BrowserFound {
  const chosen = env.MACS_CHROMIUM?.trim();
  if (chosen) {
    return isExecutable(chosen) ? { ok: true, executable: chosen } : { ok: false, reason: `MACS_CHROMIUM is ${chosen}, which is not an executable file.` };
  }
  const found = paths.find(isExecutable);
  if (found) return { ok: true, executable: found };
  return { ok: false, reason: `No Chromium was found (looked for MACS_CHROMIUM, ${paths.join(', ')}); install chromium or set MACS_CHROMIUM to run the web checks.` };
}
