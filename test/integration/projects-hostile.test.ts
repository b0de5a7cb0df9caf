// Projects attacked from the outside (issue 11): version ids that look like git options or
// revision syntax, restores racing each other, deletes next to symlinks, locate to places a
// project must not live. Real engine, real SQLite file, real git; every effect checked on disk.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodResult, Task } from '../../shared/index.js';
import { createEngine, type Engine } from '../../electron/core/engine/index.js';
import { startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { tempDataDir } from './helpers.js';
import { startServedEngine } from './served-engine.js';

const MODEL = 'qwen2.5-coder:7b';
let standin: OllamaStandin;
let dataDir: string;
let engine: Engine;
const outside: string[] = [];

beforeEach(async () => {
  standin = await startOllamaStandin({ models: [{ name: MODEL }] });
  dataDir = tempDataDir('projects-hostile');
  engine = createEngine({ dataDir, host: 'browser', version: 'test', ollamaHost: standin.url, queue: { pollMs: 50, retryBaseMs: 40 } });
});
afterEach(async () => {
  await engine.close();
  await standin.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  for (const f of outside.splice(0)) fs.rmSync(f, { recursive: true, force: true });
});

function tempOutside(label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `macs-hostile-${label}-`));
  outside.push(dir);
  return dir;
}

