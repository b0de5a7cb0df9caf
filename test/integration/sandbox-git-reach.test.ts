// The git guard's blind spots (adversarial review of issue 12): the scan before a run
// skips package folders (node_modules, .venv …) and stops at 24 levels and 20,000
// folders, so a repository planted there was left in place, and the user's git (or an
// editor that opens a file there: VS Code runs git for the repository of every open
// file) then ran its fsmonitor on the HOST. Each case plants in such a place, runs the
// host's real git there afterwards and checks that nothing ran.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturesRoot, HAS_BWRAP, makeGitCase, sh } from './sandbox-harness.js';

let root = '';

const makeCase = (name: string) => makeGitCase(root, name);

function hostGitStatus(cwd: string): void {
  spawnSync('git', ['status'], { cwd, encoding: 'utf8', env: { ...process.env, GIT_TERMINAL_PROMPT: '0' }, timeout: 20_000 });
}

/** Shell: `git init` in $dir and arm core.fsmonitor to touch `mark`. */
function plant(dir: string, mark: string): string {
  return `git init -q '${dir}' && printf '[core]\\n\\tfsmonitor = "touch ${mark}; false"\\n' >> '${dir}/.git/config'`;
}

describe.skipIf(!HAS_BWRAP)('sandbox git guard: repositories planted where the scan before the run does not look', () => {
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(fixturesRoot(), 'sandbox-git-reach-'));
  });
  afterAll(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it.each(['node_modules/x', '.venv/src/y', 'a/.cache/z'])('a repository planted in %s is quarantined', async (where) => {
    const c = makeCase(where.replace(/\W/g, '_'));
    const run = await sh(c.ws, `${plant(where, c.mark)} && echo planted`, { quarantineDir: c.quarantine });
    expect(run.output).toContain('planted');
    hostGitStatus(path.join(c.ws, where));
    expect(fs.existsSync(c.mark)).toBe(false);
    expect(fs.existsSync(path.join(c.ws, where, '.git'))).toBe(false);
    expect(run.audits.find((a) => a.kind === 'quarantined')?.message).toContain(path.join(where, '.git'));
  });

  it('a repository planted 30 folders deep is quarantined', async () => {
    const c = makeCase('deep');
    const deep = Array.from({ length: 30 }, () => 'd').join('/');
    await sh(c.ws, `mkdir -p ${deep} && ${plant(deep, c.mark)}`, { quarantineDir: c.quarantine });
    hostGitStatus(path.join(c.ws, deep));
    expect(fs.existsSync(c.mark)).toBe(false);
    expect(fs.existsSync(path.join(c.ws, deep, '.git'))).toBe(false);
  });

  it('a repository planted past the 20,000-folder bound is quarantined', async () => {
    const c = makeCase('wide');
    const many = path.join(c.ws, 'many');
    fs.mkdirSync(many);
    for (let i = 0; i < 20_100; i++) fs.mkdirSync(path.join(many, `f${i}`));
    // The folder the walk reaches last (readdir order), so a bounded walk never gets there.
    const last = fs.readdirSync(many).at(-1) as string;
    await sh(c.ws, plant(`many/${last}`, c.mark), { quarantineDir: c.quarantine, timeoutMs: 60_000 });
    hostGitStatus(path.join(many, last));
    expect(fs.existsSync(c.mark)).toBe(false);
    expect(fs.existsSync(path.join(many, last, '.git'))).toBe(false);
  }, 90_000);

  it('a repository that was already in node_modules and whose config the command changed is quarantined', async () => {
    const c = makeCase('nm-existing');
    const repo = path.join(c.ws, 'node_modules', 'dep');
    fs.mkdirSync(repo, { recursive: true });
    execFileSync('git', ['init', '-q', repo]);
    const run = await sh(c.ws, `printf '[core]\\n\\tfsmonitor = "touch ${c.mark}; false"\\n' >> node_modules/dep/.git/config && echo changed`, { quarantineDir: c.quarantine });
    expect(run.output).toContain('changed');
    hostGitStatus(repo);
    expect(fs.existsSync(c.mark)).toBe(false);
    expect(fs.existsSync(path.join(repo, '.git'))).toBe(false);
  });

  it('a repository that was already in node_modules and that the command left alone stays where it is', async () => {
    const c = makeCase('nm-untouched');
    const repo = path.join(c.ws, 'node_modules', 'dep');
    fs.mkdirSync(repo, { recursive: true });
    execFileSync('git', ['init', '-q', repo]);
    // Let the clock move past the repository's creation (ctime has coarse resolution).
    await new Promise((r) => setTimeout(r, 1_100));
    const run = await sh(c.ws, 'ls node_modules/dep/.git >/dev/null && echo looked', { quarantineDir: c.quarantine });
    expect(run.output).toContain('looked');
    expect(fs.existsSync(path.join(repo, '.git', 'config'))).toBe(true);
    expect(run.audits.filter((a) => a.kind === 'quarantined')).toEqual([]);
  });

  it('a repository nested deeper than the walk goes is reported with what to do, not passed over in silence', async () => {
    const c = makeCase('deeper');
    const deep = Array.from({ length: 300 }, () => 'd').join('/');
    const run = await sh(c.ws, `mkdir -p ${deep} && git init -q ${deep}`, { quarantineDir: c.quarantine });
    const said = run.audits.filter((a) => a.kind === 'quarantined').map((a) => a.message).join('\n');
    expect(said).toMatch(/deeper than \d+ folders/);
    expect(said).toContain('find');
  });
});

