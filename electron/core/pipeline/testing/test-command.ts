// Which command runs a project's tests: one the model (or a TaskV1.1 oracle) wrote as a
// shell line, or the one the project's files imply by convention.
import { parse, quote } from 'shell-quote';
import { MacsError } from '../../../../shared/index.js';

export interface TestCommand {
  argv: string[];
  /** How the command reads in the timeline and in prompts. */
  display: string;
  /** A short human reason: "package.json scripts.test", "test_*.py files (unittest)". */
  source: string;
}

/** Returned by the variable lookup so that `$VAR` shows up as a non-string entry. */
const VARIABLE = { op: 'variable' } as const;

/**
 * A one-line shell command as argv. Plain words (quotes and escapes resolved) run
 * directly; anything that needs a shell to mean what it says (&&, |, ;, redirections,
 * globs, $VAR, backticks, comments, `FOO=1 cmd`, `~`, an unclosed quote) runs as
 * `sh -c cmd`, so the shell, not us, decides what it means — and reports its errors.
 */
export function commandFromString(cmd: string): string[] {
  const line = cmd.trim();
  if (line === '') throw new MacsError('NO_TEST_COMMAND', 'The test command is empty.');
  if (needsShellBeyondParse(line)) return ['sh', '-c', line];
  const entries = parse(line, () => VARIABLE);
  const words: string[] = [];
  for (const entry of entries) {
    if (typeof entry !== 'string') return ['sh', '-c', line];
    words.push(entry);
  }
  // `FOO=1 npm test` sets an environment variable: only a shell does that.
  if (words.length === 0 || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0] ?? '')) return ['sh', '-c', line];
  if (words.some((w) => w.startsWith('~'))) return ['sh', '-c', line];
  return words;
}

/** What shell-quote passes through as plain text although a shell would not. */
function needsShellBeyondParse(line: string): boolean {
  if (line.includes('`') || line.includes('\n')) return true;
  return !quotesAreBalanced(line);
}

/** shell-quote silently closes an unclosed quote; sh reports it, which the fix step can read. */
function quotesAreBalanced(line: string): boolean {
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote === "'") {
      if (ch === "'") quote = null;
    } else if (ch === '\\') {
      i++; // escapes the next character (outside single quotes)
    } else if (quote === '"') {
      if (ch === '"') quote = null;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
    }
  }
  return quote === null && !line.endsWith('\\');
}

/** How an argv reads: `sh -c` shows the line it runs. */
export function displayCommand(argv: readonly string[]): string {
  if (argv.length === 3 && argv[0] === 'sh' && argv[1] === '-c') return argv[2] ?? '';
  return quote([...argv]);
}

/** Directories whose files are dependencies, caches or build output, never the project's tests. */
const IGNORED_DIR = /(^|\/)(node_modules|\.git|\.venv|venv|env|__pycache__|\.pytest_cache|\.tox|target|dist|build|vendor|\.gradle)\//;

/** npm writes this into a fresh package.json; it fails on purpose and tests nothing. */
const NPM_DEFAULT_TEST = 'no test specified';

/**
 * The test command a project's files imply, or null. Paths are POSIX, relative to the
 * project root. When several conventions apply the first of these wins:
 *   1. package.json with a real scripts.test  → npm test --silent (the author said so)
 *   2. Cargo.toml → cargo test     3. go.mod → go test ./...     4. pom.xml → mvn -q test
 *   5. build.gradle(.kts) → ./gradlew test -q (gradle test -q without a wrapper)
 *   6. Python test files → pytest when declared, else unittest discover
 *   7. JS/TS test files → node --test
 * A build manifest names its own test runner, so it beats guesses from file names;
 * among the guesses Python comes first because `node --test` is only a guess at how
 * loose JS test files are meant to run, while python test files have one standard runner.
 */
export function conventionalTestCommand(files: readonly string[], read: (relPath: string) => string | null): TestCommand | null {
  const projectFiles = files.filter((f) => !IGNORED_DIR.test(f));
  const root = new Set(projectFiles.filter((f) => !f.includes('/')));
  const make = (argv: string[], source: string): TestCommand => ({ argv, display: displayCommand(argv), source });

  if (root.has('package.json') && hasRealTestScript(read('package.json'))) {
    return make(['npm', 'test', '--silent'], 'package.json scripts.test');
  }
  if (root.has('Cargo.toml')) return make(['cargo', 'test'], 'Cargo.toml');
  if (root.has('go.mod')) return make(['go', 'test', './...'], 'go.mod');
  if (root.has('pom.xml')) return make(['mvn', '-q', 'test'], 'pom.xml');
  const gradle = root.has('build.gradle') ? 'build.gradle' : root.has('build.gradle.kts') ? 'build.gradle.kts' : null;
  if (gradle) {
    return root.has('gradlew')
      ? make(['./gradlew', 'test', '-q'], `${gradle} with gradlew`)
      : make(['gradle', 'test', '-q'], gradle);
  }
  const python = pythonTestCommand(projectFiles, root, read);
  if (python) return make(python.argv, python.source);
  const js = nodeTestCommand(projectFiles);
  if (js) return make(js, 'JS test files (node --test)');
  return null;
}

