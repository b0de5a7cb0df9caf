import { describe, expect, it } from 'vitest';
import type { TestReport } from '../../shared/index.js';
import { extractFiles } from '../../electron/core/files/index.js';
import { implicatedFiles } from '../../electron/core/pipeline/steps/fix-step.js';
import { checkNonNegotiables } from '../../electron/core/pipeline/steps/non-negotiables.js';
import { fenceLanguage, isDocsPath, isTestPath, renderFile, type ProjectFile } from '../../electron/core/pipeline/steps/project-files.js';

/** The file facts checkNonNegotiables reads: paths and contents. */
const facts = (files: Record<string, string>) => ({ paths: Object.keys(files), read: (p: string) => files[p] ?? null });

describe('checkNonNegotiables', () => {
  it('checks the build file a named tool needs', () => {
    const cases: Array<[string, Record<string, string>, boolean, string]> = [
      ['Build with Maven', { 'pom.xml': '<project/>' }, true, 'needs pom.xml'],
      ['Build with Maven', { 'build.gradle': '' }, false, 'needs pom.xml'],
      ['Use Gradle', { 'app/build.gradle.kts': '' }, true, 'needs build.gradle'],
      ['Use Gradle', { 'pom.xml': '' }, false, 'needs build.gradle'],
      ['Use Cargo', { 'Cargo.toml': '' }, true, 'needs Cargo.toml'],
      ['Use Cargo', { 'src/main.rs': '' }, false, 'needs Cargo.toml'],
      ['Use Go modules', { 'go.mod': 'module x' }, true, 'needs go.mod'],
      ['has a go.mod', { 'main.go': '' }, false, 'needs go.mod'],
      ['Use npm scripts', { 'package.json': '{}' }, true, 'needs package.json'],
      ['Use npm scripts', { 'web/package.json': '{}' }, false, 'needs package.json'],
      ['Managed with Poetry', { 'pyproject.toml': '' }, true, 'needs pyproject.toml'],
      ['Written in TypeScript', { 'src/a.tsx': '' }, true, 'needs TypeScript (.ts) sources'],
      ['Written in TypeScript', { 'src/a.js': '' }, false, 'needs TypeScript (.ts) sources'],
    ];
    for (const [rule, files, ok, detail] of cases) expect(checkNonNegotiables([rule], facts(files)), rule).toEqual([{ rule, ok, detail }]);
  });

  it('checks "no dependencies" against package.json dependencies and requirements.txt', () => {
    const rule = 'No external dependencies';
    expect(checkNonNegotiables([rule], facts({ 'main.py': '' }))).toEqual([{ rule, ok: true, detail: 'no dependencies declared' }]);
    expect(checkNonNegotiables([rule], facts({ 'package.json': JSON.stringify({ dependencies: { lodash: '1', chalk: '2' } }) }))).toEqual([
      { rule, ok: false, detail: 'declares 2 dependencies' },
    ]);
    expect(checkNonNegotiables([rule], facts({ 'requirements.txt': '# pinned\n\nrequests==2\n' }))).toEqual([{ rule, ok: false, detail: 'declares 1 dependency' }]);
    expect(checkNonNegotiables([rule], facts({ 'package.json': JSON.stringify({ devDependencies: { vitest: '1' } }) }))[0].ok).toBe(true);
    expect(checkNonNegotiables([rule], facts({ 'package.json': '{ not json' }))[0].ok).toBe(true);
    for (const phrase of ['zero dependencies', 'without third-party dependencies', 'standard library only', 'use only the standard library', 'no runtime dependencies']) {
      expect(checkNonNegotiables([phrase], facts({ 'requirements.txt': 'flask\n' })), phrase).toHaveLength(1);
    }
  });

  it('gives one result per check a rule triggers, and none for rules it cannot check', () => {
    const out = checkNonNegotiables(['TypeScript with npm, no external dependencies', 'Be fast', 'Handle errors gracefully'], facts({ 'package.json': '{}', 'src/a.ts': '' }));
    expect(out.map((c) => [c.detail, c.ok])).toEqual([
      ['needs package.json', true],
      ['needs TypeScript (.ts) sources', true],
      ['no dependencies declared', true],
    ]);
    expect(checkNonNegotiables([], facts({}))).toEqual([]);
  });

  it('matches tool names as words only', () => {
    expect(checkNonNegotiables(['Use the Mavenlike layout', 'cargoes are fine'], facts({}))).toEqual([]);
  });

  // BUG: electron/core/pipeline/steps/non-negotiables.ts, CHECKS: the tool checks (`\bnpm\b`,
  // `\bmaven\b`, `\btypescript\b` …) fire on any mention of the tool, also a negated one. The rule
  // "No npm packages: only the Node.js standard library" requires package.json (detail "needs
  // package.json"), so a plain Node project with no package.json (which `node --test` runs fine)
  // fails the check, review asks for a revision and, after round 2, the task fails with
  // REQUIREMENTS_NOT_MET. Same for "Do not use Maven" (needs pom.xml) and "Plain JavaScript, not
  // TypeScript" (needs .ts sources). Expected: every result ok (or no check for a negated tool);
  // actual: { ok: false, detail: 'needs package.json' } etc.
  it('does not require the build file of a tool the rule forbids', () => {
    const files = facts({ 'src/add.js': 'export const add = (a, b) => a + b;\n', 'test/add.test.js': '' });
    for (const rule of ['No npm packages: only the Node.js standard library', 'Do not use Maven', 'Plain JavaScript, not TypeScript']) {
      expect(checkNonNegotiables([rule], files).filter((c) => !c.ok), rule).toEqual([]);
    }
  });
});

