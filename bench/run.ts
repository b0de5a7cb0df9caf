// `npm run bench`: runs every benchmark once, prints a table, and writes
// bench/results/<timestamp>.json (and latest.json). Targets come from the issues.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runExtractorBench } from './extractor.bench.js';
import { runPipelineBench } from './pipeline.bench.js';
import { runModelTimeBench } from './model-time.bench.js';
import { runWorkspaceBench } from './workspace.bench.js';
import { runQueueBench } from './queue.bench.js';
import { runSandboxBench } from './sandbox.bench.js';
import { runProviderStreamBench, runStreamBench } from './stream.bench.js';
import { runTerminalBench } from './terminal.bench.js';
import { runZipBench } from './zip.bench.js';
import { runProjectsBench } from './projects.bench.js';
import { runPreviewBench } from './preview.bench.js';

type Row = Record<string, number | boolean | string>;

/** { ollama: { p99DelayMs } } → { 'ollama.p99DelayMs' }: one table row per suite. */
function flatten(o: Record<string, unknown>, prefix = ''): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(o)) {
    if (v && typeof v === 'object') Object.assign(out, flatten(v as Record<string, unknown>, `${prefix}${k}.`));
    else out[`${prefix}${k}`] = v as number | boolean | string;
  }
  return out;
}

const only = process.argv.slice(2);
const suites: Array<[string, () => Promise<Row>]> = [
  ['extractor', runExtractorBench],
  ['zip', runZipBench],
  ['stream', () => runStreamBench()],
  ['stream-providers', async () => flatten(await runProviderStreamBench())],
  ['terminal', () => runTerminalBench()],
  ['queue', runQueueBench],
  ['sandbox', async () => ({ ...(await runSandboxBench()) })],
  ['pipeline', runPipelineBench],
  ['model-time', runModelTimeBench],
  ['workspace', runWorkspaceBench],
  ['projects', runProjectsBench],
  ['preview', runPreviewBench],
];

const results: Record<string, Row | { error: string }> = {};
for (const [name, run] of suites) {
  if (only.length && !only.includes(name)) continue;
  process.stderr.write(`running ${name}…\n`);
  try {
    results[name] = await run();
  } catch (err) {
    results[name] = { error: (err as Error).stack ?? String(err) };
  }
}

const record = {
  at: new Date().toISOString(),
  machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', memGB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
  results,
};
const dir = path.join(import.meta.dirname, 'results');
fs.mkdirSync(dir, { recursive: true });
const file = path.join(dir, `${record.at.replace(/[:.]/g, '-')}.json`);
fs.writeFileSync(file, JSON.stringify(record, null, 2));
fs.writeFileSync(path.join(dir, 'latest.json'), JSON.stringify(record, null, 2));

for (const [name, row] of Object.entries(results)) {
  console.log(`\n${name}`);
  for (const [key, value] of Object.entries(row)) console.log(`  ${key.padEnd(24)} ${value}`);
}
console.log(`\nwritten: ${path.relative(process.cwd(), file)}`);
const misses = Object.entries(results).flatMap(([name, row]) =>
  'error' in row ? [`${name}: error`] : Object.entries(row).filter(([k, v]) => k.startsWith('meets') && v === false).map(([k]) => `${name}.${k}`),
);
console.log(misses.length ? `targets missed: ${misses.join(', ')}` : 'all targets met');
