// Reads what a test runner printed: which tests failed and why, how many passed, and
// the part of the output a model needs to fix the code. Never throws; linear in the
// input, whatever it is (see output-common.ts).
import type { TestFailure } from '../../../../shared/index.js';
import { MAX_LINE, indentOf, isForeign, type Collector, type Counts, type FoundFailure, type OutputParser } from './output-common.js';
import { parseJestLike } from './output-jest.js';
import { parseCargoTest, parseGoTest, parseSurefire } from './output-native.js';
import { parseNodeSpec, parseNodeTap } from './output-node.js';
import { parsePytest, parseUnittest } from './output-python.js';

/**
 * Each runner's parser, and strings its output cannot lack: a parser whose markers are all
 * absent has nothing to find, and skipping it keeps huge outputs cheap.
 */
const PARSERS: { parse: OutputParser; markers: string[] }[] = [
  { parse: parseNodeTap, markers: ['ok '] },
  { parse: parseNodeSpec, markers: ['✖', 'ℹ '] },
  { parse: parseUnittest, markers: ['FAIL: ', 'ERROR: ', 'UNEXPECTED SUCCESS: ', 'Ran '] },
  { parse: parsePytest, markers: ['FAILED ', 'ERROR ', ' passed', ' failed', ' error', 'no tests ran'] },
  { parse: parseGoTest, markers: ['--- ', '=== ', '\t'] },
  { parse: parseCargoTest, markers: ['test '] },
  { parse: parseSurefire, markers: ['Tests run: ', 'Time elapsed: '] },
  { parse: parseJestLike, markers: ['●', 'FAIL', '✕', '×', 'Tests'] },
];
const MAX_FAILURES = 50;

/**
 * CSI (colours, cursor moves), terminated OSC (titles, hyperlinks) and the two-byte
 * escapes; an unterminated OSC loses only its `ESC ]`, never the text after it.
 */
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

export function stripAnsi(s: string): string {
  return s.replace(ANSI, '');
}

export interface ParsedTestOutput {
  counts: Counts | null;
  failures: TestFailure[];
}

export function parseTestOutput(output: string): ParsedTestOutput {
  const { counts, failures } = analyse(output);
  return { counts, failures: failures.map(({ name, message, location }) => ({ name, message, location })) };
}

interface Analysis {
  lines: string[];
  counts: Counts | null;
  failures: FoundFailure[];
  summary: number[];
}

function analyse(output: string): Analysis {
  const text = stripAnsi(typeof output === 'string' ? output : String(output));
  const lines = toLines(text);
  const out: Collector = { failures: [], counts: new Map(), summary: new Set() };
  for (const { parse, markers } of PARSERS) {
    if (!markers.some((m) => text.includes(m))) continue;
    try {
      parse(lines, out);
    } catch {
      // A parser bug must not cost the report: the others and the raw tail still stand.
    }
  }
  // Families add up: a script that runs two runners ran both sets of tests.
  const families = [...out.counts.values()];
  const counts =
    families.length === 0
      ? null
      : { passed: families.reduce((n, c) => n + c.passed, 0), failed: families.reduce((n, c) => n + c.failed, 0) };
  return { lines, counts, failures: mergeByName(out.failures), summary: [...out.summary].sort((a, b) => a - b) };
}

/** ANSI gone, CRLF gone, and a `\r`-overwritten progress line reduced to what stayed on screen. */
function toLines(text: string): string[] {
  return text.split('\n').map((raw) => {
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const cr = line.lastIndexOf('\r');
    if (cr >= 0) line = line.slice(cr + 1);
    return line.length > MAX_LINE ? line.slice(0, MAX_LINE) : line;
  });
}

/**
 * One entry per name, in output order. Runners print some failures twice (node's spec
 * reporter lists them again under "failing tests:"): the copy that says why wins.
 */
function mergeByName(found: FoundFailure[]): FoundFailure[] {
  const byName = new Map<string, FoundFailure>();
  for (const f of found) {
    const seen = byName.get(f.name);
    if (!seen) byName.set(f.name, { ...f });
    else if (seen.message === null && f.message !== null) byName.set(f.name, { ...f, location: f.location ?? seen.location });
    else seen.location ??= f.location;
  }
  return [...byName.values()].sort((a, b) => a.start - b.start).slice(0, MAX_FAILURES);
}

