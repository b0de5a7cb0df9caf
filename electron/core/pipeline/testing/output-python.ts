// Python's unittest (`python -m unittest -v`) and pytest (`-q` or default) output.
import { MAX_BLOCK_LINES, isForeign, message, type Collector, type FoundFailure } from './output-common.js';

const RULE_EQ = /^={20,}$/;
const RULE_DASH = /^-{20,}$/;
/** The exception line that ends a traceback: `AssertionError: 5 != 4`, `IndexError: …`. */
const EXCEPTION = /^[A-Za-z_][\w.]*(Error|Exception|Failure|Exit|Interrupt|Warning|Fault)(: |$)/;
const PY_FRAME = /^\s*File "([^"]+)", line (\d+)/;
const UNITTEST_HEADER = /^(FAIL|ERROR|UNEXPECTED SUCCESS): (\S+) \(([^)]*)\)(.*)$/;

export function parseUnittest(lines: readonly string[], out: Collector): void {
  let passed = 0;
  let failed = 0;
  let sawSummary = false;
  /** Tests in the last `Ran N tests` line, until its OK / FAILED line settles them. */
  let ran: number | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const header = UNITTEST_HEADER.exec(line);
    if (header?.[2] && header[3] !== undefined) {
      out.failures.push(unittestFailure(lines, i, header[2], header[3], (header[4] ?? '').trim()));
      continue;
    }
    const ranLine = /^Ran (\d+) tests? in /.exec(line);
    if (ranLine) {
      ran = Number(ranLine[1]);
      out.summary.add(i);
      continue;
    }
    // `OK` or `FAILED (…)` counts only right after a `Ran` line: a bare OK means nothing alone.
    const status = ran === null ? null : /^(OK|FAILED)(?: \((.*)\))?$/.exec(line);
    if (!status || ran === null) continue;
    let bad = 0;
    let notRun = 0;
    for (const m of (status[2] ?? '').matchAll(/([a-z ]+)=(\d+)/g)) {
      const kind = (m[1] ?? '').trim();
      if (kind === 'failures' || kind === 'errors' || kind === 'unexpected successes') bad += Number(m[2]);
      else notRun += Number(m[2]); // skipped, expected failures
    }
    passed += Math.max(0, ran - bad - notRun);
    failed += bad;
    sawSummary = true;
    ran = null;
    out.summary.add(i);
  }
  if (sawSummary) out.counts.set('unittest', { passed, failed });
}

function unittestFailure(lines: readonly string[], at: number, method: string, where: string, params: string): FoundFailure {
  // Python ≥ 3.11 prints the full id `(pkg.mod.Class.test_x)`, older ones `(pkg.mod.Class)`.
  let name = where.endsWith(`.${method}`) ? where : `${where}.${method}`;
  if (where.startsWith('unittest.loader._FailedTest')) name = `${method} (import failed)`;
  if (params) name = `${name} ${params}`;
  const limit = Math.min(lines.length, at + MAX_BLOCK_LINES);
  let end = at + 1;
  if (RULE_DASH.test(lines[end] ?? '')) end++;
  let exception: string | null = null;
  let location: string | null = null;
  for (; end < limit; end++) {
    const line = lines[end] ?? '';
    if (RULE_EQ.test(line) || RULE_DASH.test(line) || UNITTEST_HEADER.test(line)) break;
    const frame = PY_FRAME.exec(line);
    if (frame && !isForeign(line)) location = `${frame[1]}:${frame[2]}`;
    // The last exception wins: with chained exceptions it is the one that failed the test.
    else if (EXCEPTION.test(line)) exception = line;
  }
  return { name, message: message(exception), location, start: at, end };
}

/** `FAILED tests/test_a.py::test_x - AssertionError: …` / `ERROR tests/test_b.py`. */
const SHORT_SUMMARY = /^(FAILED|ERROR) (.+?)(?: - (.*))?$/;
const PYTEST_COUNT = /(\d+) (failed|passed|errors?|skipped|xfailed|xpassed|deselected|warnings?|rerun)\b/g;

interface Section {
  title: string;
  start: number;
  end: number;
}

