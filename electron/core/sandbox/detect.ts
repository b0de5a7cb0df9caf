// What this machine can sandbox with, decided once per process. On Linux "bwrap is
// installed" is not enough: user namespaces may be disabled (sysctl, Ubuntu's
// AppArmor restriction, some containers), so a trial run with the real argument list
// decides, and its error becomes the hint.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BwrapFeatures } from './bwrap-args.js';
import { BwrapSandbox } from './bwrap.js';
import { SANDBOX_EXEC, SeatbeltSandbox } from './seatbelt.js';
import type { Sandbox } from './types.js';
import { UnrestrictedSandbox } from './unrestricted.js';

export const INSTALL_BWRAP_HINT = 'install bubblewrap (apt install bubblewrap / dnf install bubblewrap)';
const WINDOWS_HINT = 'Windows has no command sandbox: commands run unrestricted (WSL2 with bubblewrap gives isolation)';
const PROBE_TIMEOUT_MS = 10_000;

export interface DetectOptions {
  platform?: NodeJS.Platform;
  hostEnv?: NodeJS.ProcessEnv;
  /** Where to look for bwrap (default: the usual system folders, then PATH). */
  bwrapCandidates?: string[];
}

let cached: Sandbox | null = null;

/** The sandbox for this machine; cached when called without options. */
export function detectSandbox(opts?: DetectOptions): Sandbox {
  if (!opts && cached) return cached;
  const sandbox = detect(opts ?? {});
  if (!opts) cached = sandbox;
  return sandbox;
}

/** Forget the cached detection (after the user installs bubblewrap, say). */
export function resetSandboxDetection(): void {
  cached = null;
}

function detect(opts: DetectOptions): Sandbox {
  const platform = opts.platform ?? process.platform;
  const hostEnv = opts.hostEnv ?? process.env;
  if (platform === 'linux') return detectBwrap(hostEnv, opts.bwrapCandidates ?? bwrapCandidates(hostEnv));
  if (platform === 'darwin') {
    return fs.existsSync(SANDBOX_EXEC) ? new SeatbeltSandbox(hostEnv) : new UnrestrictedSandbox(`${SANDBOX_EXEC} is missing: commands run unrestricted`, hostEnv);
  }
  if (platform === 'win32') return new UnrestrictedSandbox(WINDOWS_HINT, hostEnv);
  return new UnrestrictedSandbox(`no sandbox backend for ${platform}: commands run unrestricted`, hostEnv);
}

/** System folders first: a bwrap planted earlier on PATH should not become the sandbox. */
function bwrapCandidates(hostEnv: NodeJS.ProcessEnv): string[] {
  const fromPath = (hostEnv.PATH ?? '').split(path.delimiter).filter((d) => path.isAbsolute(d)).map((d) => path.join(d, 'bwrap'));
  return [...new Set(['/usr/bin/bwrap', '/usr/local/bin/bwrap', '/bin/bwrap', ...fromPath])];
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function firstLine(text: string | undefined): string {
  return (text ?? '').trim().split('\n')[0]?.trim() ?? '';
}

function detectBwrap(hostEnv: NodeJS.ProcessEnv, candidates: string[]): Sandbox {
  const bwrapPath = candidates.find(isExecutable);
  if (!bwrapPath) return new UnrestrictedSandbox(INSTALL_BWRAP_HINT, hostEnv);
  const versionRun = spawnSync(bwrapPath, ['--version'], { encoding: 'utf8', timeout: PROBE_TIMEOUT_MS });
  if (versionRun.status !== 0) {
    return new UnrestrictedSandbox(`${bwrapPath} does not run (${firstLine(versionRun.stderr) || versionRun.error?.message || 'no output'}): reinstall bubblewrap`, hostEnv);
  }
  const version = /(\d+\.\d+(?:\.\d+)?)/.exec(versionRun.stdout)?.[1] ?? null;
  const help = spawnSync(bwrapPath, ['--help'], { encoding: 'utf8', timeout: PROBE_TIMEOUT_MS });
  const disableUserns = `${help.stdout}${help.stderr}`.includes('--disable-userns');

  // Preferred: our own user namespace (works as root too) without nested ones. Fallback
  // for a setuid bwrap on a kernel without unprivileged user namespaces.
  const attempts: BwrapFeatures[] = [
    { unshareUser: true, disableUserns },
    { unshareUser: false, disableUserns: false },
  ];
  let lastError = '';
  for (const features of attempts) {
    const sandbox = new BwrapSandbox({ bwrapPath, version, features, hostEnv });
    const error = trialRun(sandbox);
    if (error === null) return sandbox;
    lastError = error;
  }
  return new UnrestrictedSandbox(
    `bubblewrap ${version ?? ''} is installed but cannot create a sandbox here (${lastError}): enable unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1; on Ubuntu 24.04+ kernel.apparmor_restrict_unprivileged_userns=0 or an AppArmor profile for bwrap)`.replace(/\s+/g, ' '),
    hostEnv,
  );
}

/** null when `true` ran in the sandbox, else bwrap's complaint. */
function trialRun(sandbox: BwrapSandbox): string | null {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-sandbox-probe-'));
  try {
    const cmd = sandbox.buildCommand({ command: ['true'], cwd: workspace, level: 'workspace-write' });
    const run = spawnSync(cmd.file, cmd.args, { env: cmd.env, cwd: cmd.cwd, encoding: 'utf8', timeout: PROBE_TIMEOUT_MS });
    if (run.status === 0) return null;
    return firstLine(run.stderr) || run.error?.message || `exit ${run.status ?? run.signal}`;
  } catch (err) {
    return (err as Error).message;
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}