function hasRealTestScript(text: string | null): boolean {
  if (text === null) return false;
  try {
    const pkg: unknown = JSON.parse(text);
    if (typeof pkg !== 'object' || pkg === null) return false;
    const scripts = (pkg as { scripts?: unknown }).scripts;
    if (typeof scripts !== 'object' || scripts === null) return false;
    const test = (scripts as Record<string, unknown>).test;
    return typeof test === 'string' && test.trim() !== '' && !test.includes(NPM_DEFAULT_TEST);
  } catch {
    return false; // a broken package.json tells us nothing about tests
  }
}

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
const PY_TEST_FILE = /^(test_.*|.*_test)\.py$/;
/** Files that, when they mention pytest, declare it; conftest.py and pytest.ini declare it by existing. */
const PYTEST_DECLARATIONS = ['pyproject.toml', 'setup.cfg', 'tox.ini', 'setup.py', 'Pipfile'];

function pythonTestCommand(
  files: readonly string[],
  root: ReadonlySet<string>,
  read: (relPath: string) => string | null,
): { argv: string[]; source: string } | null {
  const testFiles = files.filter((f) => f.endsWith('.py') && (PY_TEST_FILE.test(basename(f)) || /(^|\/)tests\//.test(f)));
  if (testFiles.length === 0) return null;

  const pytestBy = pytestDeclaration(files, root, testFiles, read);
  if (pytestBy) return { argv: ['python3', '-m', 'pytest', '-q'], source: `Python test files (pytest, ${pytestBy})` };

  // unittest finds only what its start directory and pattern reach: tests/ without an
  // __init__.py is not a package, so discovery from the root skips it; `-t .` keeps a
  // tests package importable as `tests.x` so its relative imports work.
  const argv = ['python3', '-m', 'unittest', 'discover', '-v'];
  const named = testFiles.filter((f) => PY_TEST_FILE.test(basename(f)));
  const topDirs = new Set(named.map((f) => (f.includes('/') ? f.slice(0, f.indexOf('/')) : '.')));
  const only = topDirs.size === 1 ? [...topDirs][0] : undefined;
  if (only !== undefined && only !== '.') {
    argv.push('-s', only);
    if (files.includes(`${only}/__init__.py`)) argv.push('-t', '.');
  }
  // The default pattern is test*.py; *_test.py files need their own.
  const suffixStyle = named.some((f) => basename(f).endsWith('_test.py'));
  const prefixStyle = named.some((f) => basename(f).startsWith('test'));
  if (suffixStyle) argv.push('-p', prefixStyle ? '*test*.py' : '*_test.py');
  return { argv, source: 'Python test files (unittest)' };
}

/** Where pytest is declared, or null. */
function pytestDeclaration(
  files: readonly string[],
  root: ReadonlySet<string>,
  testFiles: readonly string[],
  read: (relPath: string) => string | null,
): string | null {
  if (files.some((f) => basename(f) === 'conftest.py')) return 'conftest.py';
  if (root.has('pytest.ini')) return 'pytest.ini';
  const requirements = [...root].filter((f) => /^requirements.*\.txt$/.test(f)).sort();
  for (const file of [...PYTEST_DECLARATIONS, ...requirements]) {
    if (root.has(file) && /\bpytest\b/.test(read(file) ?? '')) return file;
  }
  // A test that imports pytest needs it, declared or not; unittest could not run it.
  for (const file of testFiles.slice(0, 50)) {
    if (/^\s*(import pytest|from pytest\b)/m.test(read(file) ?? '')) return `${basename(file)} imports it`;
  }
  return null;
}

const JS_EXT = /\.(c|m)?(j|t)s$/;
/** The files `node --test` finds by itself (Node ≥ 20 defaults; .ts only where Node strips types). */
const NODE_DEFAULT_TEST = /^(.*[._-]test|test-.*|test)\.(c|m)?(j|t)s$/;
/** Test files by name that node does not find without being told. */
const OTHER_JS_TEST = /\.spec\.(c|m)?(j|t)s$/;

function nodeTestCommand(files: readonly string[]): string[] | null {
  const found = files.filter((f) => JS_EXT.test(f) && !f.endsWith('.d.ts'));
  const byDefault = found.filter((f) => NODE_DEFAULT_TEST.test(basename(f)) || /(^|\/)test\//.test(f));
  const others = found.filter((f) => OTHER_JS_TEST.test(basename(f)) && !byDefault.includes(f));
  if (byDefault.length === 0 && others.length === 0) return null;
  // Named files run on every Node version (glob arguments need Node ≥ 21).
  return others.length === 0 ? ['node', '--test'] : ['node', '--test', ...[...byDefault, ...others].sort()];
}
