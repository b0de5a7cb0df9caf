// POST/GET /v1/projects/{id}/run and POST …/stop end to end: a real `macs serve` engine on a
// real data dir (SQLite file), a static site opened as a project, the preview it serves
// fetched over HTTP, and the refusals a script would meet (no key, the UI token, unknown
// project, nothing to run).
import fs from 'node:fs';
import type { AppRun, TopicPayload } from '../../shared/index.js';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServedEngine, type ServedEngine } from './served-engine.js';

let s: ServedEngine;
let base = '';
let key = '';
const folders: string[] = [];

beforeAll(async () => {
  s = await startServedEngine('rest-app-run');
  base = `http://127.0.0.1:${s.server.port}`;
  key = s.engine.apiKey().apiKey;
});
afterAll(async () => {
  await s.close();
  for (const f of folders) fs.rmSync(f, { recursive: true, force: true });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- responses are checked field by field
type Body = any;

async function api(method: string, urlPath: string, auth: Record<string, string> = { 'x-api-key': key }, body?: unknown): Promise<{ status: number; body: Body }> {
  const res = await fetch(`${base}${urlPath}`, { method, headers: { 'content-type': 'application/json', ...auth }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** A folder opened as a project over the API. */
async function folderProject(files: Record<string, string>): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-app-site-'));
  folders.push(dir);
  for (const [rel, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, rel), text);
  const res = await fetch(`${base}/v1/projects`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify({ folder: dir }) });
  expect(res.status).toBe(201);
  return ((await res.json()) as Body).project.project_id;
}

async function settledRun(id: string, timeoutMs = 20_000): Promise<Body> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await api('GET', `/v1/projects/${id}/run`);
    if (!['installing', 'starting'].includes(body.run.state)) return body.run;
    if (Date.now() > until) throw new Error(`the run of ${id} is still ${body.run.state} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const HEADING = 'Served by the run route';
const SITE = {
  'index.html': `<!doctype html><html><head><title>Site</title><link rel="stylesheet" href="style.css"></head><body><h1>${HEADING}</h1></body></html>\n`,
  'style.css': 'h1 { color: #123456; }\n',
};

describe('the run routes', () => {
  it('run → ready with a URL that serves the site → status with the tail and no errors → stop → the port is closed', async () => {
    const id = await folderProject(SITE);
    const idle = await api('GET', `/v1/projects/${id}/run`);
    expect(idle.status).toBe(200);
    expect(idle.body.run).toMatchObject({ project_id: id, state: 'idle', url: null });

    const kept = await api('PATCH', `/v1/projects/${id}/run`, { 'x-api-key': key }, { command: 'python3 -m http.server', install_network: true });
    expect(kept.status).toBe(200);
    expect(kept.body.run.settings).toEqual({ command: 'python3 -m http.server', pinned_port: null, install_network: true });
    expect((await api('PATCH', `/v1/projects/${id}/run`, { 'x-api-key': key }, { command: null, install_network: false })).body.run.settings.command).toBe(null);

    const started = await api('POST', `/v1/projects/${id}/run`);
    expect(started.status).toBe(202);
    expect(started.body.run.project_id).toBe(id);
    expect(started.body.run.plan).toMatchObject({ kind: 'static', web: true, command: null });

    const run = await settledRun(id);
    expect(run.state).toBe('ready');
    expect(run.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(run.port).toBe(Number(new URL(run.url).port));
    expect(run.fingerprints).toEqual([]);
    expect(typeof run.output_tail).toBe('string');
    expect(run.ready_at).toEqual(expect.any(String));

    const page = await fetch(run.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(HEADING);
    // Only MACS's own UI (this server's origin) may frame the preview.
    expect(page.headers.get('content-security-policy') ?? '').toContain(`frame-ancestors`);
    expect(page.headers.get('content-security-policy') ?? '').toContain(base);

    const listed = (await s.engine.invoke('apps.list', {})) as { runs: { projectId: string }[] };
    expect(listed.runs.map((r) => r.projectId)).toContain(id);

    const stopped = await api('POST', `/v1/projects/${id}/stop`);
    expect(stopped.status).toBe(200);
    expect(stopped.body.run.state).toBe('idle');
    await expect(fetch(run.url)).rejects.toThrow();
    expect((await api('GET', `/v1/projects/${id}/run`)).body.run.state).toBe('idle');
  });

  it('refuses without the API key, with the UI token for run/stop, for an unknown project, and for a folder with nothing to run', async () => {
    const id = await folderProject(SITE);
    for (const [method, route] of [
      ['POST', 'run'],
      ['GET', 'run'],
      ['POST', 'stop'],
    ] as const) {
      const none = await api(method, `/v1/projects/${id}/${route}`, {});
      expect(none.status).toBe(401);
      expect(none.body.error.code).toBe('UNAUTHORIZED');
      const wrong = await api(method, `/v1/projects/${id}/${route}`, { 'x-api-key': 'not-the-key' });
      expect(wrong.status).toBe(401);
    }
    // The browser UI's token reads, never starts or stops anything over REST.
    const uiAuth = { authorization: `Bearer ${s.server.token}` };
    expect((await api('GET', `/v1/projects/${id}/run`, uiAuth)).status).toBe(200);
    const uiRun = await api('POST', `/v1/projects/${id}/run`, uiAuth);
    expect(uiRun.status).toBe(401);
    expect(uiRun.body.error.message).toMatch(/API key/);
    expect((await api('GET', `/v1/projects/${id}/run`)).body.run.state).toBe('idle');

    const unknown = await api('POST', '/v1/projects/no-such-project/run');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('PROJECT_NOT_FOUND');
    expect((await api('GET', '/v1/projects/no-such-project/run')).status).toBe(404);

    const badSettings = await api('PATCH', `/v1/projects/${id}/run`, { 'x-api-key': key }, { pinned_port: 80, colour: 'blue' });
    expect(badSettings.status).toBe(400);
    expect(badSettings.body.error.code).toBe('INVALID_INPUT');
    expect(badSettings.body.error.details.fields.map((f: { path: string }) => f.path).sort()).toEqual(['(body)', 'pinned_port'].sort());
    expect((await api('PATCH', `/v1/projects/${id}/run`, uiAuth, { pinned_port: 5000 })).status).toBe(401);

    const empty = await folderProject({ 'notes.txt': 'nothing here starts anything\n' });
    const refused = await api('POST', `/v1/projects/${empty}/run`);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('APP_NOT_RUNNABLE');
    expect(refused.body.error.message.length).toBeGreaterThan(20);
  });

  it('a turn that rewrites the page reloads it (reload_seq goes up) and the preview serves the new file; app.updated is published', async () => {
    const id = await folderProject(SITE);
    const published: AppRun[] = [];
    const off = s.engine.onTopic((topic, payload) => {
      if (topic === 'app.updated') published.push((payload as TopicPayload<'app.updated'>).run);
    });
    try {
      expect((await api('POST', `/v1/projects/${id}/run`)).status).toBe(202);
      const ready = await settledRun(id);
      expect(ready.state).toBe('ready');
      expect(published.some((r) => r.projectId === id && r.state === 'ready')).toBe(true);

      s.standin.enqueueChat({ text: 'Here it is.\nFile: index.html\n```html\n<!doctype html><h1>Changed by a turn</h1>\n```\n' });
      const turn = await api('POST', `/v1/projects/${id}/turns`, { 'x-api-key': key }, { prompt: 'change the heading' });
      expect(turn.status).toBe(202);
      const task = await s.engine.waitForTask(turn.body.task_id, 20_000);
      expect(task.status).toBe('succeeded');
      const after = (await api('GET', `/v1/projects/${id}/run`)).body.run;
      expect(after.reload_seq).toBeGreaterThan(ready.reload_seq);
      expect(await (await fetch(after.url)).text()).toContain('Changed by a turn');
      expect(published.some((r) => r.projectId === id && r.reloadSeq === after.reload_seq)).toBe(true);
    } finally {
      off();
      await api('POST', `/v1/projects/${id}/stop`);
    }
  });
});
