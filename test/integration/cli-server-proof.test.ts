// A hostile local process that listens on MACS's port while `macs serve` is down (any user
// may bind 127.0.0.1:7421) must not collect the API key from the next `macs list`. The
// client sends its key only to a server that first proves it holds the same key.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient, ApiError } from '../../electron/cli/api-client.js';
import type { Engine } from '../../electron/core/engine/index.js';
import { startServer, streamTokenFor, type RunningServer } from '../../electron/server/index.js';
import { closedPort, openEngine, tempDataDir } from './helpers.js';
import { fakeRendererDir } from './served-engine.js';

let engine: Engine;
let server: RunningServer;
let dataDir: string;
let squatter: http.Server;
let squatterUrl: string;
const seen: http.IncomingHttpHeaders[] = [];

beforeEach(async () => {
  dataDir = tempDataDir('cli-proof');
  const rendererDir = fakeRendererDir(dataDir);
  engine = openEngine(dataDir, `http://127.0.0.1:${await closedPort()}`);
  server = await startServer({ engine, rendererDir, port: 0 });
  // Answers like MACS would, to anything, and keeps every header it is sent.
  seen.length = 0;
  squatter = http.createServer((req, res) => {
    seen.push(req.headers);
    if (req.url?.startsWith('/v1/stream/')) res.writeHead(200, { 'content-type': 'text/event-stream' }).end('event: done\ndata: {"status":"succeeded"}\n\n');
    else res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok","tasks":[]}');
  });
  await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', () => resolve()));
  squatterUrl = `http://127.0.0.1:${(squatter.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await new Promise<void>((resolve) => squatter.close(() => resolve()));
  await server.close();
  await engine.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the CLI sends its API key only to a server that proves it holds it', () => {
  it('an impostor on the port gets no key: requests and the event stream fail as UNAUTHORIZED before the key is sent', async () => {
    const key = engine.apiKey().apiKey;
    const client = new ApiClient(squatterUrl, key);
    const listed = await client.request('GET', '/v1/tasks').catch((err: unknown) => err);
    expect(listed).toBeInstanceOf(ApiError);
    expect((listed as ApiError).status).toBe(401);
    expect((listed as ApiError).payload.code).toBe('UNAUTHORIZED');
    expect((listed as ApiError).message).toMatch(/did not prove/);
    const streamed = await (async () => {
      for await (const event of client.events('some-task')) void event;
    })().catch((err: unknown) => err);
    expect(streamed).toBeInstanceOf(ApiError);
    for (const headers of seen) {
      expect(headers['x-api-key']).toBeUndefined();
      expect(headers.authorization).toBeUndefined();
      expect(JSON.stringify(headers)).not.toContain(key);
    }
  });

  it('the real server proves it, so the key works as before; a wrong key is refused the same way, without being sent', async () => {
    const ok = await new ApiClient(server.url.replace(/\/\?token=.*$/, ''), engine.apiKey().apiKey).request<{ tasks: unknown[] }>('GET', '/v1/tasks');
    expect(ok.tasks).toEqual([]);
    const wrong = await new ApiClient(`http://127.0.0.1:${server.port}`, 'macs_wrong').request('GET', '/v1/tasks').catch((err: unknown) => err);
    expect((wrong as ApiError).payload.code).toBe('UNAUTHORIZED');
    expect((wrong as ApiError).message).toMatch(/key is wrong/);
  });

  it('the proof answers only a well-formed challenge, and never reveals a stream token', async () => {
    const health = (challenge: string) => fetch(`http://127.0.0.1:${server.port}/health`, { headers: { 'x-macs-challenge': challenge } });
    const challenge = 'a'.repeat(32);
    const proof = (await health(challenge)).headers.get('x-macs-proof');
    expect(proof).toMatch(/^[\w-]{43}$/);
    // Its own label: a challenge shaped like a task id does not get that task's stream token.
    expect(proof).not.toBe(streamTokenFor(engine.apiKey().apiKey, challenge));
    for (const bad of ['short', 'a'.repeat(200), `${'a'.repeat(31)}:`]) expect((await health(bad)).headers.get('x-macs-proof'), bad).toBeNull();
  });
});
