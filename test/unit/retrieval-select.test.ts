import { describe, expect, it } from 'vitest';
import { RetrievalIndex, selectContext } from '../../electron/core/retrieval/index.js';
import { approxTokens, loadFixtureRepo } from './retrieval-helpers.js';

const repo = loadFixtureRepo();
const tokensOf = (path: string) => approxTokens(repo.find((f) => f.path === path)!.content);

describe('selectContext', () => {
  it('fills the budget with the best files and never goes over it', () => {
    for (const budget of [0, 50, 300, 1000, 2500, 100_000]) {
      const sel = selectContext(repo, 'fix the login token expiry', budget, approxTokens);
      expect(sel.totalTokens).toBeLessThanOrEqual(budget);
      expect(sel.totalTokens).toBe(sel.files.reduce((s, f) => s + f.tokens, 0));
      for (const f of sel.files) expect(f.tokens).toBe(tokensOf(f.path));
    }
    const roomy = selectContext(repo, 'fix the login token expiry', 100_000, approxTokens);
    expect(roomy.files[0].path).toBe('src/auth/token.js');
    expect(roomy.files[0].reason).toMatch(/^score \d+\.\d\d: text: token, expiry/);
  });

  it('only takes files something points at (score > 0) unless told otherwise', () => {
    const sel = selectContext(repo, 'the database connection leaks', 100_000, approxTokens);
    expect(sel.files.length).toBeGreaterThan(0);
    expect(sel.files.length).toBeLessThan(repo.length);
    expect(sel.files.map((f) => f.path)).not.toContain('src/middleware/rate-limit.js');
  });

  it('puts pinned files first, in the order given, even when they rank low', () => {
    const sel = selectContext(repo, 'fix the login token expiry', 100_000, approxTokens, { pinned: ['docs/API.md', 'scripts/cleanup_done.py'] });
    expect(sel.files.slice(0, 3).map((f) => f.path)).toEqual(['docs/API.md', 'scripts/cleanup_done.py', 'src/auth/token.js']);
    expect(sel.files[0].reason).toBe('pinned');
    expect(sel.files.filter((f) => f.path === 'docs/API.md')).toHaveLength(1); // not again by score
  });

  it('never includes excluded files, even the best match or a pinned one', () => {
    const sel = selectContext(repo, 'fix the login token expiry', 100_000, approxTokens, {
      excluded: ['src/auth/token.js', 'README.md'],
      pinned: ['README.md'],
    });
    const paths = sel.files.map((f) => f.path);
    expect(paths).not.toContain('src/auth/token.js');
    expect(paths).not.toContain('README.md');
    expect(paths[0]).toBe('src/auth/login.js');
  });

  it('passes over a file that does not fit for a smaller one further down', () => {
    const files = [
      { path: 'big.js', content: `// retry backoff\n${'retry backoff jitter '.repeat(400)}` },
      { path: 'small.js', content: '// retry backoff\nexport const retry = (fn) => fn();\n' },
      { path: 'other.js', content: '// unrelated\n' },
    ];
    const sel = selectContext(files, 'retry backoff', 200, approxTokens);
    expect(sel.files.map((f) => f.path)).toEqual(['small.js']);
    expect(sel.skipped).toEqual([{ path: 'big.js', tokens: approxTokens(files[0].content), reason: expect.stringMatching(/needs \d+ tokens, 200 left$/) }]);
  });

  it('says so when a pinned file does not fit or is not a candidate', () => {
    const sel = selectContext(repo, 'fix the login token expiry', 100, approxTokens, { pinned: ['src/models/todo.js', 'node_modules/x.js'] });
    expect(sel.files.map((f) => f.path)).not.toContain('src/models/todo.js');
    expect(sel.skipped.find((s) => s.path === 'src/models/todo.js')?.reason).toMatch(/^pinned; needs \d+ tokens, 100 left$/);
    expect(sel.skipped.find((s) => s.path === 'node_modules/x.js')?.reason).toMatch(/not among the candidate files/);
  });

  it('counts the per-file overhead and honours maxFiles', () => {
    const sel = selectContext(repo, 'todos', 100_000, approxTokens, { perFileOverheadTokens: 10, maxFiles: 2 });
    expect(sel.files).toHaveLength(2);
    for (const f of sel.files) expect(f.tokens).toBe(tokensOf(f.path) + 10);
  });

  it('can reuse a workspace index instead of building one', () => {
    const index = new RetrievalIndex();
    for (const f of repo) index.upsert(f);
    const withIndex = selectContext(repo, 'the database connection leaks', 1500, approxTokens, { index });
    const without = selectContext(repo, 'the database connection leaks', 1500, approxTokens);
    expect(withIndex.files).toEqual(without.files);
  });
});
