// Issue 15, responses and artefacts: what the earlier MACS / Agent-MVP / Unified Orchestrator
// clients read back, sent and read as they would. A chat UI that only listens to `onmessage`
// and `event: done`; artifacts/<task_id>/result.json, result.md, events.jsonl; reports.jsonl;
// zips/<task_id>.zip behind the key; manifest.json's field names; /metrics after a real build
// (the stand-in answers each step, the tests run in the sandbox); /v1/openapi.json and /docs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mediaTypeOf } from '../../electron/core/export/index.js';
import { adder, answer, approve } from '../fixtures/build-scripts.js';
import { startServedEngine, type ServedEngine } from './served-engine.js';
import { waitFor } from './helpers.js';

const CHAT_ANSWER = 'Here you go.\n\nFile: hello.py\n```python\nprint("hi")\n```\n\nRun it with `python hello.py`.\r\nDone.\n';
/** What an EventSource hands onmessage: CRLF and CR become LF (the SSE line rules). */
const AS_EVENTSOURCE_SEES = CHAT_ANSWER.replace(/\r\n|\r/g, '\n');

let served: ServedEngine;
let base: string;
let key: string;

beforeEach(async () => {
  served = await startServedEngine('seed-responses');
  base = `http://127.0.0.1:${served.server.port}`;
  key = served.engine.apiKey().apiKey;
});
afterEach(async () => {
  await served.close();
});

const keyed = (extra: Record<string, string> = {}) => ({ 'x-api-key': key, ...extra });

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test: answers are checked field by field
type Json = Record<string, any>;

async function post(urlPath: string, body: unknown): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${base}${urlPath}`, { method: 'POST', headers: keyed({ 'content-type': 'application/json' }), body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Json };
}

async function getJson(urlPath: string): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${base}${urlPath}`, { headers: keyed() });
  return { status: res.status, body: (await res.json()) as Json };
}

/**
 * The seed chat UI's EventSource, by the WHATWG parsing rules over a plain fetch: fields split
 * at the first colon (one leading space dropped), data lines joined with "\n", a block without
 * `event:` is a `message` (onmessage), a named one goes to its own listener.
 */
async function eventSourceClient(url: string): Promise<{ onmessage: string[]; named: Array<{ event: string; data: string }> }> {
  const res = await fetch(url, { headers: { accept: 'text/event-stream' } });
  expect(res.status).toBe(200);
  const onmessage: string[] = [];
  const named: Array<{ event: string; data: string }> = [];
  const decoder = new TextDecoder();
  let buffer = '';
  let event = '';
  let data: string[] = [];
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    const lines = buffer.split(/\r\n|\r|\n/);
    buffer = lines.pop()!;
    for (const line of lines) {
      if (line === '') {
        if (data.length) {
          if (event === '' || event === 'message') onmessage.push(data.join('\n'));
          else named.push({ event, data: data.join('\n') });
        }
        event = '';
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    // The seed UI closes its EventSource on `done` (else it would reconnect).
    if (named.some((n) => n.event === 'done')) break;
  }
  return { onmessage, named };
}

const readJsonl = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Json);

async function chatTask(): Promise<string> {
  served.standin.enqueueChat({ text: CHAT_ANSWER, tokensPerSecond: 600 });
  const created = await post('/v1/tasks', { prompt: 'say hi in python' });
  expect(created.status).toBe(201);
  return created.body.task_id as string;
}

async function buildTask(): Promise<string> {
  const { standin } = served;
  standin.enqueueChat(answer('plan', adder.plan));
  standin.enqueueChat(answer('implement', adder.buggy));
  standin.enqueueChat(answer('docs', adder.readme));
  standin.enqueueChat(answer('fix', adder.fixed));
  standin.enqueueChat(answer('review', approve));
  const created = await post('/v1/tasks', { prompt: 'Write a tiny math library with tests.', metadata: { mode_hint: 'build' } });
  expect(created.status).toBe(201);
  const task = await served.engine.waitForTask(created.body.task_id, 90_000);
  expect(task.error).toBeNull();
  expect(task.status).toBe('succeeded');
  return task.id;
}

