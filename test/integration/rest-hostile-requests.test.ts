// Requests a hostile local process or web page can send to `macs serve`, written byte for
// byte on a raw socket (node:http and fetch normalise the request line). Whatever arrives,
// the server answers it and keeps serving: one malformed request must not take it down.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/core/engine/index.js';
import type { RunningServer } from '../../electron/server/index.js';
import { MAX_JSON_DEPTH } from '../../electron/server/json-text.js';
import type { OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { startServedEngine, type ServedEngine } from './served-engine.js';

let served: ServedEngine;
let standin: OllamaStandin;
let engine: Engine;
let server: RunningServer;
let dataDir: string;

beforeEach(async () => {
  served = await startServedEngine('rest-hostile');
  ({ standin, engine, server, dataDir } = served);
});
afterEach(() => served.close());

/** Sends the bytes as they are; resolves with the status line and body once the server closes (or after 2 s). */
function rawRequest(text: string): Promise<{ statusLine: string; body: string }> {
  return new Promise((resolve) => {
    let out = '';
    const socket = net.connect(server.port, '127.0.0.1', () => socket.write(text));
    const timer = setTimeout(() => socket.destroy(), 2000);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      out += chunk;
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const split = out.indexOf('\r\n\r\n');
      resolve({ statusLine: out.split('\r\n')[0], body: split < 0 ? '' : out.slice(split + 4) });
    });
  });
}

const get = (target: string, extra = '') => `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n${extra}Connection: close\r\n\r\n`;
const upgrade = (target: string) =>
  get(target, 'Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n').replace('Connection: close', 'Connection: Upgrade');

async function stillServing(): Promise<void> {
  const health = await fetch(`http://127.0.0.1:${server.port}/health`);
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ status: 'ok' });
}

describe('malformed request targets', () => {
  it('a bad percent escape in a UI path (what an <img src> on any web page can send) is a 400, not a crash', async () => {
    for (const target of ['/%ZZ', '/assets/%E0%A4%A.js', '/%']) {
      const res = await rawRequest(get(target));
      expect(res.statusLine, target).toMatch(/^HTTP\/1\.1 400 /);
      expect(res.body, target).toContain('not validly encoded');
      await stillServing();
    }
  });

  it('a request target that is not a path (a host with a bad port) is a 400, on plain requests and on WebSocket upgrades', async () => {
    for (const target of ['//a:b/', 'http://a:b/', '//a:b/v1/tasks', 'http://[::1/']) {
      const res = await rawRequest(get(target));
      expect(res.statusLine, target).toMatch(/^HTTP\/1\.1 400 /);
      expect(res.body, target).toContain('request target');
      await stillServing();
    }
    for (const target of ['//a:b/ws', `http://a:b/ws?token=${encodeURIComponent(server.token)}`]) {
      const res = await rawRequest(upgrade(target));
      expect(res.statusLine, target).toMatch(/^HTTP\/1\.1 400 /);
      await stillServing();
    }
  });
});

describe('/download', () => {
  it('a download that fails while it is read (the export vanished, or is not a file) ends that response, not the server', async () => {
    // An export directory whose "zip" cannot be read: stat succeeds, reading fails (EISDIR),
    // as when pruning removes an export between the two.
    const exportId = 'a'.repeat(24);
    fs.mkdirSync(path.join(dataDir, 'exports', exportId, 'project.zip'), { recursive: true });
    const res = await rawRequest(get(`/download/${exportId}?token=${encodeURIComponent(server.token)}`));
    expect(res.statusLine).toMatch(/^HTTP\/1\.1 404 /);
    expect(res.body).toContain('EXPORT_NOT_FOUND');
    await stillServing();
  });
});

describe('JSON bodies built to slow the depth scan', () => {
  const post = (body: string) =>
    fetch(`http://127.0.0.1:${server.port}/v1/tasks`, { method: 'POST', headers: { 'x-api-key': engine.apiKey().apiKey, 'content-type': 'application/json' }, body });
  const MB = 1024 * 1024 - 64;

  it('nearly 1 MB of escaped quotes, backslash runs or brackets inside strings is answered at once, and right', async () => {
    const cases: Array<[string, string, number]> = [
      ['escaped quotes', JSON.stringify({ prompt: 'x', metadata: { note: '"'.repeat(MB / 2 - 40) } }), 201],
      ['backslash runs', JSON.stringify({ prompt: 'x', metadata: { note: ('\\'.repeat(250) + '"').repeat(Math.floor(MB / 1010)) } }), 201],
      ['brackets in a string', JSON.stringify({ prompt: 'x', metadata: { note: '[{'.repeat(MB / 2 - 40) } }), 201],
      ['open brackets', '{"prompt":"x","metadata":{"a":' + '['.repeat(MB - 40), 400],
      ['closing brackets first', '{"prompt":"x","metadata":' + ']'.repeat(MB / 2 - 40) + '['.repeat(MB / 2 - 40), 400],
    ];
    for (const [name, body, status] of cases) {
      const started = performance.now();
      const res = await post(body);
      expect(res.status, `${name}: ${(await res.text()).slice(0, 200)}`).toBe(status);
      expect(performance.now() - started, name).toBeLessThan(2000);
    }
  });

  it('exactly the depth limit is accepted; one more level is INVALID_JSON', async () => {
    // The body object and metadata are two levels; the array fills the rest.
    const body = (depth: number) => `{"prompt":"x","metadata":{"a":${'['.repeat(depth - 2)}${']'.repeat(depth - 2)}}}`;
    expect((await post(body(MAX_JSON_DEPTH))).status).toBe(201);
    const over = await post(body(MAX_JSON_DEPTH + 1));
    expect(over.status).toBe(400);
    expect((await over.json()).error).toMatchObject({ code: 'INVALID_JSON', details: { reason: 'too_deep' } });
  });
});

