// Network for `workspace-write+net` without the host's loopback. Sharing the host's
// network namespace (bwrap --share-net) let sandboxed code reach every service bound to
// 127.0.0.1, MACS's own server included (it downloaded another project's zip). Instead
// the sandbox keeps its own network namespace and slirp4netns gives it user-mode NAT
// egress through a tap device, with --disable-host-loopback so the gateway (10.0.2.2)
// does not lead back to the host's 127.0.0.1. DNS goes to slirp's forwarder (10.0.2.3).
//
// Wiring, in a small POSIX sh wrapper so the very same command line works with pipes and
// with node-pty (no extra file descriptors from the caller):
//   1. bwrap reports the sandbox's pid on --info-fd, then waits on --userns-block-fd;
//   2. the wrapper writes the sandbox's uid/gid maps (bwrap leaves that to whoever holds
//      --userns-block-fd), then lets bwrap set up the mounts and loopback;
//   3. bwrap drops every capability as the last step of its setup, then waits on
//      --block-fd: once CapEff is 0 the wrapper starts slirp4netns (which must come
//      after bwrap brought up lo, or bwrap's own loopback setup fails), waits for its
//      ready signal, and only then lets the command start: it never runs without the
//      network it asked for. Any failure kills the sandbox before the command runs.
// slirp4netns exits when the last holder of --exit-fd (bwrap and the sandbox's
// processes) is gone.
//
// The host's own addresses: slirp's NAT connects from the host, so 10.0.2.2 is closed by
// --disable-host-loopback but the host's LAN address (or docker0's) would still lead to
// every service listening on 0.0.0.0 there (Ollama with OLLAMA_HOST=0.0.0.0, published
// Docker ports). Inside the sandbox's namespace those addresses get a `prohibit` route:
// bwrap keeps CAP_NET_ADMIN (and CAP_SETPCAP) for a two-line prelude that adds the
// routes and then drops every capability, bounding set included, before exec'ing the
// command, which so can neither lift the block nor regain a capability.
//
// The price: bwrap cannot combine --userns-block-fd with --disable-userns, so at +net
// code in the sandbox may create nested user namespaces (it still has no capabilities
// outside them, and no host loopback, host sockets or hidden folders).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MacsError } from '../../../shared/errors.js';

export const INSTALL_SLIRP_HINT = 'install slirp4netns (apt install slirp4netns / dnf install slirp4netns / pacman -S slirp4netns)';

/** The fds the wrapper gives bwrap. */
export const NET_FDS = { info: 3, usernsBlock: 4, block: 5, exit: 7 } as const;

/** slirp4netns's fixed addresses (its --configure defaults). */
const SLIRP_DNS = '10.0.2.3';

/** System folders only: a slirp4netns planted earlier on PATH should not become the network. */
const SLIRP_CANDIDATES = ['/usr/bin/slirp4netns', '/usr/local/bin/slirp4netns', '/bin/slirp4netns'];

export function findSlirp4netns(candidates: readonly string[] = SLIRP_CANDIDATES): string | null {
  for (const file of candidates) {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // next
    }
  }
  return null;
}

export function netUnavailable(reason: string): MacsError {
  return new MacsError(
    'SANDBOX_NET_UNAVAILABLE',
    `The workspace-write+net level is refused on this machine: ${reason}. Without it the sandbox would share the host's loopback (and reach MACS's own server). Use workspace-write, or ${INSTALL_SLIRP_HINT}.`,
    { level: 'workspace-write+net', reason },
  );
}

// $1 scratch dir, $2 slirp4netns, $3 uid, $4 gid, $5 the CapEff bwrap ends its setup with; then bwrap and its arguments.
const SCRIPT = `d=$1 slirp=$2 uid=$3 gid=$4 final=$5
shift 5
mkfifo "$d/info" "$d/userns" "$d/block" "$d/exit" "$d/ready" || exit 125
(
  pid=
  fail() {
    printf 'macs: the sandbox network could not be set up (%s)\\n' "$1" >&2
    [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
    rm -rf "$d"
    exit 1
  }
  exec 3<"$d/info" 4>"$d/userns" 5>"$d/block"
  info=$(cat <&3)
  pid=\${info#*'"child-pid": '}
  pid=\${pid%%[!0-9]*}
  [ -n "$pid" ] || fail 'bubblewrap did not report its sandbox'
  { echo deny >"/proc/$pid/setgroups" && echo "$uid $uid 1" >"/proc/$pid/uid_map" && echo "$gid $gid 1" >"/proc/$pid/gid_map"; } 2>/dev/null || fail 'the user could not be mapped into the sandbox'
  printf 1 >&4
  exec 4>&-
  n=0
  while :; do
    caps=
    while read -r key value; do [ "$key" = CapEff: ] && caps=$value; done 2>/dev/null <"/proc/$pid/status"
    [ -n "$caps" ] || { rm -rf "$d"; exit 0; }
    [ "$caps" = "$final" ] && break
    n=$((n + 1))
    [ "$n" -lt 3000 ] || fail 'bubblewrap did not finish its setup within 30 s'
    sleep 0.01
  done
  "$slirp" --configure --mtu=65520 --disable-host-loopback --ready-fd=8 --exit-fd=7 "$pid" tap0 8>"$d/ready" 7<"$d/exit" 3<&- 5>&- </dev/null >"$d/slirp.log" 2>&1 &
  ok=
  read -r ok <"$d/ready"
  [ "$ok" = 1 ] || fail "slirp4netns: $(tail -n 2 "$d/slirp.log" | tr '\\n' ' ')"
  rm -rf "$d"
  printf 1 >&5
) &
exec "$@" 3>"$d/info" 4<"$d/userns" 5<"$d/block" 7<>"$d/exit"
`;

