// Shared by the sandbox escape tests (git, network, data dir, caches): real bubblewrap,
// fixtures outside the folders the sandbox hides (/tmp, /run, HOME), so "outside" files
// are visible but read-only inside: the hard case.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { IsolationLevel } from '../../shared/exec.js';
import { detectSandbox, runSandboxed, type SandboxAudit, type SandboxedRunResult } from '../../electron/core/sandbox/index.js';

export const sandbox = detectSandbox();
export const HAS_BWRAP = sandbox.backend === 'bwrap';

/** test/.tmp, unless the checkout itself sits under a folder the sandbox hides (CI may clone into /tmp). */
export function fixturesRoot(): string {
  const hidden = [os.tmpdir(), '/tmp', '/run', '/var/run', os.homedir()].map((p) => path.resolve(p) + path.sep);
  const isHidden = (dir: string) => hidden.some((h) => (dir + path.sep).startsWith(h));
  for (const candidate of [path.resolve(import.meta.dirname, '../.tmp'), '/var/tmp/macs-sandbox-tests']) {
    try {
      fs.mkdirSync(candidate, { recursive: true });
      const real = fs.realpathSync(candidate);
      if (!isHidden(real)) return real;
    } catch {
      // not writable here: try the next place
    }
  }
  return path.resolve(import.meta.dirname, '../.tmp');
}

export interface Run extends SandboxedRunResult {
  output: string;
  audits: SandboxAudit[];
}

export interface ShOptions {
  level?: IsolationLevel;
  timeoutMs?: number;
  env?: Record<string, string>;
  quarantineDir?: string;
  signal?: AbortSignal;
  outputCapBytes?: number;
  logDir?: string;
}

export async function sh(ws: string, script: string, extra: ShOptions = {}): Promise<Run> {
  let output = '';
  const audits: SandboxAudit[] = [];
  const result = await runSandboxed({
    command: ['bash', '-c', script],
    cwd: ws,
    level: extra.level ?? 'workspace-write',
    timeoutMs: extra.timeoutMs ?? 30_000,
    env: extra.env,
    quarantineDir: extra.quarantineDir,
    signal: extra.signal,
    outputCapBytes: extra.outputCapBytes,
    logDir: extra.logDir,
    sandbox,
    onOutput: (chunk) => {
      output += chunk;
    },
    onAudit: (a) => audits.push(a),
  });
  return { ...result, output, audits };
}

/** A git case under `root`: an empty workspace, the file a planted git command would touch, a quarantine folder. */
export function makeGitCase(root: string, name: string): { ws: string; mark: string; quarantine: string } {
  const dir = path.join(root, name);
  const ws = path.join(dir, 'ws');
  fs.mkdirSync(ws, { recursive: true });
  return { ws, mark: path.join(dir, 'MARK'), quarantine: path.join(dir, 'quarantine') };
}

/** A TCP server on the host counting the connections it gets; each is greeted with `greeting`. */
export async function countingServer(host: string, greeting: string): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let count = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.end(greeting);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as net.AddressInfo).port;
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return { port, connections: () => count, close };
}
