// What events.jsonl and reports.jsonl cost the streaming hot path (issue 15). Not a test and
// not the bench: run `node --import tsx scripts/measure-journal.ts`. A real SQLite file, the
// real TaskStore and EventCoalescer; the same 10,000-token stream with the journal off and on,
// alternated, five times each; then the cost of one stored frame (a coalesced 4 KB delta).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { openDatabase } from '../electron/core/db/index.js';
import { EventCoalescer } from '../electron/core/stream/index.js';
import { ArtifactStore, StepStore } from '../electron/core/pipeline/index.js';
import { TaskJournal, writeTaskResult } from '../electron/core/task-records/index.js';
import { TaskStore } from '../electron/core/tasks/index.js';

const TOKENS = 10_000;
const ROUNDS = 5;

function setUp(withJournal: boolean) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-journal-'));
  const db = openDatabase(path.join(dir, 'macs.db'));
  const journal = new TaskJournal(dir);
  const store = new TaskStore(db, withJournal ? (events) => journal.record(events) : undefined);
  const id = `t-${withJournal ? 'on' : 'off'}`;
  store.createTask({ id, kind: 'chat', title: 't', prompt: 'p', model: 'm', numCtx: 8192, workspacePath: dir, priority: 0, maxAttempts: 1, metadata: null });
  return { dir, db, store, id };
}

/** 10k tokens of ~4 characters, yielding to the event loop every 8 (a fast model's chunks), coalesced as the engine does. */
async function stream(withJournal: boolean, tokensPerSecond = Infinity): Promise<{ wallMs: number; cpuMs: number; frames: number; bytes: number; resultMs: number }> {
  const { dir, db, store, id } = setUp(withJournal);
  let frames = 0;
  const coalescer = new EventCoalescer({ commit: (taskId, drafts) => store.appendEvents(taskId, drafts), publish: () => void frames++ });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < TOKENS; i++) {
    coalescer.push(id, { type: 'delta', data: { text: i % 40 === 39 ? 'ok.\n' : 'tok ' } });
    if (i % 8 === 7) {
      if (tokensPerSecond === Infinity) await yieldToLoop();
      // Paced like a model: wait until this token's time has come (frames then follow the coalescer's clock).
      else while (performance.now() - t0 < (i * 1000) / tokensPerSecond) await new Promise((r) => setTimeout(r, 4));
    }
  }
  coalescer.close(id);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  // When the task ends: result.json, result.md and manifest.json (on the journal's side only).
  const r0 = performance.now();
  if (withJournal) writeTaskResult({ dataDir: dir, store, steps: new StepStore(db), artifacts: new ArtifactStore(dir) }, store.requireTask(id));
  const resultMs = performance.now() - r0;
  const file = path.join(dir, 'artifacts', id, 'events.jsonl');
  const bytes = fs.existsSync(file) ? fs.statSync(file).size : 0;
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, frames, bytes, resultMs };
}

/** One coalesced frame (a 4 KB delta) stored, 2,000 times: µs per frame. */
function perFrame(withJournal: boolean): number {
  const { dir, db, store, id } = setUp(withJournal);
  const text = 'x'.repeat(4096);
  const n = 2000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) store.appendEvents(id, [{ type: 'delta', data: { text } }]);
  const us = ((performance.now() - t0) * 1000) / n;
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return us;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const off: Awaited<ReturnType<typeof stream>>[] = [];
const on: Awaited<ReturnType<typeof stream>>[] = [];
await stream(false); // warm-up (JIT, SQLite)
for (let r = 0; r < ROUNDS; r++) {
  off.push(await stream(false));
  on.push(await stream(true));
}
const pacedOff = await stream(false, 2500);
const pacedOn = await stream(true, 2500);
const frameOff = median([perFrame(false), perFrame(false), perFrame(false)]);
const frameOn = median([perFrame(true), perFrame(true), perFrame(true)]);
const row = (label: string, xs: typeof on) =>
  `${label}: wall ${median(xs.map((x) => x.wallMs)).toFixed(1)} ms, cpu ${median(xs.map((x) => x.cpuMs)).toFixed(1)} ms, ${median(xs.map((x) => x.frames))} frames, events.jsonl ${median(xs.map((x) => x.bytes))} B`;
console.log(`${TOKENS} tokens, median of ${ROUNDS}`);
console.log(row('journal off', off));
console.log(row('journal on ', on));
console.log(`paced at 2,500 tok/s (4 s): cpu ${pacedOff.cpuMs.toFixed(1)} ms off, ${pacedOn.cpuMs.toFixed(1)} ms on; ${pacedOn.frames} frames, events.jsonl ${pacedOn.bytes} B`);
console.log(`result.json + result.md + manifest.json at the end: ${median(on.map((x) => x.resultMs)).toFixed(1)} ms`);
console.log(`one stored 4 KB frame: ${frameOff.toFixed(1)} µs off, ${frameOn.toFixed(1)} µs on (+${(frameOn - frameOff).toFixed(1)} µs)`);
