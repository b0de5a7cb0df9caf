// The data dirs this process serves. They hold the API key, macs.db (every task's
// prompts, answers and files), other projects' workspaces and the exec logs: no
// sandboxed command may read them, wherever they live (/srv/macs is not hidden by
// the /tmp, /run and HOME tmpfs). Hosts register theirs at start-up (createEngine,
// `macs exec`); the default data dir (MACS_DATA_DIR, else the app's userData folder)
// always counts, so a caller that forgot to register is still covered.
import fs from 'node:fs';
import path from 'node:path';
import { defaultDataDir } from '../config/index.js';

const registered: string[] = [];

/** Hide `dir` from every sandbox this process builds from now on. */
export function registerDataDir(dir: string): void {
  const resolved = path.resolve(dir);
  if (!registered.includes(resolved)) registered.push(resolved);
}

/** Existing data dirs, realpath'd (bwrap mounts over the resolved path), never `/`. */
export function protectedDataDirs(hostEnv: NodeJS.ProcessEnv): string[] {
  const out: string[] = [];
  for (const dir of [...registered, defaultDataDir(hostEnv)]) {
    let real: string;
    try {
      real = fs.realpathSync(dir);
      if (!fs.statSync(real).isDirectory()) continue;
    } catch {
      continue; // not created yet: nothing in it to read
    }
    if (path.dirname(real) !== real && !out.includes(real)) out.push(real);
  }
  return out;
}

/** Where .git folders the sandbox made are moved: `<data dir>/quarantine` of the most recently registered data dir. */
export function defaultQuarantineDir(hostEnv: NodeJS.ProcessEnv): string {
  return path.join(registered.at(-1) ?? defaultDataDir(hostEnv), 'quarantine');
}