const SEPARATOR = '\n…\n';
const MAX_BLOCK_OUTPUT_LINES = 40;
/** Rust and Go frames of the runtime and the test harness. */
const HARNESS_FRAME = /^\s+\d+: (core::|std::|alloc::|test::|__rustc::|<)|^(testing|runtime)\.\S+\(|^panic\(|^\s*(duration_ms|failureType):/;

/**
 * What a model needs to fix the code: the block around each failure (the assertion,
 * expected/actual, frames inside the project) and the runner's summary lines, joined by
 * `…`. With no failure recognised: the last lines. At most maxBytes of UTF-8.
 */
export function relevantTail(output: string, failures: TestFailure[], maxBytes = 6000): string {
  const analysis = analyse(output);
  const wanted = new Set(failures.map((f) => f.name));
  const blocks = analysis.failures.filter((f) => wanted.has(f.name));
  if (blocks.length === 0) return lastLines(analysis.lines, maxBytes);

  const inBlock = (i: number): boolean => blocks.some((b) => i >= b.start && i < b.end);
  const summaryLines = analysis.summary.filter((i) => !inBlock(i)).map((i) => analysis.lines[i] ?? '');
  const summary = lastLines(summaryLines, Math.floor(maxBytes / 4));
  let remaining = maxBytes - byteLength(summary) - byteLength(SEPARATOR);
  const pieces: string[] = [];
  for (let k = 0; k < blocks.length; k++) {
    const share = Math.floor(remaining / (blocks.length - k)) - byteLength(SEPARATOR);
    if (share < 80) {
      pieces.push(`(${blocks.length - k} more failures not shown)`);
      break;
    }
    const text = firstLines(blockLines(analysis.lines, blocks[k] as FoundFailure), share);
    pieces.push(text);
    remaining -= byteLength(text) + byteLength(SEPARATOR);
  }
  if (summary !== '') pieces.push(summary);
  return truncateUtf8(pieces.join(SEPARATOR), maxBytes);
}

/** A failure's lines without frames from runtimes, frameworks and installed packages. */
function blockLines(lines: readonly string[], block: FoundFailure): string[] {
  const kept: string[] = [];
  let skipDeeperThan = -1;
  for (let i = block.start; i < block.end && kept.length < MAX_BLOCK_OUTPUT_LINES; i++) {
    const line = lines[i] ?? '';
    if (skipDeeperThan >= 0 && line.trim() !== '' && indentOf(line) > skipDeeperThan) continue;
    skipDeeperThan = -1;
    if (isForeign(line) || HARNESS_FRAME.test(line)) {
      // A Python frame is two lines (`File "…", line N` and the code); drop both.
      if (/^\s*File "/.test(line)) skipDeeperThan = indentOf(line);
      continue;
    }
    if (line.trim() === '' && (kept.length === 0 || (kept[kept.length - 1] ?? '').trim() === '')) continue;
    kept.push(line);
  }
  while (kept.length > 0 && (kept[kept.length - 1] ?? '').trim() === '') kept.pop();
  return kept;
}

function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Cut to maxBytes of UTF-8 without splitting a character; a cut ends in `…`. */
export function truncateUtf8(s: string, maxBytes: number): string {
  if (byteLength(s) <= maxBytes) return s;
  if (maxBytes < 3) return '';
  const buf = Buffer.from(s, 'utf8');
  let cut = maxBytes - 3;
  while (cut > 0 && ((buf[cut] ?? 0) & 0xc0) === 0x80) cut--;
  return `${buf.subarray(0, cut).toString('utf8')}…`;
}

/** The last bytes of s, starting on a whole character, after a leading `…`. */
function tailUtf8(s: string, maxBytes: number): string {
  if (byteLength(s) <= maxBytes) return s;
  if (maxBytes < 3) return '';
  const buf = Buffer.from(s, 'utf8');
  let from = buf.length - (maxBytes - 3);
  while (from < buf.length && ((buf[from] ?? 0) & 0xc0) === 0x80) from++;
  return `…${buf.subarray(from).toString('utf8')}`;
}

/** Whole lines from the start while they fit (the first one cut if it alone does not). */
function firstLines(lines: readonly string[], maxBytes: number): string {
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    const cost = byteLength(line) + (kept.length > 0 ? 1 : 0);
    if (used + cost > maxBytes) {
      if (kept.length === 0) kept.push(truncateUtf8(line, maxBytes));
      break;
    }
    kept.push(line);
    used += cost;
  }
  return kept.join('\n');
}

/** Whole lines from the end while they fit (the last one cut if it alone does not). */
function lastLines(lines: readonly string[], maxBytes: number): string {
  let end = lines.length;
  while (end > 0 && (lines[end - 1] ?? '').trim() === '') end--;
  const kept: string[] = [];
  let used = 0;
  for (let i = end - 1; i >= 0; i--) {
    const line = lines[i] ?? '';
    const cost = byteLength(line) + (kept.length > 0 ? 1 : 0);
    if (used + cost > maxBytes) {
      if (kept.length === 0) kept.push(tailUtf8(line, maxBytes));
      break;
    }
    kept.push(line);
    used += cost;
  }
  return kept.reverse().join('\n');
}