const report = (tail: string, failures: TestReport['failures'] = []): TestReport => ({
  command: ['npm', 'test'],
  level: 'plan',
  exitCode: 1,
  passed: false,
  timedOut: false,
  durationMs: 10,
  counts: null,
  failures,
  tail,
});
const files = (...paths: string[]): ProjectFile[] => paths.map((path) => ({ path, content: '' }));

describe('implicatedFiles', () => {
  it('finds files named by path in the tail', () => {
    const project = files('src/cart.js', 'src/util.js', 'test/cart.test.js');
    const r = report('TypeError: x is not a function\n    at total (/work/ws/src/cart.js:12:5)\n');
    expect(implicatedFiles(r, project)).toEqual(['src/cart.js']);
  });

  it('finds files named by file name alone, in failures too, in project order', () => {
    const project = files('pkg/calc.py', 'pkg/io.py', 'tests/test_calc.py');
    const r = report('FAILED (failures=1)', [{ name: 'test_add (tests.test_calc.TestCalc)', message: 'AssertionError: 5 != 6', location: 'test_calc.py:7' }]);
    expect(implicatedFiles(r, project)).toEqual(['tests/test_calc.py']);
    const tb = report('  File "calc.py", line 3, in add\n', [{ name: 'x', message: null, location: '`io.py`' }]);
    expect(implicatedFiles(tb, project)).toEqual(['pkg/calc.py', 'pkg/io.py']);
  });

  it('needs a boundary around a file name', () => {
    const project = files('src/a.js', 'src/index.js');
    expect(implicatedFiles(report('error in src/data.json and reindex.jsx'), project)).toEqual([]);
    expect(implicatedFiles(report('at index.js:3'), project)).toEqual(['src/index.js']);
    expect(implicatedFiles(report('cannot parse /etc/a.json'), project)).toEqual([]);
    expect(implicatedFiles(report('Error: "a.js" failed, see (a.js)'), project)).toEqual(['src/a.js']);
  });

  it('escapes regex characters in file names', () => {
    const project = files('src/a+b.js', 'src/axb.js');
    expect(implicatedFiles(report('at a+b.js:1'), project)).toEqual(['src/a+b.js']);
  });

  it('finds nothing in an empty report', () => {
    expect(implicatedFiles(report(''), files('src/a.js'))).toEqual([]);
  });

  // BUG: electron/core/pipeline/steps/fix-step.ts, implicatedFiles: `text.includes(f.path)` has no
  // boundary, so a root-level file whose path is the tail of another name is implicated by it:
  // files main.go and domain.go, tail "./domain.go:12: undefined: Foo" → main.go is implicated
  // too ("domain.go" contains "main.go"). The file-name regex right after it does require a
  // boundary; the path test does not. Effect: wrong files get the top context priority (10) in the
  // fix prompt. Expected ['domain.go']; actual ['main.go', 'domain.go'].
  it('does not implicate a root file whose path is only the end of another name', () => {
    expect(implicatedFiles(report('./domain.go:12: undefined: Foo\n'), files('main.go', 'domain.go'))).toEqual(['domain.go']);
  });
});

