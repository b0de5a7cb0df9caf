// The bubblewrap argument list, as a pure function of what bwrap.ts found on the host
// (so the unit test can pin every flag). Mount order matters: later mounts cover
// earlier ones, so the read-only root comes first, then the private tmpfs folders,
// then the holes punched back (toolchains, the workspace), then the read-only
// re-binds inside the workspace and the socket masks last.
import type { IsolationLevel } from '../../../shared/exec.js';

export interface BwrapFeatures {
  /** Ask for a user namespace explicitly (needed as root, and for --disable-userns); off for setuid bwrap without userns. */
  unshareUser: boolean;
  /** bwrap ≥ 0.8: forbid nested user namespaces inside the sandbox. */
  disableUserns: boolean;
}

export interface BwrapPlan {
  command: string[];
  /** Realpath of the workspace. */
  workspace: string;
  level: Exclude<IsolationLevel, 'unrestricted'>;
  /**
   * Folders replaced by an empty private tmpfs (/tmp, /run, the home folder, data dirs
   * that hold the workspace …), shallowest first; the workspace is bound back over them.
   */
  privateDirs: string[];
  /** Folders inside a private one that are bound back read-only (toolchains installed in ~). */
  readOnlyDirs: string[];
  /** The caller's own binds (SandboxSpec.extraBinds), after the private folders they punch through. */
  extraBinds?: readonly { path: string; writable: boolean }[];
  /**
   * Inside the workspace, bound read-only over the writable workspace: every git dir
   * that exists (any depth), and what their configs point at (hooks paths, includes).
   */
  gitReadOnly: string[];
  /** Data dirs inside (or equal to) the workspace: an empty tmpfs over each, after the workspace bind. */
  hiddenInWorkspace: string[];
  /** Host socket files to cover with /dev/null. */
  socketMasks: string[];
  env: Record<string, string>;
  tty: boolean;
  features: BwrapFeatures;
  /**
   * workspace-write+net only: the sandbox keeps its own network namespace and
   * slirp4netns (net-helper.ts) gives it egress; these are the wrapper's fds and the
   * resolv.conf pointing at slirp's DNS.
   */
  net?: {
    infoFd: number;
    usernsBlockFd: number;
    blockFd: number;
    resolvConf: { source: string; dest: string } | null;
    /** Capabilities bwrap keeps for the prelude that closes the host's addresses (net-helper.ts); it drops them before the command. */
    preludeCaps: readonly string[];
  };
}

export function bwrapArgs(plan: BwrapPlan): string[] {
  const args: string[] = [];
  // New user, IPC, PID, network, UTS and cgroup namespaces: no IP traffic at all (the
  // sandbox gets its own loopback, not the host's), no SysV IPC with the host, its own
  // process tree. +net too: its egress comes from slirp4netns, never the host's namespace.
  args.push('--unshare-all');
  if (plan.features.unshareUser || plan.net) args.push('--unshare-user');
  // bwrap refuses --disable-userns with --userns-block-fd, which +net needs (net-helper.ts).
  if (plan.features.disableUserns && !plan.net) args.push('--disable-userns');
  if (plan.net) args.push('--info-fd', String(plan.net.infoFd), '--userns-block-fd', String(plan.net.usernsBlockFd), '--block-fd', String(plan.net.blockFd));
  // The sandbox dies with the app, and SIGKILL to bwrap takes the whole PID namespace.
  args.push('--die-with-parent');
  // setsid(): no controlling terminal, so no TIOCSTI into the app's terminal. A pty of
  // the sandbox's own (tty) must stay the controlling terminal for job control.
  if (!plan.tty) args.push('--new-session');
  // Root on the host would otherwise keep its capabilities (e.g. to remount / rw).
  args.push('--cap-drop', 'ALL');
  for (const cap of plan.net?.preludeCaps ?? []) args.push('--cap-add', cap);

  // The host filesystem, read-only: toolchains and libraries work wherever they live.
  args.push('--ro-bind', '/', '/');
  args.push('--dev', '/dev');
  args.push('--proc', '/proc');
  for (const dir of plan.privateDirs) args.push('--tmpfs', dir);
  for (const dir of plan.readOnlyDirs) args.push('--ro-bind-try', dir, dir);
  for (const bind of plan.extraBinds ?? []) args.push(bind.writable ? '--bind' : '--ro-bind', bind.path, bind.path);

  const writable = plan.level !== 'read-only';
  args.push(writable ? '--bind' : '--ro-bind', plan.workspace, plan.workspace);
  // A read-only mount over a .git also makes it a mount point: it cannot be renamed away
  // and replaced by a .git whose hooks or config the host's next `git` would run (a
  // replacement made any other way is a new .git: git-guard quarantines it afterwards).
  if (writable) for (const p of plan.gitReadOnly) args.push('--ro-bind', p, p);
  for (const dir of plan.hiddenInWorkspace) args.push('--tmpfs', dir);
  for (const socket of plan.socketMasks) args.push('--ro-bind', '/dev/null', socket);
  if (plan.net?.resolvConf) args.push('--ro-bind', plan.net.resolvConf.source, plan.net.resolvConf.dest);

  args.push('--chdir', plan.workspace);
  args.push('--clearenv');
  for (const [name, value] of Object.entries(plan.env)) args.push('--setenv', name, value);
  args.push('--', ...plan.command);
  return args;
}
