// The project routes end to end: a real server and engine on a real data dir (SQLite file,
// git repositories), the Ollama stand-in answering and recording what each turn sent.
import JSZip from 'jszip';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServedEngine, type ServedEngine } from './served-engine.js';
import { openSse } from './sse-client.js';
import { answer, approve, filesAnswer, planJson } from '../fixtures/build-scripts.js';

let s: ServedEngine;
let base = '';
let key = '';
const folders: string[] = [];

beforeAll(async () => {
  s = await startServedEngine('rest-projects');
  base = `http://127.0.0.1:${s.server.port}`;
  key = s.engine.apiKey().apiKey;
});
afterAll(async () => {
  await s.close();
  for (const f of folders) fs.rmSync(f, { recursive: true, force: true });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- responses are checked field by field
type Body = any;

async function api(method: string, urlPath: string, body?: unknown, apiKey: string | null = key): Promise<{ status: number; body: Body }> {
  const res = await fetch(`${base}${urlPath}`, {
    method,
    headers: { 'content-type': 'application/json', ...(apiKey === null ? {} : { 'x-api-key': apiKey }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function zipOf(urlPath: string): Promise<JSZip> {
  const res = await fetch(`${base}${urlPath}`, { headers: { 'x-api-key': key } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/zip');
  return JSZip.loadAsync(Buffer.from(await res.arrayBuffer()));
}

async function settled(taskId: string, timeoutMs = 20_000): Promise<Body> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const task = (await api('GET', `/v1/tasks/${taskId}`)).body;
    if (['succeeded', 'failed', 'cancelled'].includes(task.status)) return task;
    if (Date.now() > until) throw new Error(`task ${taskId} is still ${task.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function running(taskId: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if ((await api('GET', `/v1/tasks/${taskId}`)).body.status === 'running') return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`task ${taskId} never ran`);
}

const fileAnswer = (file: string, text: string) => ({ text: `Here it is.\nFile: ${file}\n\`\`\`python\n${text}\`\`\`\n` });
const chatBodies = () => s.standin.requests.filter((r) => r.path === '/api/chat').map((r) => JSON.stringify(r.body));

describe('projects over REST', () => {
  it('prompt → turn → versions → diff → restore → the zip at a version holds the restored bytes', async () => {
    const V1 = 'print("version one")\n';
    const V2 = 'print("version two")\n';
    s.standin.enqueueChat(fileAnswer('main.py', V1));
    const created = await api('POST', '/v1/projects', { prompt: 'a hello script in Python', name: 'hello' });
    expect(created.status).toBe(201);
    expect(created.body.project).toMatchObject({ name: 'hello', kind: 'generated', project_id: expect.any(String) });
    const id: string = created.body.project.project_id;
    expect(created.body.task).toMatchObject({ project_id: id, kind: 'chat', stream_token: expect.any(String) });
    expect((await settled(created.body.task.task_id)).status).toBe('succeeded');

    s.standin.enqueueChat(fileAnswer('main.py', V2));
    const turn = await api('POST', `/v1/projects/${id}/turns`, { prompt: 'Now print version two' });
    expect(turn.status).toBe(202);
    expect(turn.body).toMatchObject({ project_id: id, kind: 'chat' });
    expect((await settled(turn.body.task_id)).status).toBe('succeeded');
    // The second turn's request held the file as the first turn left it, and the first turn's prompt.
    expect(chatBodies().at(-1)).toContain('version one');
    expect(chatBodies().at(-1)).toContain('a hello script in Python');
    // Its stream carried the version it made (GET /v1/stream replays a finished turn's log).
    const sse = openSse(s.server.port, `/v1/stream/${turn.body.task_id}`, { 'x-api-key': key });
    await sse.ended;
    expect(sse.events.find((e) => e.event === 'version')?.data).toMatchObject({ number: 2, kind: 'turn', files_changed: 1, version_id: expect.any(String) });
    // …and its context receipt: main.py and the first turn were sent; then again with the model's own count.
    const receipts = sse.events.filter((e) => e.event === 'receipt').map((e) => e.data);
    expect(receipts[0]).toMatchObject({ files: [expect.objectContaining({ path: 'main.py' })], turns: [{ task_id: created.body.task.task_id, tokens: expect.any(Number) }], budget_tokens: expect.any(Number) });
    expect(receipts.at(-1).prompt_eval_count).toEqual(expect.any(Number));

    const versions = (await api('GET', `/v1/projects/${id}/versions`)).body;
    const v1 = versions.versions.find((v: Body) => v.task_id === created.body.task.task_id);
    const v2 = versions.versions.find((v: Body) => v.task_id === turn.body.task_id);
    expect(v1).toBeTruthy();
    expect(v2).toMatchObject({ current: true, number: v1.number + 1 });

    const diff = (await api('GET', `/v1/projects/${id}/versions/v${v2.number}/diff`)).body;
    const main = diff.files.find((f: Body) => f.path === 'main.py');
    expect(main).toMatchObject({ status: 'modified', before: V1, after: V2 });
    expect(main.diff).toContain('-print("version one")\n+print("version two")');

    const restored = await api('POST', `/v1/projects/${id}/restore`, { version: v1.number });
    expect(restored.status).toBe(200);
    expect(restored.body.version).toMatchObject({ kind: 'restore', current: true, number: v2.number + 1 });
    const root: string = created.body.project.root;
    expect(fs.readFileSync(path.join(root, 'main.py'), 'utf8')).toBe(V1);

    const atRestore = await zipOf(`/v1/projects/${id}/zip?version=${restored.body.version.number}`);
    expect(await atRestore.file(/main\.py$/)[0].async('string')).toBe(V1);
    const atV2 = await zipOf(`/v1/projects/${id}/zip?version=${v2.version_id}`);
    expect(await atV2.file(/main\.py$/)[0].async('string')).toBe(V2);
    // The API download leaves no export behind in the data dir (removed once sent: the client may see the end first).
    const exports = () => fs.readdirSync(path.join(s.dataDir, 'exports'));
    for (let i = 0; i < 40 && exports().length > 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(exports()).toEqual([]);

    const detail = (await api('GET', `/v1/projects/${id}`)).body;
    expect(detail.project).toMatchObject({ project_id: id, turn_count: 2, state: expect.any(String) });
    expect(detail.turns.map((t: Body) => t.task_id)).toEqual([created.body.task.task_id, turn.body.task_id]);
    expect(detail.versions.at(-1)).toMatchObject({ kind: 'restore', current: true });
    expect(detail.files).toContainEqual({ path: 'main.py', size: V1.length });

    // Turn 2 is undone already (the restore); undo takes back turn 1: the files as before it.
    const undone = await api('POST', `/v1/projects/${id}/undo`);
    expect(undone.status).toBe(200);
    expect(undone.body.version).toMatchObject({ current: true, number: restored.body.version.number + 1 });
    expect(fs.existsSync(path.join(root, 'main.py'))).toBe(false);
  });

  it('a build turn (a TaskV1.1 body) follows a chat turn in the same project, and its tests run in the project folder', async () => {
    s.standin.enqueueChat(fileAnswer('src/main.py', 'def greeting():\n    return "hi"\n'));
    const created = (await api('POST', '/v1/projects', { prompt: 'a greeting function in src/main.py', name: 'greet' })).body;
    const id = created.project.project_id;
    await settled(created.task.task_id);
    const test = 'import sys\nimport unittest\n\nsys.path.insert(0, "src")\nfrom main import greeting  # noqa: E402\n\n\nclass T(unittest.TestCase):\n    def test_hi(self):\n        self.assertEqual(greeting(), "hi")\n';
    s.standin.enqueueChat(answer('plan', planJson({ language: 'Python', files: [['tests/test_main.py', 'unittest']], test_command: 'python3 -m unittest discover -s tests -v' })));
    s.standin.enqueueChat(answer('implement', filesAnswer({ 'tests/test_main.py': test }, 'python')));
    s.standin.enqueueChat(answer('docs', filesAnswer({ 'README.md': '# greet\n' })));
    s.standin.enqueueChat(answer('review', approve));
    const turn = await api('POST', `/v1/projects/${id}/turns`, { type: 'CODE', input: { goal: 'add unit tests for greeting', language: 'Python' } });
    expect(turn.status).toBe(202);
    expect(turn.body.kind).toBe('build');
    const done = await settled(turn.body.task_id, 30_000);
    expect(done.status).toBe('succeeded');
    expect(done.steps.map((st: Body) => st.step)).toContain('test');
    const detail = (await api('GET', `/v1/projects/${id}`)).body;
    expect(detail.turns.map((t: Body) => t.kind)).toEqual(['chat', 'build']);
    expect(detail.files.map((f: Body) => f.path)).toEqual(expect.arrayContaining(['src/main.py', 'tests/test_main.py']));
  });

  it('POST /v1/tasks: project_id makes a turn of that project; without it a new project', async () => {
    s.standin.enqueueChat(fileAnswer('a.py', 'a = 1\n'));
    const first = await api('POST', '/v1/tasks', { prompt: 'make a.py' });
    expect(first.status).toBe(201);
    const projectId = first.body.project_id;
    expect(projectId).toEqual(expect.any(String));
    await settled(first.body.task_id);
    s.standin.enqueueChat(fileAnswer('a.py', 'a = 2\n'));
    const next = await api('POST', '/v1/tasks', { type: 'CODE', input: { goal: 'set a to 2' }, project_id: projectId });
    expect(next.status).toBe(201);
    expect(next.body.project_id).toBe(projectId);
    await settled(next.body.task_id);
    expect((await api('GET', `/v1/projects/${projectId}`)).body.project.turn_count).toBe(2);
  });

  it('rename, pin, search, pause/resume, delete with its files; a turn for the deleted project is a 404 naming it', async () => {
    s.standin.enqueueChat(fileAnswer('z.py', 'z = 1\n'));
    const created = (await api('POST', '/v1/projects', { prompt: 'make z.py' })).body;
    const id = created.project.project_id;
    await settled(created.task.task_id);
    const renamed = await api('PATCH', `/v1/projects/${id}`, { name: 'zebra tools', pinned: true });
    expect(renamed.body.project).toMatchObject({ name: 'zebra tools', pinned: true });
    const found = (await api('GET', '/v1/projects?q=ZEBRA')).body.projects;
    expect(found.map((p: Body) => p.project_id)).toEqual([id]);
    expect((await api('GET', '/v1/projects?limit=1')).body.projects[0].project_id).toBe(id); // pinned first
    expect((await api('POST', `/v1/projects/${id}/pause`)).body.project.paused).toBe(true);
    expect((await api('POST', `/v1/projects/${id}/resume`)).body.project.paused).toBe(false);

    const deleted = await api('DELETE', `/v1/projects/${id}?delete_files=true`);
    expect(deleted.body).toEqual({ project_id: id, deleted: true, files_deleted: true });
    expect(fs.existsSync(created.project.root)).toBe(false);
    const gone = await api('POST', `/v1/projects/${id}/turns`, { prompt: 'more' });
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('PROJECT_NOT_FOUND');
    expect(gone.body.error.message).toContain(id);
    const viaTasks = await api('POST', '/v1/tasks', { prompt: 'more', project_id: id });
    expect(viaTasks.status).toBe(404);
    expect((await api('GET', `/v1/projects/${id}/zip`)).status).toBe(404);
  });

  it('needs the API key: no key or a wrong one is a 401, for reads and writes', async () => {
    expect((await api('GET', '/v1/projects', undefined, null)).status).toBe(401);
    expect((await api('POST', '/v1/projects', { prompt: 'x' }, null)).status).toBe(401);
    const wrong = await api('DELETE', '/v1/projects/whatever', undefined, 'wrong-key');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('UNAUTHORIZED');
  });

  it('an opened folder: a turn edits it; changes (with diff text), revert, accept and undo over REST', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-rest-folder-'));
    folders.push(folder);
    fs.writeFileSync(path.join(folder, 'app.py'), 'print("mine")\n');
    const opened = await api('POST', '/v1/projects', { folder });
    expect(opened.status).toBe(201);
    expect(opened.body.project).toMatchObject({ kind: 'folder', root: fs.realpathSync(folder) });
    expect(opened.body.task).toBeUndefined();
    const id = opened.body.project.project_id;

    s.standin.enqueueChat({ text: 'File: app.py\n```python\nprint("theirs")\n```\nFile: new.py\n```python\nx = 1\n```\n' });
    const turn = (await api('POST', `/v1/projects/${id}/turns`, { prompt: 'change the greeting', kind: 'chat' })).body;
    expect((await settled(turn.task_id)).status).toBe('succeeded');
    const changes = (await api('GET', `/v1/tasks/${turn.task_id}/changes`)).body;
    const app = changes.changes.find((c: Body) => c.path === 'app.py');
    expect(app).toMatchObject({ status: 'modified', accepted: false });
    expect(app.diff).toBe('--- a/app.py\n+++ b/app.py\n@@ -1 +1 @@\n-print("mine")\n+print("theirs")\n');
    expect(changes.changes.find((c: Body) => c.path === 'new.py').diff).toContain('--- /dev/null');

    const reverted = await api('POST', `/v1/tasks/${turn.task_id}/revert`, { path: 'app.py' });
    expect(reverted.status).toBe(200);
    expect(fs.readFileSync(path.join(folder, 'app.py'), 'utf8')).toBe('print("mine")\n');
    expect((await api('POST', `/v1/tasks/${turn.task_id}/accept`, { path: 'new.py' })).status).toBe(200);
    expect((await api('POST', `/v1/tasks/${turn.task_id}/revert`, {})).status).toBe(400);
    const undone = await api('POST', `/v1/tasks/${turn.task_id}/undo`);
    expect(undone.status).toBe(200);
    expect(fs.existsSync(path.join(folder, 'new.py'))).toBe(false);

    // Forgetting an opened folder never deletes it; asking to is refused.
    expect((await api('DELETE', `/v1/projects/${id}?delete_files=true`)).status).toBeGreaterThanOrEqual(400);
    expect((await api('DELETE', `/v1/projects/${id}`)).body).toMatchObject({ deleted: true, files_deleted: false });
    expect(fs.existsSync(path.join(folder, 'app.py'))).toBe(true);
  });

  it('an opened folder that went missing: shown as such, a turn is refused (409 FOLDER_MISSING), locate points it at the new place', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-rest-moved-'));
    folders.push(folder, `${folder}-moved`);
    fs.writeFileSync(path.join(folder, 'x.py'), 'x = 1\n');
    const id = (await api('POST', '/v1/projects', { folder })).body.project.project_id;
    fs.renameSync(folder, `${folder}-moved`);
    const missing = await api('GET', `/v1/projects/${id}`);
    expect(missing.status).toBe(200);
    expect(missing.body.project.folder_missing).toBe(true);
    expect(missing.body.files).toBeNull();
    const turn = await api('POST', `/v1/projects/${id}/turns`, { prompt: 'more' });
    expect(turn.status).toBe(409);
    expect(turn.body.error.code).toBe('FOLDER_MISSING');
    const located = await api('POST', `/v1/projects/${id}/locate`, { path: `${folder}-moved` });
    expect(located.status).toBe(200);
    expect(located.body.project).toMatchObject({ folder_missing: false, root: fs.realpathSync(`${folder}-moved`) });
    expect((await api('GET', `/v1/projects/${id}`)).body.files).toEqual([{ path: 'x.py', size: 6 }]);
  });

  it('restore while a turn runs is refused with a sentence (409 PROJECT_BUSY), and nothing changes', async () => {
    s.standin.enqueueChat(fileAnswer('b.py', 'b = 1\n'));
    const created = (await api('POST', '/v1/projects', { prompt: 'make b.py' })).body;
    const id = created.project.project_id;
    await settled(created.task.task_id);
    s.standin.enqueueChat({ text: 'File: b.py\n```python\nb = 2\n```\n', hangAfterTokens: 3 });
    const asked = s.standin.requests.length;
    const turn = (await api('POST', `/v1/projects/${id}/turns`, { prompt: 'set b to 2' })).body;
    await running(turn.task_id);
    const busy = await api('POST', `/v1/projects/${id}/restore`, { version: 1 });
    expect(busy.status).toBe(409);
    expect(busy.body.error.code).toBe('PROJECT_BUSY');
    expect(busy.body.error.message).toMatch(/running|waiting/);
    expect((await api('POST', `/v1/projects/${id}/undo`)).status).toBe(409);
    // Cancelled once its model request is out (the stand-in hangs it), so the request is seen to be aborted.
    for (let i = 0; i < 200 && !s.standin.requests.slice(asked).some((r) => r.path === '/api/chat'); i++) await new Promise((r) => setTimeout(r, 25));
    await api('POST', `/v1/tasks/${turn.task_id}/cancel`);
    expect((await settled(turn.task_id)).status).toBe('cancelled');
    await s.standin.waitForAbort(5000);
  });
});
