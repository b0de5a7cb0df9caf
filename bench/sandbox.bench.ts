// Sandbox start-up overhead: `true` spawned directly vs through the sandbox (building
// the command line included — it reads /proc/net/unix and stats the workspace every
// time), spawn to exit, alternating so drift hits both equally. Target: median
// overhead < 150 ms per command (issue 7).
//   npx tsx bench/sandbox.bench.ts
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { detectSandbox, type Sandbox } from '../electron/core/sandbox/index.js';

const TARGET_OVERHEAD_MS = 150;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function timeSpawn(file: string, args: string[], opts: { cwd: string; env: Record<string, string> }): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...opts, stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`${file} exited ${code}`))));
  });
}

export interface SandboxBenchResult {
  backend: string;
  unsandboxedMedianMs: number;
  sandboxedMedianMs: number;
  overheadMedianMs: number;
  runs: number;
  meetsOverhead: boolean;
}

export async function runSandboxBench(runs = Number(process.env.SANDBOX_BENCH_RUNS ?? 30), sandbox: Sandbox = detectSandbox()): Promise<SandboxBenchResult> {
  if (sandbox.backend === 'unrestricted') throw new Error(`no sandbox backend to measure: ${sandbox.status().hint ?? 'unavailable'}`);
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-sandbox-bench-'));
  const env = { PATH: '/usr/bin:/bin' };
  const direct: number[] = [];
  const sandboxed: number[] = [];
  try {
    // One warm-up each: the first spawn pays for page-cache misses neither side should own.
    await timeSpawn('true', [], { cwd: workspace, env });
    const warm = sandbox.buildCommand({ command: ['true'], cwd: workspace, level: 'workspace-write' });
    await timeSpawn(warm.file, warm.args, { cwd: warm.cwd, env: warm.env });
    for (let i = 0; i < runs; i++) {
      direct.push(await timeSpawn('true', [], { cwd: workspace, env }));
      const t0 = performance.now();
      const cmd = sandbox.buildCommand({ command: ['true'], cwd: workspace, level: 'workspace-write' });
      const build = performance.now() - t0;
      sandboxed.push(build + (await timeSpawn(cmd.file, cmd.args, { cwd: cmd.cwd, env: cmd.env })));
      cmd.cleanup();
    }
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
  const unsandboxedMedianMs = +median(direct).toFixed(2);
  const sandboxedMedianMs = +median(sandboxed).toFixed(2);
  const overheadMedianMs = +(sandboxedMedianMs - unsandboxedMedianMs).toFixed(2);
  return { backend: sandbox.backend, unsandboxedMedianMs, sandboxedMedianMs, overheadMedianMs, runs, meetsOverhead: overheadMedianMs < TARGET_OVERHEAD_MS };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  runSandboxBench().then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
