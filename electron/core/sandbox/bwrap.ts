// Linux backend: bubblewrap. Gathers the host facts bwrapArgs needs (home folder,
// toolchains installed in it, the workspace's .git, host sockets) on every call, so
// a socket or a .git that appeared since the last command is covered too.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SandboxStatus } from '../../../shared/exec.js';
import { bwrapArgs, type BwrapFeatures } from './bwrap-args.js';
import { defaultQuarantineDir, protectedDataDirs } from './data-dirs.js';
import { sanitizePath, scrubbedEnv } from './env.js';
import { guardGit } from './git-guard.js';
import { gitGuardHooks } from './git-quarantine.js';
import { hostSocketsToMask } from './host-sockets.js';
import { findNetPrelude, findSlirp4netns, hostAddresses, INSTALL_PRELUDE_HINT, INSTALL_SLIRP_HINT, NET_FDS, netUnavailable, netWrapper, PRELUDE_CAPS, preludeCommand, type NetPrelude, type NetWrapper } from './net-helper.js';
import { HOME_TOOLCHAIN_DIRS } from './toolchains.js';
import { pidNamespaceMembers, signalPids } from './proc-tree.js';
import type { Sandbox, SandboxCommand, SandboxSpec } from './types.js';
import { directCommand, signalDirectTree } from './unrestricted.js';
import { isSameOrInside, resolveWorkspaceRoot } from './workspace-root.js';

export interface BwrapOptions {
  bwrapPath: string;
  version: string | null;
  features: BwrapFeatures;
  hostEnv?: NodeJS.ProcessEnv;
  homeDir?: string;
  /** Where to look for slirp4netns (default: the system folders). */
  slirpCandidates?: string[];
}

/** The home folder, or null when it is unusable as a tmpfs mount point (unset, `/`). */
function usableHome(home: string): string | null {
  if (!home || !path.isAbsolute(home) || path.dirname(home) === home) return null;
  return path.resolve(home);
}

export class BwrapSandbox implements Sandbox {
  readonly backend = 'bwrap' as const;
  private readonly opts: BwrapOptions;

  constructor(opts: BwrapOptions) {
    this.opts = opts;
  }

  status(): SandboxStatus {
    const net = this.netProblem() === null;
    return {
      backend: 'bwrap',
      available: true,
      version: this.opts.version,
      hint: net ? null : `workspace-write+net is refused: ${this.netProblem()}; ${INSTALL_SLIRP_HINT}`,
      levels: net ? ['read-only', 'workspace-write', 'workspace-write+net', 'unrestricted'] : ['read-only', 'workspace-write', 'unrestricted'],
    };
  }

  /** Why +net cannot be given without the host's loopback here, or null. */
  private netProblem(): string | null {
    if (!this.opts.features.unshareUser) return 'bubblewrap runs without user namespaces here, so no network helper can join the sandbox';
    if (!findSlirp4netns(this.opts.slirpCandidates)) return 'slirp4netns is not installed';
    if (!findNetPrelude()) return `ip or setpriv is missing (needed to close this machine's own addresses to the sandbox; ${INSTALL_PRELUDE_HINT})`;
    return null;
  }

