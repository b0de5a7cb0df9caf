// macOS Seatbelt (sandbox-exec) profile, as a pure function of resolved paths so the
// unit test can pin it (it cannot run on Linux CI). The same policy as bwrap, in SBPL:
// deny by default; read everything except the home folder (toolchains and the
// workspace re-allowed); write only the workspace and the private HOME/TMPDIR; .git
// never; no network except in +net, and never a Unix socket outside the sandbox's
// own folders. Later rules win over earlier ones, so exceptions follow the rule they
// carve into. Base permissions follow Chrome's and Codex's seatbelt policies.
import type { IsolationLevel } from '../../../shared/exec.js';

export interface SeatbeltPlan {
  level: Exclude<IsolationLevel, 'unrestricted'>;
  /** All paths realpath'd: Seatbelt matches the resolved path (/private/var/…, not /var/…). */
  workspace: string;
  home: string | null;
  privateHome: string;
  privateTmp: string;
  /** Toolchain folders under home that stay readable. */
  readOnlyDirs: string[];
  /** Existing git dirs in the workspace and what their configs point at (hooks paths): never written. */
  gitReadOnly?: string[];
  /** MACS's data dirs (API key, macs.db, other workspaces), realpath'd: never read or written, except the workspace inside one. */
  hiddenDirs?: string[];
}

function inside(parent: string, child: string): boolean {
  return child === parent || child.startsWith(`${parent}/`);
}

/** A POSIX ERE matching `text` literally, for SBPL's #"…" regex literals (the caller keeps out quotes and backslashes). */
function regexLiteral(text: string): string {
  return text.replace(/[\^$.*+?()[\]{}|]/g, (c) => `\\${c}`);
}

/** An SBPL string literal; JSON escaping is a subset SBPL reads the same way. */
export function sbplString(value: string): string {
  return JSON.stringify(value);
}

function ancestors(p: string): string[] {
  const out: string[] = [];
  let dir = p;
  while (dir !== '/' && dir.includes('/')) {
    dir = dir.slice(0, dir.lastIndexOf('/')) || '/';
    out.push(dir);
  }
  return out;
}

const BASE = `(version 1)
(deny default)

; processes: the command and its children, which inherit this profile
(allow process-exec)
(allow process-fork)
(allow signal (target same-sandbox))
(allow process-info* (target same-sandbox))
(allow user-preference-read)
(allow mach-host*)
(allow sysctl-read)
(allow mach-lookup
  (global-name "com.apple.system.opendirectoryd.libinfo")
  (global-name "com.apple.system.logger")
  (global-name "com.apple.logd")
  (global-name "com.apple.PowerManagement.control"))
(allow ipc-posix-sem)
(allow ipc-posix-shm)
(allow iokit-open (iokit-registry-entry-class "RootDomainUserClient"))

; terminals: openpty() and the pty the command was given
(allow pseudo-tty)
(allow file-read* file-write* file-ioctl (literal "/dev/ptmx") (literal "/dev/tty") (regex #"^/dev/ttys[0-9]+$"))
(allow file-read* file-write-data file-ioctl (literal "/dev/null") (literal "/dev/zero") (literal "/dev/random") (literal "/dev/urandom"))
`;

