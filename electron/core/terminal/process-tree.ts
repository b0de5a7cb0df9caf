// Kill a shell and everything it started. Signalling the shell alone is not enough:
// an interactive shell puts each job in its own process group, `nohup` ignores SIGHUP,
// and children of a dead parent are re-parented away from the tree.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

interface ProcRow {
  pid: number;
  ppid: number;
  /** Session id on Linux (the shell is its session's leader), process group elsewhere. */
  sid: number;
}

function linuxTable(): ProcRow[] {
  const rows: ProcRow[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      // "pid (comm) state ppid pgrp session ..."; comm may contain spaces and parens.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      rows.push({ pid: Number(name), ppid: Number(fields[1]), sid: Number(fields[3]) });
    } catch {
      // The process ended while we looked.
    }
  }
  return rows;
}

function psTable(): ProcRow[] {
  const out = execFileSync('ps', ['-axo', 'pid=,ppid=,pgid='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter((f) => f.length === 3 && f.every(Number.isFinite))
    .map(([pid, ppid, sid]) => ({ pid, ppid, sid }));
}

function processTable(): ProcRow[] {
  if (process.platform === 'linux') return linuxTable();
  if (process.platform === 'win32') return [];
  try {
    return psTable();
  } catch {
    return [];
  }
}

/** The root, its descendants, and what is left of its session (orphans re-parented to init). */
export function processTreeOf(rootPid: number): number[] {
  const table = processTable();
  const children = new Map<number, number[]>();
  for (const row of table) {
    const list = children.get(row.ppid) ?? [];
    list.push(row.pid);
    children.set(row.ppid, list);
  }
  const found = new Set<number>();
  const stack = [rootPid];
  for (const row of table) if (row.sid === rootPid && row.pid !== process.pid) stack.push(row.pid);
  while (stack.length > 0) {
    const pid = stack.pop()!;
    if (found.has(pid) || pid === process.pid) continue;
    found.add(pid);
    for (const child of children.get(pid) ?? []) stack.push(child);
  }
  return [...found];
}

function signal(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false; // gone already, or not ours
  }
}

/**
 * Freeze the whole tree first (a stopped process cannot fork or re-parent anything new),
 * re-scan until it stops growing, then SIGKILL every member. Synchronous and quick; the
 * kernel reaps the rest. Returns how many processes were killed.
 */
export function killProcessTree(rootPid: number): number {
  if (process.platform === 'win32') return 0;
  const frozen = new Set<number>();
  for (let round = 0; round < 5; round++) {
    const fresh = processTreeOf(rootPid).filter((pid) => !frozen.has(pid));
    if (fresh.length === 0) break;
    for (const pid of fresh) if (signal(pid, 'SIGSTOP')) frozen.add(pid);
  }
  for (const pid of frozen) signal(pid, 'SIGKILL');
  return frozen.size;
}
