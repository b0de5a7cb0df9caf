// "Fix this error" through the engine: a real engine (SQLite file, the Ollama stand-in), a
// dependency-free Node app run in bubblewrap that logs a TypeError with its stack on every
// request. apps.fixError opens a build turn of the project holding the error, its stack, the
// run command and the files it names (pinned), twice; the third time it is refused. An
// editor save restarts the app, and closing the engine leaves none of its processes behind.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppRun, MethodResult, Task } from '../../shared/index.js';
import { MacsError } from '../../shared/index.js';
import type { Engine } from '../../electron/core/engine/index.js';
import { startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { openEngine, tempDataDir } from './helpers.js';
import { processesWith } from './preview-run-harness.js';
import { fixturesRoot, HAS_BWRAP } from './sandbox-harness.js';

const MESSAGE = "Cannot read properties of undefined (reading 'items')";

function serverJs(): string {
  return [
    "const http = require('http');",
    'function loadTodos(store) {',
    '  return store.items;',
    '}',
    'http',
    '  .createServer((req, res) => {',
    "    if (req.url !== '/') return res.end('ok');",
    '    try {',
    '      res.end(String(loadTodos(undefined)));',
    '    } catch (err) {',
    '      console.error(err);',
    '      res.writeHead(500);',
    "      res.end('broken');",
    '    }',
    '  })',
    "  .listen(process.env.PORT, '127.0.0.1', () => console.log('listening'));",
    '',
  ].join('\n');
}

let standin: OllamaStandin;
let dataDir: string;
let folder: string;
let engine: Engine;

beforeEach(async () => {
  standin = await startOllamaStandin();
  dataDir = tempDataDir('app-fix');
  // Outside /tmp and HOME, which the sandbox hides.
  folder = fs.mkdtempSync(path.join(fixturesRoot(), 'app-fix-'));
  engine = openEngine(dataDir, standin.url);
});
afterEach(async () => {
  await engine.close().catch(() => undefined);
  await standin.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(folder, { recursive: true, force: true });
});

const call = async <M extends 'apps.run' | 'apps.status' | 'apps.configure' | 'apps.fixError' | 'projects.create' | 'projects.pause' | 'workspaces.write'>(method: M, params: unknown) =>
  (await engine.invoke(method, params)) as MethodResult<M>;

async function until(projectId: string, done: (run: AppRun) => boolean, what: string, timeoutMs = 20_000): Promise<AppRun> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const { run } = await call('apps.status', { projectId });
    if (done(run)) return run;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${run.state} ${run.reason ?? ''}\n${run.outputTail}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function refusal(promise: Promise<unknown>): Promise<MacsError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MacsError);
  return err as MacsError;
}