async function turn(prompt: string, text: string, projectId?: string): Promise<Task> {
  standin.setDefaultChat({ text });
  const { task } = (await engine.invoke('tasks.create', { prompt, model: MODEL, ...(projectId ? { projectId } : {}) })) as MethodResult<'tasks.create'>;
  return engine.waitForTask(task.id, 20_000);
}
const versions = async (id: string) => ((await engine.invoke('projects.versions', { projectId: id })) as MethodResult<'projects.versions'>).versions;
const git = (root: string, ...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();

/** A generated project with three turn versions: a.txt = one, two, three. */
async function threeVersions(): Promise<{ id: string; root: string }> {
  const t1 = await turn('one', 'File: a.txt\n```\none\n```\n');
  await turn('two', 'File: a.txt\n```\ntwo\n```\n', t1.projectId!);
  await turn('three', 'File: a.txt\n```\nthree\n```\n', t1.projectId!);
  return { id: t1.projectId!, root: t1.workspacePath };
}

describe('version ids that look like git options or revisions', () => {
  it('diff, restore and zip refuse them with VERSION_NOT_FOUND and touch nothing outside', async () => {
    const { id, root } = await threeVersions();
    const other = await turn('other project', 'File: secret.txt\n```\nother\n```\n');
    const list = await versions(id);
    const v2 = list[1]!.id;
    const trap = path.join(tempOutside('trap'), 'x');
    const blob = git(root, 'rev-parse', `${v2}:a.txt`);
    const tree = git(root, 'rev-parse', `${v2}^{tree}`);
    const foreign = git(other.workspacePath, 'rev-parse', 'HEAD');
    const hostile = [`--output=${trap}`, '-p', 'HEAD', 'HEAD~1', `${v2}^{tree}`, `${v2}~1`, ':/one', '../', '..', 'main', foreign, blob, tree, v2.slice(0, 8), ''];
    const headBefore = git(root, 'rev-parse', 'HEAD');
    for (const versionId of hostile) {
      await expect(engine.invoke('projects.versionDiff', { projectId: id, versionId }), versionId).rejects.toMatchObject({ code: expect.stringMatching(/VERSION_NOT_FOUND|INVALID_INPUT/) });
      await expect(engine.invoke('projects.restore', { projectId: id, versionId }), versionId).rejects.toMatchObject({ code: expect.stringMatching(/VERSION_NOT_FOUND|INVALID_INPUT/) });
      await expect(engine.invoke('projects.export', { projectId: id, versionId }), versionId).rejects.toMatchObject({ code: expect.stringMatching(/VERSION_NOT_FOUND|INVALID_INPUT/) });
    }
    expect(fs.existsSync(trap)).toBe(false);
    expect(git(root, 'rev-parse', 'HEAD')).toBe(headBefore);
    expect(fs.readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('three\n');
    expect(git(root, 'status', '--porcelain')).toBe('');
  });
});

describe('restores racing each other', () => {
  it('two restores at once: each new version holds exactly the files of the version it names, and the folder matches HEAD', async () => {
    const { id, root } = await threeVersions();
    const [v1, v2] = (await versions(id)).map((v) => v.id);
    const results = await Promise.allSettled([
      engine.invoke('projects.restore', { projectId: id, versionId: v1! }),
      engine.invoke('projects.restore', { projectId: id, versionId: v2! }),
    ]);
    for (const r of results) if (r.status === 'rejected') expect((r.reason as { code: string }).code).toBe('PROJECT_BUSY');
    expect(git(root, 'status', '--porcelain')).toBe('');
    // Every restore commit's tree is its target's tree, and the folder is the newest version.
    const restores = (await versions(id)).filter((v) => v.kind === 'restore');
    expect(restores.length).toBe(results.filter((r) => r.status === 'fulfilled').length);
    for (const v of restores) {
      const targetId = /MACS-Restore-Of: ([0-9a-f]{40})/.exec(git(root, 'log', '-1', '--format=%B', v.id))![1]!;
      expect(git(root, 'rev-parse', `${v.id}^{tree}`)).toBe(git(root, 'rev-parse', `${targetId}^{tree}`));
    }
  });
});

describe('delete and locate next to things a project must not reach', () => {
  it('delete with files of a generated project whose folder holds a symlink to a folder outside: the outside stays', async () => {
    const t1 = await turn('one', 'File: a.txt\n```\none\n```\n');
    const out = tempOutside('precious');
    fs.writeFileSync(path.join(out, 'keep.txt'), 'keep');
    fs.symlinkSync(out, path.join(t1.workspacePath, 'link'));
    fs.symlinkSync(path.join(out, 'keep.txt'), path.join(t1.workspacePath, 'filelink'));
    await engine.invoke('projects.delete', { projectId: t1.projectId!, deleteFiles: true });
    expect(fs.existsSync(t1.workspacePath)).toBe(false);
    expect(fs.readFileSync(path.join(out, 'keep.txt'), 'utf8')).toBe('keep');
  });

  it('delete with files when the generated folder itself was replaced by a symlink to a folder outside: the outside stays', async () => {
    const t1 = await turn('one', 'File: a.txt\n```\none\n```\n');
    const out = tempOutside('swapped');
    fs.writeFileSync(path.join(out, 'keep.txt'), 'keep');
    fs.rmSync(t1.workspacePath, { recursive: true });
    fs.symlinkSync(out, t1.workspacePath);
    await engine.invoke('projects.delete', { projectId: t1.projectId!, deleteFiles: true }).catch(() => undefined);
    expect(fs.readFileSync(path.join(out, 'keep.txt'), 'utf8')).toBe('keep');
  });

  it('locate refuses the data dir, a generated project, another project, a file, a symlink loop, a system folder', async () => {
    const folder = tempOutside('opened');
    const { project } = (await engine.invoke('projects.create', { folder })) as MethodResult<'projects.create'>;
    const otherFolder = tempOutside('opened2');
    await engine.invoke('projects.create', { folder: otherFolder });
    const gen = await turn('one', 'File: a.txt\n```\none\n```\n');
    const file = path.join(tempOutside('file'), 'f.txt');
    fs.writeFileSync(file, 'x');
    const loopDir = tempOutside('loop');
    fs.symlinkSync(path.join(loopDir, 'b'), path.join(loopDir, 'a'));
    fs.symlinkSync(path.join(loopDir, 'a'), path.join(loopDir, 'b'));
    const bad = [dataDir, path.join(dataDir, 'projects'), gen.workspacePath, otherFolder, file, path.join(loopDir, 'a'), '/', '/etc', os.homedir(), 'relative/path', ''];
    for (const p of bad) {
      const err = await engine.invoke('projects.locate', { projectId: project.id, path: p }).then(
        () => null,
        (e: { code: string; message: string }) => e,
      );
      expect(err, p).not.toBeNull();
      expect(err!.code, p).not.toBe('INTERNAL');
    }
    const now = ((await engine.invoke('projects.get', { projectId: project.id })) as MethodResult<'projects.get'>).project;
    expect(now.root).toBe(fs.realpathSync(folder));
  });

  it('forget an opened folder, then open it again: the folder and its files are as they were, a fresh project', async () => {
    const folder = tempOutside('reopen');
    fs.writeFileSync(path.join(folder, 'mine.txt'), 'mine');
    const first = ((await engine.invoke('projects.create', { folder })) as MethodResult<'projects.create'>).project;
    await expect(engine.invoke('projects.delete', { projectId: first.id, deleteFiles: true })).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
    await engine.invoke('projects.delete', { projectId: first.id });
    expect(fs.readFileSync(path.join(folder, 'mine.txt'), 'utf8')).toBe('mine');
    const again = ((await engine.invoke('projects.create', { folder })) as MethodResult<'projects.create'>).project;
    expect(again.root).toBe(first.root);
    expect((await versions(again.id)).length).toBeGreaterThanOrEqual(0);
  });
});

describe('the folder between turns: whatever the user left there, the next turn starts', () => {
  it('a FIFO, a 200 MB file, a binary, a deleted folder and a dangling symlink: the next turn runs and versions still list', async () => {
    const t1 = await turn('one', 'File: src/a.txt\n```\none\n```\n\nFile: docs/d.txt\n```\nd\n```\n');
    const root = t1.workspacePath;
    execFileSync('mkfifo', [path.join(root, 'pipe')]);
    const big = fs.openSync(path.join(root, 'big.bin'), 'w');
    fs.ftruncateSync(big, 200 * 1024 * 1024);
    fs.closeSync(big);
    fs.writeFileSync(path.join(root, 'img.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 0, 0xff]));
    fs.rmSync(path.join(root, 'docs'), { recursive: true });
    fs.symlinkSync('/nonexistent/target', path.join(root, 'dangling'));
    const t2 = await turn('two', 'File: src/b.txt\n```\nb\n```\n', t1.projectId!);
    expect(t2.status, t2.error?.message).toBe('succeeded');
    expect(fs.readFileSync(path.join(root, 'src/b.txt'), 'utf8')).toBe('b\n');
    const list = await versions(t1.projectId!);
    expect(list.map((v) => v.kind).slice(-2)).toEqual(['hand-edit', 'turn']);
    expect(git(root, 'ls-tree', '-r', '--name-only', 'HEAD').split('\n')).toEqual(expect.arrayContaining(['img.png', 'src/b.txt', 'dangling']));
  }, 60_000);

  it('a hook and a hooksPath the user put in .git are never run by MACS\'s own commits and restores', async () => {
    const t1 = await turn('one', 'File: a.txt\n```\none\n```\n');
    const root = t1.workspacePath;
    const proof = path.join(tempOutside('hook'), 'ran');
    const hook = `#!/bin/sh\necho ran >> ${proof}\nexit 1\n`;
    for (const name of ['pre-commit', 'post-commit', 'reference-transaction', 'post-checkout', 'post-index-change']) {
      fs.writeFileSync(path.join(root, '.git/hooks', name), hook, { mode: 0o755 });
    }
    fs.appendFileSync(path.join(root, '.git/config'), `[core]\n\thooksPath = ${path.join(root, '.git/hooks')}\n\tfsmonitor = ${path.join(root, '.git/hooks/post-commit')}\n[commit]\n\tgpgSign = true\n`);
    fs.writeFileSync(path.join(root, 'hand.txt'), 'by hand');
    const t2 = await turn('two', 'File: a.txt\n```\ntwo\n```\n', t1.projectId!);
    expect(t2.status, t2.error?.message).toBe('succeeded');
    const list = await versions(t1.projectId!);
    await engine.invoke('projects.restore', { projectId: t1.projectId!, versionId: list[0]!.id });
    expect(fs.readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('one\n');
    expect(fs.existsSync(proof)).toBe(false);
    expect((await versions(t1.projectId!)).map((v) => v.kind)).toEqual(['turn', 'hand-edit', 'turn', 'restore']);
  });

  it('a model answer writing .git/config, .git/hooks/post-commit or a nested sub/.git is refused; the repository is untouched', async () => {
    const t1 = await turn('one', 'File: a.txt\n```\none\n```\n');
    const root = t1.workspacePath;
    const configBefore = fs.readFileSync(path.join(root, '.git/config'), 'utf8');
    const hostile = ['.git/config', '.git/hooks/post-commit', 'sub/.git/config', '.GIT/hooks/pre-commit', 'x/../.git/HEAD'];
    const text = hostile.map((p) => `File: ${p}\n\`\`\`\n[core]\n\thooksPath = /tmp\n\`\`\`\n`).join('\n') + '\nFile: ok.txt\n```\nok\n```\n';
    await turn('two', text, t1.projectId!);
    expect(fs.readFileSync(path.join(root, '.git/config'), 'utf8')).toBe(configBefore);
    expect(fs.existsSync(path.join(root, '.git/hooks/post-commit'))).toBe(false);
    expect(fs.existsSync(path.join(root, 'sub'))).toBe(false);
    expect(git(root, 'fsck', '--no-dangling')).toBe('');
  });
});

describe('names and queries from a hostile client', () => {
  // ESC sequences (a terminal's title, clear screen), bidi overrides, a zero-width space, tabs and newlines.
  const HOSTILE_NAME = '\x1b]0;pwned\x07\x1b[2J\u202eevil\u200b\tname\r\x7f\x9b';

  it('a project name is one line of visible text: controls and bidi overrides go, from a prompt or a rename', async () => {
    const t1 = await turn(`${HOSTILE_NAME}\nsecond line`, 'File: a.txt\n```\none\n```\n');
    const invisible = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
    const made = ((await engine.invoke('projects.get', { projectId: t1.projectId! })) as MethodResult<'projects.get'>).project;
    expect(made.name).not.toMatch(invisible);
    expect(made.name).toBe(']0;pwned[2Jevil name');
    const renamed = ((await engine.invoke('projects.update', { projectId: t1.projectId!, name: `ok ${HOSTILE_NAME}` })) as MethodResult<'projects.update'>).project;
    expect(renamed.name).not.toMatch(invisible);
    expect(renamed.name).toBe('ok ]0;pwned[2Jevil name');
    await expect(engine.invoke('projects.update', { projectId: t1.projectId!, name: '\u202e\x1b\u200b' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const created = ((await engine.invoke('projects.create', { name: `new${HOSTILE_NAME}` })) as MethodResult<'projects.create'>).project;
    expect(created.name).not.toMatch(invisible);
  });

  it('projects.list: a query is plain text (regex-looking text matches literally), and the limit counts matches', async () => {
    const alpha = ((await engine.invoke('projects.create', { name: 'alpha (.*) [a-z]+' })) as MethodResult<'projects.create'>).project;
    for (const name of ['beta', 'gamma', 'delta']) await engine.invoke('projects.create', { name });
    const list = async (query: string, limit?: number) => ((await engine.invoke('projects.list', { query, limit })) as MethodResult<'projects.list'>).projects.map((p) => p.id);
    expect(await list('(.*)')).toEqual([alpha.id]);
    expect(await list('.*')).toEqual([alpha.id]);
    expect(await list('[a-z]+')).toEqual([alpha.id]);
    // The oldest project is still found when newer ones fill the limit.
    expect(await list('alpha', 1)).toEqual([alpha.id]);
  });
});

describe('REST: a hostile script', () => {
  it('POST /v1/tasks with the project_id of a deleted project is a 404 naming it; with repo.path too is a 400; a zip at a git-option version is a 404', async () => {
    const s = await startServedEngine('projects-hostile-rest');
    try {
      const base = `http://127.0.0.1:${s.server.port}`;
      const key = s.engine.apiKey().apiKey;
      const api = async (method: string, url: string, body?: unknown) => {
        const res = await fetch(`${base}${url}`, { method, headers: { 'content-type': 'application/json', 'x-api-key': key }, body: body === undefined ? undefined : JSON.stringify(body) });
        const text = await res.text();
        return { status: res.status, body: text ? JSON.parse(text) : null, text };
      };
      const id = ((await s.engine.invoke('projects.create', { name: 'victim' })) as MethodResult<'projects.create'>).project.id;
      expect((await api('DELETE', `/v1/projects/${id}`)).status).toBe(200);
      const spec = { prompt: 'hello', project_id: id };
      const gone = await api('POST', '/v1/tasks', spec);
      expect(gone.status, gone.text).toBe(404);
      expect(gone.text).toContain(id);
      const folder = tempOutside('repo');
      const both = await api('POST', '/v1/tasks', { type: 'CODE', input: { goal: 'hello', repo: { path: folder } }, project_id: id });
      expect(both.status).toBe(400);

      const liveId = ((await s.engine.invoke('projects.create', { name: 'live' })) as MethodResult<'projects.create'>).project.id;
      const trap = path.join(tempOutside('zip-trap'), 'x');
      for (const version of [`--output=${trap}`, '-p', 'HEAD', 'HEAD~1', '../../etc/passwd']) {
        const zip = await api('GET', `/v1/projects/${liveId}/zip?version=${encodeURIComponent(version)}`);
        // A shape no version has is a 400; an id-shaped word (HEAD, -p) no version has is a 404.
        expect(`${zip.status} ${zip.body.error.code}`, version).toMatch(/^(400 INVALID_INPUT|404 VERSION_NOT_FOUND)$/);
        const diff = await api('GET', `/v1/projects/${liveId}/versions/${encodeURIComponent(version)}/diff`);
        expect(`${diff.status} ${diff.body.error.code}`, version).toMatch(/^(400 INVALID_INPUT|404 VERSION_NOT_FOUND)$/);
      }
      expect(fs.existsSync(trap)).toBe(false);
      const long = await api('POST', '/v1/projects', { name: 'x'.repeat(100_000), prompt: 'hello' });
      expect(long.status).toBe(400);
    } finally {
      await s.close();
    }
  });
});

describe('deletes racing turns, and the user\'s own repository', () => {
  it('a delete and a new turn sent at the same moment: either the turn is refused or the delete is; no folder comes back, nothing crashes', async () => {
    const t1 = await turn('one', 'File: a.txt\n```\none\n```\n');
    const id = t1.projectId!;
    standin.setDefaultChat({ text: 'File: b.txt\n```\nb\n```\n' });
    const [deleted, created] = await Promise.allSettled([
      engine.invoke('projects.delete', { projectId: id, deleteFiles: true }),
      engine.invoke('tasks.create', { prompt: 'two', model: MODEL, projectId: id }),
    ]);
    // One or the other, never both: a turn queued into a project that is then deleted vanished under the caller's 201.
    if (deleted.status === 'fulfilled') {
      expect(created.status).toBe('rejected');
      expect((created as PromiseRejectedResult).reason).toMatchObject({ code: 'PROJECT_NOT_FOUND', message: expect.stringContaining(id) });
      await new Promise((r) => setTimeout(r, 500));
      expect(fs.existsSync(t1.workspacePath)).toBe(false);
    } else {
      expect((deleted.reason as { code: string }).code).toBe('PROJECT_BUSY');
      expect(created.status).toBe('fulfilled');
      expect(fs.existsSync(t1.workspacePath)).toBe(true);
    }
    // The other order too: the turn first, then the delete in the same tick.
    const t2 = await turn('again', 'File: a.txt\n```\none\n```\n');
    const [created2, deleted2] = await Promise.allSettled([
      engine.invoke('tasks.create', { prompt: 'two', model: MODEL, projectId: t2.projectId! }),
      engine.invoke('projects.delete', { projectId: t2.projectId!, deleteFiles: true }),
    ]);
    expect([created2.status, deleted2.status].sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('an opened git repository: a turn and its undo never move the user\'s branch, index or stash, and run none of their hooks', async () => {
    const folder = tempOutside('userrepo');
    const g = (...args: string[]) => execFileSync('git', ['-c', 'user.name=u', '-c', 'user.email=u@x', ...args], { cwd: folder, encoding: 'utf8' }).trim();
    g('init', '-q');
    fs.writeFileSync(path.join(folder, 'tracked.txt'), 'v1\n');
    g('add', '.');
    g('commit', '-qm', 'first');
    fs.writeFileSync(path.join(folder, 'tracked.txt'), 'stashed\n');
    g('stash', '-q');
    fs.writeFileSync(path.join(folder, 'tracked.txt'), 'staged\n');
    g('add', 'tracked.txt');
    fs.writeFileSync(path.join(folder, 'tracked.txt'), 'worktree\n');
    const proof = path.join(tempOutside('userhook'), 'ran');
    for (const name of ['pre-commit', 'post-commit', 'reference-transaction', 'post-checkout', 'post-index-change']) {
      fs.writeFileSync(path.join(folder, '.git/hooks', name), `#!/bin/sh\necho ${name} >> ${proof}\n`, { mode: 0o755 });
    }
    const before = { head: g('rev-parse', 'HEAD'), branch: g('symbolic-ref', 'HEAD'), cached: g('diff', '--cached'), stash: g('stash', 'list', '--format=%H'), refs: g('for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads', 'refs/tags', 'refs/stash') };
    const { project } = (await engine.invoke('projects.create', { folder })) as MethodResult<'projects.create'>;
    const t = await turn('add new.txt', 'File: new.txt\n```\nnew\n```\n\nFile: tracked.txt\n```\nby model\n```\n', project.id);
    expect(t.status, t.error?.message).toBe('succeeded');
    expect(fs.readFileSync(path.join(folder, 'new.txt'), 'utf8')).toBe('new\n');
    await engine.invoke('projects.undoTurn', { projectId: project.id });
    expect(fs.existsSync(path.join(folder, 'new.txt'))).toBe(false);
    expect(fs.readFileSync(path.join(folder, 'tracked.txt'), 'utf8')).toBe('worktree\n');
    const after = { head: g('rev-parse', 'HEAD'), branch: g('symbolic-ref', 'HEAD'), cached: g('diff', '--cached'), stash: g('stash', 'list', '--format=%H'), refs: g('for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads', 'refs/tags', 'refs/stash') };
    expect(after).toEqual(before);
    expect(fs.existsSync(proof) ? fs.readFileSync(proof, 'utf8') : '').toBe('');
  });

  it('tasks.create with a workspace that is a generated project\'s folder, the data dir or / is refused with a sentence', async () => {
    const t1 = await turn('one', 'File: a.txt\n```\none\n```\n');
    // The folder of a generated project names that project: the turn joins it, as with projectId.
    const joined = ((await engine.invoke('tasks.create', { prompt: 'x', model: MODEL, workspace: t1.workspacePath })) as MethodResult<'tasks.create'>).task;
    expect(joined.projectId).toBe(t1.projectId);
    await engine.waitForTask(joined.id, 20_000);
    for (const workspace of [dataDir, '/', '/etc', path.join(t1.workspacePath, '..')]) {
      const err = await engine.invoke('tasks.create', { prompt: 'x', model: MODEL, workspace }).then(
        () => null,
        (e: { code: string; message: string }) => e,
      );
      expect(err, workspace).not.toBeNull();
      expect(err!.code, workspace).not.toBe('INTERNAL');
    }
  });
});

describe('what a kill -9 leaves in the repository', () => {
  it('stale git locks (index.lock, the branch\'s lock) from a killed engine do not fail every later turn, restore or undo', async () => {
    const t1 = await turn('one', 'File: a.txt\n```\none\n```\n');
    const root = t1.workspacePath;
    // The engine is killed while git holds its locks; a new engine opens the same data dir.
    await engine.close();
    fs.writeFileSync(path.join(root, '.git/index.lock'), '');
    fs.writeFileSync(path.join(root, '.git/refs/heads/main.lock'), '');
    await new Promise((r) => setTimeout(r, 20));
    engine = createEngine({ dataDir, host: 'browser', version: 'test', ollamaHost: standin.url, queue: { pollMs: 50, retryBaseMs: 40 } });
    fs.writeFileSync(path.join(root, 'hand.txt'), 'by hand');
    const t2 = await turn('two', 'File: a.txt\n```\ntwo\n```\n', t1.projectId!);
    expect(t2.status, t2.error?.message).toBe('succeeded');
    const list = await versions(t1.projectId!);
    expect(list.map((v) => v.kind)).toEqual(['turn', 'hand-edit', 'turn']);
    await engine.invoke('projects.undoTurn', { projectId: t1.projectId! });
    expect(fs.readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('one\n');
    expect(git(root, 'status', '--porcelain')).toBe('');
  });

  it('a lock made while the engine runs (the user\'s own git at work) is left alone', async () => {
    const t1 = await turn('one', 'File: a.txt\n```\none\n```\n');
    const lock = path.join(t1.workspacePath, '.git/index.lock');
    fs.writeFileSync(lock, '');
    await engine.invoke('projects.versions', { projectId: t1.projectId! });
    await turn('two', 'File: a.txt\n```\ntwo\n```\n', t1.projectId!);
    expect(fs.existsSync(lock)).toBe(true);
  });
});

describe('a folder the user changed under MACS', () => {
  it('a nested git repository dropped into a generated project: turns, versions, undo and the zip at a version still work, and its files stay', async () => {
    const t1 = await turn('one', 'File: a.txt\n```\none\n```\n');
    const root = t1.workspacePath;
    const sub = path.join(root, 'vendor/lib');
    fs.mkdirSync(sub, { recursive: true });
    execFileSync('git', ['init', '-q', sub]);
    fs.writeFileSync(path.join(sub, 'lib.txt'), 'lib');
    execFileSync('git', ['-c', 'user.name=u', '-c', 'user.email=u@x', 'commit', '-qm', 'lib', '--allow-empty'], { cwd: sub });
    const t2 = await turn('two', 'File: a.txt\n```\ntwo\n```\n', t1.projectId!);
    expect(t2.status, t2.error?.message).toBe('succeeded');
    const list = await versions(t1.projectId!);
    await engine.invoke('projects.export', { projectId: t1.projectId!, versionId: list[list.length - 1]!.id });
    await engine.invoke('projects.undoTurn', { projectId: t1.projectId! });
    expect(fs.readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('one\n');
    expect(fs.readFileSync(path.join(sub, 'lib.txt'), 'utf8')).toBe('lib');
  });

  it('a generated project whose folder was deleted by hand: a turn is refused with a sentence that does not offer Locate (it cannot move)', async () => {
    const t1 = await turn('one', 'File: a.txt\n```\none\n```\n');
    fs.rmSync(t1.workspacePath, { recursive: true });
    const err = (await engine.invoke('tasks.create', { prompt: 'x', model: MODEL, projectId: t1.projectId! }).catch((e: unknown) => e)) as { code: string; message: string };
    expect(err.code).toBe('FOLDER_MISSING');
    await expect(engine.invoke('projects.locate', { projectId: t1.projectId!, path: tempOutside('elsewhere') })).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
    expect(err.message).not.toMatch(/Locate/i);
    expect(err.message).toMatch(/delete/i);
    // Deleting it still works (nothing to remove on disk).
    expect(await engine.invoke('projects.delete', { projectId: t1.projectId!, deleteFiles: true })).toMatchObject({ deleted: true });
  });
});

describe('macs project export against a server that names the file', () => {
  it('a Content-Disposition file name with ../ or an absolute path is used as a name only: the zip lands where asked', async () => {
    const { ApiClient } = await import('../../electron/cli/api-client.js');
    const http = await import('node:http');
    const dir = tempOutside('cli-out');
    const cwd = path.join(dir, 'cwd');
    fs.mkdirSync(cwd);
    for (const hostile of ['../escape.zip', '/tmp/../' + path.basename(dir) + '/abs.zip', '..\\\\win.zip', '..']) {
      const server = http.createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/zip', 'content-disposition': `attachment; filename="${hostile}"` });
        res.end('PK');
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const port = (server.address() as { port: number }).port;
      try {
        const client = new ApiClient(`http://127.0.0.1:${port}`, null);
        const saved = await client.download('/v1/projects/p-x/zip', (serverName) => path.resolve(cwd, serverName));
        expect(path.dirname(saved.file), hostile).toBe(cwd);
      } finally {
        await new Promise((r) => server.close(r));
      }
    }
    expect(fs.readdirSync(dir).sort()).toEqual(['cwd']);
  });
});

describe('a crafted commit on a generated project\'s branch (pulled from a hostile remote)', () => {
  it('the zip at that version is refused with a sentence: nothing is written outside the staging folder, no .git in the zip', async () => {
    const t1 = await turn('one', 'File: a.txt\n```\none\n```\n');
    const root = t1.workspacePath;
    const g = (input: string, ...args: string[]) => execFileSync('git', args, { cwd: root, input, encoding: 'utf8' }).trim();
    const marker = `escaped-${path.basename(dataDir)}.txt`;
    const blob = g('evil\n', 'hash-object', '-w', '--stdin');
    const inner = g(`100644 blob ${blob}\t${marker}\n`, 'mktree');
    const deep = g(`040000 tree ${inner}\t..\n`, 'mktree');
    const deeper = g(`040000 tree ${deep}\t..\n`, 'mktree');
    const top = g(`040000 tree ${deeper}\t..\n040000 tree ${inner}\t.git\n100644 blob ${blob}\tok.txt\n`, 'mktree');
    const commit = g('pulled\n', '-c', 'user.name=u', '-c', 'user.email=u@x', 'commit-tree', top, '-p', 'HEAD');
    g('', 'update-ref', 'refs/heads/main', commit);
    const list = await versions(t1.projectId!);
    const crafted = list.find((v) => v.id === commit)!;
    expect(crafted).toBeDefined();
    const err = await engine.invoke('projects.export', { projectId: t1.projectId!, versionId: commit }).then(
      () => null,
      (e: { code: string; message: string }) => e,
    );
    for (let dir = dataDir, i = 0; i < 5; i++, dir = path.dirname(dir)) expect(fs.existsSync(path.join(dir, marker)), dir).toBe(false);
    expect(err).toMatchObject({ code: 'PATH_OUTSIDE_WORKSPACE' });
    expect(err!.message).toMatch(/\.\.\/|\.git/);
    // The version before it still exports.
    await engine.invoke('projects.export', { projectId: t1.projectId!, versionId: list[0]!.id });
    // Restoring it is refused too (git will not check such paths out), with nothing half-restored.
    await engine.invoke('projects.restore', { projectId: t1.projectId!, versionId: list[0]!.id });
    const restoreErr = await engine.invoke('projects.restore', { projectId: t1.projectId!, versionId: commit }).then(() => null, (e: { code: string }) => e);
    expect(restoreErr).not.toBeNull();
    expect(fs.existsSync(path.join(root, '.git', marker))).toBe(false);
    for (let dir = root, i = 0; i < 6; i++, dir = path.dirname(dir)) expect(fs.existsSync(path.join(dir, marker)), dir).toBe(false);
    expect(fs.readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('one\n');
    expect(git(root, 'status', '--porcelain')).toBe('');
  });
});

describe('a model-written .gitignore', () => {
  it('one that ignores everything does not switch versions off: the turn that wrote it and later turns are versions, and undo undoes the last turn', async () => {
    const t1 = await turn('one', 'File: a.txt\n```\none\n```\n');
    const id = t1.projectId!;
    const root = t1.workspacePath;
    await turn('two', 'File: .gitignore\n```\n*\n```\n\nFile: c.txt\n```\nc\n```\n', id);
    await turn('three', 'File: d.txt\n```\nd\n```\n\nFile: a.txt\n```\nthree\n```\n', id);
    expect((await versions(id)).map((v) => [v.kind, v.message])).toEqual([
      ['turn', 'one'],
      ['turn', 'two'],
      ['turn', 'three'],
    ]);
    // A file the turn did not write (a build output) still follows the .gitignore.
    fs.writeFileSync(path.join(root, 'out.log'), 'log');
    await engine.invoke('projects.undoTurn', { projectId: id });
    expect(fs.readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('one\n');
    expect(fs.existsSync(path.join(root, 'd.txt'))).toBe(false);
    expect(fs.readFileSync(path.join(root, 'c.txt'), 'utf8')).toBe('c\n');
    expect(fs.readFileSync(path.join(root, 'out.log'), 'utf8')).toBe('log');
    expect(git(root, 'ls-tree', '-r', '--name-only', 'HEAD').split('\n').sort()).toEqual(['.gitignore', 'a.txt', 'c.txt']);
  });
});

describe('a confused user names an opened folder another way', () => {
  it('tasks.create {workspace} with a trailing slash, a ./.. detour or a symlink to the folder joins the folder\'s project', async () => {
    const folder = fs.realpathSync(tempOutside('spelled'));
    const { project } = (await engine.invoke('projects.create', { folder })) as MethodResult<'projects.create'>;
    const link = path.join(tempOutside('links'), 'app');
    fs.symlinkSync(folder, link);
    for (const workspace of [`${folder}/`, `${folder}/./sub/..`, link]) {
      fs.mkdirSync(path.join(folder, 'sub'), { recursive: true });
      const created = await engine.invoke('tasks.create', { prompt: 'x', model: MODEL, workspace }).then(
        (r) => (r as MethodResult<'tasks.create'>).task,
        (e: { code: string; message: string }) => e,
      );
      expect(created, workspace).toMatchObject({ projectId: project.id, workspacePath: folder });
      await engine.waitForTask((created as Task).id, 20_000);
    }
  });
});

describe('macs project output in a terminal', () => {
  it('a turn title, a version message, a file path and a folder with ESC sequences or bidi overrides print as escapes, never raw', async () => {
    const { projectDetailLines } = await import('../../electron/cli/project-output.js');
    const evil = 'x\x1b]0;pwned\x07\x1b[2J\u202eabc\x9b';
    const detail = {
      project: { project_id: 'p-1', name: `n${evil}`, kind: 'generated', state: 'READY', root: `/tmp/${evil}`, language: null, pinned: false, paused: false, turn_count: 1, created_at: new Date().toISOString(), updated_at: new Date().toISOString(), folder_missing: false },
      turns: [{ task_id: 't-1', status: 'succeeded', kind: 'chat', title: evil, durations_ms: { total: 5 } }],
      versions: [{ number: 1, current: true, undone: false, kind: 'turn', files_changed: 1, created_at: new Date().toISOString(), message: evil }],
      versions_backend: 'git',
      versions_notice: null,
      files: [{ path: `src/${evil}.py`, size: 3 }],
      files_truncated: false,
    };
    const out = projectDetailLines(detail as never).join('\n');
    // Newlines between lines only: no other control, no bidi override.
    expect(out).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
    expect(out).toContain('\\x1b]0;pwned');
    expect(out).toContain('\\u202e');
  });
});

describe('a folder that holds MACS\'s data folder', () => {
  it('cannot be opened or located to: a turn there could write over the database, the key or other projects', async () => {
    const parent = tempOutside('holder');
    await engine.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    dataDir = path.join(parent, 'data');
    engine = createEngine({ dataDir, host: 'browser', version: 'test', ollamaHost: standin.url, queue: { pollMs: 50, retryBaseMs: 40 } });
    await expect(engine.invoke('projects.create', { folder: parent })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining(dataDir), details: { refusal: 'SYSTEM_FOLDER' } });
    const elsewhere = tempOutside('fine');
    const { project } = (await engine.invoke('projects.create', { folder: elsewhere })) as MethodResult<'projects.create'>;
    await expect(engine.invoke('projects.locate', { projectId: project.id, path: parent })).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { refusal: 'SYSTEM_FOLDER' } });
    await expect(engine.invoke('tasks.create', { prompt: 'x', model: MODEL, workspace: parent })).rejects.toMatchObject({ code: expect.any(String) });
  });
});
