// Finding every process a command started, from /proc (Linux). Used to signal a
// whole tree: the members of a bwrap PID namespace, or the descendants of an
// unrestricted command. Best effort: a process can exit between two reads.
import fs from 'node:fs';

interface ProcEntry {
  pid: number;
  ppid: number;
}

function listPids(): number[] {
  try {
    return fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number);
  } catch {
    return [];
  }
}

function readPpid(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: parse after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(rest[1]);
    return Number.isInteger(ppid) ? ppid : null;
  } catch {
    return null;
  }
}

function readPidNs(pid: number): string | null {
  try {
    return fs.readlinkSync(`/proc/${pid}/ns/pid`);
  } catch {
    return null;
  }
}

function snapshot(): ProcEntry[] {
  const out: ProcEntry[] = [];
  for (const pid of listPids()) {
    const ppid = readPpid(pid);
    if (ppid !== null) out.push({ pid, ppid });
  }
  return out;
}

/** Every descendant of `root` (not root itself), parents before children. */
export function descendantsOf(root: number): number[] {
  const entries = snapshot();
  const children = new Map<number, number[]>();
  for (const { pid, ppid } of entries) {
    const list = children.get(ppid) ?? [];
    list.push(pid);
    children.set(ppid, list);
  }
  const out: number[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length) {
    const pid = queue.shift() as number;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/**
 * Host PIDs of every process in the PID namespace bwrap (`bwrapPid`) created: its
 * direct child is that namespace's init, and everything sharing the init's namespace
 * is inside — including processes that setsid()'d or were re-parented to the init.
 */
export function pidNamespaceMembers(bwrapPid: number): number[] {
  const ownNs = readPidNs(process.pid);
  const init = descendantsOf(bwrapPid).find((pid) => {
    const ns = readPidNs(pid);
    return ns !== null && ns !== ownNs;
  });
  if (init === undefined) return [];
  const ns = readPidNs(init);
  if (ns === null) return [];
  return listPids().filter((pid) => pid !== bwrapPid && readPidNs(pid) === ns);
}

export function signalPids(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone, or not ours
    }
  }
}