describe.skipIf(!HAS_BWRAP)('Fix this error', () => {
  it('opens a build turn with the error, its stack, the command and the files it names, twice; the third time says restore a working version', async () => {
    fs.writeFileSync(path.join(folder, 'server.js'), serverJs());
    // Its own package scope (CommonJS), as a generated app has; not the repository's "type": "module".
    fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name: 'todo', private: true, scripts: { start: 'node server.js' } }));
    const { project } = await call('projects.create', { folder });
    // Queued turns wait: the test reads what they hold, no model has to answer them.
    await call('projects.pause', { projectId: project.id });
    const marker = `fix-marker-${Date.now()}`;
    await call('apps.configure', { projectId: project.id, command: `node server.js ${marker}` });

    await call('apps.run', { projectId: project.id });
    const ready = await until(project.id, (r) => r.state !== 'starting' && r.state !== 'installing', 'the app to be ready');
    expect(ready.state, `${ready.reason}\n${ready.outputTail}`).toBe('ready');
    expect((await fetch(ready.url!)).status).toBe(500);
    const withError = await until(project.id, (r) => r.fingerprints.some((f) => f.message.includes(MESSAGE)), 'the error fingerprint');
    const fingerprint = withError.fingerprints.find((f) => f.message.includes(MESSAGE))!;
    expect(fingerprint.files).toContain('server.js');

    const first = (await call('apps.fixError', { projectId: project.id, fingerprintId: fingerprint.id })).task as Task;
    expect(first).toMatchObject({ kind: 'build', projectId: project.id, status: 'queued' });
    expect(first.prompt).toContain(MESSAGE);
    expect(first.prompt).toMatch(/at loadTodos \(.*server\.js:\d+:\d+\)/);
    expect(first.prompt).toContain(`The app is started with: node server.js ${marker}`);
    expect(first.prompt).toContain('Files the error names: server.js');
    expect(first.metadata).toMatchObject({ context: { pinned: ['server.js'] }, fixError: { fingerprintId: fingerprint.id, attempt: 1 } });
    const counted = (await call('apps.status', { projectId: project.id })).run.fingerprints.find((f) => f.id === fingerprint.id);
    expect(counted?.fixAttempts).toBe(1);

    // Two clicks at once: the second try goes through, the third is refused even while the second is being created.
    const [secondTry, thirdTry] = await Promise.allSettled([
      call('apps.fixError', { projectId: project.id, fingerprintId: fingerprint.id }),
      call('apps.fixError', { projectId: project.id, fingerprintId: fingerprint.id }),
    ]);
    expect(secondTry.status).toBe('fulfilled');
    const second = (secondTry as PromiseFulfilledResult<MethodResult<'apps.fixError'>>).value.task as Task;
    expect(second.id).not.toBe(first.id);
    expect(second.metadata).toMatchObject({ fixError: { attempt: 2 } });
    expect(thirdTry.status).toBe('rejected');
    expect(((thirdTry as PromiseRejectedResult).reason as MacsError).code).toBe('FIX_LIMIT_REACHED');

    const third = await refusal(call('apps.fixError', { projectId: project.id, fingerprintId: fingerprint.id }));
    expect(third.code).toBe('FIX_LIMIT_REACHED');
    expect(third.message).toMatch(/tried twice; restore the last working version from Versions/);
    const turns = (await engine.invoke('projects.get', { projectId: project.id })) as MethodResult<'projects.get'>;
    expect(turns.turns.filter((t) => t.kind === 'build')).toHaveLength(2);

    const gone = await refusal(call('apps.fixError', { projectId: project.id, fingerprintId: 'no-such-error' }));
    expect(gone.code).toBe('RUN_ERROR_NOT_FOUND');

    // An editor save restarts the server (the new process writes "listening" again).
    const before = (await call('apps.status', { projectId: project.id })).run;
    await call('workspaces.write', { root: folder, path: 'server.js', content: serverJs().replace('store.items', '(store ?? { items: [] }).items') });
    const restarted = await until(project.id, (r) => r.reloadSeq > before.reloadSeq && r.state === 'ready', 'the restart after the save');
    expect((await fetch(restarted.url!)).status).toBe(200);

    // Closing the engine stops the app: nothing of it runs any more.
    expect(processesWith(marker).length).toBeGreaterThan(0);
    await engine.close();
    expect(processesWith(marker)).toEqual([]);
    await expect(fetch(restarted.url!)).rejects.toThrow();
  }, 60_000);
});

describe.skipIf(!HAS_BWRAP)('a project that goes takes its app with it', () => {
  it('deleting (forgetting) an opened folder’s project stops its app and closes its port', async () => {
    fs.writeFileSync(path.join(folder, 'server.js'), "require('http').createServer((q, s) => s.end('up')).listen(process.env.PORT, '127.0.0.1');\n");
    fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name: 'gone', private: true, scripts: { start: 'node server.js' } }));
    const { project } = await call('projects.create', { folder });
    const marker = `delete-marker-${Date.now()}`;
    await call('apps.configure', { projectId: project.id, command: `node server.js ${marker}` });
    await call('apps.run', { projectId: project.id });
    const ready = await until(project.id, (r) => r.state !== 'starting' && r.state !== 'installing', 'the app to be ready');
    expect(ready.state, `${ready.reason}\n${ready.outputTail}`).toBe('ready');
    expect(processesWith(marker).length).toBeGreaterThan(0);

    await engine.invoke('projects.delete', { projectId: project.id });
    expect(processesWith(marker)).toEqual([]);
    await expect(fetch(ready.url!)).rejects.toThrow();
    expect(((await engine.invoke('apps.list', {})) as MethodResult<'apps.list'>).runs).toEqual([]);
    expect(fs.existsSync(path.join(folder, 'server.js'))).toBe(true); // an opened folder is only forgotten
  }, 60_000);
});
