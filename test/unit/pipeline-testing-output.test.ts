// Test-runner output parsing against recorded outputs in test/fixtures/test-outputs.
// Recorded from real runs (tiny failing projects): node --test on Node 20.20 (TAP is its
// default under a pipe; spec via --test-reporter=spec), python 3.11 unittest, pytest 9,
// cargo 1.95 (with and without RUST_BACKTRACE), mvn 3.8 + Surefire 3.2.5 / JUnit 5 (run
// offline from the local repository; colours as Maven prints them), jest 30 and vitest 4
// (with colours). Written from documented formats, as each file's first line says:
// go-*.txt (go is not installed) and node-spec22-fail.txt (Node 22/24's spec default).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTestOutput, relevantTail, stripAnsi } from '../../electron/core/pipeline/testing/index.js';
import { mulberry32 } from '../fixtures/prng.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/test-outputs/${name}.txt`, import.meta.url), 'utf8');
const names = (output: string): string[] => parseTestOutput(output).failures.map((f) => f.name);

describe('stripAnsi', () => {
  it('removes colours, cursor moves and OSC links, and keeps the text', () => {
    expect(stripAnsi('\x1b[1;31mERROR\x1b[m x \x1b[2K\x1b[1Gdone')).toBe('ERROR x done');
    expect(stripAnsi('\x1b]8;;https://x\x07link\x1b]8;;\x07')).toBe('link');
    expect(stripAnsi('plain ✖ text')).toBe('plain ✖ text');
    // An unterminated OSC must not swallow the output after it.
    expect(stripAnsi('\x1b]0;title\nok 1 - a')).toBe('0;title\nok 1 - a');
  });
});

describe('node:test', () => {
  it('reads the TAP reporter (Node 20 under a pipe): leaf tests, not the failing suite', () => {
    const r = parseTestOutput(fixture('node-tap-fail'));
    expect(r.counts).toEqual({ passed: 2, failed: 3 });
    expect(r.failures.map((f) => f.name)).toEqual(['adds numbers', 'parses dates', 'throws on junk']);
    expect(r.failures[0]).toEqual({
      name: 'adds numbers',
      message: 'AssertionError: Expected values to be strictly equal: 5 !== 4',
      location: '/tmp/rec/node/test/math.test.js:6:10',
    });
    expect(r.failures[2]?.message).toBe('TypeError: cannot read junk');
  });

  it('reads the spec reporter, once per test although it lists failures twice', () => {
    const r = parseTestOutput(fixture('node-spec-fail'));
    expect(r.counts).toEqual({ passed: 2, failed: 3 });
    expect(r.failures.map((f) => f.name)).toEqual(['adds numbers', 'parses dates', 'throws on junk']);
    expect(r.failures[0]?.message).toBe('AssertionError [ERR_ASSERTION]: Expected values to be strictly equal: 5 !== 4');
    expect(r.failures[2]).toEqual({ name: 'throws on junk', message: 'TypeError [Error]: cannot read junk', location: '/tmp/rec/node/test/math.test.js:18:11' });
  });

  it('reads the Node 22+ spec format, where the detail is only under "failing tests:"', () => {
    const r = parseTestOutput(fixture('node-spec22-fail'));
    expect(r.counts).toEqual({ passed: 2, failed: 2 });
    expect(r.failures).toEqual([
      {
        name: 'adds numbers',
        message: 'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal: 5 !== 4',
        location: '/home/user/proj/test/math.test.js:6:10',
      },
      expect.objectContaining({ name: 'parses dates', location: '/home/user/proj/test/math.test.js:15:12' }),
    ]);
  });

  it('names the failing subtest, skips failing TODOs and reports timeouts (TAP and spec)', () => {
    for (const name of ['node-tap-subtests', 'node-spec-subtests']) {
      const r = parseTestOutput(fixture(name));
      // node counts the parent in `fail` and the timed-out test as cancelled.
      expect(r.counts, name).toEqual({ passed: 1, failed: 3 });
      expect(r.failures.map((f) => f.name), name).toEqual(['child bad', 'slow']);
      expect(r.failures[1]?.message, name).toBe('test timed out after 50ms');
    }
  });

  it('counts a passing run', () => {
    expect(parseTestOutput(fixture('node-tap-pass'))).toEqual({ counts: { passed: 2, failed: 0 }, failures: [] });
  });
});

