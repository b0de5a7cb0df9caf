// A run's host folders. <dir> (0700, under the temp folder, short: a socket path must fit
// in 108 bytes) holds the relay socket the preview proxy connects to, where the sandbox
// cannot see it; <dir>/box is bound writable into the sandbox at the same path
// (SandboxSpec.extraBinds, over its private /tmp) and holds the bridge script and the
// bridge's socket. See socket-relay.ts for why the proxy never connects into box/ itself.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MacsError } from '../../../../shared/index.js';

export interface RunDir {
  dir: string;
  /** Bound into the sandbox. */
  boxDir: string;
  /** Where the first server's bridge listens (inside box/); bridgeSocketFor(n) for later ones. */
  bridgeSocketPath: string;
  /** A socket per server start, so a restarted server's bridge can come up beside the old one. */
  bridgeSocketFor(generation: number): string;
  /** Where the relay listens: what the proxy and the readiness probe connect to. */
  hostSocketPath: string;
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

/**
 * Where run folders go: a folder every sandbox hides. On Linux that is /tmp itself (bwrap
 * always puts a private tmpfs there), whatever TMPDIR says: with TMPDIR on /var/tmp or a
 * data disk, the (read-only) root bind showed one project's app another's bridge socket,
 * and connect() needs no write access (adversarial test preview-attack-tmpdir).
 */
export function runDirBase(platform: NodeJS.Platform = process.platform): string {
  return fs.realpathSync(platform === 'linux' ? '/tmp' : os.tmpdir());
}

export function createRunDir(): RunDir {
  bridgeText ??= fs.readFileSync(findBridgeScript(), 'utf8');
  const dir = fs.mkdtempSync(path.join(runDirBase(), 'macs-run-'));
  fs.chmodSync(dir, 0o700);
  const boxDir = path.join(dir, 'box');
  fs.mkdirSync(boxDir, { mode: 0o700 });
  const bridgeScript = path.join(boxDir, 'bridge.mjs');
  fs.writeFileSync(bridgeScript, bridgeText, { mode: 0o600 });
  const bridgeSocketFor = (generation: number) => path.join(boxDir, `app-${generation}.sock`);
  const bridgeSocketPath = bridgeSocketFor(0);
  if (Buffer.byteLength(bridgeSocketPath) > 100) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new MacsError('INTERNAL', `The temp folder's path is too long for a unix socket (${bridgeSocketPath}): set TMPDIR to a shorter folder.`);
  }
  return { dir, boxDir, bridgeSocketPath, bridgeSocketFor, hostSocketPath: path.join(dir, 'relay.sock'), bridgeScript, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
