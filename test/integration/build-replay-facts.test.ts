// A replayed step, as the task's facts tell it: the time spent working leaves out the idle time
// before the replay, the replay keeps the round of the step it replays, and the chat's line about
// it is written once it has ended ("Replayed fix@v1 as fix@v2: succeeded."), never a stale "Replaying …".
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodResult, StepRecord, TaskEvent } from '../../shared/index.js';
import type { Engine } from '../../electron/core/engine/index.js';
import { startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { adder, answer, approve } from '../fixtures/build-scripts.js';
import { openEngine, tempDataDir } from './helpers.js';

const MODEL = 'qwen2.5-coder:7b';
let standin: OllamaStandin;
let engine: Engine | undefined;
let dataDir: string;

beforeEach(async () => {
  standin = await startOllamaStandin();
  dataDir = tempDataDir('build-replay-facts');
});

afterEach(async () => {
  await engine?.close();
  engine = undefined;
  await standin.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const steps = async (taskId: string) => ((await engine!.invoke('tasks.steps', { taskId })) as { steps: StepRecord[] }).steps;

async function logLines(taskId: string): Promise<string[]> {
  const { events } = (await engine!.invoke('tasks.events', { taskId, sinceSeq: 0, limit: 10_000 })) as { events: TaskEvent[] };
  return events.flatMap((e) => (e.type === 'log' ? [e.data.message] : []));
}

describe('build pipeline: the facts of a replay', () => {
  it('counts working time, not the idle time before a replay; says the replay once it ended; keeps the round', async () => {
    standin.enqueueChat(answer('plan', adder.plan));
    standin.enqueueChat(answer('implement', adder.buggy));
    standin.enqueueChat(answer('docs', adder.readme));
    standin.enqueueChat(answer('fix', adder.fixed));
    standin.enqueueChat(answer('review', approve));
    engine = openEngine(dataDir, standin.url);
    const { task } = (await engine.invoke('tasks.create', { prompt: 'Write a tiny math library with tests.', kind: 'build', model: MODEL })) as MethodResult<'tasks.create'>;
    const built = await engine.waitForTask(task.id, 60_000);
    expect(built.status).toBe('succeeded');
    expect(built.workedMs).toBe(built.finishedAt! - built.startedAt!);

    const IDLE_MS = 1_500;
    await new Promise((r) => setTimeout(r, IDLE_MS));
    await engine.invoke('tasks.replayStep', { taskId: task.id, step: 'fix', version: 1 });
    const replayed = await engine.waitForTask(task.id, 30_000);
    expect(replayed.status).toBe('succeeded');

    // The time spent working is the two runs added up: the idle time between them is not in it.
    const { attempts } = (await engine.invoke('tasks.attempts', { taskId: task.id })) as MethodResult<'tasks.attempts'>;
    expect(attempts).toHaveLength(2);
    const worked = attempts.reduce((ms, a) => ms + (a.finishedAt! - a.startedAt), 0);
    expect(replayed.workedMs).toBe(worked);
    expect(replayed.finishedAt! - replayed.startedAt! - replayed.workedMs!).toBeGreaterThanOrEqual(IDLE_MS - 50);
    expect(replayed.runningSince).toBeNull();

    // The replay is fix@v2, a replay of fix@v1, and its summary is round 1's, as is its heading's round.
    const all = await steps(task.id);
    const fixes = all.filter((s) => s.step === 'fix');
    expect(fixes.map((s) => [s.version, s.replayOf])).toEqual([
      [1, null],
      [2, 1],
    ]);
    expect(fixes[1].summary).toBe(fixes[0].summary);
    expect(fixes[1].summary).toMatch(/^round 1:/);

    // One settled line about the replay, after it: never "Replaying …" left standing.
    const lines = await logLines(task.id);
    expect(lines.filter((l) => /^Replay/.test(l))).toEqual(['Replayed fix@v1 as fix@v2: succeeded.']);
  });
});