describe('seed clients: SSE onmessage', () => {
  it('a chat UI that listens to onmessage and event: done shows the whole answer; named events still come', async () => {
    const id = await chatTask();
    const token = (await getJson(`/v1/tasks/${id}`)).body.stream_token as string;
    const { onmessage, named } = await eventSourceClient(`${base}/v1/stream/${id}?stream_token=${encodeURIComponent(token)}`);
    expect(onmessage.join('')).toBe(AS_EVENTSOURCE_SEES);
    expect(named.at(-1)).toEqual({ event: 'done', data: JSON.stringify({ status: 'succeeded' }) });
    const deltas = named.filter((n) => n.event === 'delta').map((n) => (JSON.parse(n.data) as { text: string }).text);
    expect(deltas.join('')).toBe(CHAT_ANSWER);
    expect(deltas.length).toBe(onmessage.length);
    expect([...new Set(named.map((n) => n.event))]).toEqual(expect.arrayContaining(['status', 'delta', 'file', 'usage', 'done']));
  });
});

describe('seed clients: artefacts of a chat task', () => {
  it('result.json, result.md, manifest.json, events.jsonl and reports.jsonl are there when the task has ended', async () => {
    const id = await chatTask();
    const task = await served.engine.waitForTask(id, 20_000);
    expect(task.status).toBe('succeeded');
    const dir = path.join(served.dataDir, 'artifacts', id);

    const result = JSON.parse(fs.readFileSync(path.join(dir, 'result.json'), 'utf8'));
    expect(result).toMatchObject({ task_id: id, job_id: id, status: 'succeeded', kind: 'chat', provider: 'ollama', result: { text: CHAT_ANSWER, error: null } });
    expect(result.files).toEqual([expect.objectContaining({ path: 'hello.py', size_bytes: 12, media_type: 'text/x-python', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
    expect(result.timings.duration_s).toBeGreaterThan(0);
    expect(result.timings.started_at).toBe(new Date(task.startedAt!).toISOString());
    expect(result.timings.finished_at).toBe(new Date(task.finishedAt!).toISOString());
    expect(result.zip).toBe(`zips/${id}.zip`);
    const md = fs.readFileSync(path.join(dir, 'result.md'), 'utf8');
    expect(md).toContain(CHAT_ANSWER);
    expect(md).toContain('`hello.py`');

    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ job_id: id, status: 'succeeded', provider: 'ollama', started_at: new Date(task.startedAt!).toISOString() });
    expect(manifest.duration_s).toBeCloseTo((task.finishedAt! - task.startedAt!) / 1000, 3);
    expect(manifest.files[0]).toMatchObject({ path: 'hello.py', size: 12, size_bytes: 12, mediaType: 'text/x-python', media_type: 'text/x-python' });

    // events.jsonl: every stored event once, in seq order, as the database holds it.
    const lines = readJsonl(path.join(dir, 'events.jsonl'));
    const stored = (await getJson(`/v1/tasks/${id}/events?limit=10000`)).body.events as Array<{ seq: number; type: string; data: unknown }>;
    expect(lines.map((l) => l.seq)).toEqual(stored.map((e) => e.seq));
    expect(lines.map((l) => [l.type, l.data])).toEqual(stored.map((e) => [e.type, e.data]));
    expect(lines.every((l) => l.task_id === id)).toBe(true);
    expect(lines.filter((l) => l.type === 'delta').map((l) => l.data.text).join('')).toBe(CHAT_ANSWER);

    const reports = readJsonl(path.join(served.dataDir, 'reports.jsonl')).filter((r) => r.task_id === id);
    expect(reports.map((r) => r.event)).toEqual(['received', 'done']);
    expect(reports[1]).toMatchObject({ status: 'succeeded' });
    expect(Date.parse(reports[0].ts)).toBeLessThanOrEqual(Date.parse(reports[1].ts));
  });

  it('a failed task leaves an `error` report and its error in result.json', async () => {
    served.standin.enqueueChat({ error: { status: 400, message: 'model "nope" not found, try pulling it first' } });
    const created = await post('/v1/tasks', { prompt: 'p' });
    const task = await served.engine.waitForTask(created.body.task_id, 20_000);
    expect(task.status).toBe('failed');
    const result = JSON.parse(fs.readFileSync(path.join(served.dataDir, 'artifacts', task.id, 'result.json'), 'utf8'));
    expect(result.status).toBe('failed');
    expect(result.result.error.code).toBe(task.error!.code);
    const reports = readJsonl(path.join(served.dataDir, 'reports.jsonl')).filter((r) => r.task_id === task.id);
    expect(reports.at(-1)).toMatchObject({ event: 'error', status: 'failed', error: { code: task.error!.code } });
  });
});

describe('seed clients: a build task', () => {
  it('stage_done reports, result.json with steps, the kept zip behind the key, manifest fields, sane /metrics', async () => {
    const id = await buildTask();
    const dir = path.join(served.dataDir, 'artifacts', id);
    const reports = readJsonl(path.join(served.dataDir, 'reports.jsonl')).filter((r) => r.task_id === id);
    expect(reports[0].event).toBe('received');
    expect(reports.at(-1)).toMatchObject({ event: 'done', status: 'succeeded' });
    const stages = reports.filter((r) => r.event === 'stage_done').map((r) => `${r.stage}:${r.status}`);
    expect(stages.sort()).toEqual(['docs@v1:succeeded', 'fix@v1:succeeded', 'implement@v1:succeeded', 'plan@v1:succeeded', 'review@v1:succeeded', 'test@v1:failed', 'test@v2:succeeded'].sort());

    const result = JSON.parse(fs.readFileSync(path.join(dir, 'result.json'), 'utf8'));
    expect(result.kind).toBe('build');
    expect(result.steps.map((s: { step: string }) => s.step)).toContain('fix');
    expect(result.files.map((f: { path: string }) => f.path)).toEqual(expect.arrayContaining(['src/math.js', 'test/math.test.js', 'README.md', 'package.json']));
    expect(result.result.text).toContain('File: src/math.js');
    expect(fs.readFileSync(path.join(dir, 'result.md'), 'utf8')).toMatch(/\| fix@v1 \| succeeded \|/);

    // The kept zip: on disk under zips/, served at /zips/<task_id>.zip with the key only, and /final points there.
    const final = await getJson(`/v1/tasks/${id}/final`);
    expect(final.body.zip_url).toBe(`${base}/zips/${id}.zip`);
    expect((await fetch(final.body.zip_url)).status).toBe(401);
    const zipRes = await fetch(final.body.zip_url, { headers: keyed() });
    expect(zipRes.status).toBe(200);
    expect(zipRes.headers.get('content-type')).toBe('application/zip');
    const zip = await JSZip.loadAsync(Buffer.from(await zipRes.arrayBuffer()));
    expect(await zip.file('src/math.js')!.async('string')).toContain('return a + b;');
    await waitFor(() => fs.existsSync(path.join(served.dataDir, 'zips', `${id}.zip`)), 5000, 'the kept zip');
    const zipManifest = JSON.parse(await zip.file('manifest.json')!.async('string'));
    expect(zipManifest).toMatchObject({ job_id: id, status: 'succeeded', provider: 'ollama' });
    expect(zipManifest.duration_s).toBeGreaterThan(0);
    expect(zipManifest.files.find((f: { path: string }) => f.path === 'package.json')).toMatchObject({ media_type: 'application/json', size_bytes: expect.any(Number) });
    const taskManifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    expect(taskManifest).toMatchObject({ job_id: id, status: 'succeeded', provider: 'ollama' });
    expect(taskManifest.files.find((f: { path: string }) => f.path === 'src/math.js')).toMatchObject({ media_type: 'text/javascript', size_bytes: expect.any(Number) });

    // /metrics after a build: the tokens the steps generated, a speed a machine can have.
    const metrics = await (await fetch(`${base}/metrics`, { headers: keyed() })).text();
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1]);
    const { steps } = (await getJson(`/v1/tasks/${id}/steps`)).body as { steps: Array<{ eval_tokens: number }> };
    const stepTokens = steps.reduce((n, s) => n + s.eval_tokens, 0);
    expect(stepTokens).toBeGreaterThan(0);
    expect(value('macs_tokens_generated_total')).toBe(stepTokens);
    expect((await getJson(`/v1/tasks/${id}`)).body.eval_tokens ?? stepTokens).toBe(stepTokens);
    const speed = value('macs_tokens_per_second');
    expect(speed).toBeGreaterThan(0);
    // The stand-in sends as fast as it can; no machine generates a million tokens a second.
    expect(speed).toBeLessThan(1_000_000);

    // A replayed step: `replayed` in reports.jsonl, and result.json is written again for the new run.
    served.standin.enqueueChat(answer('review', approve));
    const replay = await post(`/v1/tasks/${id}/steps/review/replay`, {});
    expect(replay.status).toBe(202);
    await waitFor(() => readJsonl(path.join(served.dataDir, 'reports.jsonl')).filter((r) => r.task_id === id && r.event === 'done').length === 2, 30_000, 'the replay to end');
    const after = readJsonl(path.join(served.dataDir, 'reports.jsonl')).filter((r) => r.task_id === id);
    expect(after.map((r) => r.event).slice(-3)).toEqual(['replayed', 'stage_done', 'done']);
    expect(after.at(-3)!.reason).toMatch(/^replay review@v1/);
    expect(after.at(-2)).toMatchObject({ stage: 'review@v2', status: 'succeeded' });
    const again = JSON.parse(fs.readFileSync(path.join(dir, 'result.json'), 'utf8'));
    expect(again.steps.map((s: { step: string; version: number }) => `${s.step}@v${s.version}`)).toContain('review@v2');
  });
});

