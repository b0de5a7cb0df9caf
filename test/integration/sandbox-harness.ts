// Shared by the sandbox escape tests (git, network, data dir, caches): real bubblewrap,
// fixtures outside the folders the sandbox hides (/tmp, /run, HOME), so "outside" files
// are visible but read-only inside: the hard case.
import fs from 'node:fs';
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

export async function sh(ws: string, script: string, extra: { level?: IsolationLevel; timeoutMs?: number; env?: Record<string, string>; quarantineDir?: string } = {}): Promise<Run> {
  let output = '';
  const audits: SandboxAudit[] = [];
  const result = await runSandboxed({
    command: ['bash', '-c', script],
    cwd: ws,
    level: extra.level ?? 'workspace-write',
    timeoutMs: extra.timeoutMs ?? 30_000,
    env: extra.env,
    quarantineDir: extra.quarantineDir,
    sandbox,
    onOutput: (chunk) => {
      output += chunk;
    },
    onAudit: (a) => audits.push(a),
  });
  return { ...result, output, audits };
}
