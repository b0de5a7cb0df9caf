// Tool caches never travel in an export (issue 13 §4): bytecode and test/lint caches are
// machine-local, may be stale (a .pyc trusted over a same-size newer source), and say
// nothing the source does not. Real files on disk, the export's own collector.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectExportFiles } from '../../electron/core/export/index.js';

let root = '';
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-export-caches-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function put(rel: string, text = 'x'): void {
  const abs = path.join(root, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, text);
}

describe('collectExportFiles and tool caches', () => {
  it('leaves out __pycache__, .pytest_cache, .mypy_cache, .ruff_cache and stray .pyc/.pyo at any depth', async () => {
    put('app/calc.py');
    put('app/__pycache__/calc.cpython-311.pyc');
    put('__pycache__/main.cpython-311.pyc');
    put('.pytest_cache/v/cache/lastfailed', '{}');
    put('.mypy_cache/3.11/calc.data.json');
    put('pkg/.ruff_cache/0.1/123');
    put('legacy/old.pyc');
    put('legacy/old.pyo');
    put('legacy/keep.py');
    put('docs/pyc.md');
    const paths = (await collectExportFiles(root)).map((f) => f.path);
    expect(paths).toEqual(['app/calc.py', 'docs/pyc.md', 'legacy/keep.py']);
  });
});