describe('seed clients: GET /zips/{filename}', () => {
  it('needs a credential, refuses traversal and other names with a clear 404, and 409 before the end', async () => {
    const id = await chatTask();
    await served.engine.waitForTask(id, 20_000);
    // Kept when the task ends (its files are in a project MACS generated), before anyone asks.
    await waitFor(() => fs.existsSync(path.join(served.dataDir, 'zips', `${id}.zip`)), 10_000, 'the kept zip');
    const ok = await fetch(`${base}/zips/${id}.zip`, { headers: keyed() });
    expect(ok.status).toBe(200);
    expect(Number(ok.headers.get('content-length'))).toBe(fs.statSync(path.join(served.dataDir, 'zips', `${id}.zip`)).size);
    expect((await fetch(`${base}/zips/${id}.zip`, { headers: { 'x-api-key': 'wrong' } })).status).toBe(401);
    for (const name of ['..%2Fmacs.db', '..%2F..%2Fetc%2Fpasswd', `${id}.zip%2F..`, 'api-key', `..%2Fzips%2F${id}.zip`, 'nope.zip', `${id}`]) {
      const res = await fetch(`${base}/zips/${name}`, { headers: keyed() });
      expect(res.status, name).toBe(404);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('EXPORT_NOT_FOUND');
      expect(body.error.message).toMatch(/zips are named <task_id>\.zip/);
    }
    // A path that leaves /zips is not /zips (fetch resolves the dots): never the data dir's files.
    expect(await (await fetch(`${base}/zips/../api-key`, { headers: keyed() })).text()).not.toContain(key);

    // A turn in a folder the user opened: zipped only when asked (the folder may be a whole repository).
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-seed-folder-'));
    try {
      fs.writeFileSync(path.join(folder, 'app.py'), 'print(1)\n');
      const opened = await post('/v1/projects', { folder });
      expect(opened.status).toBe(201);
      served.standin.enqueueChat({ text: CHAT_ANSWER });
      const turn = await post(`/v1/projects/${opened.body.project.project_id}/turns`, { prompt: 'add hello.py' });
      expect(turn.status).toBe(202);
      const done = await served.engine.waitForTask(turn.body.task_id, 20_000);
      expect(done.status).toBe('succeeded');
      await new Promise((r) => setTimeout(r, 300));
      expect(fs.existsSync(path.join(served.dataDir, 'zips', `${done.id}.zip`))).toBe(false);
      expect((await fetch(`${base}/zips/${done.id}.zip`, { headers: keyed() })).status).toBe(200);
      expect(fs.existsSync(path.join(served.dataDir, 'zips', `${done.id}.zip`))).toBe(true);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }

    served.standin.enqueueChat({ text: 'slow', hangAfterTokens: 1 });
    const running = await post('/v1/tasks', { prompt: 'hang' });
    await waitFor(() => served.engine.stats().byStatus.running > 0, 10_000, 'the task to run');
    const early = await fetch(`${base}/zips/${running.body.task_id}.zip`, { headers: keyed() });
    expect(early.status).toBe(409);
    await post(`/v1/tasks/${running.body.task_id}/cancel`, {});
  });
});

