// Projects (issue 11, "Speed"): how long a follow-up turn takes from tasks.create to the
// model request on a 1,000- and a 10,000-file project, how long a restore to version 1 of a
// 50-version, 500-file project takes, and the sidebar's first paint with 1,000 projects.
// Everything runs through a real engine (SQLite file, git, the Ollama stand-in, which stamps
// each request's arrival with performance.timeOrigin + performance.now()).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { MethodResult, Project } from '../shared/index.js';
import { createEngine, type Engine } from '../electron/core/engine/index.js';
import { startOllamaStandin, type OllamaStandin } from '../test/fixtures/ollama-standin/index.js';
import { writeSourceTree } from './fixtures/source-tree.js';
import { restoreBench } from './projects-restore.bench.js';
import { sidebarBench } from './projects-sidebar.bench.js';

const MODEL = 'qwen2.5-coder:7b';
const RUNS = 5;

type Row = Record<string, number | boolean | string>;

export const nowEpochMs = () => performance.timeOrigin + performance.now();
export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function answered(engine: Engine, taskId: string): Promise<void> {
  const done = await engine.waitForTask(taskId, 120_000);
  if (!['succeeded', 'cancelled'].includes(done.status)) throw new Error(`turn ${taskId} ended ${done.status}: ${done.error?.message ?? ''}`);
}

/** Where one turn's time went before its model request: the queue's claim, beginTurn (hand-edit version, snapshot), the rest (context, prompt). */
interface TurnTiming {
  totalMs: number;
  claimMs: number;
  beginMs: number;
  restMs: number;
}

/**
 * One follow-up turn: from tasks.create to the stand-in receiving /api/chat. The phases are
 * read from the topics as they arrive: task.updated "running" is the claim; the first
 * project.updated after it that no task.updated led to is beginTurn's (its versions and
 * snapshot are ready). Task events are no use for this: they are stamped when the
 * coalescer flushes them, after the request.
 */
async function timeTurn(engine: Engine, standin: OllamaStandin, projectId: string, kind: 'chat' | 'build', prompt: string): Promise<TurnTiming> {
  const topics: Array<{ topic: string; at: number; running: boolean }> = [];
  const off = engine.onTopic((topic, payload) => {
    const running = topic === 'task.updated' && (payload as { task: { status: string } }).task.status === 'running';
    topics.push({ topic, at: nowEpochMs(), running });
  });
  const seen = standin.requests.length;
  const t0 = nowEpochMs();
  const { task } = (await engine.invoke('tasks.create', { projectId, prompt, model: MODEL, kind })) as MethodResult<'tasks.create'>;
  let chat;
  while (!(chat = standin.requests.slice(seen).find((r) => r.path === '/api/chat'))) await new Promise((r) => setTimeout(r, 1));
  if (kind === 'build') await engine.invoke('tasks.cancel', { taskId: task.id }); // only its first request matters here
  await answered(engine, task.id);
  off();
  const r = topics.findIndex((t) => t.running);
  const running = topics[r]?.at ?? t0;
  const begun = topics.find((t, i) => i > r && t.topic === 'project.updated' && topics[i - 1].topic !== 'task.updated')?.at ?? running;
  return { totalMs: chat.at - t0, claimMs: running - t0, beginMs: Math.min(chat.at, begun) - running, restMs: Math.max(0, chat.at - begun) };
}

/**
 * An N-file project: a folder opened as a project, or a generated one whose folder holds
 * the same files (put there before its first turn). After a first turn, RUNS follow-up
 * chat turns (each also rewrites a file by hand, so the hand-edit version is made each
 * time) and RUNS build turns (cancelled once their first request is out).
 */
