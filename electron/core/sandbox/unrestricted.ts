// No boundary: the command runs directly (Windows, a machine without bubblewrap, or
// an explicit `unrestricted` opt-in). The environment is still scrubbed — the app's
// keys have no business in a build — but HOME is the real one and nothing is hidden.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import type { SandboxStatus } from '../../../shared/exec.js';
import { isDeniedEnvName, sanitizePath, scrubbedEnv } from './env.js';
import { descendantsOf, signalPids } from './proc-tree.js';
import type { Sandbox, SandboxCommand, SandboxSpec } from './types.js';
import { resolveWorkspaceRoot } from './workspace-root.js';

/** What Windows programs need to start at all (cmd, node, python look these up). */
const WINDOWS_PASS_THROUGH = ['Path', 'PATH', 'PATHEXT', 'SystemRoot', 'SystemDrive', 'windir', 'ComSpec', 'TEMP', 'TMP', 'USERPROFILE', 'APPDATA', 'LOCALAPPDATA', 'ProgramData', 'ProgramFiles', 'ProgramFiles(x86)', 'CommonProgramFiles', 'NUMBER_OF_PROCESSORS', 'PROCESSOR_ARCHITECTURE', 'USERNAME', 'HOMEDRIVE', 'HOMEPATH', 'LANG', 'TERM', 'JAVA_HOME', 'GOPATH', 'GOROOT'];

function windowsEnv(hostEnv: NodeJS.ProcessEnv, extra: Record<string, string> | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of WINDOWS_PASS_THROUGH) {
    const value = hostEnv[name];
    if (value) env[name] = value;
  }
  for (const [name, value] of Object.entries(extra ?? {})) if (!isDeniedEnvName(name)) env[name] = value;
  return env;
}

export function directCommand(spec: SandboxSpec, hostEnv: NodeJS.ProcessEnv, home: string, platform: NodeJS.Platform = process.platform): SandboxCommand {
  if (!spec.command.length) throw new TypeError('buildCommand: empty command');
  const cwd = resolveWorkspaceRoot(spec.cwd, home);
  const env =
    platform === 'win32'
      ? windowsEnv(hostEnv, spec.env)
      : scrubbedEnv({ hostEnv, home, tmp: os.tmpdir(), user: userName(), path: sanitizePath(hostEnv.PATH, () => true), extra: spec.env, tty: spec.tty });
  const [file, ...args] = spec.command;
  return { file, args, env, cwd, level: 'unrestricted', cleanup: () => undefined };
}

/** Signal the process group `pid` leads (spawned detached, or by node-pty, which setsid()s). */
export function signalProcessGroup(pid: number, signal: NodeJS.Signals): void {
  if (process.platform === 'win32') return;
  try {
    process.kill(-pid, signal);
  } catch {
    // no such group
  }
}

/** The tree under `pid`: its process group, plus (Linux) descendants that left the group. */
export function signalDirectTree(pid: number, signal: 'SIGTERM' | 'SIGKILL'): void {
  if (process.platform === 'win32') {
    // No signals on Windows: taskkill /T walks the tree, /F is the only reliable kill.
    spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
    return;
  }
  // Collect before signalling: once a parent dies its children are re-parented away.
  const descendants = process.platform === 'linux' ? descendantsOf(pid) : [];
  signalProcessGroup(pid, signal);
  signalPids([pid, ...descendants], signal);
}

export class UnrestrictedSandbox implements Sandbox {
  readonly backend = 'unrestricted' as const;
  private readonly hint: string | null;
  private readonly hostEnv: NodeJS.ProcessEnv;

  constructor(hint: string | null, hostEnv: NodeJS.ProcessEnv = process.env) {
    this.hint = hint;
    this.hostEnv = hostEnv;
  }

  status(): SandboxStatus {
    return { backend: 'unrestricted', available: false, version: null, hint: this.hint, levels: ['unrestricted'] };
  }

  buildCommand(spec: SandboxSpec): SandboxCommand {
    return directCommand(spec, this.hostEnv, os.homedir());
  }

  signalTree(pid: number, signal: 'SIGTERM' | 'SIGKILL'): void {
    signalDirectTree(pid, signal);
  }
}

function userName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return path.basename(os.homedir()) || 'user';
  }
}