describe('seed clients: OpenAPI and /docs', () => {
  it('/v1/openapi.json is an OpenAPI 3.1 document of the routes with the request schemas; /docs renders it offline', async () => {
    const doc = await getJson('/v1/openapi.json');
    expect(doc.status).toBe(200);
    const api = doc.body;
    expect(api.openapi).toMatch(/^3\.1\.\d+$/);
    expect(api.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    for (const p of ['/v1/tasks', '/v1/tasks/{id}', '/v1/tasks/{id}/cancel', '/v1/tasks/{id}/final', '/v1/stream/{id}', '/zips/{filename}', '/v1/feedback']) {
      expect(api.paths, p).toHaveProperty([p]);
    }
    const createTask = api.paths['/v1/tasks'].post;
    // The bodies are the zod schemas the route validates with, as JSON Schema 2020-12.
    expect(createTask.requestBody.content['application/json'].schema.oneOf.map((s: { $ref: string }) => s.$ref)).toEqual([
      '#/components/schemas/SimpleTaskBody',
      '#/components/schemas/TaskSpecV1',
      '#/components/schemas/TaskAction',
    ]);
    const schemas = api.components.schemas;
    expect(schemas.SimpleTaskBody).toMatchObject({ type: 'object', required: ['prompt'] });
    expect(schemas.SimpleTaskBody.properties.prompt).toMatchObject({ type: 'string' });
    expect(schemas.TaskSpecV1.properties).toHaveProperty('input');
    expect(schemas.Feedback.properties.rating).toMatchObject({ type: 'integer' });
    expect(schemas.Error.properties.error.properties).toHaveProperty('code');
    for (const schema of Object.values(schemas)) expect(schema).not.toHaveProperty('$schema');
    expect(api.paths['/v1/tasks/{id}'].get.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true })]);
    expect(api.paths['/v1/stream/{id}'].get.responses['200'].content).toHaveProperty(['text/event-stream']);
    expect(api.components.securitySchemes).toHaveProperty('apiKey');
    // Every operation names its responses, and every $ref points into the document.
    for (const [p, ops] of Object.entries(api.paths as Record<string, Record<string, { responses: object }>>)) {
      for (const [method, op] of Object.entries(ops)) expect(Object.keys(op.responses ?? {}).length, `${method} ${p}`).toBeGreaterThan(0);
    }
    const refs = JSON.stringify(api).match(/"\$ref":"([^"]+)"/g) ?? [];
    for (const ref of refs) {
      const pointer = ref.slice(8, -1);
      expect(pointer.startsWith('#/')).toBe(true);
      const target = pointer.slice(2).split('/').reduce<Json | undefined>((node, part) => node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], api);
      expect(target, pointer).toBeDefined();
    }

    const docs = await fetch(`${base}/docs`);
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toContain('text/html');
    const html = await docs.text();
    expect(html).toContain('/v1/openapi.json');
    // Offline: nothing loaded from another origin.
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
  });
});