export function parsePytest(lines: readonly string[], out: Collector): void {
  const sections: Section[] = [];
  const summaries: { at: number; nodeid: string; text: string | null }[] = [];
  let counts: { passed: number; failed: number } | null = null;
  let open: Section | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const title = sectionTitle(line);
    if (title !== null || /^={5,}/.test(line)) {
      if (open) open.end = i;
      open = title !== null ? { title, start: i, end: lines.length } : null;
      if (open) sections.push(open);
    }
    const short = SHORT_SUMMARY.exec(line);
    if (short?.[2] && isNodeId(short[2])) {
      summaries.push({ at: i, nodeid: short[2], text: short[3] ?? null });
      out.summary.add(i);
      continue;
    }
    const tally = pytestTally(line);
    if (tally) {
      counts = tally;
      out.summary.add(i);
    }
  }
  if (counts) out.counts.set('pytest', counts);

  const byTitle = new Map(sections.map((s) => [s.title, s]));
  for (const s of summaries) {
    const section = byTitle.get(sectionKey(s.nodeid)) ?? byTitle.get(`ERROR collecting ${s.nodeid}`) ?? null;
    const detail = section ? sectionDetail(lines, section) : { message: null, location: null };
    // The short summary is cut to the terminal width (`…`/`...`); the section has it whole.
    const short = s.text && !/(\.\.\.|…)$/.test(s.text) ? s.text : null;
    out.failures.push({
      name: s.nodeid,
      message: message(detail.message ?? short ?? s.text),
      location: detail.location,
      start: section ? section.start : s.at,
      end: section ? Math.min(section.end, section.start + MAX_BLOCK_LINES) : s.at + 1,
    });
  }
}

/** `____ CalcTest.test_x ____` → `CalcTest.test_x`, computed without a backtracking regex. */
function sectionTitle(line: string): string | null {
  if (!line.startsWith('___') || !line.endsWith('___')) return null;
  let a = 0;
  let b = line.length;
  while (a < b && line[a] === '_') a++;
  while (b > a && line[b - 1] === '_') b--;
  const title = line.slice(a, b).trim();
  return title === '' ? null : title;
}

/** A pytest node id: a path to a .py file, maybe with `::` parts (never `(failures=1)`). */
function isNodeId(text: string): boolean {
  return !text.startsWith('(') && (text.includes('::') || /\.py$/.test(text));
}

/** The section title pytest prints for a node id: `tests/a.py::Cls::test_x[1]` → `Cls.test_x[1]`. */
function sectionKey(nodeid: string): string {
  const parts = nodeid.split('::');
  return parts.length > 1 ? parts.slice(1).join('.') : nodeid;
}

function sectionDetail(lines: readonly string[], section: Section): { message: string | null; location: string | null } {
  const errors: string[] = [];
  let location: string | null = null;
  const end = Math.min(section.end, section.start + MAX_BLOCK_LINES);
  for (let i = section.start + 1; i < end; i++) {
    const line = lines[i] ?? '';
    if (/^E {2,}/.test(line)) {
      if (errors.length < 4) errors.push(line.slice(1).trim());
      continue;
    }
    const loc = /^([^\s:][^:]*\.py):(\d+): /.exec(line);
    if (loc && !isForeign(line)) location = `${loc[1]}:${loc[2]}`;
  }
  return { message: errors.length > 0 ? errors.join(' ') : null, location };
}

/** `4 failed, 3 passed in 0.70s`, optionally framed in `=`; errors count as failures. */
function pytestTally(line: string): { passed: number; failed: number } | null {
  const text = line.replace(/^=+ /, '').replace(/ =+$/, '');
  if (!/^(\d+ \w+|no tests ran)\b/.test(text) || !/ in [\d.]+s\b/.test(text)) return null;
  let passed = 0;
  let failed = 0;
  let any = text.startsWith('no tests ran');
  for (const m of text.matchAll(PYTEST_COUNT)) {
    any = true;
    const n = Number(m[1]);
    if (m[2] === 'passed') passed += n;
    else if (m[2] === 'failed' || m[2] === 'error' || m[2] === 'errors') failed += n;
  }
  return any ? { passed, failed } : null;
}