export interface NetWrapper {
  /** What bwrap binds over the host's resolv.conf (slirp's DNS forwarder). */
  resolvConf: { source: string; dest: string } | null;
  /** The command line to spawn instead of `bwrap <bwrapArgs>`. */
  wrap(bwrapArgs: string[]): { file: string; args: string[] };
  /** Removes the scratch folder (the wrapper removes it itself once the network is up). */
  cleanup(): void;
}

/** What bwrap keeps for the prelude, and the CapEff (hex, as /proc shows it) it ends its setup with. */
export const PRELUDE_CAPS = ['CAP_NET_ADMIN', 'CAP_SETPCAP'] as const;
const PRELUDE_CAPEFF = ((1n << 12n) | (1n << 8n)).toString(16).padStart(16, '0');

/** Where the prelude's tools live (system folders only, like slirp4netns). */
const IP_CANDIDATES = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'];
const SETPRIV_CANDIDATES = ['/usr/bin/setpriv', '/bin/setpriv', '/usr/sbin/setpriv'];
export const INSTALL_PRELUDE_HINT = 'install iproute2 and util-linux (they provide ip and setpriv)';

export interface NetPrelude {
  ip: string;
  setpriv: string;
}

export function findNetPrelude(): NetPrelude | null {
  const ip = findSlirp4netns(IP_CANDIDATES);
  const setpriv = findSlirp4netns(SETPRIV_CANDIDATES);
  return ip && setpriv ? { ip, setpriv } : null;
}

/** This machine's own non-loopback IPv4 addresses (slirp4netns gives the sandbox no IPv6). */
export function hostAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal && !out.includes(a.address)) out.push(a.address);
  }
  return out;
}

/**
 * The command, behind the prelude: block each host address, then drop every capability
 * and exec the command. A failure stops it before the command runs, with a line that
 * runSandboxed reports as a sandbox failure.
 */
export function preludeCommand(prelude: NetPrelude, blocked: string[], command: string[]): string[] {
  const script = `ip=$1 setpriv=$2; shift 2
while [ "$1" != -- ]; do
  "$ip" route add prohibit "$1" 2>/dev/null || { echo "macs: the sandbox network could not be set up (the host address $1 could not be closed)" >&2; exit 125; }
  shift
done
shift
exec "$setpriv" --bounding-set=-all --inh-caps=-all --ambient-caps=-all -- "$@"`;
  return ['/bin/sh', '-c', script, 'macs-net', prelude.ip, prelude.setpriv, ...blocked, '--', ...command];
}

/** The wrapper around bwrap; its fifos and resolv.conf live in a private scratch folder on the host. */
export function netWrapper(slirpPath: string, bwrapPath: string): NetWrapper {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-net-'));
  const cleanup = (): void => fs.rmSync(scratch, { recursive: true, force: true });
  let resolvConf: NetWrapper['resolvConf'] = null;
  try {
    // Bound at the resolved path: /etc/resolv.conf is often a symlink into /run (systemd-resolved),
    // which the sandbox replaces with an empty tmpfs; bwrap creates the file there.
    const dest = fs.realpathSync('/etc/resolv.conf');
    const source = path.join(scratch, 'resolv.conf');
    fs.writeFileSync(source, `nameserver ${SLIRP_DNS}\n`);
    resolvConf = { source, dest };
  } catch {
    // no resolv.conf on the host: nothing to point at slirp's DNS
  }
  const uid = String(process.getuid?.() ?? 0);
  const gid = String(process.getgid?.() ?? 0);
  return {
    resolvConf,
    cleanup,
    wrap: (bwrapArgs) => ({ file: '/bin/sh', args: ['-c', SCRIPT, 'macs-net', scratch, slirpPath, uid, gid, PRELUDE_CAPEFF, bwrapPath, ...bwrapArgs] }),
  };
}
