// A run's host folder: the bridge script and its unix socket. Short (a socket path must
// fit in 108 bytes), under the temp folder, 0700 (mkdtemp): only this user reaches the
// socket. It is bound writable into the sandbox at the same path (SandboxSpec.extraBinds),
// over the sandbox's private /tmp.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MacsError } from '../../../../shared/index.js';

export interface RunDir {
  dir: string;
  socketPath: string;
  bridgeScript: string;
  remove(): void;
}

/**
 * resources/preview/bridge.mjs: MACS_RESOURCES_DIR, else the first found walking up from
 * this module (source tree, dist/, the packaged app). Its text is copied into the run
 * folder, so the sandbox never needs to see MACS's own install (which may sit in a hidden
 * home folder or an asar archive).
 */
export function findBridgeScript(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MACS_RESOURCES_DIR) return path.join(env.MACS_RESOURCES_DIR, 'preview', 'bridge.mjs');
  const here = typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url);
  for (let dir = path.dirname(here); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'resources', 'preview', 'bridge.mjs');
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new MacsError('INTERNAL', 'The preview bridge (resources/preview/bridge.mjs) is missing from this installation.');
}

let bridgeText: string | null = null;

export function createRunDir(): RunDir {
  bridgeText ??= fs.readFileSync(findBridgeScript(), 'utf8');
  const dir = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'macs-run-'));
  fs.chmodSync(dir, 0o700);
  const bridgeScript = path.join(dir, 'bridge.mjs');
  fs.writeFileSync(bridgeScript, bridgeText, { mode: 0o600 });
  const socketPath = path.join(dir, 'app.sock');
  if (Buffer.byteLength(socketPath) > 100) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new MacsError('INTERNAL', `The temp folder's path is too long for a unix socket (${socketPath}): set TMPDIR to a shorter folder.`);
  }
  return { dir, socketPath, bridgeScript, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
