// What differs for a normal user (the tests usually run as root, who reads every folder
// whatever its mode): a command can hide a repository in a folder it makes traversable
// but not listable (chmod 111). The user's git and editor still reach a repository in
// it by path; the sweep after the run could not list the folder, so it never saw it.
// As root, this test runs the sandbox as `nobody` (setpriv), the way a user would.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturesRoot, HAS_BWRAP } from './sandbox-harness.js';

const isRoot = process.getuid?.() === 0;
const canDrop = !isRoot || spawnSync('setpriv', ['--version']).status === 0;
const NOBODY = 65534;
let root = '';

const RUNNER = `
import { detectSandbox, runSandboxed } from ${JSON.stringify(path.resolve(import.meta.dirname, '../../electron/core/sandbox/index.ts'))};
const [ws, q, script] = process.argv.slice(2);
const audits = [];
const r = await runSandboxed({ command: ['bash', '-c', script], cwd: ws, level: 'workspace-write', sandbox: detectSandbox(), quarantineDir: q, timeoutMs: 20000, onAudit: (a) => audits.push(a) });
console.log(JSON.stringify({ exitCode: r.exitCode, audits }));
`;

describe.skipIf(!HAS_BWRAP || process.platform !== 'linux' || !canDrop)('sandbox git guard as a normal user', () => {
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(fixturesRoot(), 'sandbox-git-user-'));
    fs.chmodSync(root, 0o755);
  });
  afterAll(() => {
    if (root) spawnSync('chmod', ['-R', 'u+rwx', root]);
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('a repository inside a folder the command made unlistable (chmod 111), or a .git it made read-only (chmod 555), is still quarantined', () => {
    const ws = path.join(root, 'ws');
    const home = path.join(root, 'home');
    const mark = path.join(root, 'MARK');
    fs.mkdirSync(ws);
    fs.mkdirSync(home);
    fs.writeFileSync(path.join(root, 'runner.mts'), RUNNER);
    if (isRoot) for (const d of [ws, home]) fs.chownSync(d, NOBODY, NOBODY);
    fs.chmodSync(root, 0o777); // the marker may be written by the (unprivileged) host git below
    const script = `mkdir -p hide/repo && git init -q hide/repo && printf '[core]\\n\\tfsmonitor = "touch ${mark}; false"\\n' >> hide/repo/.git/config && chmod 111 hide && git init -q r2 && printf '[core]\n\tfsmonitor = "touch ${mark}; false"\n' >> r2/.git/config && chmod 555 r2/.git && echo planted`;
    const drop = isRoot ? ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups'] : [];
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, MACS_DATA_DIR: path.join(home, 'data') };
    const tsx = path.resolve(import.meta.dirname, '../../node_modules/tsx/dist/esm/index.mjs');
    const run = spawnSync(drop[0] ?? process.execPath, [...drop.slice(1), ...(isRoot ? [process.execPath] : []), '--import', tsx, path.join(root, 'runner.mts'), ws, path.join(home, 'q'), script], { env, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).not.toMatch(/Error/);
    const out = JSON.parse(run.stdout.trim().split('\n').at(-1) as string) as { exitCode: number; audits: Array<{ kind: string; message: string }> };
    expect(out.exitCode).toBe(0);
    // The user's own git, as the user, in the repository the command hid.
    for (const repo of [path.join(ws, 'hide', 'repo'), path.join(ws, 'r2')]) spawnSync(drop[0] ?? 'git', [...drop.slice(1), ...(isRoot ? ['git'] : []), 'status'], { cwd: repo, env });
    expect(fs.existsSync(mark)).toBe(false);
    expect(out.audits.map((a) => a.message).join('\n')).toContain(path.join('hide', 'repo', '.git'));
  }, 90_000);
});
