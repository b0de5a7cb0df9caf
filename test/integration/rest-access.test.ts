// Who may read what on `macs serve`: every /v1 route that returns task data or files needs a
// credential (the API key, the UI's per-launch token, or, on the SSE route only, the task's
// own stream token); /health says only "ok" to strangers; /metrics is configurable; a
// request from another origin is refused on every route; bodies nested too deep are a 400.
import fs from 'node:fs';
import http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../electron/core/engine/index.js';
import { startServer, type RunningServer, type ServerOptions } from '../../electron/server/index.js';
import { startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { tempDataDir } from './helpers.js';
import { fakeRendererDir } from './served-engine.js';
import { openSse } from './sse-client.js';
import { TestWsClient } from './ws-client.js';

const ANSWER = 'Here.\nFile: src/main.py\n```python\nprint("hi")\n```\n';

let standin: OllamaStandin;
let engine: Engine;
let server: RunningServer;
let dataDir: string;
let key: string;
const extraServers: RunningServer[] = [];

async function serve(extra: Partial<ServerOptions> = {}): Promise<RunningServer> {
  const rendererDir = fakeRendererDir(dataDir);
  return startServer({ engine, rendererDir, port: 0, ...extra });
}

beforeEach(async () => {
  standin = await startOllamaStandin();
  standin.setDefaultChat({ text: ANSWER });
  dataDir = tempDataDir('rest-access');
  engine = createEngine({ dataDir, host: 'browser', version: 'test', ollamaHost: standin.url, env: {}, queue: { pollMs: 50 } });
  server = await serve();
  key = engine.apiKey().apiKey;
});
afterEach(async () => {
  for (const s of extraServers.splice(0)) await s.close();
  await server.close();
  await engine.close();
  await standin.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked field by field
  json: any;
}

/** node:http, so Origin and Host go out exactly as given (fetch would not send a foreign Origin). */
function request(method: string, urlPath: string, headers: Record<string, string> = {}, body?: string, port = server.port): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        text += c;
        // An SSE stream never ends on its own: the status line is all these tests need.
        if (String(res.headers['content-type']).startsWith('text/event-stream')) res.destroy();
      });
      res.on('close', () => {
        let json: unknown = null;
        try {
          json = JSON.parse(text);
        } catch {
          // not JSON (zip, metrics, SSE)
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const withKey = (extra: Record<string, string> = {}) => ({ 'x-api-key': key, ...extra });

async function finishedTask(): Promise<{ id: string; streamToken: string }> {
  const res = await request('POST', '/v1/tasks', withKey({ 'content-type': 'application/json' }), JSON.stringify({ prompt: 'a greeting' }));
  expect(res.status, res.text).toBe(201);
  await engine.waitForTask(res.json.task_id, 10_000);
  return { id: res.json.task_id, streamToken: res.json.stream_token };
}

/** Every route that returns task data or files, for one finished task. */
function readRoutes(id: string): string[] {
  return [
    '/v1/tasks',
    `/v1/tasks/${id}`,
    `/v1/tasks/${id}/events`,
    `/v1/tasks/${id}/final`,
    `/v1/tasks/${id}/zip`,
    `/v1/tasks/${id}/steps`,
    `/v1/stream/${id}`,
    '/v1/models',
  ];
}

describe('reads need a credential', () => {
  it('401 without one on every task-data route (and on a step artifact), 200 with the API key', async () => {
    const { id } = await finishedTask();
    for (const route of [...readRoutes(id), `/v1/tasks/${id}/steps/plan/v1`]) {
      const anonymous = await request('GET', route);
      expect(anonymous.status, `${route} without a credential`).toBe(401);
      expect(anonymous.json.error.code, route).toBe('UNAUTHORIZED');
      expect(anonymous.json.error.message, route).toMatch(/X-API-Key/);
    }
    for (const route of readRoutes(id)) expect((await request('GET', route, withKey())).status, `${route} with the key`).toBe(200);
    // A wrong key is refused, never ignored.
    expect((await request('GET', `/v1/tasks/${id}`, { 'x-api-key': `${key}x` })).status).toBe(401);
  });

  it('the UI token (Authorization: Bearer) reads like the key but still cannot write; the key also works as a Bearer', async () => {
    const { id } = await finishedTask();
    const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
    for (const route of readRoutes(id)) expect((await request('GET', route, bearer(server.token))).status, `${route} with the UI token`).toBe(200);
    for (const route of readRoutes(id)) expect((await request('GET', route, bearer(key))).status, `${route} with the key as a Bearer`).toBe(200);
    expect((await request('GET', `/v1/tasks/${id}`, bearer('not-a-token'))).status).toBe(401);
    // Writes stay the API key's: the UI writes through the WebSocket.
    const write = await request('POST', '/v1/tasks', { ...bearer(server.token), 'content-type': 'application/json' }, '{"prompt":"x"}');
    expect(write.status).toBe(401);
    expect((await request('POST', `/v1/tasks/${id}/retry`, bearer(server.token))).status).toBe(401);
    // The UI token in a query string is for /ws and /download only, not the API.
    expect((await request('GET', `/v1/tasks/${id}?token=${encodeURIComponent(server.token)}`)).status).toBe(401);
  });

  it('a stream token from submit opens its own task’s SSE stream (query parameter) and nothing else', async () => {
    const a = await finishedTask();
    const b = await finishedTask();
    expect(a.streamToken).toMatch(/^[\w-]{32,}$/);
    expect(a.streamToken).not.toBe(b.streamToken);
    // GET of the task with a key says it too, for a script that did not keep it.
    expect((await request('GET', `/v1/tasks/${a.id}`, withKey())).json.stream_token).toBe(a.streamToken);

    const sse = openSse(server.port, `/v1/stream/${a.id}?stream_token=${encodeURIComponent(a.streamToken)}`);
    expect(await sse.status).toBe(200);
    await sse.ended;
    expect(sse.events.at(-1)).toMatchObject({ event: 'done', data: { status: 'succeeded' } });
    expect(sse.events.filter((e) => e.event === 'delta').map((e) => e.data.text).join('')).toBe(ANSWER);

    // Not another task's stream, not as a header credential, not on any other route.
    expect((await request('GET', `/v1/stream/${b.id}?stream_token=${encodeURIComponent(a.streamToken)}`)).status).toBe(401);
    expect((await request('GET', `/v1/stream/${a.id}?stream_token=${encodeURIComponent(a.streamToken)}x`)).status).toBe(401);
    expect((await request('GET', `/v1/stream/${a.id}`, { 'x-api-key': a.streamToken })).status).toBe(401);
    for (const route of readRoutes(a.id).filter((r) => !r.startsWith('/v1/stream/'))) {
      const sep = route.includes('?') ? '&' : '?';
      expect((await request('GET', `${route}${sep}stream_token=${encodeURIComponent(a.streamToken)}`)).status, route).toBe(401);
      expect((await request('GET', route, { authorization: `Bearer ${a.streamToken}` })).status, route).toBe(401);
    }
    expect((await request('POST', `/v1/tasks/${a.id}/cancel?stream_token=${encodeURIComponent(a.streamToken)}`)).status).toBe(401);
  });

  it('/health says only {"status":"ok"} without a credential, the details with one', async () => {
    const anonymous = await request('GET', '/health');
    expect(anonymous.status).toBe(200);
    expect(anonymous.json).toEqual({ status: 'ok' });
    const detailed = await request('GET', '/health', withKey());
    expect(detailed.json).toMatchObject({ status: 'ok', ok: true, ollama: { reachable: true, host: standin.url }, db: engine.dbPath });
    expect((await request('GET', '/health', { authorization: `Bearer ${server.token}` })).json).toHaveProperty('db', engine.dbPath);
    expect((await request('GET', '/health', { 'x-api-key': 'wrong' })).status).toBe(401);
  });

  it('/metrics needs the key by default; MACS_METRICS-style settings open it or turn it off', async () => {
    expect((await request('GET', '/metrics')).status).toBe(401);
    const scraped = await request('GET', '/metrics', { authorization: `Bearer ${key}` });
    expect(scraped.status).toBe(200);
    expect(scraped.text).toContain('# TYPE macs_tasks gauge');
    const open = await serve({ rest: { metrics: 'open' } });
    extraServers.push(open);
    expect((await request('GET', '/metrics', {}, undefined, open.port)).status).toBe(200);
    const off = await serve({ rest: { metrics: 'off' } });
    extraServers.push(off);
    const gone = await request('GET', '/metrics', withKey(), undefined, off.port);
    expect(gone.status).toBe(404);
    expect(gone.json.error.message).toContain('MACS_METRICS');
  });
});

describe('Origin is checked on every request', () => {
  it('403 for a request from another origin on every route; same-origin and Origin-less requests pass', async () => {
    const { id } = await finishedTask();
    const post = { 'content-type': 'text/plain' };
    const cases: Array<[string, string, Record<string, string>, string?]> = [
      ['GET', '/', {}],
      ['GET', '/assets/app.js', {}],
      ['GET', '/health', {}],
      ['GET', '/metrics', withKey()],
      ['GET', `/v1/tasks/${id}`, withKey()],
      ['GET', `/download/${'0'.repeat(24)}?token=${encodeURIComponent(server.token)}`, {}],
      // A page elsewhere can fire these without a preflight (text/plain is a "simple" body).
      ['POST', '/v1/tasks', { ...withKey(), ...post }, '{"prompt":"from a web page"}'],
      ['POST', `/v1/tasks/${id}/retry`, withKey()],
      ['POST', '/v1/feedback', { ...withKey(), ...post }, JSON.stringify({ task_id: id, rating: 1 })],
    ];
    for (const [method, route, headers, body] of cases) {
      for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${server.port + 1}`, `https://127.0.0.1:${server.port}`]) {
        const refused = await request(method, route, { ...headers, origin }, body);
        expect(refused.status, `${method} ${route} from ${origin}`).toBe(403);
        expect(refused.json.error.message, route).toContain('Origin');
      }
    }
    expect((await engine.invoke('tasks.list', {})) as { tasks: unknown[] }).toMatchObject({ tasks: [{ id }] });
    // The page itself (its own origin, any loopback name) and clients that send no Origin are served.
    for (const origin of [`http://127.0.0.1:${server.port}`, `http://localhost:${server.port}`, undefined]) {
      const headers: Record<string, string> = origin ? { origin } : {};
      expect((await request('GET', '/', headers)).status).toBe(200);
      expect((await request('GET', `/v1/tasks/${id}`, { ...withKey(), ...headers })).status).toBe(200);
    }
  });
});

describe('JSON nested too deep', () => {
  const deep = (levels: number) => '{"prompt":"x","metadata":{"a":' + '['.repeat(levels) + ']'.repeat(levels) + '}}';

  it('5,000 levels is a 400 INVALID_JSON on every JSON body (not a 500), and the server keeps answering', async () => {
    const { id } = await finishedTask();
    const json = withKey({ 'content-type': 'application/json' });
    for (const route of ['/v1/tasks', '/v1/feedback', `/v1/tasks/${id}/steps/test/replay`]) {
      const res = await request('POST', route, json, deep(5000));
      expect(res.status, `${route}: ${res.text.slice(0, 200)}`).toBe(400);
      expect(res.json.error.code).toBe('INVALID_JSON');
      expect(res.json.error.message).toMatch(/nested more than \d+ levels/);
    }
    // Brackets inside strings do not count; a reasonable depth is accepted.
    const fine = await request('POST', '/v1/tasks', json, JSON.stringify({ prompt: '['.repeat(10_000), metadata: { a: [[[[{ b: [1] }]]]] } }));
    expect(fine.status, fine.text).toBe(201);
    // Bad syntax is the same code, with the parser's reason.
    const broken = await request('POST', '/v1/tasks', json, '{"prompt": ');
    expect(broken.status).toBe(400);
    expect(broken.json.error).toMatchObject({ code: 'INVALID_JSON', message: expect.stringContaining('not valid JSON') });
  });

  it('a WebSocket frame nested 5,000 levels deep gets an INVALID_JSON answer', async () => {
    const client = await TestWsClient.connect(`ws://127.0.0.1:${server.port}/ws?token=${encodeURIComponent(server.token)}`);
    client.sendRaw(`{"id":7,"method":"tasks.create","params":${'['.repeat(5000)}${']'.repeat(5000)}}`);
    await expect.poll(() => client.unmatched.length).toBeGreaterThan(0);
    expect(client.unmatched[0]).toMatchObject({ error: { code: 'INVALID_JSON' } });
    await client.close();
  });
});
