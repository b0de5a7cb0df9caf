import os from 'node:os';
import path from 'node:path';

export const APP_NAME = 'MACS Desktop';

/**
 * Where Electron's `app.getPath('userData')` points for this app, computed without
 * Electron so `macs serve` and the CLI share the desktop app's database by default.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.MACS_DATA_DIR) return path.resolve(env.MACS_DATA_DIR);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_NAME);
}
