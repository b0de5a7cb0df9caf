// The project routes against a fake engine: which engine method each route calls with what,
// how bodies are parsed (the same parser as POST /v1/tasks), and how errors map to statuses.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Project, ProjectVersion, Task } from '../../shared/index.js';
import { MacsError } from '../../shared/index.js';
import { createRestApi, type RestEngine } from '../../electron/server/rest/index.js';
import { RestError } from '../../electron/server/rest/http.js';
import { parseNewProjectBody, parseTurnBody, parseVersionRef } from '../../electron/server/rest/project-body.js';
import { unifiedDiff } from '../../electron/server/rest/diff-text.js';
import { toSseMessage } from '../../electron/server/rest/sse-events.js';
import { receiptLine, versionEventLine } from '../../electron/cli/project-output.js';

const KEY = 'k'.repeat(32);
const PROJECT: Project = {
  id: 'p1',
  name: 'csv2json',
  kind: 'generated',
  root: '/data/projects/p1',
  language: 'Python',
  pinned: false,
  paused: false,
  state: 'READY',
  turnCount: 2,
  lastTaskId: 't2',
  createdAt: 1_000,
  updatedAt: 2_000,
  folderMissing: false,
};
const version = (n: number, current = false): ProjectVersion => ({
  id: `c${n}`,
  number: n,
  kind: 'turn',
  taskId: `t${n}`,
  message: `turn ${n}`,
  createdAt: n * 1000,
  filesChanged: 1,
  undone: false,
  current,
});
const TASK = { id: 't3', projectId: 'p1', status: 'queued', kind: 'chat', model: 'm', createdAt: 1, startedAt: null, finishedAt: null } as unknown as Task;

const calls: Array<[string, unknown]> = [];
let fail: Record<string, Error> = {};

const fake: RestEngine = {
  dbPath: ':memory:',
  onTopic: () => () => undefined,
  exportTask: async () => {
    throw new Error('not used');
  },
  stats: () => ({}) as ReturnType<RestEngine['stats']>,
  apiKey: () => ({ apiKey: KEY, source: 'file' }),
  invoke: async (method, params) => {
    calls.push([method, params]);
    if (fail[method]) throw fail[method];
    switch (method) {
      case 'projects.create':
      case 'projects.update':
      case 'projects.pause':
      case 'projects.resume':
        return { project: PROJECT };
      case 'projects.get':
        return { project: PROJECT, turns: [] };
      case 'projects.list':
        return { projects: [PROJECT] };
      case 'projects.versions':
        return { versions: [version(1), version(2, true)], backend: 'git', notice: null };
      case 'projects.restore':
        return { version: version(3, true) };
      case 'projects.delete':
        return { deleted: true, filesDeleted: false };
      case 'projects.versionDiff':
        return { files: [{ path: 'a.txt', status: 'modified', binary: false, before: 'x\n', after: 'y\n' }] };
      case 'workspaces.tree':
        return { entries: [{ path: 'src', kind: 'dir', size: 0, ignored: false }, { path: 'src/a.py', kind: 'file', size: 3, ignored: false }], truncated: false, ignoredCount: 0 };
      case 'tasks.create':
        return { task: TASK };
      default:
        throw new Error(`unexpected ${method}`);
    }
  },
};

let server: http.Server;
let base = '';
beforeAll(async () => {
  const api = createRestApi(fake);
  server = http.createServer((req, res) => void api.handle(req, res, new URL(req.url ?? '/', 'http://127.0.0.1')));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  calls.length = 0;
  fail = {};
});

