// A TerminalManager over real node-pty with a passthrough "sandbox" (no isolation), and
// recorders for what it publishes. The bwrap sandbox has its own tests.
import fs from 'node:fs';
import { TerminalManager, type SandboxCommandBuilder, type TerminalExit, type TerminalManagerOptions } from '../../electron/core/terminal/index.js';

export const passthroughSandbox: SandboxCommandBuilder = {
  buildCommand: ({ command, env }) => ({
    file: command[0],
    args: command.slice(1),
    env: { ...(process.env as Record<string, string>), ...env },
    cleanup() {},
  }),
};

export interface SessionRecord {
  text: string;
  seqs: number[];
  bytes: number;
}

export interface Harness {
  manager: TerminalManager;
  record(sessionId: string): SessionRecord;
  exits: TerminalExit[];
  /** Keep only counts for this session (a 50 MB flood). */
  countOnly: Set<string>;
}

export function createHarness(options: Partial<TerminalManagerOptions> = {}): Harness {
  const records = new Map<string, SessionRecord>();
  const countOnly = new Set<string>();
  const exits: TerminalExit[] = [];
  const record = (id: string) => {
    let r = records.get(id);
    if (!r) records.set(id, (r = { text: '', seqs: [], bytes: 0 }));
    return r;
  };
  const manager = new TerminalManager({
    sandbox: passthroughSandbox,
    publishOutput: ({ sessionId, seq, data }) => {
      const r = record(sessionId);
      r.seqs.push(seq);
      r.bytes += data.length;
      if (!countOnly.has(sessionId)) r.text += data;
      else r.text = (r.text + data).slice(-4096);
    },
    publishExit: (exit) => exits.push(exit),
    ...options,
  });
  return { manager, record, exits, countOnly };
}

export async function waitFor(predicate: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Live (non-zombie) processes whose command line contains `marker`. */
export function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (cmdline.includes(marker) && state !== 'Z') found.push(Number(name));
    } catch {
      // gone while we looked
    }
  }
  return found;
}

export function isSeqRun(seqs: number[]): boolean {
  return seqs.every((s, i) => s === i + 1);
}