describe('python', () => {
  it('reads unittest -v: ids, the exception line and the frame in the project', () => {
    const r = parseTestOutput(fixture('unittest-fail'));
    expect(r.counts).toEqual({ passed: 2, failed: 2 });
    expect(r.failures).toEqual([
      { name: 'tests.test_calc.CalcTest.test_parses_dates', message: 'IndexError: list index out of range', location: '/tmp/rec/py/tests/test_calc.py:13' },
      { name: 'tests.test_calc.CalcTest.test_adds_numbers', message: 'AssertionError: 5 != 4', location: '/tmp/rec/py/tests/test_calc.py:7' },
    ]);
  });

  it('counts skipped unittest tests as neither passed nor failed', () => {
    expect(parseTestOutput(fixture('unittest-pass'))).toEqual({ counts: { passed: 2, failed: 0 }, failures: [] });
  });

  it('reads older unittest headers that omit the method from the parentheses', () => {
    const out = 'FAIL: test_x (pkg.mod.Case)\n' + '-'.repeat(70) + '\nTraceback (most recent call last):\n  File "pkg/mod.py", line 3, in test_x\nAssertionError: 1 != 2\n\n' + '-'.repeat(70) + '\nRan 1 test in 0.001s\n\nFAILED (failures=1)\n';
    expect(parseTestOutput(out)).toEqual({ counts: { passed: 0, failed: 1 }, failures: [{ name: 'pkg.mod.Case.test_x', message: 'AssertionError: 1 != 2', location: 'pkg/mod.py:3' }] });
  });

  it('reads pytest: node ids from the short summary, whole messages from the sections', () => {
    const r = parseTestOutput(fixture('pytest-fail'));
    expect(r.counts).toEqual({ passed: 3, failed: 4 });
    expect(r.failures.map((f) => f.name)).toEqual([
      'tests/test_calc.py::CalcTest::test_adds_numbers',
      'tests/test_calc.py::CalcTest::test_parses_dates',
      'tests/test_more.py::test_adds_negative',
      'tests/test_more.py::test_raises',
    ]);
    // The short summary cut this one to "IndexError: list ind..."; the section has it whole.
    expect(r.failures[1]).toEqual({ name: 'tests/test_calc.py::CalcTest::test_parses_dates', message: 'IndexError: list index out of range', location: 'tests/test_calc.py:13' });
    expect(r.failures[2]?.message).toBe('AssertionError: negatives should add assert -2 == -3 + where -2 = add(-1, -1)');
  });

  it('reads a pytest collection error as a failure', () => {
    const r = parseTestOutput(fixture('pytest-collect-error'));
    expect(r.counts).toEqual({ passed: 0, failed: 1 });
    expect(r.failures).toEqual([{ name: 'tests/test_broken.py', message: "ModuleNotFoundError: No module named 'nosuchmod'", location: 'tests/test_broken.py:1' }]);
  });
});

describe('go test', () => {
  it('reads failures, subtests (not their parent) and build failures; no counts without -v', () => {
    const r = parseTestOutput(fixture('go-fail'));
    expect(r.counts).toBeNull();
    expect(r.failures.map((f) => f.name)).toEqual(['TestAdd', 'TestParse/empty', 'TestParse/letters', 'example.com/calc/store [build failed]']);
    expect(r.failures[0]).toEqual({ name: 'TestAdd', message: 'Add(2, 2) = 5; want 4', location: 'calc_test.go:12' });
    expect(r.failures[3]).toMatchObject({ message: 'undefined: sum', location: 'store/store.go:9' });
  });

  it('reads -v output: logs before the result line, counts, and a panic located in the project', () => {
    const r = parseTestOutput(fixture('go-verbose-panic'));
    expect(r.counts).toEqual({ passed: 1, failed: 2 });
    expect(r.failures).toEqual([
      { name: 'TestAdd', message: 'Add(2, 2) = 5; want 4', location: 'calc_test.go:12' },
      { name: 'TestDiv', message: 'panic: runtime error: integer divide by zero', location: '/home/user/calc/calc.go:14' },
    ]);
  });
});

describe('cargo test', () => {
  it.each(['cargo-fail', 'cargo-backtrace'])('reads %s: panics, their location and message', (name) => {
    const r = parseTestOutput(fixture(name));
    expect(r.counts).toEqual({ passed: 1, failed: 2 });
    expect(r.failures).toEqual([
      { name: 'tests::adds_numbers', message: 'assertion `left == right` failed left: 5 right: 4', location: 'src/lib.rs:20:9' },
      { name: 'tests::parses_numbers', message: 'called `Result::unwrap()` on an `Err` value: ParseIntError { kind: InvalidDigit }', location: 'src/lib.rs:6:15' },
    ]);
  });

  it('reads the panic format of Rust before 1.73 and sums several test binaries', () => {
    const out = [
      'test tests::a ... FAILED',
      '',
      'failures:',
      '',
      '---- tests::a stdout ----',
      "thread 'tests::a' panicked at 'assertion failed: `(left == right)`', src/lib.rs:10:5",
      '',
      'test result: FAILED. 3 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out',
      'test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out',
    ].join('\n');
    expect(parseTestOutput(out)).toEqual({
      counts: { passed: 5, failed: 1 },
      failures: [{ name: 'tests::a', message: 'assertion failed: `(left == right)`', location: 'src/lib.rs:10:5' }],
    });
  });
});