describe('path and header tricks around the access rules (held)', () => {
  it('no spelling of a path, method or Origin reaches task data without a credential', async () => {
    const key = engine.apiKey().apiKey;
    const created = await fetch(`http://127.0.0.1:${server.port}/v1/tasks`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: '{"prompt":"hi"}',
    }).then((r) => r.json() as Promise<{ task_id: string; stream_token: string }>);
    const id = created.task_id;
    const st = encodeURIComponent(created.stream_token);
    const statusOf = async (request: string) => (await rawRequest(request)).statusLine.split(' ')[1];
    // Spellings the router might normalise into a route of a lower access level.
    for (const target of ['/v1/tasks/', `/v1/tasks/%2e%2e/tasks/${id}`, `/v1/stream/%2e%2e/tasks/${id}?stream_token=${st}`, `/v1/stream/${id}/../../tasks/${id}?stream_token=${st}`, `/v1/tasks/${id}/zip?stream_token=${st}`, `/v1/tasks/${id}/final?stream_token=${st}`]) {
      expect(await statusOf(get(target)), target).toBe('401');
    }
    // Not the API at all: the UI's index.html, never task JSON.
    for (const target of ['//v1//tasks', '/V1/TASKS']) {
      const res = await rawRequest(get(target));
      expect(res.body, target).not.toContain(id);
    }
    for (const method of ['HEAD', 'OPTIONS', 'PUT', 'DELETE']) {
      expect(await statusOf(get(`/v1/tasks/${id}`).replace(/^GET/, method)), method).toBe('405');
    }
    // The stream token as any other credential.
    expect(await statusOf(get(`/v1/tasks/${id}`, `X-API-Key: ${created.stream_token}\r\n`))).toBe('401');
    expect(await statusOf(get(`/v1/tasks/${id}`, `Authorization: Bearer ${created.stream_token}\r\n`))).toBe('401');
    // Origins and Hosts that only look like this server, even with the key.
    const withKey = `X-API-Key: ${key}\r\n`;
    for (const origin of [`http://127.0.0.1:${server.port}.evil.com`, `HTTP://127.0.0.1:${server.port}`, `http://127.0.0.1:${server.port}/`, `http://127.0.0.1:${server.port}\r\nOrigin: http://evil.example`]) {
      expect(await statusOf(get(`/v1/tasks/${id}`, `${withKey}Origin: ${origin}\r\n`)), origin).toBe('403');
    }
    const foreignHost = get(`/v1/tasks/${id}`, withKey).replace(`Host: 127.0.0.1:${server.port}`, `Host: 127.0.0.1.nip.io:${server.port}`);
    expect(await statusOf(foreignHost)).toBe('403');
    // The WebSocket and /download: only the UI token opens them, never the key or a stream token.
    const ws = (token: string) => upgrade(`/ws?token=${encodeURIComponent(token)}`);
    expect(await statusOf(ws(server.token))).toBe('101');
    for (const token of [key, created.stream_token, '']) expect(await statusOf(ws(token)), `ws with ${token.slice(0, 5)}`).toBe('403');
    for (const token of [key, created.stream_token]) expect(await statusOf(get(`/download/${'a'.repeat(24)}?token=${encodeURIComponent(token)}`))).toBe('401');
    await stillServing();
  });
});

describe('/final and /zip of odd files (held)', () => {
  async function finished(answer: string): Promise<{ id: string; workspace: string }> {
    standin.setDefaultChat({ text: answer });
    const created = await fetch(`http://127.0.0.1:${server.port}/v1/tasks`, {
      method: 'POST',
      headers: { 'x-api-key': engine.apiKey().apiKey, 'content-type': 'application/json' },
      body: '{"prompt":"files"}',
    }).then((r) => r.json() as Promise<{ task_id: string }>);
    const task = await engine.waitForTask(created.task_id, 10_000);
    return { id: task.id, workspace: task.workspacePath! };
  }
  const read = (route: string) => fetch(`http://127.0.0.1:${server.port}${route}`, { headers: { 'x-api-key': engine.apiKey().apiKey } });

  it('a 0-byte file, control characters and a lone surrogate, and a file deleted from disk: valid JSON from /final, a zip from /zip', async () => {
    const empty = await finished('Here.\nFile: empty.txt\n```\n```\n');
    const binary = await finished('Here.\nFile: bin.dat\n```\n\u0000\u0001\u00ff\ud800 x \u0007\n```\n');
    const gone = await finished('Here.\nFile: src/main.py\n```python\nprint(1)\n```\n');
    fs.rmSync(path.join(gone.workspace, 'src', 'main.py'));
    for (const { id } of [empty, binary, gone]) {
      const final = await read(`/v1/tasks/${id}/final`);
      expect(final.status).toBe(200);
      const body = (await final.json()) as { files: Array<{ path: string; size: number }>; result: { text: string } };
      expect(body.files).toHaveLength(1);
      const zip = await read(`/v1/tasks/${id}/zip`);
      expect(zip.status).toBe(200);
      expect(Buffer.from(await zip.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
    }
    const emptyFinal = (await (await read(`/v1/tasks/${empty.id}/final`)).json()) as { files: Array<{ size: number }> };
    expect(emptyFinal.files[0].size).toBe(0);
    const binaryFinal = (await (await read(`/v1/tasks/${binary.id}/final`)).json()) as { result: { text: string } };
    expect(binaryFinal.result.text).toContain('\u0000\u0001');
    await stillServing();
  });
});