async function api(method: string, path: string, body?: unknown, key: string | null = KEY) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe('project routes → engine methods', () => {
  it('POST /v1/projects from a prompt makes the project, then its first turn (kind → mode_hint)', async () => {
    const r = await api('POST', '/v1/projects', { prompt: 'a CSV to JSON CLI', kind: 'build', name: 'csv2json', model: 'm' });
    expect(r.status).toBe(201);
    expect(calls.map((c) => c[0])).toEqual(['projects.create', 'tasks.create', 'projects.get']);
    expect(calls[0][1]).toEqual({ name: 'csv2json' });
    expect(calls[1][1]).toMatchObject({ prompt: 'a CSV to JSON CLI', kind: 'build', model: 'm', projectId: 'p1', metadata: { mode_hint: 'build' } });
    expect(r.body.project).toMatchObject({ project_id: 'p1', name: 'csv2json', state: 'READY', turn_count: 2 });
    expect(r.body.task).toMatchObject({ task_id: 't3', project_id: 'p1', stream_token: expect.any(String) });
  });

  it('a first turn the engine refuses leaves no empty project behind', async () => {
    fail['tasks.create'] = new MacsError('MODEL_NOT_FOUND', 'No model "nope".');
    const r = await api('POST', '/v1/projects', { prompt: 'x', model: 'nope' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('MODEL_NOT_FOUND');
    expect(calls.at(-1)).toEqual(['projects.delete', { projectId: 'p1', deleteFiles: true }]);
  });

  it('POST /v1/projects with a folder opens it (no turn); a TaskV1.1 repo.path becomes the folder of the project', async () => {
    expect((await api('POST', '/v1/projects', { folder: '/home/me/app' })).status).toBe(201);
    expect(calls).toEqual([['projects.create', { folder: '/home/me/app', name: undefined }]]);
    calls.length = 0;
    const spec = { type: 'CODE', input: { goal: 'add a flag', repo: { path: '/home/me/app' } } };
    expect((await api('POST', '/v1/projects', spec)).status).toBe(201);
    expect(calls[0]).toEqual(['projects.create', { folder: '/home/me/app', name: undefined }]);
    expect(calls[1][1]).toMatchObject({ kind: 'build', projectId: 'p1', metadata: { spec } });
  });

  it('GET /v1/projects/{id}: project, turns, versions and the files of its tree', async () => {
    const r = await api('GET', '/v1/projects/p1');
    expect(r.status).toBe(200);
    expect(r.body.versions.map((v: { number: number }) => v.number)).toEqual([1, 2]);
    expect(r.body.files).toEqual([{ path: 'src/a.py', size: 3 }]);
    expect(calls.find((c) => c[0] === 'workspaces.tree')?.[1]).toEqual({ root: PROJECT.root });
  });

  it('list, rename, pin, pause, resume and delete pass their arguments through', async () => {
    await api('GET', '/v1/projects?q=csv&limit=5');
    expect(calls.at(-1)).toEqual(['projects.list', { query: 'csv', limit: 5 }]);
    await api('PATCH', '/v1/projects/p1', { name: 'renamed', pinned: true });
    expect(calls.at(-1)).toEqual(['projects.update', { projectId: 'p1', name: 'renamed', pinned: true }]);
    await api('POST', '/v1/projects/p1/pause');
    await api('POST', '/v1/projects/p1/resume');
    expect(calls.slice(-2).map((c) => c[0])).toEqual(['projects.pause', 'projects.resume']);
    const del = await api('DELETE', '/v1/projects/p1?delete_files=true');
    expect(del.body).toEqual({ project_id: 'p1', deleted: true, files_deleted: false });
    expect(calls.at(-1)).toEqual(['projects.delete', { projectId: 'p1', deleteFiles: true }]);
  });

  it('restore takes a version number (looked up) or an id; an unknown number is a 404 that says the range', async () => {
    const r = await api('POST', '/v1/projects/p1/restore', { version: 2 });
    expect(r.status).toBe(200);
    expect(calls.at(-1)).toEqual(['projects.restore', { projectId: 'p1', versionId: 'c2' }]);
    expect(r.body.version).toMatchObject({ number: 3, current: true });
    await api('POST', '/v1/projects/p1/restore', { version: 'c1' });
    expect(calls.at(-1)).toEqual(['projects.restore', { projectId: 'p1', versionId: 'c1' }]);
    const missing = await api('POST', '/v1/projects/p1/restore', { version: 9 });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'VERSION_NOT_FOUND', message: 'Project p1 has no version 9; its versions are 1 to 2.' });
  });

  it('maps PROJECT_NOT_FOUND to 404, PROJECT_BUSY to 409, and writes without the key to 401', async () => {
    fail['projects.get'] = new MacsError('PROJECT_NOT_FOUND', 'No project p9.');
    const turn = await api('POST', '/v1/projects/p9/turns', { prompt: 'more' });
    expect(turn.status).toBe(404);
    expect(calls.some((c) => c[0] === 'tasks.create')).toBe(false);
    fail['projects.restore'] = new MacsError('PROJECT_BUSY', 'A turn is running.');
    expect((await api('POST', '/v1/projects/p1/restore', { version: 1 })).status).toBe(409);
    expect((await api('POST', '/v1/projects/p1/turns', { prompt: 'x' }, null)).status).toBe(401);
    expect((await api('DELETE', '/v1/projects/p1', undefined, null)).status).toBe(401);
  });

  it('POST /v1/tasks takes project_id (both body shapes) and passes it on; with input.repo.path it is refused', async () => {
    expect((await api('POST', '/v1/tasks', { prompt: 'more', project_id: 'p1' })).body).toMatchObject({ task_id: 't3', project_id: 'p1' });
    expect(calls.at(-1)).toEqual(['tasks.create', expect.objectContaining({ prompt: 'more', projectId: 'p1' })]);
    await api('POST', '/v1/tasks', { type: 'CODE', input: { goal: 'more' }, project_id: 'p1' });
    expect(calls.at(-1)).toEqual(['tasks.create', expect.objectContaining({ kind: 'build', projectId: 'p1' })]);
    calls.length = 0;
    const both = await api('POST', '/v1/tasks', { type: 'CODE', input: { goal: 'x', repo: { path: '/a' } }, project_id: 'p1' });
    expect(both.status).toBe(400);
    expect(both.body.error.details.fields[0].path).toBe('project_id');
    expect(calls).toEqual([]);
  });

  it('a version diff carries unified diff text', async () => {
    const r = await api('GET', '/v1/projects/p1/versions/2/diff');
    expect(calls.at(-1)).toEqual(['projects.versionDiff', { projectId: 'p1', versionId: 'c2' }]);
    expect(r.body.files[0].diff).toBe('--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-x\n+y\n');
  });
});

