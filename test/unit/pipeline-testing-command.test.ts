import { describe, expect, it } from 'vitest';
import { MacsError } from '../../shared/index.js';
import { commandFromString, conventionalTestCommand, displayCommand } from '../../electron/core/pipeline/testing/index.js';

describe('commandFromString', () => {
  it('splits plain words into argv', () => {
    expect(commandFromString('npm test')).toEqual(['npm', 'test']);
    expect(commandFromString('  go   test ./...  ')).toEqual(['go', 'test', './...']);
  });

  it('resolves quotes and escapes without a shell', () => {
    expect(commandFromString('python3 -m pytest -k "adds numbers" -q')).toEqual(['python3', '-m', 'pytest', '-k', 'adds numbers', '-q']);
    expect(commandFromString("node --test 'test/a b.test.js'")).toEqual(['node', '--test', 'test/a b.test.js']);
    expect(commandFromString('echo a\\ b')).toEqual(['echo', 'a b']);
    // A $ inside single quotes is literal text, not a variable.
    expect(commandFromString("grep '$HOME' x")).toEqual(['grep', '$HOME', 'x']);
  });

  it.each([
    'npm install && npm test',
    'pytest || true',
    'go test ./... | tee out.txt',
    'make; make test',
    'cargo test > log.txt',
    'node --test < input.txt',
    'python3 -m unittest test_*.py',
    'echo $HOME',
    'echo "${PWD}/x"',
    'echo `date`',
    'echo $(date)',
    'go test ./... # all packages',
    'CI=1 npm test',
    'ls ~/x',
    'pytest -k "unclosed',
    'npm test\nnpm run lint',
  ])('runs %j through sh -c', (cmd) => {
    expect(commandFromString(cmd)).toEqual(['sh', '-c', cmd.trim()]);
  });

  it('refuses an empty command with NO_TEST_COMMAND', () => {
    for (const cmd of ['', '   ', '\t\n']) {
      let caught: unknown = null;
      try {
        commandFromString(cmd);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(MacsError);
      expect((caught as MacsError).code).toBe('NO_TEST_COMMAND');
    }
  });

  it('displays sh -c as the line it runs and other argv shell-quoted', () => {
    expect(displayCommand(['sh', '-c', 'a && b'])).toBe('a && b');
    expect(displayCommand(['pytest', '-k', 'adds numbers'])).toBe("pytest -k 'adds numbers'");
  });
});

/** A project as a map of path → content; a null content is a file we never read. */
function project(files: Record<string, string | null>) {
  const paths = Object.keys(files);
  return conventionalTestCommand(paths, (p) => files[p] ?? null);
}

const PKG_WITH_TEST = JSON.stringify({ name: 'x', scripts: { test: 'vitest run' } });
const PKG_NPM_DEFAULT = JSON.stringify({ name: 'x', scripts: { test: 'echo "Error: no test specified" && exit 1' } });

describe('conventionalTestCommand', () => {
  it('uses npm test for a package.json with a real scripts.test', () => {
    expect(project({ 'package.json': PKG_WITH_TEST, 'src/a.js': '' })).toEqual({
      argv: ['npm', 'test', '--silent'],
      display: 'npm test --silent',
      source: 'package.json scripts.test',
    });
  });

  it("ignores npm's default test script, a missing one and a broken package.json", () => {
    const files = { 'a.test.js': '' };
    expect(project({ ...files, 'package.json': PKG_NPM_DEFAULT })?.argv).toEqual(['node', '--test']);
    expect(project({ ...files, 'package.json': '{"name":"x"}' })?.argv).toEqual(['node', '--test']);
    expect(project({ ...files, 'package.json': '{ not json' })?.argv).toEqual(['node', '--test']);
    expect(project({ 'package.json': PKG_NPM_DEFAULT, 'index.js': '' })).toBeNull();
  });

  it('finds the JS test files node --test finds by itself', () => {
    for (const file of ['a.test.js', 'lib/a.test.mjs', 'a-test.cjs', 'a_test.js', 'test-a.js', 'test.js', 'test/a.js', 'src/test/util.mjs']) {
      expect(project({ [file]: '' })?.argv, file).toEqual(['node', '--test']);
    }
    expect(project({ 'a.test.js': '' })?.source).toBe('JS test files (node --test)');
  });

  it('names .spec files explicitly, since node --test does not look for them', () => {
    expect(project({ 'src/b.spec.js': '', 'test/a.js': '', 'src/index.js': '' })?.argv).toEqual(['node', '--test', 'src/b.spec.js', 'test/a.js']);
  });

  it('maps build manifests to their runners', () => {
    expect(project({ 'go.mod': '', 'calc_test.go': '' })?.argv).toEqual(['go', 'test', './...']);
    expect(project({ 'Cargo.toml': '', 'src/lib.rs': '' })?.argv).toEqual(['cargo', 'test']);
    expect(project({ 'pom.xml': '', 'src/test/java/AppTest.java': '' })?.argv).toEqual(['mvn', '-q', 'test']);
    expect(project({ 'build.gradle': '' })?.argv).toEqual(['gradle', 'test', '-q']);
    expect(project({ 'build.gradle.kts': '', gradlew: '' })?.argv).toEqual(['./gradlew', 'test', '-q']);
  });

  it('uses unittest with the start directory and pattern that reach the tests', () => {
    const base = ['python3', '-m', 'unittest', 'discover', '-v'];
    expect(project({ 'calc.py': '', 'test_calc.py': '' })).toEqual({ argv: base, display: base.join(' '), source: 'Python test files (unittest)' });
    // tests/ without __init__.py is no package: discovery from the root would skip it.
    expect(project({ 'calc.py': '', 'tests/test_calc.py': '' })?.argv).toEqual([...base, '-s', 'tests']);
    expect(project({ 'calc.py': '', 'tests/__init__.py': '', 'tests/test_calc.py': '' })?.argv).toEqual([...base, '-s', 'tests', '-t', '.']);
    expect(project({ 'calc.py': '', 'calc_test.py': '' })?.argv).toEqual([...base, '-p', '*_test.py']);
    expect(project({ 'calc_test.py': '', 'test_more.py': '' })?.argv).toEqual([...base, '-p', '*test*.py']);
  });

  it('uses pytest when the project declares it', () => {
    const tests = { 'tests/test_calc.py': 'def test_a():\n    assert True\n' };
    const pytest = ['python3', '-m', 'pytest', '-q'];
    expect(project({ ...tests, 'requirements-dev.txt': 'pytest>=7\n' })).toMatchObject({ argv: pytest, source: 'Python test files (pytest, requirements-dev.txt)' });
    expect(project({ ...tests, 'pyproject.toml': '[tool.pytest.ini_options]\n' })?.argv).toEqual(pytest);
    expect(project({ ...tests, 'setup.cfg': '[tool:pytest]\n' })?.argv).toEqual(pytest);
    expect(project({ ...tests, 'tox.ini': '[pytest]\n' })?.argv).toEqual(pytest);
    expect(project({ ...tests, 'tests/conftest.py': '' })?.argv).toEqual(pytest);
    expect(project({ 'test_x.py': 'import pytest\n\ndef test_a():\n    pass\n' })?.argv).toEqual(pytest);
    // A mention elsewhere (a README) declares nothing.
    expect(project({ ...tests, 'README.md': 'run pytest' })?.argv[2]).toBe('unittest');
  });

  it('picks by the documented precedence when several conventions apply', () => {
    const everything = {
      'package.json': PKG_WITH_TEST,
      'Cargo.toml': '',
      'go.mod': '',
      'pom.xml': '',
      'build.gradle': '',
      'test_a.py': '',
      'a.test.js': '',
    };
    const order = ['npm', 'cargo', 'go', 'mvn', 'gradle', 'python3', 'node'];
    const remaining: Record<string, string | null> = { ...everything };
    const removeFor: Record<string, string> = {
      npm: 'package.json',
      cargo: 'Cargo.toml',
      go: 'go.mod',
      mvn: 'pom.xml',
      gradle: 'build.gradle',
      python3: 'test_a.py',
      node: 'a.test.js',
    };
    for (const runner of order) {
      expect(project(remaining)?.argv[0]).toBe(runner);
      delete remaining[removeFor[runner] as string];
    }
    expect(project(remaining)).toBeNull();
  });

  it('looks at manifests in the root only and never into dependencies or build output', () => {
    expect(project({ 'sub/go.mod': '', 'README.md': '' })).toBeNull();
    expect(project({ 'node_modules/x/a.test.js': '', '.venv/lib/test_x.py': '', 'target/test_y.py': '', 'index.js': '' })).toBeNull();
  });

  it('returns null for a project with nothing to test', () => {
    expect(project({})).toBeNull();
    expect(project({ 'index.html': '', 'style.css': '', 'main.py': '' })).toBeNull();
  });
});
