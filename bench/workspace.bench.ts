// Workspace folders (issue 6): a 100,000-file folder through the engine — opening it and
// listing its tree (what the renderer's first paint waits for) — and the watcher's
// latency from an outside write to the workspace.changed event. The browser's own share
// (first paint, heap) is measured by browserTreeBench when a built renderer is present.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TopicPayload } from '../shared/index.js';
import { createEngine } from '../electron/core/engine/index.js';
import { startOllamaStandin } from '../test/fixtures/ollama-standin/index.js';

const FILES = 100_000;
const PER_FOLDER = 50;

async function inBatches<T>(items: T[], width: number, task: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(task));
}

export async function generateTree(root: string, files = FILES): Promise<void> {
  const folders = Array.from({ length: files / PER_FOLDER }, (_, i) => path.join(root, `pkg${i % 40}`, `mod${i}`));
  await inBatches(folders, 256, (d) => fs.mkdir(d, { recursive: true }));
  await inBatches(
    Array.from({ length: files }, (_, i) => path.join(folders[Math.floor(i / PER_FOLDER)], `file${i}.ts`)),
    512,
    (f) => fs.writeFile(f, ''),
  );
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function runWorkspaceBench() {
  const base = await fs.mkdtemp(path.join(os.tmpdir(), 'macs-bench-ws-'));
  const root = path.join(base, 'big-repo');
  const dataDir = path.join(base, 'data');
  await generateTree(root);
  const standin = await startOllamaStandin();
  const engine = createEngine({ dataDir, host: 'cli', version: 'bench', ollamaHost: standin.url });
  try {
    let t0 = performance.now();
    const { workspace } = (await engine.invoke('workspaces.open', { path: root })) as { workspace: { root: string } };
    const openMs = performance.now() - t0;
    t0 = performance.now();
    const tree = (await engine.invoke('workspaces.tree', { root: workspace.root })) as { entries: unknown[] };
    const treeMs = performance.now() - t0;
    const payloadBytes = Buffer.byteLength(JSON.stringify(tree));

    const seen = new Map<string, number>();
    engine.onTopic((topic, payload) => {
      if (topic !== 'workspace.changed') return;
      const p = payload as TopicPayload<'workspace.changed'>;
      for (const f of [...p.created, ...p.updated]) if (!seen.has(f)) seen.set(f, performance.now());
    });
    // Changes made while the native watcher still crawls the folder are not reported: wait for it.
    t0 = performance.now();
    const watching = await engine.whenWatching(workspace.root);
    const watchStartMs = performance.now() - t0;
    const latencies: number[] = [];
    for (let i = 0; i < 20; i++) {
      const rel = `pkg${i}/outside-${i}.txt`;
      const start = performance.now();
      await fs.writeFile(path.join(workspace.root, rel), 'x');
      while (!seen.has(rel) && performance.now() - start < 5000) await new Promise((r) => setTimeout(r, 2));
      latencies.push((seen.get(rel) ?? Number.NaN) - start);
    }
    return {
      files: FILES,
      openMs: Math.round(openMs),
      treeListMs: Math.round(treeMs),
      treeEntries: tree.entries.length,
      treePayloadMB: Number((payloadBytes / 2 ** 20).toFixed(1)),
      watching,
      watcherStartMs: Math.round(watchStartMs),
      watcherMedianMs: Math.round(median(latencies)),
      watcherMaxMs: Math.round(Math.max(...latencies)),
      meetsWatcherTarget: median(latencies) < 300,
    };
  } finally {
    await engine.close();
    await standin.close();
    await fs.rm(base, { recursive: true, force: true });
  }
}
