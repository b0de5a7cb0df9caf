import JSZip from 'jszip';
import http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodResult, TaskEvent } from '../../shared/index.js';
import type { Engine } from '../../electron/core/engine/index.js';
import type { RunningServer } from '../../electron/server/index.js';
import type { OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { deltaText, waitFor } from './helpers.js';
import { startServedEngine, type ServedEngine } from './served-engine.js';
import { TestWsClient } from './ws-client.js';

let served: ServedEngine;
let standin: OllamaStandin;
let engine: Engine;
let server: RunningServer;

beforeEach(async () => {
  served = await startServedEngine('server');
  ({ standin, engine, server } = served);
});
afterEach(() => served.close());

const wsUrl = (token: string) => `ws://127.0.0.1:${server.port}/ws?token=${encodeURIComponent(token)}`;

describe('browser host', () => {
  it('binds loopback, serves the UI with a CSP, and refuses foreign Host headers', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    const ok = await fetch(`http://127.0.0.1:${server.port}/`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toContain("default-src 'self'");
    // fetch() will not send a foreign Host header; a DNS-rebinding page would, so use node:http.
    const rebindingStatus = await new Promise<number>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: server.port, path: '/', headers: { host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject);
    });
    expect(rebindingStatus).toBe(403);
    const traversal = await fetch(`http://127.0.0.1:${server.port}/..%2f..%2fmacs.db`);
    expect(traversal.status).not.toBe(200);
  });

  it('requires the per-launch token and a same-origin Origin on the WebSocket', async () => {
    await expect(TestWsClient.connect(wsUrl('wrong'))).rejects.toMatchObject({ statusCode: 403 });
    await expect(TestWsClient.connect(wsUrl(server.token), { origin: 'http://evil.example' })).rejects.toMatchObject({ statusCode: 403 });
    await expect(TestWsClient.connect(wsUrl(server.token), { host: `evil.example:${server.port}` })).rejects.toMatchObject({ statusCode: 403 });
    const client = await TestWsClient.connect(wsUrl(server.token), { origin: `http://127.0.0.1:${server.port}` });
    const info = await client.call<MethodResult<'app.info'>>('app.info');
    expect(info.host).toBe('browser');
    await client.close();
  });

  it('answers bad frames and bad params with stable error codes', async () => {
    const client = await TestWsClient.connect(wsUrl(server.token));
    await expect(client.call('tasks.create', { prompt: 42 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(client.call('fs.readFile', { path: '/etc/passwd' })).rejects.toMatchObject({ code: 'UNKNOWN_METHOD' });
    client.sendRaw('{not json');
    await waitFor(() => client.unmatched.length > 0, 2000, 'an error answer');
    expect(client.unmatched[0]).toMatchObject({ id: -1, error: { code: 'INVALID_JSON', message: expect.stringContaining('not valid JSON') } });
    expect((await client.call<MethodResult<'app.info'>>('app.info')).version).toBe('test');
    await client.close();
  });

  it('streams a task as frames with seq; a client that reconnects resumes without gaps or duplicates', async () => {
    const text = 'File: a.txt\n```\n' + 'line of text\n'.repeat(300) + '```\n';
    standin.enqueueChat({ text, tokensPerSecond: 3000 });
    const first = await TestWsClient.connect(wsUrl(server.token));
    const { task } = await first.call<MethodResult<'tasks.create'>>('tasks.create', { prompt: 'p', model: 'qwen2.5-coder:7b' });
    await waitFor(() => first.frames.filter((f) => f.taskId === task.id).length >= 3, 10_000, 'some frames');
    await first.close();
    const seen: TaskEvent[] = first.frames.filter((f) => f.taskId === task.id).flatMap((f) => f.events);
    const lastSeq = seen.at(-1)!.seq;

    const second = await TestWsClient.connect(wsUrl(server.token));
    const backlog = await second.call<MethodResult<'tasks.events'>>('tasks.events', { taskId: task.id, sinceSeq: lastSeq });
    await engine.waitForTask(task.id);
    const isTerminal = (e: TaskEvent) => e.type === 'status' && e.data.status === 'succeeded';
    await waitFor(
      () => backlog.events.some(isTerminal) || second.frames.some((f) => f.taskId === task.id && f.events.some(isTerminal)),
      5000,
      'the final status frame',
    );
    const live = second.frames.filter((f) => f.taskId === task.id).flatMap((f) => f.events);
    const merged = new Map<number, TaskEvent>();
    for (const e of [...seen, ...backlog.events, ...live]) if (!merged.has(e.seq)) merged.set(e.seq, e);
    const ordered = [...merged.values()].sort((a, b) => a.seq - b.seq);
    expect(ordered.map((e) => e.seq)).toEqual(ordered.map((_, i) => i + 1));
    expect(deltaText(ordered)).toBe(text);
    await second.close();
  });

  it('exports a zip that downloads only with the token', async () => {
    standin.enqueueChat({ text: 'File: src/main.py\n```python\nprint(1)\n```\n' });
    const client = await TestWsClient.connect(wsUrl(server.token));
    const { task } = await client.call<MethodResult<'tasks.create'>>('tasks.create', { prompt: 'p', model: 'qwen2.5-coder:7b' });
    await engine.waitForTask(task.id);
    const result = await client.call<MethodResult<'export.zip'>>('export.zip', { taskId: task.id });
    expect(result.fileCount).toBe(1);
    expect(result.downloadUrl).toContain(`token=`);
    const anonymous = await fetch(`http://127.0.0.1:${server.port}${result.downloadUrl!.split('?')[0]}`);
    expect(anonymous.status).toBe(401);
    const res = await fetch(`http://127.0.0.1:${server.port}${result.downloadUrl}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('.zip');
    const zip = await JSZip.loadAsync(Buffer.from(await res.arrayBuffer()));
    expect(Object.keys(zip.files).sort()).toEqual(['manifest.json', 'src/', 'src/main.py'].filter((n) => zip.files[n]));
    expect(await zip.file('src/main.py')!.async('string')).toBe('print(1)\n');
    expect(client.topics.some((t) => t.topic === 'export.progress' && (t.payload as { done: boolean }).done)).toBe(true);
    await client.close();
  });
});