describe('isDocsPath and isTestPath', () => {
  it('recognises docs', () => {
    for (const p of ['README.md', 'readme', 'README.rst', 'CHANGELOG.md', 'CONTRIBUTING.md', 'pkg/README.md', 'docs/usage.md', 'docs/img/a.png']) expect(isDocsPath(p), p).toBe(true);
    for (const p of ['src/readme.js.map', 'READMEx.md', 'src/docs/x.md', 'README.md.bak', 'documentation.txt', 'src/main.py']) expect(isDocsPath(p), p).toBe(false);
  });

  it('recognises tests', () => {
    const tests = ['test/a.js', 'tests/test_a.py', '__tests__/a.js', 'spec/a_spec.rb', 'pkg/test/a.js', 'test_calc.py', 'src/test_calc.py', 'calc_test.py', 'calc_test.go', 'a.test.ts', 'a.spec.tsx', 'a.test.mjs', 'a.spec.cjs', 'A.Test.JS'];
    for (const p of tests) expect(isTestPath(p), p).toBe(true);
    const code = ['src/testing.js', 'contest/a.js', 'latest.py', 'src/test_utils.js', 'attest_a.py', 'src/a.js', 'testdata.json', 'test.py', 'a.test.css'];
    for (const p of code) expect(isTestPath(p), p).toBe(false);
  });
});

describe('renderFile', () => {
  it('writes a file the way the model is asked to: File: path, a fence with the language', () => {
    expect(renderFile({ path: 'src/a.py', content: 'print(1)\n' })).toBe('File: src/a.py\n```python\nprint(1)\n```');
    expect(renderFile({ path: 'Makefile', content: 'all:\n' })).toBe('File: Makefile\n```\nall:\n```');
  });

  it('ends the content with exactly one newline before the fence', () => {
    expect(renderFile({ path: 'a.js', content: 'x' })).toBe('File: a.js\n```javascript\nx\n```');
    expect(renderFile({ path: 'a.js', content: 'x\n\n' })).toBe('File: a.js\n```javascript\nx\n\n```');
    expect(renderFile({ path: 'a.js', content: '' })).toBe('File: a.js\n```javascript\n\n```');
  });

  it('uses a longer fence when the content contains ```', () => {
    const content = '# Usage\n\n```bash\nnpm test\n```\n';
    const out = renderFile({ path: 'README.md', content });
    expect(out).toBe('File: README.md\n````markdown\n' + content + '````');
    expect(extractFiles(out)).toEqual([{ path: 'README.md', content, truncated: false }]);
  });

  it('round-trips through the extractor', () => {
    const cases: ProjectFile[] = [
      { path: 'src/a.ts', content: 'export const a = 1;\n' },
      { path: 'gen.js', content: 'const md = `\n```js\nx\n```\n`;\n' },
      { path: 'docs/guide.md', content: 'Run:\n\n```sh\nmake\n```\n\nDone.\n' },
    ];
    for (const f of cases) expect(extractFiles(renderFile(f)), f.path).toEqual([{ ...f, truncated: false }]);
  });

  // BUG: electron/core/pipeline/steps/project-files.ts, renderFile: the fence is ```` whenever the
  // content contains ```, however long the backtick runs in it are. Content with a line of four
  // backticks (a generator or a docs file that itself shows a nested fence) closes the ```` fence
  // early, so the model sees a cut file followed by stray text. Input: path gen.js, content
  // 'const s = `\n````\n`;\n'. Expected: the fence is longer than any backtick run in the content
  // (round-trips through the extractor); actual: 'File: gen.js\n````javascript\nconst s = `\n````\n`;\n````',
  // which extracts as just 'const s = `\n': the file is cut at the inner ```` and the rest is lost.
  it('uses a fence longer than any backtick run in the content', () => {
    const f: ProjectFile = { path: 'gen.js', content: 'const s = `\n````\n`;\n' };
    expect(extractFiles(renderFile(f))).toEqual([{ ...f, truncated: false }]);
  });

  it('names the fence language by extension', () => {
    expect(fenceLanguage('a.PY')).toBe('python');
    expect(fenceLanguage('x/y.tsx')).toBe('tsx');
    expect(fenceLanguage('noext')).toBe('');
  });
});
