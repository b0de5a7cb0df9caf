import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TestReportSchema, type TestReport } from '../../shared/index.js';
import { buildTestReport, formatTestReportForPrompt, summarizeTestReport } from '../../electron/core/pipeline/testing/index.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/test-outputs/${name}.txt`, import.meta.url), 'utf8');

const run = (over: Partial<Parameters<typeof buildTestReport>[0]>): TestReport =>
  buildTestReport({ command: ['node', '--test'], level: 'conventional', exitCode: 1, timedOut: false, durationMs: 1234, output: '', ...over });

const report = (over: Partial<TestReport>): TestReport => ({
  command: ['npm', 'test', '--silent'],
  level: 'plan',
  exitCode: 1,
  passed: false,
  timedOut: false,
  durationMs: 5000,
  counts: null,
  failures: [],
  tail: '',
  ...over,
});

describe('buildTestReport', () => {
  it('builds a valid report of a failing run with its failures, counts and tail', () => {
    const r = run({ output: fixture('node-tap-fail') });
    expect(TestReportSchema.parse(r)).toEqual(r);
    expect(r).toMatchObject({ command: ['node', '--test'], level: 'conventional', exitCode: 1, passed: false, timedOut: false, durationMs: 1234 });
    expect(r.counts).toEqual({ passed: 2, failed: 3 });
    expect(r.failures.map((f) => f.name)).toEqual(['adds numbers', 'parses dates', 'throws on junk']);
    expect(r.tail).toContain('not ok 1 - adds numbers');
    expect(r.tail).not.toContain('node:internal');
    expect(Buffer.byteLength(r.tail)).toBeLessThanOrEqual(6000);
  });

  it('passes only on exit 0 without a timeout, and then reports no failures', () => {
    expect(run({ exitCode: 0, output: fixture('node-tap-pass') })).toMatchObject({ passed: true, counts: { passed: 2, failed: 0 }, failures: [] });
    expect(run({ exitCode: 0, timedOut: true }).passed).toBe(false);
    // A failing TODO-like line in a passing run does not send the fix step after it.
    expect(run({ exitCode: 0, output: 'not ok 1 - flaky\nok 2 - b\n' }).failures).toEqual([]);
  });

  it('says in the tail when the exit code failed but no failure was recognised', () => {
    const r = run({ exitCode: 2, output: 'npm ERR! missing script: test\n' });
    expect(r.failures).toEqual([]);
    expect(r.tail.split('\n')[0]).toBe('Exit code 2, but no failing test was recognised in the output; the last output follows.');
    expect(r.tail).toContain('npm ERR! missing script: test');
  });

  it('says so first when the run timed out or was killed', () => {
    const timedOut = run({ exitCode: null, timedOut: true, durationMs: 120_000, output: fixture('node-tap-fail') });
    expect(timedOut.tail.split('\n')[0]).toBe('Timed out after 120 s and was stopped; the output up to then follows.');
    expect(Buffer.byteLength(timedOut.tail)).toBeLessThanOrEqual(6000);
    expect(run({ exitCode: null, output: 'x' }).tail.split('\n')[0]).toContain('without an exit code');
  });
});

describe('formatTestReportForPrompt', () => {
  it('gives the command, the result, the failures and the tail in a fence', () => {
    const text = formatTestReportForPrompt(
      report({
        counts: { passed: 5, failed: 2 },
        failures: [
          { name: 'adds numbers', message: 'AssertionError: 5 !== 4', location: 'test/math.test.js:6:10' },
          { name: 'parses dates', message: null, location: null },
        ],
        tail: 'not ok 1 - adds numbers',
      }),
    );
    expect(text).toBe(
      [
        'Test command: npm test --silent',
        'Result: exit code 1',
        '2 of 7 tests failed.',
        'Failures:',
        '- adds numbers: AssertionError: 5 !== 4 (test/math.test.js:6:10)',
        '- parses dates',
        'Output (the relevant part):',
        '```text',
        'not ok 1 - adds numbers',
        '```',
      ].join('\n'),
    );
  });

  it('reports a timeout and fences a tail that itself holds a fence', () => {
    const text = formatTestReportForPrompt(report({ timedOut: true, exitCode: null, durationMs: 120_000, tail: 'a\n```js\nx\n```\nb' }));
    expect(text).toContain('Result: timed out after 120 s');
    expect(text).toContain('````text\na\n```js\nx\n```\nb\n````');
  });

  it('shows sh -c commands as the line they run', () => {
    expect(formatTestReportForPrompt(report({ command: ['sh', '-c', 'npm ci && npm test'] }))).toContain('Test command: npm ci && npm test');
  });
});

describe('summarizeTestReport', () => {
  it.each<[string, Partial<TestReport>]>([
    ['all 7 tests passed', { passed: true, exitCode: 0, counts: { passed: 7, failed: 0 } }],
    ['1 test passed', { passed: true, exitCode: 0, counts: { passed: 1, failed: 0 } }],
    ['tests passed (exit 0)', { passed: true, exitCode: 0 }],
    ['no tests ran (exit 0)', { passed: true, exitCode: 0, counts: { passed: 0, failed: 0 } }],
    [
      '2 of 7 tests failed: adds numbers, parses dates',
      {
        counts: { passed: 5, failed: 2 },
        failures: [
          { name: 'adds numbers', message: null, location: null },
          { name: 'parses dates', message: null, location: null },
        ],
      },
    ],
    ['1 test failed: TestAdd', { failures: [{ name: 'TestAdd', message: null, location: null }] }],
    ['exit 1 (no test results recognised)', {}],
    ['ended without an exit code (no test results recognised)', { exitCode: null }],
    ['exit 1 after all 3 tests passed', { counts: { passed: 3, failed: 0 } }],
    ['timed out after 120 s', { timedOut: true, exitCode: null, durationMs: 120_000 }],
  ])('%s', (expected, over) => {
    expect(summarizeTestReport(report(over))).toBe(expected);
  });

  it('names three failures, counts the rest and stays one short line', () => {
    const failures = Array.from({ length: 9 }, (_, i) => ({ name: `test number ${i} ${'x'.repeat(60)}`, message: null, location: null }));
    const line = summarizeTestReport(report({ counts: { passed: 1, failed: 9 }, failures }));
    expect(line.startsWith('9 of 10 tests failed: test number 0')).toBe(true);
    expect(line.length).toBeLessThanOrEqual(200);
    expect(summarizeTestReport(report({ counts: { passed: 1, failed: 4 }, failures: failures.slice(0, 4).map((f, i) => ({ ...f, name: `t${i}` })) }))).toBe(
      '4 of 5 tests failed: t0, t1, t2 and 1 more',
    );
  });
});
