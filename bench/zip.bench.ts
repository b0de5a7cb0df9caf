// Zip export benchmark: JSZip export (electron/core/export) vs `zip -qr -6` on the
// same generated tree of 10,000 files / 100 MB (mixed sizes; compressible source-like
// text and incompressible random binary), with RSS/heap sampled during the export.
// Targets: time ≤ 2× zip CLI (medians over alternating rounds), memory growth < 150 MB
// (peak during any export round over the level just before it, RSS and heap).
//   npx tsx bench/zip.bench.ts        (add --expose-gc via `node --expose-gc --import tsx` for a cleaner baseline)
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { exportWorkspaceZip } from '../electron/core/export/index.js';
import { mulberry32 as prng } from '../test/fixtures/prng.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const FILE_COUNT = 10_000;
const TOTAL_BYTES = 100 * 1024 * 1024;
const MB = 1024 * 1024;
const ROUNDS = Number(process.env.ZIP_BENCH_ROUNDS ?? 3);


function logUniform(rand: () => number, min: number, max: number): number {
  return Math.exp(Math.log(min) + rand() * (Math.log(max) - Math.log(min)));
}

function makeVocabulary(rand: () => number): string[] {
  const keywords = ['const', 'let', 'function', 'return', 'if', 'else', 'for', 'await', 'async', 'import', 'export', 'from', 'new', 'class', 'this', '=>', '{', '}', '(', ')', ';', '=', '+', '.', 'null', 'true', 'false'];
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const words: string[] = [...keywords];
  for (let i = 0; i < 600; i++) {
    let w = '';
    const len = 3 + Math.floor(rand() * 9);
    for (let j = 0; j < len; j++) w += letters[Math.floor(rand() * 26)];
    words.push(rand() < 0.3 ? w[0].toUpperCase() + w.slice(1) : w);
  }
  return words;
}

function textContent(rand: () => number, vocab: string[], size: number): Buffer {
  const parts: string[] = [];
  let length = 0;
  while (length < size) {
    const indent = '  '.repeat(Math.floor(rand() * 4));
    const count = 3 + Math.floor(rand() * 10);
    let line = indent;
    for (let i = 0; i < count; i++) line += (i ? ' ' : '') + vocab[Math.floor(rand() * vocab.length)];
    line += '\n';
    parts.push(line);
    length += line.length;
  }
  return Buffer.from(parts.join(''), 'latin1').subarray(0, size);
}

function binaryContent(rand: () => number, size: number): Buffer {
  const words = new Uint32Array(Math.ceil(size / 4));
  for (let i = 0; i < words.length; i++) words[i] = Math.floor(rand() * 4294967296);
  return Buffer.from(words.buffer, 0, size);
}

/** Writes the tree; returns byte counts per kind. Deterministic for a given seed. */
export function generateTree(dir: string, seed = 0x5eed): { textBytes: number; binaryBytes: number } {
  const rand = prng(seed);
  const vocab = makeVocabulary(rand);
  // 97% small files (100 B – 32 KB), 3% large ones (100 KB – 4 MB), then scaled to exactly TOTAL_BYTES.
  const raw = Array.from({ length: FILE_COUNT }, () => (rand() < 0.97 ? logUniform(rand, 100, 32 * 1024) : logUniform(rand, 100 * 1024, 4 * MB)));
  const scale = TOTAL_BYTES / raw.reduce((a, b) => a + b, 0);
  const sizes = raw.map((s) => Math.max(1, Math.round(s * scale)));
  sizes[sizes.length - 1] += TOTAL_BYTES - sizes.reduce((a, b) => a + b, 0);

  let textBytes = 0;
  let binaryBytes = 0;
  for (let i = 0; i < FILE_COUNT; i++) {
    const isText = rand() < 0.65;
    const rel = path.join(`pkg-${i % 40}`, `mod-${Math.floor(i / 40) % 25}`, `file-${i}.${isText ? 'ts' : 'bin'}`);
    mkdirSync(path.join(dir, path.dirname(rel)), { recursive: true });
    const data = isText ? textContent(rand, vocab, sizes[i]) : binaryContent(rand, sizes[i]);
    writeFileSync(path.join(dir, rel), data);
    if (isText) textBytes += data.length;
    else binaryBytes += data.length;
  }
  return { textBytes, binaryBytes };
}