describe('maven surefire', () => {
  it('reads the coloured -q output: totals, failures and errors with their test line', () => {
    const r = parseTestOutput(fixture('maven-fail'));
    expect(r.counts).toEqual({ passed: 1, failed: 2 });
    expect(r.failures).toEqual([
      { name: 'AppTest.addsNumbers', message: 'expected: <4> but was: <5>', location: 'AppTest.java:14' },
      { name: 'AppTest.parsesNumbers', message: 'NumberFormat For input string: "x1"', location: 'AppTest.java:19' },
    ]);
  });

  it('reads the JUnit 4 summary form', () => {
    const out = '[ERROR] Failures: \n[ERROR]   AppTest.testX:12 expected:<1> but was:<2>\n[INFO] \n[ERROR] Tests run: 3, Failures: 1, Errors: 0, Skipped: 0\n';
    expect(parseTestOutput(out)).toEqual({ counts: { passed: 2, failed: 1 }, failures: [{ name: 'AppTest.testX', message: 'expected:<1> but was:<2>', location: 'AppTest.testX:12' }] });
  });
});

describe('jest and vitest', () => {
  it('reads jest ● blocks and its Tests: line', () => {
    const r = parseTestOutput(fixture('jest-fail'));
    expect(r.counts).toEqual({ passed: 1, failed: 3 });
    expect(r.failures.map((f) => f.name)).toEqual(['math › adds numbers', 'math › parses dates', 'throws']);
    expect(r.failures[0]).toEqual({ name: 'math › adds numbers', message: 'expect(received).toBe(expected) // Object.is equality Expected: 4 Received: 5', location: 'math.test.js:3:50' });
  });

  it('reads coloured vitest FAIL blocks and its Tests line', () => {
    const r = parseTestOutput(fixture('vitest-fail'));
    expect(r.counts).toEqual({ passed: 1, failed: 3 });
    expect(r.failures.map((f) => f.name)).toEqual(['math > adds numbers', 'math > parses dates', 'throws']);
    expect(r.failures[0]).toEqual({ name: 'math > adds numbers', message: 'AssertionError: expected 5 to be 4 // Object.is equality', location: 'math.test.js:4:48' });
  });

  it('falls back to the ✕ / × list when no detail block was printed', () => {
    expect(names('  ✕ adds numbers (3 ms)\n  ✓ ok (1 ms)\nTests:       1 failed, 1 passed, 2 total\n')).toEqual(['adds numbers']);
    expect(parseTestOutput('   × adds numbers 7ms\n      Tests  1 failed | 2 passed (3)\n')).toEqual({
      counts: { passed: 2, failed: 1 },
      failures: [{ name: 'adds numbers', message: null, location: null }],
    });
  });
});

describe('parseTestOutput limits', () => {
  it('keeps at most 50 failures and messages of about 300 characters', () => {
    const many = Array.from({ length: 80 }, (_, i) => `not ok ${i + 1} - t${i}\n  ---\n  error: '${'x'.repeat(1000)}'\n  ...`).join('\n');
    const r = parseTestOutput(many);
    expect(r.failures).toHaveLength(50);
    expect(r.failures[0]?.name).toBe('t0');
    expect(r.failures[0]?.message?.length).toBeLessThanOrEqual(300);
  });

  it('de-duplicates failures by name', () => {
    expect(names('--- FAIL: TestA (0.00s)\n    a_test.go:1: x\n--- FAIL: TestA (0.00s)\nFAIL\n')).toEqual(['TestA']);
  });

  it('never throws and finds nothing in text that is no test output', () => {
    const rand = mulberry32(7);
    const bytes = Buffer.from(Array.from({ length: 20_000 }, () => Math.floor(rand() * 256)));
    for (const input of ['', '\n\n\r\n', bytes.toString('latin1'), bytes.toString('utf8'), 'ok\nOK\nFAIL\nFAILED\n✖\n●\n']) {
      expect(() => parseTestOutput(input)).not.toThrow();
      expect(() => relevantTail(input, [])).not.toThrow();
    }
    expect(parseTestOutput('hello\nOK\n')).toEqual({ counts: null, failures: [] });
  });

  it('parses 5 MB of random or repetitive input in linear time', () => {
    const size = 5 * 1024 * 1024;
    const fill = (unit: string): string => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
    const rand = mulberry32(11);
    const alphabet = ' \n\t_=-:.()#>✖ℹ●×✕/abcFAILok0123456789';
    const inputs = [
      Array.from({ length: size }, () => alphabet[Math.floor(rand() * alphabet.length)]).join(''),
      fill(' '),
      fill('not ok 1 - x\n  ---\n'),
      fill('✖ x\n  y\n'),
      '✖ ' + fill(' ('),
      fill('FAIL: t (a.b)\n'),
      fill('____ x ____\nE   y\n'),
      fill('--- FAIL: ' + 'a/'.repeat(900) + 'b (0.00s)\n'),
      fill('FAILED tests/a.py::t - ' + ' - '.repeat(300) + '\n'),
      fill('\x1b[' + '0;'.repeat(50)),
    ];
    for (const input of inputs) {
      const r = parseTestOutput(input);
      expect(r.failures.length).toBeLessThanOrEqual(50);
      expect(Buffer.byteLength(relevantTail(input, r.failures))).toBeLessThanOrEqual(6000);
    }
  }, 60_000);
});

