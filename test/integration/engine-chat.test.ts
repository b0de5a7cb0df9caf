import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MethodResult, TaskEvent } from '../../shared/index.js';
import type { Engine } from '../../electron/core/engine/index.js';
import { closedPort, deltaText, openEngine, recordFrames, useStandinEngine, waitFor } from './helpers.js';

const TWO_FILES = [
  'Here is the project.\n\n',
  'File: csv2json.py\n```python\nimport csv, json, sys\n\n',
  'def convert(path):\n    with open(path) as f:\n        return json.dumps(list(csv.DictReader(f)))\n```\n\n',
  'File: tests/test_csv2json.py\n```python\nfrom csv2json import convert\n\ndef test_convert(tmp_path):\n',
  '    p = tmp_path / "a.csv"\n    p.write_text("a,b\\n1,2\\n")\n    assert convert(p) == \'[{"a": "1", "b": "2"}]\'\n```\n\nRun `pytest`.\n',
].join('');

const t = useStandinEngine();

async function create(e: Engine, prompt = 'a Python CLI that converts CSV to JSON, with tests', model = 'qwen2.5-coder:7b', extra: Record<string, unknown> = {}) {
  return ((await e.invoke('tasks.create', { prompt, model, ...extra })) as MethodResult<'tasks.create'>).task;
}

function seqsAreContiguous(events: TaskEvent[]): boolean {
  return events.every((e, i) => e.seq === i + 1);
}