/** Wall and CPU time of `zip -qr -6` (CPU via bash's `time`, since Node cannot see a child's rusage). */
function timeZipCli(cwd: string, out: string): Promise<{ wallMs: number; cpuMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const script = `TIMEFORMAT='%3U %3S'; time zip -qr -6 "$0" .`;
    const child = spawn('bash', ['-c', script, out], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      const times = /(\d+\.\d+) (\d+\.\d+)\s*$/.exec(stderr);
      if (code !== 0 || !times) return reject(new Error(`zip failed (${code}): ${stderr}`));
      resolve({ wallMs, cpuMs: (Number(times[1]) + Number(times[2])) * 1000 });
    });
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round = (n: number, digits = 2) => Number(n.toFixed(digits));

export async function runZipBench(): Promise<Record<string, number | boolean | string>> {
  const work = path.join(HERE, '.tmp', `zip-bench-${process.pid}`);
  const tree = path.join(work, 'tree');
  const out = path.join(work, 'out');
  await rm(work, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  try {
    const kinds = generateTree(tree);
    const gc = (globalThis as { gc?: () => void }).gc;
    const cli: Array<{ wallMs: number; cpuMs: number }> = [];
    const ours: Array<{ wallMs: number; cpuMs: number }> = [];
    let peakRssGrowth = 0;
    let peakHeapGrowth = 0;
    let zipCliBytes = 0;
    let jszipBytes = 0;
    let progressCalls = 0;

    // Alternate the two, ROUNDS times, and compare medians: the machine may be shared.
    for (let round = 0; round < ROUNDS; round++) {
      const cliZip = path.join(out, 'cli.zip');
      await rm(cliZip, { force: true });
      cli.push(await timeZipCli(tree, cliZip));
      zipCliBytes = (await stat(cliZip)).size;

      gc?.();
      const base = process.memoryUsage();
      let peakRss = base.rss;
      let peakHeap = base.heapUsed;
      const sample = () => {
        const m = process.memoryUsage();
        peakRss = Math.max(peakRss, m.rss);
        peakHeap = Math.max(peakHeap, m.heapUsed);
      };
      const sampler = setInterval(sample, 10);
      const cpuBefore = process.cpuUsage(); // whole process, thread pool included
      const started = performance.now();
      progressCalls = 0;
      const result = await exportWorkspaceZip({ root: tree, destPath: path.join(out, 'jszip.zip'), onProgress: () => progressCalls++ });
      const wallMs = performance.now() - started;
      const cpu = process.cpuUsage(cpuBefore);
      clearInterval(sampler);
      sample();
      if (result.fileCount !== FILE_COUNT) throw new Error(`exported ${result.fileCount} files, expected ${FILE_COUNT}`);
      ours.push({ wallMs, cpuMs: (cpu.user + cpu.system) / 1000 });
      jszipBytes = result.bytes;
      peakRssGrowth = Math.max(peakRssGrowth, (peakRss - base.rss) / MB);
      peakHeapGrowth = Math.max(peakHeapGrowth, (peakHeap - base.heapUsed) / MB);
    }

    const jszipMs = median(ours.map((r) => r.wallMs));
    const zipCliMs = median(cli.map((r) => r.wallMs));
    const timeRatio = jszipMs / zipCliMs;
    return {
      files: FILE_COUNT,
      totalMB: round(TOTAL_BYTES / MB),
      textMB: round(kinds.textBytes / MB),
      binaryMB: round(kinds.binaryBytes / MB),
      rounds: ROUNDS,
      jszipMs: round(jszipMs, 0),
      zipCliMs: round(zipCliMs, 0),
      timeRatio: round(timeRatio),
      jszipCpuMs: round(median(ours.map((r) => r.cpuMs)), 0),
      zipCliCpuMs: round(median(cli.map((r) => r.cpuMs)), 0),
      jszipRunsMs: ours.map((r) => Math.round(r.wallMs)).join(' '),
      zipCliRunsMs: cli.map((r) => Math.round(r.wallMs)).join(' '),
      jszipZipMB: round(jszipBytes / MB),
      zipCliZipMB: round(zipCliBytes / MB),
      peakRssGrowthMB: round(peakRssGrowth, 1),
      peakHeapGrowthMB: round(peakHeapGrowth, 1),
      progressCalls,
      gcBaseline: gc ? 'yes' : 'no (run with node --expose-gc for a cleaner baseline)',
      meetsTime: timeRatio <= 2,
      meetsMemory: peakRssGrowth < 150 && peakHeapGrowth < 150,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  runZipBench().then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