describe('media types of build files', () => {
  it('names what the build tools read', () => {
    expect(mediaTypeOf('build.gradle')).toBe('text/x-groovy');
    expect(mediaTypeOf('app/build.gradle.kts')).toBe('text/x-kotlin');
    expect(mediaTypeOf('pom.xml')).toBe('application/xml');
    expect(mediaTypeOf('Makefile')).toBe('text/x-makefile');
    expect(mediaTypeOf('sub/GNUmakefile')).toBe('text/x-makefile');
    expect(mediaTypeOf('Dockerfile')).toBe('text/x-dockerfile');
    expect(mediaTypeOf('docker/Dockerfile.dev')).toBe('text/x-dockerfile');
    expect(mediaTypeOf('gradlew')).toBe('application/x-sh');
    expect(mediaTypeOf('gradlew.bat')).toBe('application/x-bat');
    expect(mediaTypeOf('gradle/wrapper/gradle-wrapper.properties')).toBe('text/x-java-properties');
    expect(mediaTypeOf('CMakeLists.txt')).toBe('text/x-cmake');
    expect(mediaTypeOf('go.mod')).toBe('text/x-go-mod');
    expect(mediaTypeOf('Gemfile')).toBe('text/x-ruby');
    // Not fooled by a name that is an Object method, nor an unknown extension.
    expect(mediaTypeOf('constructor')).toBe('application/octet-stream');
    expect(mediaTypeOf('a.toString')).toBe('application/octet-stream');
  });
});
