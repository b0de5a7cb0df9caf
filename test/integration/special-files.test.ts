// A FIFO, socket or device planted in a workspace: reading it must be refused at once
// (NOT_A_REGULAR_FILE), never block a libuv worker thread. Before: five reads of a FIFO
// held all four threads and every later file read of the server waited forever.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodResult } from '../../shared/index.js';
import type { Engine } from '../../electron/core/engine/index.js';
import { startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { openEngine, tempDataDir } from './helpers.js';

const unix = os.platform() !== 'win32';

/** Rejects if `p` has not settled within `ms` (the symptom is a hang, not an error). */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms))]);
}

let standin: OllamaStandin;
let dataDir: string;
let folder: string;
let engine: Engine | null = null;
const fifos: string[] = [];
const servers: net.Server[] = [];

beforeEach(async () => {
  standin = await startOllamaStandin();
  dataDir = tempDataDir('special');
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-special-folder-'));
});
afterEach(async () => {
  // Release any reader still blocked on a FIFO (before the fix): a writer end opening and closing gives them EOF.
  for (const f of fifos.splice(0)) {
    try {
      fs.closeSync(fs.openSync(f, fs.constants.O_RDWR | fs.constants.O_NONBLOCK));
    } catch {
      // gone already
    }
  }
  for (const s of servers.splice(0)) s.close();
  await engine?.close().catch(() => undefined);
  engine = null;
  await standin.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(folder, { recursive: true, force: true });
});

function mkfifo(p: string): void {
  execFileSync('mkfifo', [p]);
  fifos.push(p);
}

describe.skipIf(!unix)('special files planted in a workspace', () => {
  it('six reads of a FIFO through workspaces.read are refused at once, and the server still reads regular files', async () => {
    standin.enqueueChat({ text: 'File: ok.txt\n```\nfine\n```\n' });
    engine = openEngine(dataDir, standin.url);
    const { task } = (await engine.invoke('tasks.create', { prompt: 'p', model: 'qwen2.5-coder:7b' })) as MethodResult<'tasks.create'>;
    const done = await engine.waitForTask(task.id, 10_000);
    mkfifo(path.join(done.workspacePath, 'pipe.txt'));

    const reads = Array.from({ length: 6 }, () => engine!.invoke('workspaces.read', { root: done.workspacePath, path: 'pipe.txt' }).then(
      () => 'read',
      (err: { code?: string }) => err.code,
    ));
    expect(await within(Promise.all(reads), 3000, 'six FIFO reads')).toEqual(Array(6).fill('NOT_A_REGULAR_FILE'));
    const ok = (await within(engine.invoke('workspaces.read', { root: done.workspacePath, path: 'ok.txt' }), 3000, 'a regular read after them')) as MethodResult<'workspaces.read'>;
    expect(ok.content).toBe('fine\n');
  });

  it('an opened folder with a FIFO, a socket and a FIFO .gitignore: tree, read and context preview all answer', async () => {
    fs.writeFileSync(path.join(folder, 'main.py'), 'def main():\n    return 1\n');
    mkfifo(path.join(folder, 'fifo.py'));
    mkfifo(path.join(folder, '.gitignore'));
    const sockPath = path.join(folder, 'app.sock');
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(sockPath, resolve));
    servers.push(server);

    engine = openEngine(dataDir, standin.url);
    const { workspace } = (await engine.invoke('workspaces.open', { path: folder })) as MethodResult<'workspaces.open'>;
    const tree = (await within(engine.invoke('workspaces.tree', { root: workspace.root }), 5000, 'the tree')) as MethodResult<'workspaces.tree'>;
    expect(tree.entries.map((e) => e.path)).toContain('main.py');

    for (const rel of ['fifo.py', 'app.sock', 'fifo.py', 'fifo.py', 'fifo.py', 'fifo.py']) {
      const code = await within(
        engine.invoke('workspaces.read', { root: workspace.root, path: rel }).then(() => 'read', (err: { code?: string }) => err.code),
        3000,
        `reading ${rel}`,
      );
      expect(code).toBe('NOT_A_REGULAR_FILE');
    }
    const preview = (await within(
      engine.invoke('context.preview', { root: workspace.root, prompt: 'change main', model: 'qwen2.5-coder:7b' }),
      10_000,
      'the context preview',
    )) as MethodResult<'context.preview'>;
    expect(preview.files.map((f) => f.path)).toEqual(['main.py']);
    const main = (await within(engine.invoke('workspaces.read', { root: workspace.root, path: 'main.py' }), 3000, 'a regular read')) as MethodResult<'workspaces.read'>;
    expect(main.content).toContain('def main');
  });

  it('a FIFO as .git/config in a workspace: the sandbox git guard does not block the event loop on it', () => {
    // The guard reads synchronously, so a hang would freeze this process: it runs in a child with a deadline.
    fs.mkdirSync(path.join(folder, '.git'));
    mkfifo(path.join(folder, '.git', 'config'));
    const script = `import { gitInventory } from ${JSON.stringify(path.resolve('electron/core/sandbox/git-guard.ts'))};
      const inv = gitInventory(${JSON.stringify(folder)}); console.log(JSON.stringify({ ok: true, entries: inv.entries?.length ?? null }));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 15_000, encoding: 'utf8' });
    expect(out).toContain('"ok":true');
  });
});