  buildCommand(spec: SandboxSpec): SandboxCommand {
    const hostEnv = this.opts.hostEnv ?? process.env;
    const realHome = this.opts.homeDir ?? os.homedir();
    if (spec.level === 'unrestricted') return directCommand(spec, hostEnv, realHome);
    if (!spec.command.length) throw new TypeError('buildCommand: empty command');
    const workspace = resolveWorkspaceRoot(spec.cwd, realHome);
    const home = usableHome(realHome);
    let net: NetWrapper | null = null;
    let prelude: NetPrelude | null = null;
    if (spec.level === 'workspace-write+net') {
      const problem = this.netProblem();
      const slirp = findSlirp4netns(this.opts.slirpCandidates);
      prelude = findNetPrelude();
      if (problem || !slirp || !prelude) throw netUnavailable(problem ?? 'slirp4netns is not installed');
      net = netWrapper(slirp, this.opts.bwrapPath);
    }

    // Hidden behind an empty tmpfs: other programs' temp files and sockets (/tmp, /run:
    // D-Bus, Docker, XDG_RUNTIME_DIR) and the user's secrets (~/.ssh, ~/.aws, browser
    // profiles). The home tmpfs doubles as the private, throw-away HOME.
    const privateDirs = ['/tmp', '/run'];
    if (isRealDir('/var/run')) privateDirs.push('/var/run');
    const privateHome = home ?? '/tmp/home';
    if (!privateDirs.includes(privateHome)) privateDirs.push(privateHome);
    const readOnlyDirs = home ? HOME_TOOLCHAIN_DIRS.map((d) => path.join(home, d)).filter((d) => fs.existsSync(d)) : [];
    // MACS's data dirs (API key, macs.db, other tasks' workspaces, logs) wherever they live:
    // one holding the workspace is hidden before the workspace is bound back over it, one
    // inside the workspace after. Those already under a private folder are hidden already.
    const hiddenInWorkspace: string[] = [];
    for (const dir of protectedDataDirs(hostEnv)) {
      if (privateDirs.some((d) => isSameOrInside(d, dir))) continue;
      if (isSameOrInside(workspace, dir)) hiddenInWorkspace.push(dir);
      else privateDirs.push(dir);
    }
    // Shallowest first: a data dir that holds another private folder must not cover its tmpfs later.
    privateDirs.sort((a, b) => a.split(path.sep).length - b.split(path.sep).length);

    // What the command can see of the host: the holes punched back, or anything outside a private folder.
    const visible = (p: string): boolean =>
      (isSameOrInside(workspace, p) && !hiddenInWorkspace.some((d) => isSameOrInside(d, p))) ||
      readOnlyDirs.some((d) => isSameOrInside(d, p)) ||
      !privateDirs.some((d) => isSameOrInside(d, p));
    const env = scrubbedEnv({
      hostEnv,
      home: privateHome,
      tmp: '/tmp',
      user: safeUserName(),
      path: sanitizePath(hostEnv.PATH, visible),
      extra: spec.env,
      tty: spec.tty,
    });
    // Every git dir read-only now; whatever git metadata the command makes, moved out after.
    const git = guardGit(workspace, spec.level);
    const args = bwrapArgs({
      // +net: behind the prelude that closes this machine's own addresses (read when the command starts: a new DHCP lease counts).
      command: prelude ? preludeCommand(prelude, hostAddresses(), spec.command) : spec.command,
      workspace,
      level: spec.level,
      privateDirs,
      readOnlyDirs,
      extraBinds: realBinds(spec.extraBinds),
      gitReadOnly: git?.readOnly ?? [],
      hiddenInWorkspace,
      socketMasks: hostSocketsToMask((p) => visible(p) && !isSameOrInside('/dev', p) && !isSameOrInside('/proc', p)),
      env,
      tty: spec.tty ?? false,
      features: this.opts.features,
      net: net ? { infoFd: NET_FDS.info, usernsBlockFd: NET_FDS.usernsBlock, blockFd: NET_FDS.block, resolvConf: net.resolvConf, preludeCaps: PRELUDE_CAPS } : undefined,
    });
    const { cleanup, sweep } = gitGuardHooks(workspace, git, spec.quarantineDir ?? defaultQuarantineDir(hostEnv), spec.onAudit, net?.cleanup);
    const spawned = net ? net.wrap(args) : { file: this.opts.bwrapPath, args };
    return { ...spawned, env, cwd: workspace, level: spec.level, cleanup, sweep };
  }

  signalTree(pid: number, signal: 'SIGTERM' | 'SIGKILL'): void {
    // Inside a namespace: SIGTERM goes to every member (setsid'd daemons included) while
    // bwrap lives on to report how the command ended. No namespace found: a direct
    // (unrestricted) command, or bwrap before its child exists — signal the plain tree.
    const members = pidNamespaceMembers(pid);
    if (!members.length) return signalDirectTree(pid, signal);
    signalPids(members, signal);
    // SIGKILL to bwrap too: --die-with-parent then kills the namespace's init, and the
    // kernel kills whatever is left in the namespace, even what a scan missed.
    if (signal === 'SIGKILL') signalPids([pid], signal);
  }
}

/** The caller's binds that exist, realpath'd (bwrap mounts over the resolved path). */
function realBinds(binds: SandboxSpec['extraBinds']): { path: string; writable: boolean }[] {
  const out: { path: string; writable: boolean }[] = [];
  for (const bind of binds ?? []) {
    try {
      out.push({ path: fs.realpathSync(bind.path), writable: bind.writable });
    } catch {
      // gone (a cache folder the user never made): nothing to bind
    }
  }
  return out;
}

function isRealDir(p: string): boolean {
  try {
    return fs.lstatSync(p).isDirectory();
  } catch {
    return false;
  }
}

function safeUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'user';
  }
}
