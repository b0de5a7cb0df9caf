// The real modules behind ProbeDeps. Commands run through execFile (never a shell) with a
// hard timeout, because a wedged GPU driver can make nvidia-smi hang for minutes.
import { execFile, type ExecFileException } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import { CommandError } from './command-error.js';
import { measureCopyBandwidth } from './ram-bandwidth.js';
import type { ProbeDeps, RunResult, SiCpu, SiGraphics, SiMem, SiMemLayout } from './types.js';

// systeminformation is loaded on first use: it pulls in ~40 modules, and most CLI
// commands never probe hardware.
type SiModule = typeof import('systeminformation');
let siModule: Promise<SiModule> | null = null;
const loadSi = (): Promise<SiModule> => {
  siModule ??= import('systeminformation').then((m) => ((m as { default?: SiModule }).default ?? m) as SiModule);
  return siModule;
};

export function runCommand(cmd: string, args: string[], opts: { timeoutMs: number }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      // LC_ALL=C: numbers and messages in the format the parsers expect, whatever the user's locale.
      { timeout: opts.timeoutMs, killSignal: 'SIGKILL', windowsHide: true, encoding: 'utf8', maxBuffer: 1024 * 1024, env: { ...process.env, LC_ALL: 'C' } },
      (err: ExecFileException | null, stdout: string) => {
        if (!err) return resolve({ stdout, code: 0 });
        if (err.code === 'ENOENT') return reject(new CommandError(cmd, 'not-found', `${cmd} is not installed (or not on PATH)`, 'ENOENT'));
        if (err.killed) return reject(new CommandError(cmd, 'timeout', `${cmd} did not finish within ${opts.timeoutMs} ms`));
        if (typeof err.code === 'number') return resolve({ stdout, code: err.code });
        reject(new CommandError(cmd, 'failed', `${cmd} could not run: ${err.message}`, typeof err.code === 'string' ? err.code : null));
      },
    );
  });
}

export function defaultProbeDeps(): ProbeDeps {
  return {
    si: {
      graphics: async (): Promise<SiGraphics> => (await loadSi()).graphics(),
      mem: async (): Promise<SiMem> => (await loadSi()).mem(),
      cpu: async (): Promise<SiCpu> => (await loadSi()).cpu(),
      memLayout: async (): Promise<SiMemLayout[]> => (await loadSi()).memLayout(),
    },
    measureRamBandwidth: async () => measureCopyBandwidth(),
    run: runCommand,
    readFile: (file) => fs.readFile(file, 'utf8'),
    readdir: (dir) => fs.readdir(dir),
    platform: process.platform,
    arch: process.arch,
    totalmem: () => os.totalmem(),
    freemem: () => os.freemem(),
    cpus: () => os.cpus(),
    now: () => Date.now(),
  };
}
