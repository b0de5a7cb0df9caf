// Issue 12 "sandboxed code can make the user's git run a command": code in the sandbox
// must not leave a .git (dir, file, nested, bare-shaped) or a git config that the
// user's next `git` on the HOST obeys. Each case runs the host's real git afterwards
// and checks that the command planted in the sandbox did not run, and a control
// proves the same plant does run when made outside the sandbox.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodResult } from '../../shared/index.js';
import { startOllamaStandin } from '../fixtures/ollama-standin/index.js';
import { openEngine } from './helpers.js';
import { fixturesRoot, HAS_BWRAP, makeGitCase, sh } from './sandbox-harness.js';

let root = '';

const makeCase = (name: string) => makeGitCase(root, name);

/** The user's git on the host, with the user's ordinary environment. */
function hostGit(cwd: string, ...args: string[]): void {
  spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_TERMINAL_PROMPT: '0' }, timeout: 20_000 });
}

/** A git config fragment whose fsmonitor command leaves `mark` behind when git obeys it. */
function fsmonitorConfig(mark: string): string {
  return `printf '[core]\\n\\tfsmonitor = "touch ${mark}; false"\\n'`;
}

function initRepo(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '-q', dir]);
  execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'init']);
}

describe.skipIf(!HAS_BWRAP)("sandbox (bubblewrap): nothing the sandbox does makes the host's git run a command", () => {
  beforeAll(() => {
    const base = fixturesRoot();
    fs.mkdirSync(base, { recursive: true });
    root = fs.mkdtempSync(path.join(base, 'sandbox-git-'));
  });
  afterAll(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('control: the plant works when made outside the sandbox (the host git obeys fsmonitor)', () => {
    const c = makeCase('control');
    execFileSync('bash', ['-c', `git init -q . && ${fsmonitorConfig(c.mark)} >> .git/config`], { cwd: c.ws });
    hostGit(c.ws, 'status');
    expect(fs.existsSync(c.mark)).toBe(true);
  });

  it('git init + core.fsmonitor in a folder with no .git: quarantined, the host git status runs nothing', async () => {
    const c = makeCase('init');
    fs.writeFileSync(path.join(c.ws, 'app.py'), 'print(1)\n');
    const run = await sh(c.ws, `git init -q . && ${fsmonitorConfig(c.mark)} >> .git/config && echo planted`, { quarantineDir: c.quarantine });
    expect(run.output).toContain('planted');
    hostGit(c.ws, 'status');
    expect(fs.existsSync(c.mark)).toBe(false);
    expect(fs.existsSync(path.join(c.ws, '.git'))).toBe(false);
    expect(fs.readFileSync(path.join(c.ws, 'app.py'), 'utf8')).toBe('print(1)\n');
    // Moved, not deleted: the user can look at what the command made.
    const audit = run.audits.find((a) => a.kind === 'quarantined');
    expect(audit?.message).toContain('.git');
    expect(audit?.message).toContain(c.quarantine);
    const kept = fs.readdirSync(c.quarantine, { recursive: true }).map(String);
    expect(kept.some((p) => p.endsWith(path.join('.git', 'config')))).toBe(true);
  });

  it('a nested sub/.git made in the sandbox is quarantined; the existing top .git is untouched', async () => {
    const c = makeCase('nested');
    initRepo(c.ws);
    const head = fs.readFileSync(path.join(c.ws, '.git', 'HEAD'), 'utf8');
    const run = await sh(c.ws, `mkdir -p a/sub && cd a/sub && git init -q . && ${fsmonitorConfig(c.mark)} >> .git/config && echo planted`, { quarantineDir: c.quarantine });
    expect(run.output).toContain('planted');
    hostGit(path.join(c.ws, 'a', 'sub'), 'status');
    hostGit(c.ws, 'status');
    expect(fs.existsSync(c.mark)).toBe(false);
    expect(fs.existsSync(path.join(c.ws, 'a', 'sub', '.git'))).toBe(false);
    expect(fs.readFileSync(path.join(c.ws, '.git', 'HEAD'), 'utf8')).toBe(head);
    expect(run.audits.filter((a) => a.kind === 'quarantined')).toHaveLength(1);
  });

  it('a .git file (gitdir: …) and the git dir it points to are both quarantined', async () => {
    const c = makeCase('gitfile');
    const run = await sh(c.ws, `git init -q --separate-git-dir=.hidden-git . && ${fsmonitorConfig(c.mark)} >> .hidden-git/config && head -1 .git`, { quarantineDir: c.quarantine });
    expect(run.output).toContain('gitdir:');
    hostGit(c.ws, 'status');
    expect(fs.existsSync(c.mark)).toBe(false);
    expect(fs.existsSync(path.join(c.ws, '.git'))).toBe(false);
    // A folder shaped like a git dir (HEAD, objects/, refs/) is one too: `cd .hidden-git && git log` would obey its config.
    expect(fs.existsSync(path.join(c.ws, '.hidden-git'))).toBe(false);
  });

  it('a .git file pointing outside the workspace is quarantined', async () => {
    const c = makeCase('gitfile-out');
    const elsewhere = path.join(path.dirname(c.ws), 'elsewhere');
    initRepo(elsewhere);
    execFileSync('bash', ['-c', `${fsmonitorConfig(c.mark)} >> .git/config`], { cwd: elsewhere });
    await sh(c.ws, `echo "gitdir: ${path.join(elsewhere, '.git')}" > .git`, { quarantineDir: c.quarantine });
    hostGit(c.ws, 'status');
    expect(fs.existsSync(c.mark)).toBe(false);
    expect(fs.existsSync(path.join(c.ws, '.git'))).toBe(false);
  });

  it('a nested repo that existed before the run is read-only: its config cannot be changed', async () => {
    const c = makeCase('pre-nested');
    initRepo(c.ws);
    initRepo(path.join(c.ws, 'vendor', 'lib'));
    const config = path.join(c.ws, 'vendor', 'lib', '.git', 'config');
    const before = fs.readFileSync(config, 'utf8');
    const run = await sh(c.ws, `${fsmonitorConfig(c.mark)} >> vendor/lib/.git/config || echo REFUSED; echo x > vendor/lib/.git/hooks/post-checkout || echo REFUSED-HOOK`, { quarantineDir: c.quarantine });
    expect(run.output).toContain('REFUSED');
    expect(run.output).toContain('REFUSED-HOOK');
    expect(fs.readFileSync(config, 'utf8')).toBe(before);
    hostGit(path.join(c.ws, 'vendor', 'lib'), 'status');
    expect(fs.existsSync(c.mark)).toBe(false);
  });

  it('a nested repo that existed cannot be swapped for a new one by renaming its parent', async () => {
    const c = makeCase('swap');
    initRepo(path.join(c.ws, 'lib'));
    const run = await sh(c.ws, `mv lib lib-old; mkdir lib && cd lib && git init -q . && ${fsmonitorConfig(c.mark)} >> .git/config; echo done`, { quarantineDir: c.quarantine });
    expect(run.output).toContain('done');
    hostGit(path.join(c.ws, 'lib'), 'status');
    expect(fs.existsSync(c.mark)).toBe(false);
  });

  it("core.hooksPath inside the workspace (husky's .husky) is read-only: no hook can be planted for the user's next commit", async () => {
    const c = makeCase('husky');
    initRepo(c.ws);
    fs.mkdirSync(path.join(c.ws, '.husky'));
    execFileSync('git', ['-C', c.ws, 'config', 'core.hooksPath', '.husky']);
    const run = await sh(c.ws, `printf '#!/bin/sh\\ntouch ${c.mark}\\n' > .husky/pre-commit && chmod +x .husky/pre-commit || echo REFUSED`, { quarantineDir: c.quarantine });
    expect(run.output).toContain('REFUSED');
    hostGit(c.ws, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'x');
    expect(fs.existsSync(c.mark)).toBe(false);
  });

  it("a workspace inside a repository: the enclosing repo's hooks path inside the workspace is read-only", async () => {
    const c = makeCase('enclosing');
    const repo = path.dirname(c.ws);
    initRepo(repo);
    fs.mkdirSync(path.join(c.ws, 'hooks'));
    execFileSync('git', ['-C', repo, 'config', 'core.hooksPath', 'ws/hooks']);
    const run = await sh(c.ws, `printf '#!/bin/sh\\ntouch ${c.mark}\\n' > hooks/pre-commit && chmod +x hooks/pre-commit || echo REFUSED`, { quarantineDir: c.quarantine });
    expect(run.output).toContain('REFUSED');
    hostGit(repo, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'x');
    expect(fs.existsSync(c.mark)).toBe(false);
  });

  it("an existing .gitmodules is read-only: submodule URLs the user's git would fetch cannot be rewritten", async () => {
    const c = makeCase('gitmodules');
    initRepo(c.ws);
    const gitmodules = path.join(c.ws, '.gitmodules');
    fs.writeFileSync(gitmodules, '[submodule "lib"]\n\tpath = lib\n\turl = https://example.org/lib.git\n');
    const run = await sh(c.ws, "printf '\\tupdate = !touch x\\n' >> .gitmodules || echo REFUSED; mv .gitmodules gm || echo REFUSED-MV; echo ok > other.txt", { quarantineDir: c.quarantine });
    expect(run.output).toContain('REFUSED');
    expect(run.output).toContain('REFUSED-MV');
    expect(fs.readFileSync(gitmodules, 'utf8')).toBe('[submodule "lib"]\n\tpath = lib\n\turl = https://example.org/lib.git\n');
    expect(fs.readFileSync(path.join(c.ws, 'other.txt'), 'utf8')).toBe('ok\n');
  });

  it('a bare repository made in the sandbox is quarantined', async () => {
    const c = makeCase('bare');
    const run = await sh(c.ws, 'git init -q --bare tools/evil.git && echo made', { quarantineDir: c.quarantine });
    expect(run.output).toContain('made');
    expect(fs.existsSync(path.join(c.ws, 'tools', 'evil.git'))).toBe(false);
    expect(fs.existsSync(path.join(c.ws, 'tools'))).toBe(true);
  });

  it('a .GIT (what a case-insensitive file system opens as .git) and a bare repo named in capitals are quarantined too', async () => {
    const c = makeCase('case');
    const run = await sh(c.ws, 'mkdir -p a b && git init -q --bare a/.GIT && git init -q --bare b/X && mv b/X/HEAD b/X/Head && echo made', { quarantineDir: c.quarantine });
    expect(run.output).toContain('made');
    expect(fs.existsSync(path.join(c.ws, 'a', '.GIT'))).toBe(false);
    expect(fs.existsSync(path.join(c.ws, 'b', 'X'))).toBe(false);
  });

  it("through the engine: exec.run's .git goes to <data dir>/quarantine and the task's timeline says so", async () => {
    const dataDir = path.join(root, 'engine-data');
    fs.mkdirSync(dataDir);
    const standin = await startOllamaStandin({ defaultChat: { text: 'File: app.py\n```python\nprint(1)\n```\n' } });
    const engine = openEngine(dataDir, standin.url);
    try {
      const { task } = (await engine.invoke('tasks.create', { prompt: 'p', model: 'qwen2.5-coder:7b' })) as MethodResult<'tasks.create'>;
      await engine.waitForTask(task.id);
      const mark = path.join(root, 'ENGINE-MARK');
      // The project's own repository (MACS's, one commit per turn) is read-only in the sandbox;
      // a repository the command makes in a sub-folder is moved out.
      const { task: done } = (await engine.invoke('tasks.get', { taskId: task.id })) as MethodResult<'tasks.get'>;
      const ownConfig = fs.readFileSync(path.join(done.workspacePath, '.git', 'config'), 'utf8');
      await engine.invoke('exec.run', { taskId: task.id, command: ['bash', '-c', `${fsmonitorConfig(mark)} >> .git/config; mkdir -p sub && cd sub && git init -q . && ${fsmonitorConfig(mark)} >> .git/config`] });
      expect(fs.readFileSync(path.join(done.workspacePath, '.git', 'config'), 'utf8')).toBe(ownConfig);
      hostGit(done.workspacePath, 'status');
      hostGit(path.join(done.workspacePath, 'sub'), 'status');
      expect(fs.existsSync(mark)).toBe(false);
      expect(fs.existsSync(path.join(done.workspacePath, 'sub', '.git'))).toBe(false);
      expect(fs.readdirSync(path.join(dataDir, 'quarantine'))).toHaveLength(1);
      const events = ((await engine.invoke('tasks.events', { taskId: task.id })) as MethodResult<'tasks.events'>).events;
      const audit = events.find((e) => e.type === 'audit' && e.data.kind === 'quarantined');
      expect(audit && audit.type === 'audit' ? audit.data.message : '').toContain(path.join(dataDir, 'quarantine'));
    } finally {
      await engine.close();
      await standin.close();
    }
  });

  it('ordinary work leaves no audit: files written, no .git touched', async () => {
    const c = makeCase('plain');
    initRepo(c.ws);
    const run = await sh(c.ws, 'mkdir -p src && echo x > src/a.txt && git status --short', { quarantineDir: c.quarantine });
    expect(run.exitCode).toBe(0);
    expect(run.output).toContain('src/');
    expect(run.audits.filter((a) => a.kind === 'quarantined')).toEqual([]);
    expect(fs.existsSync(c.quarantine)).toBe(false);
  });
});