describe.skipIf(!HAS_BWRAP)('sandbox git guard: a long command', () => {
  it('a .git made early in a long command is moved out while it still runs (an open editor would run git on it at once)', async () => {
    const dir = fs.mkdtempSync(path.join(fixturesRoot(), 'sandbox-git-long-'));
    try {
      const ws = path.join(dir, 'ws');
      fs.mkdirSync(ws);
      let output = '';
      const { runSandboxed, detectSandbox } = await import('../../electron/core/sandbox/index.js');
      const started = Date.now();
      // The command itself watches its .git disappear, then goes on running.
      const result = await runSandboxed({
        command: ['bash', '-c', 'git init -q . && for i in $(seq 100); do [ -e .git ] || { echo MOVED-WHILE-RUNNING; break; }; sleep 0.1; done; sleep 0.5'],
        cwd: ws,
        level: 'workspace-write',
        sandbox: detectSandbox(),
        quarantineDir: path.join(dir, 'q'),
        gitGuardIntervalMs: 300,
        timeoutMs: 30_000,
        onOutput: (chunk) => {
          output += chunk;
        },
      });
      expect(result.exitCode).toBe(0);
      expect(output).toContain('MOVED-WHILE-RUNNING');
      expect(Date.now() - started).toBeLessThan(9_000);
      expect(fs.existsSync(path.join(ws, '.git'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 40_000);
});

/** A writable folder on another filesystem than the fixtures (so a rename there fails with EXDEV), or null. */
function otherFilesystem(): string | null {
  try {
    const dir = fs.mkdtempSync('/dev/shm/macs-quarantine-');
    if (fs.statSync(dir).dev !== fs.statSync(fixturesRoot()).dev) return dir;
    fs.rmSync(dir, { recursive: true, force: true });
  } catch {
    // no /dev/shm here
  }
  return null;
}

describe.skipIf(!HAS_BWRAP)('sandbox git guard: the quarantine on another filesystem', () => {
  it('a .git holding a FIFO (it cannot be copied across filesystems) still leaves nothing the host git obeys', async () => {
    const elsewhere = otherFilesystem();
    if (!elsewhere) return;
    const dir = fs.mkdtempSync(path.join(fixturesRoot(), 'sandbox-git-xdev-'));
    try {
      const ws = path.join(dir, 'ws');
      const mark = path.join(dir, 'MARK');
      fs.mkdirSync(ws);
      const run = await sh(ws, `${plant('.', mark)} && mkfifo .git/pipe && git init -q --bare tools/x.git && mkfifo tools/x.git/pipe && echo planted`, { quarantineDir: elsewhere });
      expect(run.output).toContain('planted');
      hostGitStatus(ws);
      expect(fs.existsSync(mark)).toBe(false);
      expect(fs.existsSync(path.join(ws, '.git'))).toBe(false);
      expect(fs.existsSync(path.join(ws, 'tools', 'x.git'))).toBe(false);
      const said = run.audits.filter((a) => a.kind === 'quarantined').map((a) => a.message).join('\n');
      expect(said).toContain('.git');
      expect(said).not.toContain('remove it before running git');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!HAS_BWRAP)('sandbox git guard: a quarantine that cannot take anything', () => {
  it('what cannot be moved out is disarmed in place: renamed, its HEAD too, so no git obeys it', async () => {
    const dir = fs.mkdtempSync(path.join(fixturesRoot(), 'sandbox-git-disarm-'));
    try {
      const ws = path.join(dir, 'ws');
      const mark = path.join(dir, 'MARK');
      fs.mkdirSync(ws);
      // A file where the quarantine folder should be: every move fails (ENOTDIR), even as root.
      fs.writeFileSync(path.join(dir, 'blocker'), '');
      const run = await sh(ws, `${plant('.', mark)} && git init -q --bare tools/x.git && echo planted`, { quarantineDir: path.join(dir, 'blocker', 'q') });
      expect(run.output).toContain('planted');
      hostGitStatus(ws);
      expect(fs.existsSync(mark)).toBe(false);
      expect(fs.existsSync(path.join(ws, '.git'))).toBe(false);
      expect(fs.existsSync(path.join(ws, 'tools', 'x.git'))).toBe(false);
      const left = fs.readdirSync(path.join(ws, 'tools')).find((n) => n.startsWith('x.git.macs-quarantined-')) as string;
      expect(left).toBeTruthy();
      expect(fs.existsSync(path.join(ws, 'tools', left, 'HEAD'))).toBe(false);
      const said = run.audits.filter((a) => a.kind === 'quarantined').map((a) => a.message).join('\n');
      expect(said).toContain('renamed to .git.macs-quarantined-');
      expect(said).not.toContain('remove it before running git');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!HAS_BWRAP)('sandbox git guard: sweeps while the command runs cannot be redirected', () => {
  it("swapping a folder for a symlink during a sweep never moves a .git outside the workspace (the user's other repository)", async () => {
    const dir = fs.mkdtempSync(path.join(fixturesRoot(), 'sandbox-git-race-'));
    try {
      const ws = path.join(dir, 'ws');
      const victim = path.join(dir, 'victim');
      fs.mkdirSync(ws);
      execFileSync('git', ['init', '-q', victim]);
      // Padding: the sweep spends longer between finding a/.git and moving it.
      for (let i = 0; i < 3000; i++) fs.mkdirSync(path.join(ws, 'pad', String(i)), { recursive: true });
      const { runSandboxed, detectSandbox } = await import('../../electron/core/sandbox/index.js');
      // `a` flips between a folder holding a fresh .git and a symlink to the victim.
      const script = `git init -q real; end=$((SECONDS+4)); while [ $SECONDS -lt $end ]; do mv -T real a 2>/dev/null; mv -T a real 2>/dev/null; ln -sfn ${victim} a; rm -f a; [ -e real/.git ] || git init -q real; done; echo raced`;
      await runSandboxed({ command: ['bash', '-c', script], cwd: ws, level: 'workspace-write', sandbox: detectSandbox(), quarantineDir: path.join(dir, 'q'), gitGuardIntervalMs: 5, timeoutMs: 30_000 });
      expect(fs.existsSync(path.join(victim, '.git', 'HEAD'))).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 40_000);
});
