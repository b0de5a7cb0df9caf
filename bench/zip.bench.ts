// Zip export benchmark: JSZip export (electron/core/export) vs `zip -qr -6` on the
// same generated tree of 10,000 files / 100 MB (mixed sizes; compressible source-like
// text and incompressible random binary), with RSS/heap sampled during the export.
// Targets: time ≤ 2× zip CLI, memory growth < 150 MB.
//   npx tsx bench/zip.bench.ts        (add --expose-gc via `node --expose-gc --import tsx` for a cleaner baseline)
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { exportWorkspaceZip } from '../electron/core/export/index.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const FILE_COUNT = 10_000;
const TOTAL_BYTES = 100 * 1024 * 1024;
const MB = 1024 * 1024;

/** mulberry32: tiny seeded PRNG, so every run zips the very same bytes. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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

function timeZipCli(cwd: string, out: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('zip', ['-qr', '-6', out, '.'], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`zip exited ${code}: ${stderr}`))));
  });
}

const round = (n: number, digits = 2) => Number(n.toFixed(digits));

export async function runZipBench(): Promise<Record<string, number | boolean | string>> {
  const work = path.join(HERE, '.tmp', `zip-bench-${process.pid}`);
  const tree = path.join(work, 'tree');
  const out = path.join(work, 'out');
  await rm(work, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  try {
    const kinds = generateTree(tree);
    const zipCliMs = await timeZipCli(tree, path.join(out, 'cli.zip'));
    const zipCliBytes = (await stat(path.join(out, 'cli.zip'))).size;

    const gc = (globalThis as { gc?: () => void }).gc;
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
    const started = performance.now();
    let progressCalls = 0;
    const result = await exportWorkspaceZip({ root: tree, destPath: path.join(out, 'jszip.zip'), onProgress: () => progressCalls++ });
    const jszipMs = performance.now() - started;
    clearInterval(sampler);
    sample();
    if (result.fileCount !== FILE_COUNT) throw new Error(`exported ${result.fileCount} files, expected ${FILE_COUNT}`);

    const timeRatio = jszipMs / zipCliMs;
    const peakRssGrowthMB = (peakRss - base.rss) / MB;
    const peakHeapGrowthMB = (peakHeap - base.heapUsed) / MB;
    return {
      files: FILE_COUNT,
      totalMB: round(TOTAL_BYTES / MB),
      textMB: round(kinds.textBytes / MB),
      binaryMB: round(kinds.binaryBytes / MB),
      jszipMs: round(jszipMs, 0),
      zipCliMs: round(zipCliMs, 0),
      timeRatio: round(timeRatio),
      jszipZipMB: round(result.bytes / MB),
      zipCliZipMB: round(zipCliBytes / MB),
      peakRssGrowthMB: round(peakRssGrowthMB, 1),
      peakHeapGrowthMB: round(peakHeapGrowthMB, 1),
      progressCalls,
      gcBaseline: gc ? 'yes' : 'no (run with --expose-gc for a cleaner baseline)',
      meetsTime: timeRatio <= 2,
      meetsMemory: peakRssGrowthMB < 150 && peakHeapGrowthMB < 150,
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