describe('relevantTail', () => {
  it('keeps each failure block and the summary, and drops node:internal frames', () => {
    const output = fixture('node-spec-fail');
    const tail = relevantTail(output, parseTestOutput(output).failures);
    expect(tail).toContain('✖ adds numbers');
    expect(tail).toContain('5 !== 4');
    expect(tail).toContain('at TestContext.<anonymous> (file:///tmp/rec/node/test/math.test.js:6:10)');
    expect(tail).toContain('ℹ fail 3');
    expect(tail).toContain('\n…\n');
    expect(tail).not.toContain('node:internal');
    expect(tail).not.toContain('node:async_hooks');
  });

  it('drops interpreter and harness frames of other runners too', () => {
    const cargo = fixture('cargo-backtrace');
    const tail = relevantTail(cargo, parseTestOutput(cargo).failures);
    expect(tail).toContain('at ./src/lib.rs:20:9');
    expect(tail).toContain('test result: FAILED. 1 passed; 2 failed');
    expect(tail).not.toContain('/rustc/');
    expect(tail).not.toContain('core::panicking');
    const mvn = fixture('maven-fail');
    const mvnTail = relevantTail(mvn, parseTestOutput(mvn).failures);
    expect(mvnTail).toContain('org.opentest4j.AssertionFailedError: expected: <4> but was: <5>');
    expect(mvnTail).toContain('at com.example.AppTest.addsNumbers(AppTest.java:14)');
    expect(mvnTail).not.toContain('org.junit');
    expect(mvnTail).not.toContain('java.base/');
    const go = fixture('go-verbose-panic');
    const goTail = relevantTail(go, parseTestOutput(go).failures);
    expect(goTail).toContain('calc_test.go:12: Add(2, 2) = 5; want 4\n--- FAIL: TestAdd');
    expect(goTail).toContain('/home/user/calc/calc.go:14');
    expect(goTail).not.toContain('/usr/local/go/src/');
  });

  it('stays under maxBytes without splitting a character', () => {
    const output = fixture('node-tap-fail').replace(/adds numbers/g, 'adds numbers 😀😀😀 ünïcödé');
    const failures = parseTestOutput(output).failures;
    for (const max of [100, 301, 1000, 2500]) {
      const tail = relevantTail(output, failures, max);
      expect(Buffer.byteLength(tail), `max ${max}`).toBeLessThanOrEqual(max);
      expect(tail).not.toContain('\uFFFD');
    }
  });

  it('shares the room between many failures instead of spending it on the first', () => {
    const output = Array.from({ length: 20 }, (_, i) => `--- FAIL: Test${i} (0.00s)\n    a_test.go:${i}: ${'long message '.repeat(40)}`).join('\n') + '\nFAIL\nFAIL\tpkg\t0.1s\n';
    const tail = relevantTail(output, parseTestOutput(output).failures, 3000);
    expect(Buffer.byteLength(tail)).toBeLessThanOrEqual(3000);
    expect(tail).toContain('--- FAIL: Test0 ');
    expect(tail).toContain('--- FAIL: Test19 ');
    expect(tail).toContain('FAIL\tpkg\t0.1s');
  });

  it('gives the last lines when no failure was recognised', () => {
    const output = Array.from({ length: 1000 }, (_, i) => `line ${i}`).join('\n') + '\nError: Cannot find module ./x\n\n';
    const tail = relevantTail(output, [], 200);
    expect(Buffer.byteLength(tail)).toBeLessThanOrEqual(200);
    expect(tail.endsWith('Error: Cannot find module ./x')).toBe(true);
    expect(tail.startsWith('line ')).toBe(true); // whole lines
    expect(relevantTail('😀'.repeat(1000), [], 10)).toBe('…😀');
  });
});
