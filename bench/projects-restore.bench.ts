// Restore to version 1 of a 50-version, 500-file generated project (issue 11 target: < 1 s).
// The project is made through the engine; its history is built with the versions module
// (version 1: the initial files; 49 turns changing, adding and deleting a few files each),
// then projects.restore brings version 1 back and every file is compared byte for byte.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { MethodResult } from '../shared/index.js';
import { createEngine } from '../electron/core/engine/index.js';
import { openProjectHistory } from '../electron/core/project-folder/index.js';
import { mulberry32 as seeded } from '../test/fixtures/prng.js';
import { sourceText, writeSourceTree } from './fixtures/source-tree.js';

const FILES = 500;
const VERSIONS = 50;
const RUNS = 3;

type Row = Record<string, number | boolean | string>;

/** Every file under root but .git, as path → sha256. */
async function fingerprint(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of await fs.readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    const rel = path.relative(root, full);
    if (rel === '.git' || rel.startsWith(`.git${path.sep}`)) continue;
    out.set(rel, createHash('sha256').update(await fs.readFile(full)).digest('hex'));
  }
  return out;
}

function sameFiles(a: Map<string, string>, b: Map<string, string>): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}

/** Turn i: three files rewritten, one added, and every fifth turn one deleted. */
async function changeSomeFiles(root: string, i: number, rand: () => number): Promise<void> {
  const files = [...(await fingerprint(root)).keys()].filter((f) => f.startsWith('src/')).sort();
  for (let k = 0; k < 3; k++) {
    const f = files[Math.floor(rand() * files.length)];
    await fs.writeFile(path.join(root, f), sourceText(rand, 800 + Math.floor(rand() * 4000), `${f} turn ${i}`));
  }
  await fs.mkdir(path.join(root, 'src/added'), { recursive: true });
  await fs.writeFile(path.join(root, `src/added/turn-${i}.ts`), sourceText(rand, 1500, `added in turn ${i}`));
  if (i % 5 === 0) await fs.rm(path.join(root, files[Math.floor(rand() * files.length)]));
}

export async function restoreBench(base: string): Promise<Row> {
  const dataDir = await fs.mkdtemp(path.join(base, 'data-restore-'));
  const engine = createEngine({ dataDir, host: 'cli', version: 'bench', ollamaHost: 'http://127.0.0.1:9' });
  try {
    const { project } = (await engine.invoke('projects.create', { name: 'restore bench' })) as MethodResult<'projects.create'>;
    await writeSourceTree(project.root, FILES);
    const v1Files = await fingerprint(project.root);
    let t0 = performance.now();
    const history = await openProjectHistory({ root: project.root, kind: 'generated', dataDir, projectId: project.id });
    const rand = seeded(50);
    const commitMs: number[] = [];
    for (let i = 2; i <= VERSIONS; i++) {
      await changeSomeFiles(project.root, i, rand);
      const c0 = performance.now();
      await history.commitTurn({ taskId: `t-bench-${i}`, prompt: `Turn ${i}: change a few files`, model: 'bench' });
      commitMs.push(performance.now() - c0);
    }
    const buildMs = performance.now() - t0;
    const { versions } = (await engine.invoke('projects.versions', { projectId: project.id })) as MethodResult<'projects.versions'>;
    if (versions.length !== VERSIONS) throw new Error(`expected ${VERSIONS} versions, found ${versions.length}`);
    const latest = await fingerprint(project.root);

    // Restore v1, check it, then go back to the newest (a restore too) so the next run starts from the same place.
    const restoreMs: number[] = [];
    let exact = true;
    for (let run = 0; run < RUNS; run++) {
      const list = ((await engine.invoke('projects.versions', { projectId: project.id })) as MethodResult<'projects.versions'>).versions;
      t0 = performance.now();
      await engine.invoke('projects.restore', { projectId: project.id, versionId: list[0].id });
      restoreMs.push(performance.now() - t0);
      exact &&= sameFiles(await fingerprint(project.root), v1Files);
      await engine.invoke('projects.restore', { projectId: project.id, versionId: list[VERSIONS - 1].id });
      exact &&= sameFiles(await fingerprint(project.root), latest);
    }
    t0 = performance.now();
    await engine.invoke('projects.versions', { projectId: project.id });
    const listMs = performance.now() - t0;
    const sorted = [...restoreMs].sort((a, b) => a - b);
    return {
      restoreProject: `${FILES} files, ${VERSIONS} versions (${VERSIONS + 2 * RUNS} after the runs), git`,
      restoreV1Ms: Math.round(sorted[Math.floor(RUNS / 2)]),
      restoreV1MaxMs: Math.round(sorted[RUNS - 1]),
      restoreByteExact: exact,
      restoreCommitTurnMedianMs: Math.round([...commitMs].sort((a, b) => a - b)[Math.floor(commitMs.length / 2)]),
      restoreHistoryBuildMs: Math.round(buildMs),
      restoreVersionsListMs: Math.round(listMs),
    };
  } finally {
    await engine.close();
  }
}