export async function turnLatency(files: number, kind: 'folder' | 'generated', base: string, standin: OllamaStandin): Promise<Row> {
  const dataDir = await fs.mkdtemp(path.join(base, `data-${kind}-${files}-`));
  const engine = createEngine({ dataDir, host: 'cli', version: 'bench', ollamaHost: standin.url });
  try {
    await engine.invoke('settings.update', { llmCache: false });
    let project: Project;
    if (kind === 'folder') {
      const root = path.join(base, `folder-${files}`);
      await writeSourceTree(root, files);
      project = ((await engine.invoke('projects.create', { folder: root })) as MethodResult<'projects.create'>).project;
    } else {
      project = ((await engine.invoke('projects.create', { name: `bench ${files}` })) as MethodResult<'projects.create'>).project;
      await writeSourceTree(project.root, files);
    }
    standin.setDefaultChat({ text: 'File: src/notes.ts\n```\nexport const notes = 1;\n```\n' });
    const first = (await engine.invoke('tasks.create', { projectId: project.id, prompt: 'Add a notes module', model: MODEL })) as MethodResult<'tasks.create'>;
    await answered(engine, first.task.id);

    const chat: TurnTiming[] = [];
    for (let i = 0; i < RUNS; i++) {
      await fs.writeFile(path.join(project.root, 'src/hand-edited.ts'), `export const byHand = ${i};\n`);
      standin.setDefaultChat({ text: `File: src/notes.ts\n\`\`\`\nexport const notes = ${i + 2};\n\`\`\`\n` });
      chat.push(await timeTurn(engine, standin, project.id, 'chat', `Change the notes to ${i + 2} and explain the order parser`));
    }
    const build: TurnTiming[] = [];
    for (let i = 0; i < RUNS; i++) build.push(await timeTurn(engine, standin, project.id, 'build', `Add a CLI flag --limit ${i} to the report command`));

    const p = `${kind}${files}`;
    const m = (list: TurnTiming[], k: keyof TurnTiming) => Math.round(median(list.map((t) => t[k])));
    return {
      [`${p}_chatMedianMs`]: m(chat, 'totalMs'),
      [`${p}_chatMaxMs`]: Math.round(Math.max(...chat.map((t) => t.totalMs))),
      [`${p}_chatPhasesMs`]: `claim ${m(chat, 'claimMs')}, beginTurn ${m(chat, 'beginMs')}, context+prompt ${m(chat, 'restMs')}`,
      [`${p}_buildMedianMs`]: m(build, 'totalMs'),
      [`${p}_buildPhasesMs`]: `claim ${m(build, 'claimMs')}, beginTurn ${m(build, 'beginMs')}, plan prompt ${m(build, 'restMs')}`,
    };
  } finally {
    await engine.close();
  }
}

/**
 * The machine's noise, for reading the figures: what starting one git process costs now
 * (median of 20 `git --version`; the versions code starts 10–20 per turn or restore) and
 * the load average. On a busy machine both grow, and the git-heavy figures with them.
 */
function machineNow(): { gitSpawnMs: number; load1m: number } {
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    spawnSync('git', ['--version']);
    times.push(performance.now() - t0);
  }
  return { gitSpawnMs: Number(median(times).toFixed(1)), load1m: Number(os.loadavg()[0].toFixed(1)) };
}

export async function runProjectsBench(): Promise<Row> {
  const base = await fs.mkdtemp(path.join(os.tmpdir(), 'macs-bench-projects-'));
  const standin = await startOllamaStandin({ models: [{ name: MODEL }] });
  try {
    const before = machineNow();
    const row: Row = {};
    for (const files of [1_000, 10_000]) {
      for (const kind of ['folder', 'generated'] as const) Object.assign(row, await turnLatency(files, kind, base, standin));
    }
    const worst = (files: number) => Math.max(...['folder', 'generated'].flatMap((k) => [row[`${k}${files}_chatMedianMs`], row[`${k}${files}_buildMedianMs`]] as number[]));
    Object.assign(row, await restoreBench(base));
    Object.assign(row, await sidebarBench(base, standin.url));
    const after = machineNow();
    return {
      machineGitSpawnMs: `${before.gitSpawnMs} at start, ${after.gitSpawnMs} at end`,
      machineLoad1m: `${before.load1m} at start, ${after.load1m} at end`,
      ...row,
      restoreV1InGitSpawns: Math.round((row.restoreV1Ms as number) / ((before.gitSpawnMs + after.gitSpawnMs) / 2)),
      meetsTurn1kTarget: worst(1_000) < 150,
      meetsTurn10kTarget: worst(10_000) < 500,
      meetsRestoreTarget: (row.restoreV1Ms as number) < 1000 && row.restoreByteExact === true,
      // The sidebar's share: from its projects.list call to the painted row (navigation to row,
      // sidebarFirstPaintMs, also holds loading the app's bundle, which no sidebar work changes).
      meetsSidebarTarget: typeof row.sidebarListCallToRowMs === 'number' ? row.sidebarListCallToRowMs < 100 : false,
    };
  } finally {
    await standin.close();
    await fs.rm(base, { recursive: true, force: true });
  }
}
