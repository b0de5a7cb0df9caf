import Database from 'better-sqlite3';
import JSZip from 'jszip';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodResult, TaskEvent } from '../../shared/index.js';
import { createEngine, type Engine } from '../../electron/core/engine/index.js';
import { startServer, type RunningServer, type ServerOptions } from '../../electron/server/index.js';
import { startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { closedPort, tempDataDir, waitFor } from './helpers.js';
import { openSse, type SseEvent } from './sse-client.js';
import { TestWsClient } from './ws-client.js';

const MODEL = 'qwen2.5-coder:7b';
const TWO_FILES = 'Here it is.\nFile: src/main.py\n```python\nprint("hi")\n```\nFile: README.md\n```markdown\n# Demo\n```\nDone.\n';

let standin: OllamaStandin;
let engine: Engine;
let server: RunningServer;
let dataDir: string;
let base: string;
let key: string;
const extraServers: RunningServer[] = [];
const extraEngines: Engine[] = [];

function newEngine(dir: string, ollamaHost: string): Engine {
  // env: {} so a MACS_API_KEY in the developer's shell does not change what is tested (the key file).
  return createEngine({ dataDir: dir, host: 'browser', version: 'test', ollamaHost, env: {}, queue: { retryBaseMs: 20, pollMs: 50 } });
}

async function serve(e: Engine, extra: Partial<ServerOptions> = {}): Promise<RunningServer> {
  const rendererDir = path.join(dataDir, 'renderer');
  fs.mkdirSync(rendererDir, { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>MACS</title>');
  return startServer({ engine: e, rendererDir, port: 0, ...extra });
}

beforeEach(async () => {
  standin = await startOllamaStandin();
  dataDir = tempDataDir('rest');
  engine = newEngine(dataDir, standin.url);
  server = await serve(engine);
  base = `http://127.0.0.1:${server.port}`;
  key = engine.apiKey().apiKey;
});
afterEach(async () => {
  for (const s of extraServers.splice(0)) await s.close();
  await server.close();
  for (const e of extraEngines.splice(0)) await e.close();
  await engine.close();
  await standin.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

interface ApiResponse {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- responses are checked field by field
  body: any;
  headers: Headers;
}

async function api(method: string, urlPath: string, opts: { body?: unknown; rawBody?: string; apiKey?: string | null } = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const k = opts.apiKey === undefined ? key : opts.apiKey;
  if (k !== null) headers['x-api-key'] = k;
  const res = await fetch(`${base}${urlPath}`, {
    method,
    headers,
    body: opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (metrics, zip)
  }
  return { status: res.status, body, headers: res.headers };
}

async function submit(body: unknown): Promise<string> {
  const res = await api('POST', '/v1/tasks', { body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.task_id as string;
}

async function storedEvents(taskId: string): Promise<TaskEvent[]> {
  return ((await engine.invoke('tasks.events', { taskId })) as MethodResult<'tasks.events'>).events;
}

/** Headers with the API key, for reads outside api() (SSE, the zip, metrics). */
const keyed = (extra: Record<string, string> = {}): Record<string, string> => ({ 'x-api-key': key, ...extra });

const deltas = (events: SseEvent[]) => events.filter((e) => e.event === 'delta').map((e) => e.data.text as string).join('');
const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

const BAD_SPEC = {
  type: 'CODE',
  input: { language: 7, frameworks: 'flask', constraints: { max_tokens: 0, latency_ms: 'fast' }, repo: { include: ['src'] } },
  output_contract: { expected_files: [42] },
  oracle: { smoke: 'pytest' },
  colour: 'blue',
};

describe('REST API: auth and validation', () => {
  it('401 for a missing or wrong key, and the UI token is not an API key (nor the key a token)', async () => {
    const body = { prompt: 'hello' };
    const missing = await api('POST', '/v1/tasks', { body, apiKey: null });
    expect(missing.status).toBe(401);
    expect(missing.body.error).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringContaining('X-API-Key') });
    expect((await api('POST', '/v1/tasks', { body, apiKey: `${key}x` })).status).toBe(401);
    expect((await api('POST', '/v1/tasks', { body, apiKey: server.token })).status).toBe(401);
    expect((await api('POST', '/v1/feedback', { body: { task_id: 'x', rating: 1 }, apiKey: null })).status).toBe(401);
    expect((await api('POST', '/v1/tasks/x/cancel', { apiKey: server.token })).status).toBe(401);
    // The other way round: the API key opens neither the WebSocket nor a download.
    await expect(TestWsClient.connect(`ws://127.0.0.1:${server.port}/ws?token=${encodeURIComponent(key)}`)).rejects.toMatchObject({ statusCode: 403 });
    expect((await fetch(`${base}/download/${'0'.repeat(24)}?token=${encodeURIComponent(key)}`)).status).toBe(401);
    // Reads need a credential too (rest-access.test.ts goes through every route); a wrong key is refused.
    expect((await api('GET', '/v1/tasks', { apiKey: null })).status).toBe(401);
    expect((await api('GET', '/v1/tasks', { apiKey: 'nope' })).status).toBe(401);
    // Nothing was created by the refused requests.
    expect((await api('GET', '/v1/tasks')).body.tasks).toEqual([]);
  });

  it('400 lists every field error of a bad TaskV1.1 body at once', async () => {
    const res = await api('POST', '/v1/tasks', { body: BAD_SPEC });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_INPUT');
    const paths = (res.body.error.details.fields as { path: string }[]).map((f) => f.path);
    for (const p of [
      'input.goal',
      'input.language',
      'input.frameworks',
      'input.constraints.max_tokens',
      'input.constraints.latency_ms',
      'input.repo.path',
      'output_contract.expected_files.0',
      'oracle.smoke',
      '(body)',
    ]) {
      expect(paths, p).toContain(p);
    }
    expect(res.body.error.details.fields.find((f: { path: string }) => f.path === '(body)').message).toContain('colour');
  });

  it('400 for bad JSON, bad query parameters and a bad simple body; 413 past 1 MB; 404/405 for unknown routes', async () => {
    const badJson = await api('POST', '/v1/tasks', { rawBody: '{"prompt": ' });
    expect(badJson.status).toBe(400);
    expect(badJson.body.error.message).toContain('not valid JSON');
    const simple = await api('POST', '/v1/tasks', { body: { prompt: '', metadata: { mode_hint: 'ship' }, extra: 1 } });
    expect(simple.status).toBe(400);
    expect(simple.body.error.details.fields.map((f: { path: string }) => f.path).sort()).toEqual(['(body)', 'metadata.mode_hint', 'prompt']);
    const query = await api('GET', '/v1/tasks?status=done&limit=0');
    expect(query.status).toBe(400);
    expect(query.body.error.details.fields.map((f: { path: string }) => f.path).sort()).toEqual(['limit', 'status']);
    const huge = await api('POST', '/v1/tasks', { body: { prompt: 'x'.repeat(1024 * 1024 + 10) } });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('INVALID_INPUT');
    // Chunked, so no Content-Length to refuse up front: counted while reading, still a clean 413.
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: server.port, path: '/v1/tasks', method: 'POST', headers: { 'x-api-key': key, 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 20; i++) req.write('x'.repeat(100_000));
      req.end();
    });
    expect(chunked).toBe(413);
    expect((await api('GET', '/v1/nope')).status).toBe(404);
    const wrongMethod = await api('DELETE', '/v1/tasks');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.body.error.details.allowed).toContain('POST');
    const unknown = await api('GET', '/v1/tasks/does-not-exist');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('TASK_NOT_FOUND');
    expect((await api('POST', '/v1/tasks/does-not-exist/cancel')).body.error.code).toBe('TASK_NOT_FOUND');
  });
});

describe('REST API: tasks', () => {
  it('201 for a simple body; the task runs with the default model; GET gives a snapshot with timings', async () => {
    standin.enqueueChat({ text: TWO_FILES });
    const res = await api('POST', '/v1/tasks', { body: { prompt: 'a greeting script' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ task_id: expect.any(String), kind: 'chat', model: MODEL });
    expect(res.headers.get('location')).toBe(`/v1/tasks/${res.body.task_id}`);
    await engine.waitForTask(res.body.task_id, 10_000);

    const snap = await api('GET', `/v1/tasks/${res.body.task_id}`);
    expect(snap.status).toBe(200);
    expect(snap.body).toMatchObject({
      task_id: res.body.task_id,
      status: 'succeeded',
      kind: 'chat',
      model: MODEL,
      attempts: 1,
      file_count: 2,
      prompt: 'a greeting script',
      metadata: { mode_hint: 'chat' },
      error: null,
    });
    for (const k of ['created_at', 'started_at', 'finished_at']) expect(new Date(snap.body[k]).toISOString()).toBe(snap.body[k]);
    const d = snap.body.durations_ms;
    expect(d.queued).toBeGreaterThanOrEqual(0);
    expect(d.running).toBeGreaterThanOrEqual(0);
    expect(d.total).toBe(d.queued + d.running);
  });

  it('a TaskV1.1 body becomes a build task whose prompt carries the whole spec', async () => {
    const spec = {
      type: 'CODE',
      input: {
        language: 'Python',
        frameworks: ['pytest'],
        constraints: { max_tokens: 2000, style: 'small functions' },
        goal: 'CSV to JSON converter',
      },
      output_contract: { expected_files: ['csv2json.py', 'test_csv2json.py'] },
      non_negotiables: ['standard library only'],
      oracle: { smoke: ['pytest -q'] },
    };
    const id = await submit(spec);
    const task = await engine.waitForTask(id, 10_000);
    expect(task).toMatchObject({ kind: 'build', metadata: { mode_hint: 'build', spec } });
    const chat = standin.requests.filter((r) => r.path === '/api/chat').at(-1)!.body as { messages: { role: string; content: string }[] };
    const userText = chat.messages.filter((m) => m.role === 'user').map((m) => m.content).join('\n');
    for (const part of ['CSV to JSON converter', 'Language: Python', 'pytest', 'csv2json.py', 'standard library only', '`pytest -q`', '2000 tokens', 'small functions']) {
      expect(userText).toContain(part);
    }
    const hinted = await submit({ prompt: 'plan a project', model: 'llama3.2:3b', metadata: { mode_hint: 'build', ticket: 'T-1' } });
    expect((await api('GET', `/v1/tasks/${hinted}`)).body).toMatchObject({ kind: 'build', model: 'llama3.2:3b', metadata: { mode_hint: 'build', ticket: 'T-1' } });
  });

  it('lists with a status filter and a limit; cancel returns the cancelled state', async () => {
    standin.enqueueChat({ text: TWO_FILES });
    const done = await submit({ prompt: 'one' });
    await engine.waitForTask(done, 10_000);
    standin.enqueueChat({ text: 'word '.repeat(500), tokensPerSecond: 200, hangAfterTokens: 5 });
    const hanging = await submit({ prompt: 'two' });
    await waitFor(() => engine.stats().byStatus.running === 1, 10_000, 'the second task to run');

    const cancelled = await api('POST', `/v1/tasks/${hanging}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ task_id: hanging, status: 'cancelled' });
    expect(cancelled.body.finished_at).not.toBeNull();
    // Cancelling again is harmless and says the same.
    expect((await api('POST', `/v1/tasks/${hanging}/cancel`)).body.status).toBe('cancelled');

    const all = await api('GET', '/v1/tasks');
    expect(all.body.tasks.map((t: { task_id: string }) => t.task_id)).toEqual([hanging, done]);
    expect(all.body.tasks[0]).not.toHaveProperty('prompt');
    const succeeded = await api('GET', '/v1/tasks?status=succeeded');
    expect(succeeded.body.tasks.map((t: { task_id: string }) => t.task_id)).toEqual([done]);
    expect((await api('GET', '/v1/tasks?status=cancelled&limit=5')).body.tasks.map((t: { task_id: string }) => t.task_id)).toEqual([hanging]);
    expect((await api('GET', '/v1/tasks?limit=1')).body.tasks).toHaveLength(1);
  });
});

describe('REST API: SSE stream', () => {
  it('streams every event in order with id = seq, then `done`, then closes', async () => {
    standin.enqueueChat({ text: TWO_FILES, tokensPerSecond: 400 });
    const id = await submit({ prompt: 'p' });
    const sse = openSse(server.port, `/v1/stream/${id}`, keyed());
    expect(await sse.status).toBe(200);
    expect((await sse.headers)['content-type']).toContain('text/event-stream');
    await sse.ended;

    const names = sse.events.map((e) => e.event);
    expect(names.at(-1)).toBe('done');
    expect(sse.events.at(-1)!.data).toEqual({ status: 'succeeded' });
    expect(sse.events.at(-1)!.id).toBeNull();
    const numbered = sse.events.slice(0, -1);
    const ids = numbered.map((e) => e.id!);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    // Exactly the stored events the stream maps (file chunks ride in `delta`), nothing else.
    const stored = (await storedEvents(id)).filter((e) => e.type !== 'file.chunk');
    expect(ids).toEqual(stored.map((e) => e.seq));
    expect(deltas(sse.events)).toBe(TWO_FILES);
    const statuses = sse.events.filter((e) => e.event === 'status').map((e) => e.data.status);
    expect(statuses).toEqual(['queued', 'running', 'succeeded']);
    const files = sse.events.filter((e) => e.event === 'file').map((e) => `${e.data.action} ${e.data.path}`);
    expect(files).toEqual(['open src/main.py', 'close src/main.py', 'open README.md', 'close README.md']);
    const close = sse.events.find((e) => e.event === 'file' && e.data.action === 'close' && e.data.path === 'README.md')!;
    expect(close.data).toMatchObject({ size: 7, sha256: sha256('# Demo\n'), truncated: false });
    expect(names).toContain('usage');
    // Status must come before the deltas of its attempt, and done after the final status.
    expect(names.indexOf('delta')).toBeGreaterThan(names.indexOf('status'));
  });

  it('resumes with Last-Event-ID mid-stream: the union has no gap and no duplicate, and the text is whole', async () => {
    const text = 'File: long.txt\n```\n' + 'a line of generated text\n'.repeat(400) + '```\n';
    standin.enqueueChat({ text, tokensPerSecond: 2500 });
    const id = await submit({ prompt: 'p' });
    const first = openSse(server.port, `/v1/stream/${id}`, keyed());
    await waitFor(() => first.events.filter((e) => e.event === 'delta').length >= 4, 10_000, 'some deltas');
    first.close();
    await first.ended;
    const seen = [...first.events];
    const lastId = seen.at(-1)!.id!;
    expect(seen.some((e) => e.event === 'done')).toBe(false);

    const second = openSse(server.port, `/v1/stream/${id}`, keyed({ 'last-event-id': String(lastId) }));
    await second.ended;
    expect(second.events.at(-1)!.event).toBe('done');
    expect(second.events[0].id!).toBeGreaterThan(lastId);

    const union = [...seen, ...second.events.slice(0, -1)];
    const ids = union.map((e) => e.id!);
    expect(new Set(ids).size).toBe(ids.length);
    const stored = (await storedEvents(id)).filter((e) => e.type !== 'file.chunk');
    expect(ids).toEqual(stored.map((e) => e.seq));
    expect(deltas(union)).toBe(text);

    // ?last_event_id= (curl) on the finished task: the rest, then done; past the end: only done.
    const mid = stored[Math.floor(stored.length / 2)].seq;
    const third = openSse(server.port, `/v1/stream/${id}?last_event_id=${mid}`, keyed());
    await third.ended;
    expect(third.events.slice(0, -1).map((e) => e.id)).toEqual(stored.filter((e) => e.seq > mid).map((e) => e.seq));
    const past = openSse(server.port, `/v1/stream/${id}`, keyed({ 'last-event-id': String(stored.at(-1)!.seq) }));
    await past.ended;
    expect(past.events).toEqual([{ id: null, event: 'done', data: { status: 'succeeded' } }]);

    const bad = openSse(server.port, `/v1/stream/${id}`, keyed({ 'last-event-id': 'yesterday' }));
    expect(await bad.status).toBe(400);
    const missing = openSse(server.port, '/v1/stream/nope', keyed());
    expect(await missing.status).toBe(404);
    await missing.ended;
    expect(JSON.parse(missing.raw()).error.code).toBe('TASK_NOT_FOUND');
  });

  it('sends `: ping` heartbeats while idle, follows a cancel to `done`, and lets go of a client that leaves', async () => {
    const quick = await serve(engine, { rest: { sse: { heartbeatMs: 40 } } });
    extraServers.push(quick);
    standin.enqueueChat({ text: 'word '.repeat(100), tokensPerSecond: 500, hangAfterTokens: 3 });
    const id = await submit({ prompt: 'p' });
    const sse = openSse(quick.port, `/v1/stream/${id}`, keyed());
    await waitFor(() => sse.comments.filter((c) => c === ': ping').length >= 2 && sse.events.some((e) => e.event === 'delta'), 10_000, 'pings');
    // A second client that disconnects must not disturb the first.
    const leaver = openSse(quick.port, `/v1/stream/${id}`, keyed());
    await waitFor(() => leaver.events.length > 0, 5000, 'the leaver to get events');
    leaver.close();
    expect((await api('POST', `/v1/tasks/${id}/cancel`)).status).toBe(200);
    await sse.ended;
    expect(sse.events.at(-1)).toEqual({ id: null, event: 'done', data: { status: 'cancelled' } });
    expect(sse.events.filter((e) => e.event === 'status').map((e) => e.data.status)).toContain('cancelled');
  });
});

describe('REST API: results, feedback, models, health, metrics', () => {
  it('final gives the last attempt’s text, files with sha256 and a zip URL; the zip holds the files', async () => {
    // First attempt fails transiently (retried), the second succeeds: `result.text` is the second one only.
    standin.enqueueChat({ text: 'File: stale.txt\n```\nold\n', cutAfterTokens: 6 });
    standin.enqueueChat({ text: TWO_FILES });
    const id = await submit({ prompt: 'p' });
    const task = await engine.waitForTask(id, 10_000);
    expect(task).toMatchObject({ status: 'succeeded', attempts: 2 });

    const final = await api('GET', `/v1/tasks/${id}/final`);
    expect(final.status).toBe(200);
    expect(final.body).toMatchObject({ task_id: id, status: 'succeeded', result: { text: TWO_FILES, error: null } });
    expect(final.body.files.sort((a: { path: string }, b: { path: string }) => a.path.localeCompare(b.path))).toEqual([
      { path: 'README.md', sha256: sha256('# Demo\n'), size: 7, truncated: false },
      { path: 'src/main.py', sha256: sha256('print("hi")\n'), size: 12, truncated: false },
    ]);
    // The zip kept per task (the earlier MACS's zips/<task_id>.zip); /v1/tasks/{id}/zip still makes one per download.
    expect(final.body.zip_url).toBe(`${base}/zips/${id}.zip`);

    const zipRes = await fetch(final.body.zip_url, { headers: keyed() });
    expect(zipRes.status).toBe(200);
    expect(zipRes.headers.get('content-type')).toBe('application/zip');
    expect(zipRes.headers.get('content-disposition')).toMatch(/attachment; filename=".+\.zip"/);
    const zip = await JSZip.loadAsync(Buffer.from(await zipRes.arrayBuffer()));
    expect(await zip.file('src/main.py')!.async('string')).toBe('print("hi")\n');
    expect(await zip.file('README.md')!.async('string')).toBe('# Demo\n');
    expect(zip.file('stale.txt')).toBeNull();
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string'));
    expect(manifest.files.map((f: { path: string }) => f.path).sort()).toEqual(['README.md', 'src/main.py']);
    // API downloads leave no copy behind in the data dir.
    expect(fs.existsSync(path.join(dataDir, 'exports')) ? fs.readdirSync(path.join(dataDir, 'exports')) : []).toEqual([]);
  });

  it('a running task has no zip yet (409) and its final says so', async () => {
    standin.enqueueChat({ text: 'word '.repeat(100), tokensPerSecond: 500, hangAfterTokens: 3 });
    const id = await submit({ prompt: 'p' });
    await waitFor(() => engine.stats().byStatus.running === 1, 10_000, 'running');
    expect((await api('GET', `/v1/tasks/${id}/final`)).body).toMatchObject({ status: 'running', zip_url: null });
    const zip = await api('GET', `/v1/tasks/${id}/zip`);
    expect(zip.status).toBe(409);
    expect(zip.body.error.message).toContain('running');
    await api('POST', `/v1/tasks/${id}/cancel`);
  });

  it('stores feedback (201 {id}) and validates it', async () => {
    standin.enqueueChat({ text: TWO_FILES });
    const id = await submit({ prompt: 'p' });
    const res = await api('POST', '/v1/feedback', { body: { task_id: id, rating: -1, comment: 'missing tests' } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(Number), rating: -1, given: { rating: -1, scale: 2 } });
    const db = new Database(engine.dbPath, { readonly: true });
    expect(db.prepare('SELECT task_id, rating, comment FROM feedback WHERE id = ?').get(res.body.id)).toEqual({ task_id: id, rating: -1, comment: 'missing tests' });
    db.close();
    // 1–5 ratings are mapped (test/integration/seed-clients-requests.test.ts); 0 and 6 are on no scale.
    const bad = await api('POST', '/v1/feedback', { body: { task_id: id, rating: 6, mood: 'meh' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields.map((f: { path: string }) => f.path).sort()).toEqual(['(body)', 'rating']);
    expect((await api('POST', '/v1/feedback', { body: { task_id: 'ghost', rating: 1 } })).status).toBe(404);
  });

  it('lists models with size and details', async () => {
    const res = await api('GET', '/v1/models');
    expect(res.status).toBe(200);
    expect(res.body.models.map((m: { name: string }) => m.name)).toEqual(expect.arrayContaining([MODEL, 'llama3.2:3b']));
    expect(res.body.models[0]).toMatchObject({ size: expect.any(Number), digest: expect.any(String), parameter_size: expect.anything() });
  });

  it('/health is 200 with Ollama up or down, and says which', async () => {
    // With a credential (without one it says only {"status":"ok"}: rest-access.test.ts).
    const up = await api('GET', '/health');
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ status: 'ok', ok: true, ollama: { reachable: true, host: standin.url, version: expect.any(String) }, db: engine.dbPath });

    const downDir = tempDataDir('rest-down');
    const downEngine = newEngine(downDir, `http://127.0.0.1:${await closedPort()}`);
    extraEngines.push(downEngine);
    const downServer = await serve(downEngine);
    extraServers.push(downServer);
    const downKey = { 'x-api-key': downEngine.apiKey().apiKey };
    const res = await fetch(`http://127.0.0.1:${downServer.port}/health`, { headers: downKey });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, ollama: { reachable: false, version: null }, db: downEngine.dbPath });
    const models = await fetch(`http://127.0.0.1:${downServer.port}/v1/models`, { headers: downKey });
    expect(models.status).toBe(503);
    expect((await models.json()).error.code).toBe('OLLAMA_UNREACHABLE');
  });

  it('/metrics is Prometheus text with every metric, valued from the engine; two servers in one process do not clash', async () => {
    standin.enqueueChat({ text: TWO_FILES });
    await engine.waitForTask(await submit({ prompt: 'p' }), 10_000);
    const second = await serve(engine);
    extraServers.push(second);
    for (const port of [server.port, second.port]) {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: keyed() });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      const text = await res.text();
      const samples = new Map<string, number>();
      for (const line of text.split('\n')) {
        if (!line || line.startsWith('#')) continue;
        const m = /^(\S+)\s+(\S+)$/.exec(line);
        expect(m, `not a sample line: ${line}`).not.toBeNull();
        samples.set(m![1], Number(m![2]));
      }
      for (const name of ['macs_tasks', 'macs_queue_depth', 'macs_tokens_generated_total', 'macs_tokens_per_second', 'router_route_count', 'compile_pass_total', 'test_smoke_pass_total']) {
        expect(text).toContain(`# TYPE ${name} `);
      }
      expect(samples.get('macs_tasks{status="succeeded"}')).toBe(1);
      expect(samples.get('macs_tasks{status="queued"}')).toBe(0);
      expect(samples.get('macs_queue_depth')).toBe(0);
      expect(samples.get('macs_tokens_generated_total')).toBeGreaterThan(0);
      expect(samples.get(`router_route_count{model="${MODEL}"}`)).toBe(1);
      expect(samples.get('compile_pass_total')).toBe(0);
      expect(text).toMatch(/# HELP compile_pass_total Build tasks whose generated project built/);
    }
  });
});

describe('REST: a TaskV1.1 body naming an existing repository', () => {
  it('works in input.repo.path (scoped by repo.include), and refuses a system folder there', async () => {
    const repo = fs.mkdtempSync(path.join(tempDataDir('rest-repo'), 'repo-'));
    fs.mkdirSync(path.join(repo, 'src/auth'), { recursive: true });
    fs.mkdirSync(path.join(repo, 'docs'), { recursive: true });
    fs.writeFileSync(path.join(repo, 'src/auth/token.js'), 'export function tokenExpiry(token) { return token.exp; }\n');
    fs.writeFileSync(path.join(repo, 'docs/token.md'), 'Token expiry: tokens expire after an hour.\n');
    standin.setDefaultChat({ text: '{"summary":"x","language":"js","files":[{"path":"src/auth/token.js","purpose":"p"}],"test_command":"","acceptance":[]}' });
    const spec = { type: 'CODE', input: { goal: 'Fix the token expiry', repo: { path: repo, include: ['src/**'] } } };
    const created = await api('POST', '/v1/tasks', { body: spec });
    expect(created.status).toBe(201);
    const { task } = (await engine.invoke('tasks.get', { taskId: created.body.task_id })) as MethodResult<'tasks.get'>;
    expect(task.workspacePath).toBe(fs.realpathSync(repo));
    await engine.invoke('tasks.cancel', { taskId: task.id });

    const refused = await api('POST', '/v1/tasks', { body: { type: 'CODE', input: { goal: 'x', repo: { path: '/etc' } } } });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body.error)).toContain('input.repo.path');
    fs.rmSync(path.dirname(repo), { recursive: true, force: true });
  });
});