describe('chat task, end to end through the engine', () => {
  it('streams, writes files on close, stores everything, and survives a restart', async () => {
    t.standin.enqueueChat({ text: TWO_FILES, tokensPerSecond: 2000 });
    t.engine = openEngine(t.dataDir, t.standin.url);
    const rec = recordFrames(t.engine);
    const task = await create(t.engine);
    const final = await t.engine.waitForTask(task.id);

    expect(final.status).toBe('succeeded');
    expect(final.fileCount).toBe(2);
    const live = rec.events(task.id);
    expect(seqsAreContiguous(live)).toBe(true);
    expect(deltaText(live)).toBe(TWO_FILES);
    // Tokens were coalesced: far fewer delta events than tokens.
    const tokenCount = Math.ceil(TWO_FILES.length / 4);
    expect(live.filter((e) => e.type === 'delta').length).toBeLessThan(tokenCount);
    expect(live.filter((e) => e.type === 'file.open').map((e) => e.data)).toEqual([{ path: 'csv2json.py' }, { path: 'tests/test_csv2json.py' }]);
    const opened = live.findIndex((e) => e.type === 'file.open');
    const closed = live.findIndex((e) => e.type === 'file.close');
    expect(live.slice(opened, closed).some((e) => e.type === 'file.chunk')).toBe(true);

    const onDisk = fs.readFileSync(path.join(final.workspacePath, 'tests/test_csv2json.py'), 'utf8');
    expect(onDisk).toContain('assert convert(p)');
    expect(fs.readFileSync(path.join(final.workspacePath, 'csv2json.py'), 'utf8')).toBe(
      'import csv, json, sys\n\ndef convert(path):\n    with open(path) as f:\n        return json.dumps(list(csv.DictReader(f)))\n',
    );
    // num_ctx is always sent.
    const chat = t.standin.requests.find((r) => r.path === '/api/chat')!.body as { options: { num_ctx: number }; stream: boolean };
    expect(chat.options.num_ctx).toBe(final.numCtx);
    expect(chat.stream).toBe(true);

    await t.engine.close();
    t.engine = openEngine(t.dataDir, t.standin.url);
    const reopened = (await t.engine.invoke('tasks.get', { taskId: task.id })) as MethodResult<'tasks.get'>;
    expect(reopened.task.status).toBe('succeeded');
    expect(reopened.files.map((f) => [f.path, f.state])).toEqual([
      ['csv2json.py', 'written'],
      ['tests/test_csv2json.py', 'written'],
    ]);
    const stored = (await t.engine.invoke('tasks.events', { taskId: task.id })) as MethodResult<'tasks.events'>;
    expect(stored.events).toEqual(live);
    const file = (await t.engine.invoke('workspaces.read', { root: reopened.task.workspacePath, path: 'csv2json.py' })) as MethodResult<'workspaces.read'>;
    expect(file.content).toContain('def convert');
    expect(fs.existsSync(path.join(t.dataDir, 'macs.db'))).toBe(true);
  });

  it('resumes from any seq without gaps or duplicates', async () => {
    t.standin.enqueueChat({ text: TWO_FILES });
    t.engine = openEngine(t.dataDir, t.standin.url);
    const task = await create(t.engine);
    await t.engine.waitForTask(task.id);
    const all = ((await t.engine.invoke('tasks.events', { taskId: task.id })) as MethodResult<'tasks.events'>).events;
    for (const since of [0, 1, Math.floor(all.length / 2), all.length - 1, all.length]) {
      const tail = ((await t.engine.invoke('tasks.events', { taskId: task.id, sinceSeq: since })) as MethodResult<'tasks.events'>).events;
      expect([...all.slice(0, since), ...tail]).toEqual(all);
    }
  });

  it('Stop aborts the Ollama request mid-stream, keeps what arrived, and marks the task cancelled', async () => {
    t.standin.enqueueChat({ text: TWO_FILES, tokensPerSecond: 2000, hangAfterTokens: 30 });
    t.engine = openEngine(t.dataDir, t.standin.url);
    const rec = recordFrames(t.engine);
    const task = await create(t.engine);
    await waitFor(() => rec.events(task.id).some((e) => e.type === 'file.chunk'), 10_000, 'first file chunk');
    const started = Date.now();
    const { task: cancelled } = (await t.engine.invoke('tasks.cancel', { taskId: task.id })) as MethodResult<'tasks.cancel'>;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(cancelled.status).toBe('cancelled');
    await t.standin.waitForAbort(2000);
    expect(t.standin.abortedStreams).toBe(1);
    const files = ((await t.engine.invoke('tasks.get', { taskId: task.id })) as MethodResult<'tasks.get'>).files;
    expect(files).toEqual([expect.objectContaining({ path: 'csv2json.py', state: 'truncated' })]);
    expect(fs.readFileSync(path.join(cancelled.workspacePath, 'csv2json.py'), 'utf8')).toMatch(/^import csv/);
    const events = rec.events(task.id);
    expect(events.at(-1)).toMatchObject({ type: 'status', data: { status: 'cancelled' } });
  });

  it('Stop works while the model is still loading (before the first byte)', async () => {
    t.standin.enqueueChat({ text: TWO_FILES, firstTokenDelayMs: 10_000 });
    t.engine = openEngine(t.dataDir, t.standin.url);
    const task = await create(t.engine);
    await waitFor(() => t.standin.requests.some((r) => r.path === '/api/chat'), 5000, 'the chat request');
    const started = Date.now();
    const { task: cancelled } = (await t.engine.invoke('tasks.cancel', { taskId: task.id })) as MethodResult<'tasks.cancel'>;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(cancelled.status).toBe('cancelled');
    await t.standin.waitForAbort(2000);
  });

  it('says Ollama is unreachable, naming the host, and fails the task with OLLAMA_UNREACHABLE', async () => {
    const host = `http://127.0.0.1:${await closedPort()}`;
    t.engine = openEngine(t.dataDir, host);
    const status = (await t.engine.invoke('ollama.status', { refresh: true })) as MethodResult<'ollama.status'>;
    expect(status).toMatchObject({ reachable: false, host, error: { code: 'OLLAMA_UNREACHABLE' } });
    expect(status.error!.message).toContain(host);
    await expect(t.engine.invoke('models.list', {})).rejects.toMatchObject({ code: 'OLLAMA_UNREACHABLE' });
    // Tasks wait for a stopped Ollama (test/integration/ollama-wait.test.ts); without waiting they fail at once.
    await t.engine.invoke('settings.update', { ollamaWaitMinutes: 0 });
    const task = await create(t.engine);
    const final = await t.engine.waitForTask(task.id);
    expect(final.status).toBe('failed');
    expect(final.error).toMatchObject({ code: 'OLLAMA_UNREACHABLE' });
    expect(final.error!.message).toContain('OLLAMA_HOST');
  });

  it('fails with MODEL_NOT_FOUND (Ollama 404 body) and tells the user how to pull it', async () => {
    t.engine = openEngine(t.dataDir, t.standin.url);
    const task = await create(t.engine, 'hello', 'no-such-model:1b');
    const final = await t.engine.waitForTask(task.id);
    expect(final.status).toBe('failed');
    expect(final.error).toMatchObject({ code: 'MODEL_NOT_FOUND' });
    expect(final.error!.message).toContain('ollama pull no-such-model:1b');
  });

  it('maps an out-of-memory load error to MODEL_OUT_OF_MEMORY', async () => {
    t.standin.enqueueChat({ error: { status: 500, message: 'model requires more system memory (21.3 GiB) than is available (7.9 GiB)' } });
    t.engine = openEngine(t.dataDir, t.standin.url);
    const final = await t.engine.waitForTask((await create(t.engine)).id);
    expect(final.error).toMatchObject({ code: 'MODEL_OUT_OF_MEMORY' });
  });

  it('a stream dropped mid-answer fails with STREAM_DROPPED and keeps the files that arrived', async () => {
    const tokens = TWO_FILES.match(/[\s\S]{1,4}/g)!;
    const cutAt = Math.ceil(TWO_FILES.indexOf('File: tests/') / 4) + 12;
    t.standin.enqueueChat({ tokens, cutAfterTokens: cutAt });
    t.engine = openEngine(t.dataDir, t.standin.url);
    const rec = recordFrames(t.engine);
    // One attempt: a dropped stream is otherwise retried (see queue.test.ts).
    const task = await create(t.engine, 'p', 'qwen2.5-coder:7b', { maxAttempts: 1 });
    const final = await t.engine.waitForTask(task.id);
    expect(final.status).toBe('failed');
    expect(final.error).toMatchObject({ code: 'STREAM_DROPPED' });
    expect(TWO_FILES.startsWith(deltaText(rec.events(task.id)))).toBe(true);
    const files = ((await t.engine.invoke('tasks.get', { taskId: task.id })) as MethodResult<'tasks.get'>).files;
    expect(files.find((f) => f.path === 'csv2json.py')?.state).toBe('written');
    expect(files.find((f) => f.path === 'tests/test_csv2json.py')?.state).toBe('truncated');
  });

  it('an error line mid-stream fails the task with Ollama’s message', async () => {
    t.standin.enqueueChat({ text: TWO_FILES, midStreamError: { afterTokens: 5, message: 'an error was encountered while running the model: unexpected EOF' } });
    t.engine = openEngine(t.dataDir, t.standin.url);
    const final = await t.engine.waitForTask((await create(t.engine, 'p', 'qwen2.5-coder:7b', { maxAttempts: 1 })).id);
    expect(final.status).toBe('failed');
    expect(final.error?.message).toContain('unexpected EOF');
  });

  it('refuses hostile paths in model output with a visible event and writes nothing outside', async () => {
    const answer = 'File: ../../escape.txt\n```\npwned\n```\nFile: /etc/evil.conf\n```\nx\n```\nFile: ok.txt\n```\nfine\n```\n';
    t.standin.enqueueChat({ text: answer });
    t.engine = openEngine(t.dataDir, t.standin.url);
    const rec = recordFrames(t.engine);
    const task = await create(t.engine);
    const final = await t.engine.waitForTask(task.id);
    expect(final.status).toBe('succeeded');
    const refused = rec.events(task.id).filter((e) => e.type === 'file.refused');
    expect(refused.map((e) => e.data.path)).toEqual(['../../escape.txt', '/etc/evil.conf']);
    expect(fs.existsSync(path.join(t.dataDir, 'escape.txt'))).toBe(false);
    expect(fs.existsSync(path.join(path.dirname(final.workspacePath), 'escape.txt'))).toBe(false);
    // The project's own git repository (one commit per turn) is there too; nothing the model named outside it.
    expect(fs.readdirSync(final.workspacePath).filter((n) => n !== '.git')).toEqual(['ok.txt']);
  });

  it('rejects invalid input with every field error listed', async () => {
    t.engine = openEngine(t.dataDir, t.standin.url);
    await expect(t.engine.invoke('tasks.create', { prompt: '   ', model: '' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      details: { fields: expect.arrayContaining([expect.objectContaining({ path: 'prompt' }), expect.objectContaining({ path: 'model' })]) },
    });
    await expect(t.engine.invoke('tasks.get', { taskId: 'nope' })).rejects.toMatchObject({ code: 'TASK_NOT_FOUND' });
    await expect(t.engine.invoke('no.such', {})).rejects.toMatchObject({ code: 'UNKNOWN_METHOD' });
    await expect(t.engine.invoke('workspaces.read', { root: '/x', path: 'a', extra: 1 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('keeps the database healthy: WAL, foreign keys, integrity ok', async () => {
    t.standin.enqueueChat({ text: TWO_FILES });
    t.engine = openEngine(t.dataDir, t.standin.url);
    await t.engine.waitForTask((await create(t.engine)).id);
    await t.engine.close();
    t.engine = null;
    const db = new Database(path.join(t.dataDir, 'macs.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });
});
