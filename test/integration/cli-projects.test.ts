// `macs project …` and `macs run --project` as a script runs them: the built CLI spawned
// against a real `macs serve` (the Ollama stand-in behind it), and on a data dir with no server.
import JSZip from 'jszip';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MacsServeHarness, ROOT, type CliOptions, type CliRun } from './cli-harness.js';
import { tempDataDir } from './helpers.js';

const V1 = 'print("version one")\n';
const V2 = 'print("version two")\n';
const answer = (file: string, text: string) => ({ text: `Here.\nFile: ${file}\n\`\`\`python\n${text}\`\`\`\n` });

const h = new MacsServeHarness();
const cli = (args: string[], opts?: CliOptions) => h.cli(args, opts);
const dirs: string[] = [];

beforeAll(async () => {
  await h.start('cli-projects', answer('main.py', V1));
});
afterAll(async () => {
  await h.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function show(id: string) {
  const r = await cli(['project', 'show', id, '--json']);
  expect(r.code).toBe(0);
  return JSON.parse(r.out);
}

describe('macs project against `macs serve`', () => {
  it('new → add → show → restore → export at a version holds the restored bytes; rename, pin, pause, undo, delete', async () => {
    h.standin.enqueueChat(answer('main.py', V1));
    const made = await cli(['project', 'new', 'a hello script', '--name', 'hello', '--wait']);
    expect(made.err).toMatch(/succeeded: 1 file/);
    expect(made.code).toBe(0);
    const id = made.out.split('\n')[0];
    expect(id).toMatch(/^\S+$/);

    h.standin.enqueueChat(answer('main.py', V2));
    const added = await cli(['project', 'add', id, 'now print version two', '--wait']);
    expect(added.code).toBe(0);
    expect(added.err).toMatch(/^context: 1 file\(s\), 1 earlier turn\(s\) · ~\d+ of \d+ tokens$/m);
    expect(added.err).toMatch(/^context: the model counted \d+ prompt tokens \(estimated \d+\)$/m);
    expect(added.err).toMatch(/^✓ version v2 \(1 file\(s\) changed\)$/m);

    const human = await cli(['project', 'show', id]);
    expect(human.code).toBe(0);
    expect(human.out).toMatch(/^name\s+hello$/m);
    expect(human.out).toMatch(/^── versions \(git\) ──$/m);
    expect(human.out).toMatch(/^v2\s+current\s+turn\s+1\s+.*now print version two$/m);
    expect(human.out).toMatch(/^main\.py\s+21 B$/m);
    expect(human.out).toMatch(/^2\s+\S+\s+succeeded\s+chat\s+.*now print version two$/m);

    const restored = await cli(['project', 'restore', id, '1']);
    expect(restored.out).toBe('restored v1: the files are now version v3 (1 file(s) changed).\n');
    expect(restored.code).toBe(0);
    const root = (await show(id)).project.root;
    expect(fs.readFileSync(path.join(root, 'main.py'), 'utf8')).toBe(V1);

    const zipFile = path.join(h.dataDir, 'at-v3.zip');
    const exported = await cli(['project', 'export', id, '--version', '3', '-o', zipFile]);
    expect(exported.code).toBe(0);
    expect(exported.out.trim()).toBe(zipFile);
    const zip = await JSZip.loadAsync(fs.readFileSync(zipFile));
    expect(await zip.file(/main\.py$/)[0].async('string')).toBe(V1);
    const v2File = path.join(h.dataDir, 'at-v2.zip');
    expect((await cli(['project', 'export', id, '--version', 'v2', '-o', v2File])).code).toBe(0);
    expect(await (await JSZip.loadAsync(fs.readFileSync(v2File))).file(/main\.py$/)[0].async('string')).toBe(V2);

    expect((await cli(['project', 'rename', id, 'hello', 'world'])).out).toBe(`project ${id} is now "hello world".\n`);
    expect((await cli(['project', 'pin', id])).code).toBe(0);
    const listed = await cli(['project', 'list', 'WORLD']);
    expect(listed.out).toMatch(new RegExp(`^${id}\\s+READY\\s+generated\\s+2\\s+Python\\s+.*hello world {2}\\(pinned\\)$`, 'm'));
    expect((await cli(['project', 'pause', id])).out).toContain('paused: queued turns wait');
    expect(JSON.parse((await cli(['project', 'resume', id, '--json'])).out).project.paused).toBe(false);
    expect((await cli(['project', 'undo', id])).code).toBe(0);

    const deleted = await cli(['project', 'delete', id, '--delete-files']);
    expect(deleted.out).toBe(`deleted project ${id}; its files were deleted too.\n`);
    expect(fs.existsSync(root)).toBe(false);
    const gone = await cli(['project', 'add', id, 'more']);
    expect(gone.code).toBe(3);
    expect(gone.err).toBe(`error: There is no project ${id}: it was deleted, or it was never made here. [PROJECT_NOT_FOUND]\n`);
  });

  it('a folder opened as a project; `macs run --project` adds a turn to it', async () => {
    const folder = tempDataDir('cli-folder');
    dirs.push(folder);
    fs.writeFileSync(path.join(folder, 'app.py'), 'print("mine")\n');
    const opened = await cli(['project', 'new', '--folder', folder, '--json']);
    expect(opened.code).toBe(0);
    const project = JSON.parse(opened.out).project;
    expect(project).toMatchObject({ kind: 'folder', turn_count: 0 });

    h.standin.enqueueChat(answer('app.py', 'print("theirs")\n'));
    const run = await cli(['run', '--project', project.project_id, 'change the greeting']);
    expect(run.err).toMatch(/succeeded: 1 file/);
    expect(run.code).toBe(0);
    expect(fs.readFileSync(path.join(folder, 'app.py'), 'utf8')).toBe('print("theirs")\n');
    expect((await show(project.project_id)).project.turn_count).toBe(1);
    // It moved: locate points the project at the new place.
    fs.renameSync(folder, `${folder}-moved`);
    dirs.push(`${folder}-moved`);
    expect((await show(project.project_id)).project.folder_missing).toBe(true);
    const located = await cli(['project', 'locate', project.project_id, `${folder}-moved`]);
    expect(located.out).toBe(`project ${project.project_id} is at ${fs.realpathSync(`${folder}-moved`)} now.\n`);
    // An opened folder is forgotten, never deleted.
    expect((await cli(['project', 'delete', project.project_id])).out).toContain('its files were kept');
    expect(fs.existsSync(path.join(`${folder}-moved`, 'app.py'))).toBe(true);
  });

  it('refusals are one line with a non-zero exit: busy (1), usage (2), unknown (3), wrong key (5)', async () => {
    h.standin.enqueueChat(answer('b.py', 'b = 1\n'));
    const made = await cli(['project', 'new', 'make b', '--wait']);
    const id = made.out.split('\n')[0];
    h.standin.enqueueChat({ ...answer('b.py', 'b = 2\n'), hangAfterTokens: 3 });
    const asked = h.standin.requests.length;
    const queued = await cli(['project', 'add', id, 'b is 2', '--json']);
    const taskId = JSON.parse(queued.out).task_id;
    for (let i = 0; i < 200 && !h.standin.requests.slice(asked).some((r) => r.path === '/api/chat'); i++) await new Promise((r) => setTimeout(r, 25));
    const busy = await cli(['project', 'restore', id, '1']);
    expect(busy.code).toBe(1);
    expect(busy.err).toMatch(/^error: .* running or waiting; .* \[PROJECT_BUSY\]\n$/);
    expect((await cli(['cancel', taskId])).code).toBe(0);

    const usage = await cli(['project', 'restore', id]);
    expect(usage.code).toBe(2);
    expect(usage.err).toBe('macs project restore needs ID and VERSION; see: macs project restore --help\n');
    expect((await cli(['project', 'frobnicate'])).code).toBe(2);
    expect((await cli(['project', 'list', '--delete-files'])).err).toBe('--delete-files does not apply to macs project list; see: macs project list --help\n');
    expect((await cli(['project', 'show', 'nope'])).code).toBe(3);
    expect((await cli(['project', 'list', '--api-key', 'wrong-key'])).code).toBe(5);
    const help = await cli(['project', 'add', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: macs project add ID "prompt" \[--build\]/);
  });
});

/** `macs` with no server named (no MACS_URL) and none on MACS_PORT, on its own data dir. */
function cliWithoutServer(args: string[], dataDir: string): Promise<CliRun> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/macs.js'), ...args], { cwd: ROOT, env: h.baseEnv({ MACS_DATA_DIR: dataDir, MACS_PORT: '1' }), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}

describe('macs project with no server: the data dir itself', () => {
  it('new follows its first turn to the end in the process; list and show read the same data dir', async () => {
    const dataDir = tempDataDir('cli-projects-local');
    dirs.push(dataDir);
    h.standin.enqueueChat(answer('main.py', V1));
    const made = await cliWithoutServer(['project', 'new', 'a local hello', '--name', 'local'], dataDir);
    expect(made.err).toMatch(/succeeded: 1 file/);
    expect(made.code).toBe(0);
    const id = made.out.split('\n')[0];
    const listed = await cliWithoutServer(['project', 'list', '--local', '--json'], dataDir);
    expect(JSON.parse(listed.out).projects.map((p: { project_id: string }) => p.project_id)).toEqual([id]);
    const detail = JSON.parse((await cliWithoutServer(['project', 'show', id, '--json'], dataDir)).out);
    expect(detail.files).toEqual([{ path: 'main.py', size: V1.length }]);
    expect(fs.readFileSync(path.join(detail.project.root, 'main.py'), 'utf8')).toBe(V1);
  });
});