export function seatbeltProfile(plan: SeatbeltPlan): string {
  const lines = [BASE];
  const own = [plan.workspace, plan.privateHome, plan.privateTmp];

  lines.push('; reads: the host, minus the home folder (keys, tokens, browser profiles)');
  lines.push('(allow file-read*)');
  if (plan.home) {
    lines.push(`(deny file-read* (subpath ${sbplString(plan.home)}))`);
    const readable = [...plan.readOnlyDirs, ...own].map((p) => `(subpath ${sbplString(p)})`);
    lines.push(`(allow file-read* ${readable.join(' ')})`);
    // realpath()/getcwd() stat every parent of the workspace; metadata only, no listing.
    const parents = [...new Set(own.flatMap(ancestors))].map((p) => `(literal ${sbplString(p)})`);
    if (parents.length) lines.push(`(allow file-read-metadata ${parents.join(' ')})`);
  }
  const hidden = plan.hiddenDirs ?? [];
  if (hidden.length) {
    lines.push('; MACS data dirs, wherever they live; a workspace inside one stays readable');
    lines.push(`(deny file-read* ${hidden.map((d) => `(subpath ${sbplString(d)})`).join(' ')})`);
    const holders = hidden.filter((d) => inside(d, plan.workspace) && d !== plan.workspace);
    if (holders.length) {
      lines.push(`(allow file-read* (subpath ${sbplString(plan.workspace)}))`);
      const parents = ancestors(plan.workspace).filter((p) => holders.some((d) => inside(d, p)));
      lines.push(`(allow file-read-metadata ${parents.map((p) => `(literal ${sbplString(p)})`).join(' ')})`);
      // …but not a data dir inside that workspace (later rules win).
      const nested = hidden.filter((d) => inside(plan.workspace, d));
      if (nested.length) lines.push(`(deny file-read* ${nested.map((d) => `(subpath ${sbplString(d)})`).join(' ')})`);
    }
  }

  lines.push('', '; writes: the private HOME and TMPDIR, and the workspace unless read-only');
  const writable = plan.level === 'read-only' ? [plan.privateHome, plan.privateTmp] : own;
  lines.push(`(allow file-write* ${writable.map((p) => `(subpath ${sbplString(p)})`).join(' ')})`);
  const hiddenInWorkspace = hidden.filter((d) => inside(plan.workspace, d));
  if (hiddenInWorkspace.length) lines.push(`(deny file-write* ${hiddenInWorkspace.map((d) => `(subpath ${sbplString(d)})`).join(' ')})`);
  // Hooks, config, commondir …: anything in .git the host's next \`git\` would obey.
  // Denying the subpath also denies renaming .git itself away and recreating it.
  lines.push(`(deny file-write* (subpath ${sbplString(`${plan.workspace}/.git`)}))`);
  // No .git of any kind (folder, `gitdir:` file, symlink) at any depth: the user's git
  // would obey its config. What slips past (a bare-shaped folder) is quarantined after the run.
  // A path with a quote, backslash or newline is not put in a regex literal at all: the quarantine still runs.
  if (!/["\\\n]/.test(plan.workspace)) lines.push(`(deny file-write* (regex #"^${regexLiteral(plan.workspace)}/(.*/)?\\.git(/.*)?$"))`);
  for (const p of plan.gitReadOnly ?? []) lines.push(`(deny file-write* (subpath ${sbplString(p)}))`);

  lines.push('', '; Unix sockets: only between the sandbox’s own processes, in its own folders');
  lines.push('(allow system-socket (socket-domain AF_UNIX))');
  const ownSockets = own.map((p) => `(subpath ${sbplString(p)})`).join(' ');
  lines.push(`(allow network-bind (local unix-socket ${ownSockets}))`);
  lines.push(`(allow network-outbound (remote unix-socket ${ownSockets}))`);

  if (plan.level === 'workspace-write+net') {
    lines.push('', '; network: IP only (DNS through mDNSResponder), still no host Unix sockets');
    lines.push('(allow system-socket)');
    lines.push('(allow network-bind (local ip "*:*"))');
    lines.push('(allow network-inbound (local ip "*:*"))');
    lines.push('(allow network-outbound (remote ip "*:*"))');
    // Never the host's loopback: MACS's own server and every other local service listen
    // there. Seatbelt has no private loopback, so servers a test starts on localhost are
    // unreachable too at this level (Linux gives the sandbox a loopback of its own).
    lines.push('(deny network-outbound (remote ip "localhost:*"))');
    lines.push('(allow network-outbound (remote unix-socket (literal "/private/var/run/mDNSResponder")))');
    // DNS, TLS trust and network configuration services (as in Codex's network policy).
    lines.push(
      '(allow mach-lookup (global-name "com.apple.dnssd.service") (global-name "com.apple.SecurityServer") (global-name "com.apple.networkd") (global-name "com.apple.ocspd") (global-name "com.apple.trustd.agent") (global-name "com.apple.SystemConfiguration.DNSConfiguration") (global-name "com.apple.SystemConfiguration.configd"))',
    );
  } else {
    lines.push('', '; network: none (deny default covers IP sockets)');
  }
  return `${lines.join('\n')}\n`;
}
