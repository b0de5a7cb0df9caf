import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCandidateFilter, filterCandidates, rankFiles, selectContext } from '../../electron/core/retrieval/index.js';
import { approxTokens, FIXTURE_REPO, loadFixtureRepo } from './retrieval-helpers.js';

const repo = loadFixtureRepo();
const gitignore = readFileSync(path.join(FIXTURE_REPO, '.gitignore'), 'utf8');

// Files a real checkout would have but the fixture cannot commit (the outer repository
// ignores dist/ and node_modules/). Each is stuffed with the prompt's words, so it would
// win the ranking if the filter let it through.
const BAIT = 'login token expiry login token expiry verifyToken signToken';
const decoys = [
  'dist/bundle.js', // .gitignore
  'node_modules/jsonwebtoken/index.js', // .gitignore and default
  '.env', // .gitignore
  'coverage/lcov-report/token.js.html', // .gitignore
  'tmp/scratch.js', // .gitignore
  'server.log', // .gitignore (*.log)
  '.git/COMMIT_EDITMSG', // default
  'package-lock.json', // default
  'assets/logo.png', // default
  'src/vendor.min.js', // default
].map((p) => ({ path: p, content: BAIT }));

describe('filterCandidates', () => {
  it('drops gitignored and default-excluded files and keeps every real source file', () => {
    const all = [...repo, ...decoys].map((f) => f.path);
    const kept = filterCandidates(all, { gitignore });
    expect(kept.sort()).toEqual(repo.map((f) => f.path).sort());
  });

  it('gitignored bait would rank first unfiltered, and never reaches the context filtered', () => {
    const everything = [...repo, ...decoys];
    expect(decoys.map((d) => d.path)).toContain(rankFiles(everything, 'fix the login token expiry')[0].path);

    const kept = new Set(filterCandidates(everything.map((f) => f.path), { gitignore }));
    const candidates = everything.filter((f) => kept.has(f.path));
    const sel = selectContext(candidates, 'fix the login token expiry', 100_000, approxTokens);
    expect(sel.files[0].path).toBe('src/auth/token.js');
    for (const d of decoys) expect(sel.files.map((f) => f.path)).not.toContain(d.path);
  });

  it('include globs: a folder name, a ** glob, and a bare *.ext that matches at any depth', () => {
    const paths = repo.map((f) => f.path);
    expect(filterCandidates(paths, { include: ['src'] }).every((p) => p.startsWith('src/'))).toBe(true);
    expect(filterCandidates(paths, { include: ['src/'] })).toEqual(filterCandidates(paths, { include: ['src/**'] }));
    expect(filterCandidates(paths, { include: ['*.py'] })).toEqual(['scripts/cleanup_done.py', 'scripts/export_report.py']);
    expect(filterCandidates(paths, { include: ['src/auth/*.js', 'docs/**'] })).toEqual(['docs/API.md', 'src/auth/login.js', 'src/auth/password.js', 'src/auth/token.js']);
  });

  it('exclude globs win over include globs', () => {
    const paths = repo.map((f) => f.path);
    const kept = filterCandidates(paths, { include: ['src/**', 'test/**'], exclude: ['test', '**/*.sql', 'src/auth/password.js'] });
    expect(kept.some((p) => p.startsWith('test/'))).toBe(false);
    expect(kept.some((p) => p.endsWith('.sql'))).toBe(false);
    expect(kept).not.toContain('src/auth/password.js');
    expect(kept).toContain('src/auth/token.js');
  });

  it('gitignore negation and nested .gitignore files, the deeper one deciding', () => {
    const paths = ['app.log', 'keep.log', 'packages/a/x.gen.ts', 'packages/a/keep.gen.ts', 'packages/b/x.gen.ts', 'logs/today.txt', 'src/logs.ts'];
    const kept = filterCandidates(paths, {
      gitignore: { '': '*.log\n!keep.log\nlogs/\n', 'packages/a': '*.gen.ts\n!keep.gen.ts\n' },
    });
    expect(kept).toEqual(['keep.log', 'packages/a/keep.gen.ts', 'packages/b/x.gen.ts', 'src/logs.ts']);
  });

  it('cleans paths and refuses ones that are not relative paths inside the workspace', () => {
    expect(filterCandidates(['./src/a.js', 'src\\b.js', '/etc/passwd', '../up.js', 'C:/x.js', 'a/../b.js', ''])).toEqual(['src/a.js', 'src/b.js']);
  });

  it('defaults can be turned off', () => {
    expect(filterCandidates(['package-lock.json', 'dist/x.js'], { defaultExcludes: false })).toEqual(['package-lock.json', 'dist/x.js']);
  });
});

describe('createCandidateFilter', () => {
  const filter = createCandidateFilter({ gitignore, include: ['src/**/*.js'], exclude: ['src/legacy'] });

  it('prunes whole folders for a directory walker, but does not apply include globs to folders', () => {
    expect(filter.test('node_modules', true)).toMatchObject({ keep: false, reason: 'default-exclude' });
    expect(filter.test('tmp', true)).toMatchObject({ keep: false, reason: 'gitignore', detail: 'ignored by .gitignore' });
    expect(filter.test('src/legacy', true)).toMatchObject({ keep: false, reason: 'exclude', detail: 'excluded by "src/legacy"' });
    expect(filter.test('src', true)).toEqual({ keep: true });
    expect(filter.test('docs', true)).toEqual({ keep: true });
  });

  it('gives a reason a user can read for each drop', () => {
    expect(filter.test('docs/API.md')).toEqual({ keep: false, reason: 'not-included', detail: 'matches none of "src/**/*.js"' });
    expect(filter.test('src/legacy/old.js')).toMatchObject({ keep: false, reason: 'exclude' });
    expect(filter.test('../x.js')).toMatchObject({ keep: false, reason: 'invalid-path' });
    expect(filter.test('src/auth/token.js')).toEqual({ keep: true });
  });
});
