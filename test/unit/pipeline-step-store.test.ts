import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatMessage } from '../../electron/core/llm/index.js';
import { openDatabase, type Db } from '../../electron/core/db/index.js';
import { TaskQueue } from '../../electron/core/queue/index.js';
import { TaskStore } from '../../electron/core/tasks/index.js';
import { ResponseCache, cacheKey } from '../../electron/core/pipeline/response-cache.js';
import { StepStore, type StepFinish } from '../../electron/core/pipeline/step-store.js';

const OWNER = 'host-a/101/w1';
const OTHER = 'host-b/202/w2';

let dir: string;
let db: Db;
let tasks: TaskStore;
let queue: TaskQueue;
let steps: StepStore;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-step-store-'));
  db = openDatabase(path.join(dir, 'macs.db'));
  tasks = new TaskStore(db);
  queue = new TaskQueue(db, tasks);
  steps = new StepStore(db);
});
afterEach(() => {
  vi.useRealTimers();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A build task claimed by `owner` (status running, lease held). */
function runningTask(id = 't1', owner = OWNER): string {
  tasks.createTask({ id, kind: 'build', title: 'build', prompt: 'a CLI', model: 'm', numCtx: 4096, workspacePath: path.join(dir, 'ws', id), priority: 0, maxAttempts: 3, metadata: null });
  expect(queue.claimTask(id, owner, 60_000)).not.toBeNull();
  return id;
}

const finish = (over: Partial<StepFinish> = {}): StepFinish => ({
  status: 'succeeded',
  summary: 'done',
  llmMs: 12.5,
  commandMs: 3,
  promptTokens: 100,
  evalTokens: 50,
  llmCalls: 2,
  cachedCalls: 1,
  artifact: 'artifacts/t1/plan@v1.json',
  ...over,
});

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
};

describe('StepStore', () => {
  it('numbers versions per step name within a task', () => {
    const t = runningTask();
    const u = runningTask('t2');
    const begin = (taskId: string, step: 'plan' | 'implement' | 'fix') => steps.begin({ taskId, step, attempt: 1, owner: OWNER }).version;
    expect([begin(t, 'plan'), begin(t, 'implement'), begin(t, 'fix'), begin(t, 'fix'), begin(t, 'plan'), begin(u, 'fix')]).toEqual([1, 1, 1, 2, 2, 1]);
  });

  it('begins a running row with the model and the replayed version', () => {
    const t = runningTask();
    const rec = steps.begin({ taskId: t, step: 'plan', attempt: 2, owner: OWNER, replayOf: 1, model: 'm', modelReason: "the task's model" }, 5000);
    expect(rec).toMatchObject({ taskId: t, step: 'plan', version: 1, attempt: 2, status: 'running', startedAt: 5000, finishedAt: null, replayOf: 1, model: 'm', modelReason: "the task's model", error: null, artifact: null });
  });

  it('finishes a row with its totals, error and output, readable by get, latest and listWithOutput', () => {
    const t = runningTask();
    const rec = steps.begin({ taskId: t, step: 'fix', attempt: 1, owner: OWNER, model: 'm1', modelReason: 'r1' }, 1000);
    const error = { code: 'NO_FILES' as const, message: 'no files', details: { step: 'fix' } };
    const output = { input: { round: 1 }, result: null };
    const done = steps.finish(rec, OWNER, finish({ status: 'failed', error, output, model: null, summary: 'no files' }), 2000);
    expect(done).toMatchObject({ status: 'failed', finishedAt: 2000, error, model: 'm1', modelReason: 'r1', llmMs: 12.5, commandMs: 3, promptTokens: 100, evalTokens: 50, llmCalls: 2, cachedCalls: 1, summary: 'no files' });
    expect(steps.get(t, 'fix', 1)).toEqual({ ...done, output });
    expect(steps.latest(t, 'fix')).toEqual({ ...done, output });
    expect(steps.listWithOutput(t)).toEqual([{ ...done, output }]);
    expect(steps.list(t)).toEqual([done]);
    expect(steps.get(t, 'fix', 2)).toBeNull();
    expect(steps.latest(t, 'plan')).toBeNull();
  });

  it('gives the latest version and lists in insertion order, output null when none was stored', () => {
    const t = runningTask();
    const a = steps.begin({ taskId: t, step: 'test', attempt: 1, owner: OWNER });
    steps.finish(a, OWNER, finish());
    const b = steps.begin({ taskId: t, step: 'test', attempt: 1, owner: OWNER });
    expect(steps.latest(t, 'test')).toMatchObject({ version: 2, status: 'running', output: null });
    expect(steps.listWithOutput(t).map((s) => [s.step, s.version, s.output])).toEqual([
      ['test', 1, null],
      ['test', 2, null],
    ]);
    expect(b.id).toBeGreaterThan(a.id);
  });

  it('refuses to begin with TASK_INTERRUPTED when the owner does not hold the lease', () => {
    const t = runningTask();
    expect(codeOf(() => steps.begin({ taskId: t, step: 'plan', attempt: 1, owner: OTHER }))).toBe('TASK_INTERRUPTED');
    expect(codeOf(() => steps.begin({ taskId: 'nope', step: 'plan', attempt: 1, owner: OWNER }))).toBe('TASK_INTERRUPTED');
    expect(steps.list(t)).toEqual([]);
  });

  it('refuses to begin or finish once the task was finished or taken over', () => {
    const t = runningTask();
    const rec = steps.begin({ taskId: t, step: 'plan', attempt: 1, owner: OWNER });
    // Crash recovery hands the task to another worker: the old one must not write.
    queue.recoverAbandoned('host-c/1/w', Date.now() + 120_000);
    expect(queue.claimTask(t, OTHER, 60_000)).not.toBeNull();
    expect(codeOf(() => steps.finish(rec, OWNER, finish()))).toBe('TASK_INTERRUPTED');
    expect(codeOf(() => steps.begin({ taskId: t, step: 'implement', attempt: 1, owner: OWNER }))).toBe('TASK_INTERRUPTED');
    expect(steps.get(t, 'plan', 1)?.status).toBe('running');
    // The new owner may write.
    expect(steps.finish(rec, OTHER, finish()).status).toBe('succeeded');

    const u = runningTask('t2');
    const r2 = steps.begin({ taskId: u, step: 'plan', attempt: 1, owner: OWNER });
    queue.finish(u, OWNER, { status: 'succeeded' });
    expect(codeOf(() => steps.finish(r2, OWNER, finish()))).toBe('TASK_INTERRUPTED');
  });

  it('refuses to finish a row twice', () => {
    const t = runningTask();
    const rec = steps.begin({ taskId: t, step: 'plan', attempt: 1, owner: OWNER });
    steps.finish(rec, OWNER, finish());
    expect(codeOf(() => steps.finish(rec, OWNER, finish({ status: 'failed' })))).toBe('INTERNAL');
    expect(steps.get(t, 'plan', 1)?.status).toBe('succeeded');
  });

  it('closes rows a crashed attempt left running as cancelled, and only those, only for that task', () => {
    const t = runningTask();
    const u = runningTask('t2');
    const doneRow = steps.begin({ taskId: t, step: 'plan', attempt: 1, owner: OWNER });
    steps.finish(doneRow, OWNER, finish());
    const impl = steps.begin({ taskId: t, step: 'implement', attempt: 1, owner: OWNER });
    const docs = steps.begin({ taskId: t, step: 'docs', attempt: 1, owner: OWNER });
    const other = steps.begin({ taskId: u, step: 'plan', attempt: 1, owner: OWNER });
    const closed = steps.closeAbandoned(t, 9000);
    expect(closed.map((r) => [r.id, r.status, r.finishedAt, r.summary])).toEqual([
      [impl.id, 'cancelled', 9000, 'interrupted (the app stopped or crashed)'],
      [docs.id, 'cancelled', 9000, 'interrupted (the app stopped or crashed)'],
    ]);
    expect(steps.get(t, 'plan', 1)?.status).toBe('succeeded');
    expect(steps.get(u, 'plan', 1)?.status).toBe('running');
    expect(other.status).toBe('running');
    expect(steps.closeAbandoned(t)).toEqual([]);
    // A cancelled row can no longer be finished.
    expect(codeOf(() => steps.finish(impl, OWNER, finish()))).toBe('INTERNAL');
  });

  it('stores one replay request per task: upsert, read, clear', () => {
    const t = runningTask();
    expect(steps.pendingReplay(t)).toBeNull();
    steps.requestReplay(t, { step: 'fix', version: 2, cascade: false, useCache: true });
    expect(steps.pendingReplay(t)).toEqual({ step: 'fix', version: 2, cascade: false, useCache: true });
    steps.requestReplay(t, { step: 'plan', version: null, cascade: true, useCache: false });
    expect(steps.pendingReplay(t)).toEqual({ step: 'plan', version: null, cascade: true, useCache: false });
    expect(db.prepare('SELECT COUNT(*) FROM task_replays WHERE task_id = ?').pluck().get(t)).toBe(1);
    steps.clearReplay(t);
    expect(steps.pendingReplay(t)).toBeNull();
    steps.clearReplay(t);
  });
});

describe('cacheKey', () => {
  const messages: ChatMessage[] = [
    { role: 'system', content: 'sys' },
    { role: 'user', content: 'hi' },
  ];
  const base = { modelDigest: 'sha-1', messages, options: { num_ctx: 4096, temperature: 0.2, format: { type: 'object', properties: { a: { type: 'string' } } } } };

  it('is a stable sha256 whatever the key order of objects', () => {
    const k = cacheKey(base);
    expect(k).toMatch(/^[0-9a-f]{64}$/);
    expect(cacheKey({ ...base })).toBe(k);
    const reordered = { options: { format: { properties: { a: { type: 'string' } }, type: 'object' }, temperature: 0.2, num_ctx: 4096 }, messages: messages.map((m) => ({ content: m.content, role: m.role })), modelDigest: 'sha-1' };
    expect(cacheKey(reordered)).toBe(k);
  });

  it('ignores options that are undefined', () => {
    expect(cacheKey({ ...base, options: { ...base.options, num_predict: undefined } })).toBe(cacheKey(base));
  });

  it('differs for different options, digests, messages and message order', () => {
    const k = cacheKey(base);
    const variants = [
      { ...base, modelDigest: 'sha-2' },
      { ...base, options: { ...base.options, num_ctx: 8192 } },
      { ...base, options: { ...base.options, temperature: 0.3 } },
      { ...base, options: { ...base.options, num_predict: 100 } },
      { ...base, options: { ...base.options, format: 'json' } },
      { ...base, messages: [messages[0], { role: 'user' as const, content: 'hi!' }] },
      { ...base, messages: [messages[1], messages[0]] },
      { ...base, messages: [messages[0], { role: 'assistant' as const, content: 'hi' }] },
    ];
    const keys = variants.map((v) => cacheKey(v));
    for (const key of keys) expect(key).not.toBe(k);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('ResponseCache', () => {
  const answer = { text: 'File: a.js\n```js\nx\n```\n', doneReason: 'stop', promptTokens: 30, evalTokens: 9 };

  it('stores and returns an answer with its usage, and overwrites on a second put', () => {
    const cache = new ResponseCache(db);
    expect(cache.get('k')).toBeNull();
    cache.put('k', 'm', answer);
    expect(cache.get('k')).toEqual(answer);
    cache.put('k', 'm', { ...answer, text: 'new', doneReason: null });
    expect(cache.get('k')).toEqual({ ...answer, text: 'new', doneReason: null });
    expect(db.prepare('SELECT hits FROM llm_cache WHERE key = ?').pluck().get('k')).toBe(2);
  });

  it('prunes entries unused for longer than the given age; a hit keeps one alive', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const cache = new ResponseCache(db);
    vi.setSystemTime(1_000_000);
    cache.put('old', 'm', answer);
    cache.put('used', 'm', answer);
    vi.setSystemTime(1_000_000 + 50_000);
    cache.put('fresh', 'm', answer);
    expect(cache.get('used')).not.toBeNull();
    expect(cache.prune(30_000, 1_000_000 + 60_000)).toBe(1);
    expect(cache.get('old')).toBeNull();
    expect(cache.get('used')).toEqual(answer);
    expect(cache.get('fresh')).toEqual(answer);
    expect(cache.prune(30_000, 1_000_000 + 60_000)).toBe(0);
    expect(cache.prune(0, 1_000_000 + 200_000)).toBe(2);
  });
});
