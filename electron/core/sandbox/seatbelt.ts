// macOS backend: /usr/bin/sandbox-exec with the generated profile. Seatbelt has no
// tmpfs, so the private HOME and TMPDIR are real folders made per command and removed
// by cleanup(). sandbox-exec execs the command in place, so the spawned pid is the
// command; spawned detached (or by node-pty) it leads its own process group.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SandboxStatus } from '../../../shared/exec.js';
import { defaultQuarantineDir, protectedDataDirs } from './data-dirs.js';
import { sanitizePath, scrubbedEnv } from './env.js';
import { guardGit } from './git-guard.js';
import { gitGuardHooks } from './git-quarantine.js';
import { seatbeltProfile } from './seatbelt-profile.js';
import { HOME_TOOLCHAIN_DIRS } from './toolchains.js';
import type { Sandbox, SandboxCommand, SandboxSpec } from './types.js';
import { directCommand, signalDirectTree } from './unrestricted.js';
import { isSameOrInside, resolveWorkspaceRoot, safeRealpath } from './workspace-root.js';

export const SANDBOX_EXEC = '/usr/bin/sandbox-exec';

export class SeatbeltSandbox implements Sandbox {
  readonly backend = 'sandbox-exec' as const;
  private readonly hostEnv: NodeJS.ProcessEnv;

  constructor(hostEnv: NodeJS.ProcessEnv = process.env) {
    this.hostEnv = hostEnv;
  }

  status(): SandboxStatus {
    return { backend: 'sandbox-exec', available: true, version: null, hint: null, levels: ['read-only', 'workspace-write', 'workspace-write+net', 'unrestricted'] };
  }

  buildCommand(spec: SandboxSpec): SandboxCommand {
    const realHome = os.homedir();
    if (spec.level === 'unrestricted') return directCommand(spec, this.hostEnv, realHome);
    if (!spec.command.length) throw new TypeError('buildCommand: empty command');
    const workspace = resolveWorkspaceRoot(spec.cwd, realHome);
    const home = safeRealpath(realHome);
    const scratch = fs.mkdtempSync(path.join(safeRealpath(os.tmpdir()) ?? os.tmpdir(), 'macs-sbx-'));
    const privateHome = path.join(scratch, 'home');
    const privateTmp = path.join(scratch, 'tmp');
    fs.mkdirSync(privateHome);
    fs.mkdirSync(privateTmp);
    const readOnlyDirs = home ? HOME_TOOLCHAIN_DIRS.map((d) => safeRealpath(path.join(home, d))).filter((d): d is string => d !== null) : [];
    const git = guardGit(workspace, spec.level);
    const profile = seatbeltProfile({ level: spec.level, workspace, home, privateHome, privateTmp, readOnlyDirs, gitReadOnly: git?.readOnly, hiddenDirs: protectedDataDirs(this.hostEnv) });
    const visible = (dir: string): boolean => !home || !isSameOrInside(home, dir) || readOnlyDirs.some((d) => isSameOrInside(d, dir));
    const env = scrubbedEnv({
      hostEnv: this.hostEnv,
      home: privateHome,
      tmp: privateTmp,
      user: os.userInfo().username,
      path: sanitizePath(this.hostEnv.PATH, visible),
      extra: spec.env,
      tty: spec.tty,
    });
    const { cleanup, sweep } = gitGuardHooks(workspace, git, spec.quarantineDir ?? defaultQuarantineDir(this.hostEnv), spec.onAudit, () => fs.rmSync(scratch, { recursive: true, force: true }));
    return { file: SANDBOX_EXEC, args: ['-p', profile, '--', ...spec.command], env, cwd: workspace, level: spec.level, cleanup, sweep };
  }

  signalTree(pid: number, signal: 'SIGTERM' | 'SIGKILL'): void {
    signalDirectTree(pid, signal);
  }
}
