// Issue 13 §4 "Tests run the code on disk": a sandboxed test run must not leave bytecode
// or tool caches in the workspace, because Python trusts a cached .pyc whose recorded
// source mtime (whole seconds) and size still match: a same-size fix written within
// the same second would never be tested. Real python3 (and pytest when installed) in
// the real bubblewrap sandbox.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturesRoot, HAS_BWRAP, sh } from './sandbox-harness.js';

const HAS_PYTHON = spawnSync('python3', ['--version']).status === 0;
const HAS_PYTEST = HAS_PYTHON && spawnSync('python3', ['-m', 'pytest', '--version']).status === 0;
let root = '';

function listAll(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true }).map(String);
}

describe.skipIf(!HAS_BWRAP || !HAS_PYTHON)('sandbox (bubblewrap): caches stay out of the workspace', () => {
  beforeAll(() => {
    const base = fixturesRoot();
    fs.mkdirSync(base, { recursive: true });
    root = fs.mkdtempSync(path.join(base, 'sandbox-caches-'));
  });
  afterAll(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('a same-size fix with the same mtime is the code the second run imports', async () => {
    const ws = path.join(root, 'same-second');
    fs.mkdirSync(ws);
    const mod = path.join(ws, 'calc.py');
    fs.writeFileSync(mod, 'def answer():\n    return 1\n');
    const stamp = new Date(Math.floor(Date.now() / 1000) * 1000);
    fs.utimesSync(mod, stamp, stamp);
    const first = await sh(ws, 'python3 -c "import calc; print(\'ANSWER\', calc.answer())"');
    expect(first.output).toContain('ANSWER 1');
    // The fix: same size, same mtime (as when written within the same second).
    fs.writeFileSync(mod, 'def answer():\n    return 2\n');
    fs.utimesSync(mod, stamp, stamp);
    const second = await sh(ws, 'python3 -c "import calc; print(\'ANSWER\', calc.answer())"');
    expect(second.output).toContain('ANSWER 2');
    expect(listAll(ws).filter((p) => p.includes('__pycache__') || p.endsWith('.pyc'))).toEqual([]);
  });

  it('a __pycache__ already in the workspace is not trusted either', async () => {
    const ws = path.join(root, 'stale-cache');
    fs.mkdirSync(ws);
    const mod = path.join(ws, 'calc.py');
    fs.writeFileSync(mod, 'def answer():\n    return 1\n');
    const stamp = new Date(Math.floor(Date.now() / 1000) * 1000);
    fs.utimesSync(mod, stamp, stamp);
    // Compiled on the host, as an earlier unsandboxed run (or the user's editor) would leave it.
    const hostEnv = { ...process.env };
    delete hostEnv.PYTHONDONTWRITEBYTECODE;
    delete hostEnv.PYTHONPYCACHEPREFIX;
    spawnSync('python3', ['-c', 'import calc'], { cwd: ws, env: hostEnv });
    expect(fs.existsSync(path.join(ws, '__pycache__'))).toBe(true);
    fs.writeFileSync(mod, 'def answer():\n    return 2\n');
    fs.utimesSync(mod, stamp, stamp);
    const run = await sh(ws, 'python3 -c "import calc; print(\'ANSWER\', calc.answer())"');
    expect(run.output).toContain('ANSWER 2');
  });

  it.skipIf(!HAS_PYTEST)('pytest leaves no .pytest_cache or __pycache__ and retests the fix', async () => {
    const ws = path.join(root, 'pytest');
    fs.mkdirSync(ws);
    const mod = path.join(ws, 'calc.py');
    fs.writeFileSync(path.join(ws, 'test_calc.py'), 'from calc import answer\n\ndef test_answer():\n    assert answer() == 2\n');
    fs.writeFileSync(mod, 'def answer():\n    return 1\n');
    const stamp = new Date(Math.floor(Date.now() / 1000) * 1000);
    fs.utimesSync(mod, stamp, stamp);
    const failing = await sh(ws, 'python3 -m pytest -q');
    expect(failing.exitCode).toBe(1);
    fs.writeFileSync(mod, 'def answer():\n    return 2\n');
    fs.utimesSync(mod, stamp, stamp);
    const passing = await sh(ws, 'python3 -m pytest -q');
    expect(passing.output).toMatch(/1 passed/);
    expect(passing.exitCode).toBe(0);
    expect(listAll(ws).filter((p) => /__pycache__|\.pytest_cache|\.pyc$/.test(p))).toEqual([]);
  });

  it('a caller’s own PYTEST_ADDOPTS is kept, after the cache switch', async () => {
    const ws = path.join(root, 'addopts');
    fs.mkdirSync(ws);
    const run = await sh(ws, 'echo "[$PYTEST_ADDOPTS]"; echo "[$PYTHONDONTWRITEBYTECODE]"', { env: { PYTEST_ADDOPTS: '-x' } });
    expect(run.output).toContain('[-p no:cacheprovider -x]');
    expect(run.output).toContain('[1]');
  });
});