describe('project bodies', () => {
  const fieldsOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      expect(err).toBeInstanceOf(RestError);
      return (err as RestError).details?.fields;
    }
    throw new Error('accepted');
  };

  it('refuses what cannot be meant, naming the field', () => {
    expect(fieldsOf(() => parseNewProjectBody({ prompt: 'x', project_id: 'p1' }))).toEqual([{ path: 'project_id', message: expect.stringContaining('/turns') }]);
    expect(fieldsOf(() => parseNewProjectBody({ folder: 'relative/dir' }))).toEqual([{ path: 'folder', message: 'Give the folder as an absolute path.' }]);
    expect(fieldsOf(() => parseNewProjectBody({ folder: '/a', prompt: 'x' }))).toEqual([{ path: '(body)', message: expect.stringContaining('unexpected: prompt') }]);
    expect(fieldsOf(() => parseNewProjectBody({ prompt: 'x', kind: 'deploy' }))).toEqual([{ path: 'kind', message: 'Expected "chat" or "build".' }]);
    expect(fieldsOf(() => parseNewProjectBody({ prompt: 'x', name: '  ' }))).toEqual([{ path: 'name', message: 'A project needs a name.' }]);
    expect(fieldsOf(() => parseTurnBody({ prompt: 'x', project_id: 'p2' }, 'p1'))).toEqual([{ path: 'project_id', message: expect.stringContaining('names p2') }]);
    expect(fieldsOf(() => parseTurnBody({ type: 'CODE', input: { goal: 'x' }, kind: 'chat' }, 'p1'))).toEqual([{ path: 'kind', message: expect.stringContaining('is a build') }]);
  });

  it('a turn is parsed as POST /v1/tasks parses a task (chat by default, a spec as build)', () => {
    expect(parseTurnBody({ prompt: 'add --version', project_id: 'p1' }, 'p1')).toEqual({ prompt: 'add --version', kind: 'chat', metadata: { mode_hint: 'chat' } });
    expect(parseTurnBody({ type: 'CODE', input: { goal: 'add --version' } }, 'p1')).toMatchObject({ kind: 'build', prompt: 'add --version' });
  });

  it('versions are numbers (2, "v2") or ids', () => {
    expect(parseVersionRef(2)).toEqual({ number: 2 });
    expect(parseVersionRef('v2')).toEqual({ number: 2 });
    expect(parseVersionRef('9f3283b0c1')).toEqual({ id: '9f3283b0c1' });
    expect(() => parseVersionRef(0)).toThrow(RestError);
    expect(() => parseVersionRef('a/b')).toThrow(RestError);
  });

  it('unified diff text marks added and deleted files with /dev/null', async () => {
    expect(await unifiedDiff('n.txt', null, 'new\n')).toBe('--- /dev/null\n+++ b/n.txt\n@@ -0,0 +1 @@\n+new\n');
    expect(await unifiedDiff('n.txt', 'same', 'same')).toBe('');
  });
});

describe('a turn\'s receipt and version on the stream, and as the CLI prints them', () => {
  const base = { taskId: 't', seq: 7, ts: 1 };
  const receipt = {
    files: [{ path: 'main.py', tokens: 40, reason: 'touched by turn 1' }],
    turns: [{ taskId: 't1', tokens: 12 }],
    leftOut: [{ kind: 'file' as const, ref: 'big.csv', tokens: 90_000 }],
    mapped: 3,
    budgetTokens: 6000,
    estimatedTokens: 900,
    promptEvalCount: null,
  };

  it('maps them to snake_case SSE events', () => {
    const r = toSseMessage({ ...base, type: 'receipt', data: receipt });
    expect(r).toEqual({
      event: 'receipt',
      data: { files: receipt.files, turns: [{ task_id: 't1', tokens: 12 }], left_out: receipt.leftOut, mapped: 3, budget_tokens: 6000, estimated_tokens: 900, prompt_eval_count: null },
    });
    const v = toSseMessage({ ...base, type: 'version', data: { versionId: 'c2', number: 2, kind: 'turn', filesChanged: 1 } });
    expect(v).toEqual({ event: 'version', data: { version_id: 'c2', number: 2, kind: 'turn', files_changed: 1 } });
  });

  it('prints one line each', () => {
    const r = toSseMessage({ ...base, type: 'receipt', data: receipt })!.data as Parameters<typeof receiptLine>[0];
    expect(receiptLine(r)).toBe('context: 1 file(s), 1 earlier turn(s), 3 more by path only · ~900 of 6000 tokens; left out for room: 1 (big.csv)');
    expect(receiptLine({ ...r, prompt_eval_count: 1010 })).toBe('context: the model counted 1010 prompt tokens (estimated 900)');
    expect(versionEventLine({ version_id: 'c3', number: 3, kind: 'hand-edit', files_changed: 2 })).toBe('✓ version v3: your edits since the last turn (2 file(s))');
  });
});
