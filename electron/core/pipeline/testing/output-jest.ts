// Jest (`● suite › test` blocks) and Vitest (`FAIL  file > suite > test` blocks).
import { MAX_BLOCK_LINES, firstProjectJsFrame, message, type Collector, type FoundFailure } from './output-common.js';

/** Jest's code frame (`> 3 | expect(…)`, `    | ^`): context, not the message. */
const CODE_FRAME = /^\s*>?\s*\d*\s*\|/;
/** Where a block ends: the next block, a file result, the separators and the summary. */
const BLOCK_END = /^\s*(● |FAIL |PASS |⎯|Test Suites:|Tests:|Test Files |Tests {2})/;

export function parseJestLike(lines: readonly string[], out: Collector): void {
  const found: FoundFailure[] = [];
  const marked: { name: string; at: number }[] = [];
  let jestFile: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const jestFail = /^FAIL (\S+)/.exec(line);
    if (jestFail?.[1]) jestFile = jestFail[1];
    const bullet = /^\s*● (.+)$/.exec(line);
    if (bullet?.[1] && bullet[1] !== 'Console') {
      const name = bullet[1] === 'Test suite failed to run' && jestFile ? `${jestFile}: test suite failed to run` : bullet[1].trim();
      found.push(block(lines, i, name, jestLocation));
      continue;
    }
    const vitest = /^\s*FAIL\s+(.+)$/.exec(line);
    const title = vitest?.[1] ? vitestTitle(vitest[1]) : null;
    if (title) {
      found.push(block(lines, i, title, vitestLocation));
      continue;
    }
    const mark = /^\s*[✕×] (.+)$/.exec(line);
    if (mark?.[1]) marked.push({ name: stripDuration(mark[1]), at: i });
    if (countLine(line)) out.summary.add(i);
  }
  // The `✕ name` list names failures only; the blocks say why. Use it when there are no blocks.
  if (found.length > 0) for (const f of found) out.failures.push(f);
  else for (const m of marked) out.failures.push({ name: m.name, message: null, location: null, start: m.at, end: m.at + 1 });
  const counts = lastCounts(lines);
  if (counts) out.counts.set('jest', counts);
}

/** `math.test.js > math > adds numbers` → `math > adds numbers`; `a.test.js [ a.test.js ]` → a suite error. */
function vitestTitle(rest: string): string | null {
  const gt = rest.indexOf(' > ');
  if (gt > 0) return rest.slice(gt + 3).trim();
  const suite = /^(\S+) \[ .* \]$/.exec(rest.trim());
  return suite?.[1] ? `${suite[1]}: test file failed to run` : null;
}

function stripDuration(text: string): string {
  return text.replace(/ \(\d+ ?m?s\)$/, '').replace(/ \d+ ?m?s$/, '').trim();
}

function block(lines: readonly string[], at: number, name: string, locate: (lines: readonly string[], from: number, to: number) => string | null): FoundFailure {
  const limit = Math.min(lines.length, at + MAX_BLOCK_LINES);
  let end = at + 1;
  while (end < limit && !BLOCK_END.test(lines[end] ?? '')) end++;
  // The first line is the error; jest adds `Expected: 4` / `Received: 5` lines worth keeping.
  // Diffs and code frames follow, which the tail shows better than one line could.
  const parts: string[] = [];
  for (let i = at + 1; i < end && parts.length < 3; i++) {
    const text = (lines[i] ?? '').trim();
    if (text.startsWith('at ') || text.startsWith('❯ ')) break;
    if (text === '' || CODE_FRAME.test(lines[i] ?? '')) continue;
    if (parts.length === 0 || /^(Expected|Received)\b[^:]*: /.test(text)) parts.push(text);
  }
  return { name, message: message(parts.join(' ')), location: locate(lines, at + 1, end), start: at, end };
}

function jestLocation(lines: readonly string[], from: number, to: number): string | null {
  return firstProjectJsFrame(lines, from, to);
}

/** Vitest marks the failing line with `❯ math.test.js:4:48`. */
function vitestLocation(lines: readonly string[], from: number, to: number): string | null {
  for (let i = from; i < to; i++) {
    const m = /^\s*❯ (\S+:\d+:\d+)$/.exec(lines[i] ?? '');
    if (m?.[1]) return m[1];
  }
  return firstProjectJsFrame(lines, from, to);
}

/** Jest `Tests:       3 failed, 1 passed, 4 total`; Vitest `Tests  3 failed | 1 passed (4)`. */
function countLine(line: string): boolean {
  return /^\s*Tests:?\s+\d+ (failed|passed|skipped|todo|total)\b/.test(line);
}

function lastCounts(lines: readonly string[]): { passed: number; failed: number } | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] ?? '';
    if (!countLine(line)) continue;
    const failed = /(\d+) failed/.exec(line);
    const passed = /(\d+) passed/.exec(line);
    return { passed: Number(passed?.[1] ?? 0), failed: Number(failed?.[1] ?? 0) };
  }
  return null;
}
