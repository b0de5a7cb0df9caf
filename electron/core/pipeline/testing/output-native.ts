// Compiled-language runners: go test, cargo test and Maven Surefire.
import { MAX_BLOCK_LINES, indentOf, isForeign, message, type Collector, type FoundFailure } from './output-common.js';

/** `calc_test.go:12: Add(2, 2) = 5; want 4` (t.Error / t.Fatal lines). */
const GO_LOG = /^\s+(\S+\.go):(\d+): (.*)$/;
const PANIC_LINES = 60;
/** Compiler errors follow `# pkg` directly; the first one names the problem. */
const BUILD_ERROR_LINES = 20;

export function parseGoTest(lines: readonly string[], out: Collector): void {
  let passed = 0;
  let failed = 0;
  let verbose = false;
  /** With -v, t.Log lines stream under `=== RUN` before the result line: kept per test. */
  const logged = new Map<string, { message: string; location: string; at: number }>();
  let running: string | null = null;
  let lastHeader = -1;
  const found: FoundFailure[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const run = /^=== (RUN|CONT|NAME|PAUSE)\s+(\S+)$/.exec(line);
    if (run?.[2]) {
      verbose = true;
      running = run[2];
      continue;
    }
    const result = /^(\s*)--- (FAIL|PASS|SKIP): (\S+) \([\d.]+s\)$/.exec(line);
    if (result?.[3]) {
      running = null;
      if (result[2] === 'PASS') passed++;
      if (result[2] !== 'FAIL') continue;
      failed++;
      found.push(goFailure(lines, i, result[1]?.length ?? 0, result[3]));
      continue;
    }
    const log = GO_LOG.exec(line);
    if (log?.[1] && running && !logged.has(running)) logged.set(running, { message: log[3] ?? '', location: `${log[1]}:${log[2]}`, at: i });
    if (/^panic: /.test(line)) attachPanic(lines, i, found);
    // Package lines: `ok  \tpkg\t0.01s`, `FAIL\tpkg\t0.01s`, `?   \tpkg\t[no test files]`.
    if (/^(ok|FAIL|\?) *\t\S/.test(line) || line === 'FAIL' || line === 'PASS') out.summary.add(i);
    if (line.startsWith('# ')) lastHeader = i;
    const build = /^FAIL\s+(\S+) \[(build|setup) failed\]$/.exec(line);
    if (build?.[1]) found.push(goBuildFailure(lines, i, build[1], lastHeader));
  }
  for (const f of found) {
    const early = logged.get(f.name);
    if (!f.message && early && early.at < f.start) {
      f.message = message(early.message);
      f.location = early.location;
      f.start = early.at; // the tail shows the log line with its result line
    }
  }
  // A parent test fails because its subtest did; name the subtest only.
  // go prints a FAIL for every ancestor, so marking each failure's direct parent is enough.
  const parents = new Set<string>();
  for (const f of found) if (f.name.lastIndexOf('/') > 0) parents.add(f.name.slice(0, f.name.lastIndexOf('/')));
  for (const f of found) if (f.message !== null || !parents.has(f.name)) out.failures.push(f);
  // Without -v go prints only failures: no honest count of what passed.
  if (verbose || passed > 0) out.counts.set('go', { passed, failed });
}

function goFailure(lines: readonly string[], at: number, indent: number, name: string): FoundFailure {
  const limit = Math.min(lines.length, at + MAX_BLOCK_LINES);
  let msg: string | null = null;
  let location: string | null = null;
  let end = at + 1;
  for (; end < limit; end++) {
    const line = lines[end] ?? '';
    if (line.trim() === '' || indentOf(line) <= indent || /^\s*--- /.test(line)) break;
    const log = GO_LOG.exec(line);
    if (log && msg === null) {
      msg = log[3] ?? '';
      location = `${log[1]}:${log[2]}`;
    }
  }
  return { name, message: message(msg), location, start: at, end };
}

/** A panic ends the test binary; it belongs to the last failed test (go prints that first). */
function attachPanic(lines: readonly string[], at: number, found: FoundFailure[]): void {
  const last = found[found.length - 1];
  if (!last || last.message !== null) return;
  last.message = message((lines[at] ?? '').replace(/ \[recovered\]$/, ''));
  // The panicking goroutine's frames follow within a few dozen lines; a result line ends them.
  const limit = Math.min(lines.length, at + PANIC_LINES);
  for (let i = at + 1; i < limit; i++) {
    if (/^(--- |=== |panic: |FAIL|ok )/.test(lines[i] ?? '')) return;
    const frame = /^\t(\S+\.go):(\d+)/.exec(lines[i] ?? '');
    if (frame && !isForeign(lines[i] ?? '')) {
      last.location = `${frame[1]}:${frame[2]}`;
      last.end = i + 1;
      return;
    }
  }
}

/** `# pkg` (the last one seen, at `header`) then compiler errors, then `FAIL pkg [build failed]`. */
function goBuildFailure(lines: readonly string[], at: number, pkg: string, header: number): FoundFailure {
  const name = `${pkg} [build failed]`;
  const own = header >= 0 && ((lines[header] ?? '') === `# ${pkg}` || (lines[header] ?? '').startsWith(`# ${pkg} `));
  const start = own ? header : at;
  for (let i = start + 1; i < Math.min(at, start + 1 + BUILD_ERROR_LINES); i++) {
    const err = /^(\S+\.go):(\d+)(?::\d+)?: (.*)$/.exec(lines[i] ?? '');
    if (err) return { name, message: message(err[3]), location: `${err[1]}:${err[2]}`, start, end: at + 1 };
  }
  return { name, message: null, location: null, start, end: at + 1 };
}

export function parseCargoTest(lines: readonly string[], out: Collector): void {
  let passed = 0;
  let failed = 0;
  let sawResult = false;
  const failing: { name: string; at: number }[] = [];
  const blocks = new Map<string, FoundFailure>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const test = /^test (.+) \.\.\. FAILED$/.exec(line);
    if (test?.[1]) {
      failing.push({ name: test[1], at: i });
      continue;
    }
    const header = /^---- (.+) stdout ----$/.exec(line);
    if (header?.[1]) {
      blocks.set(header[1], cargoBlock(lines, i, header[1]));
      continue;
    }
    const result = /^test result: (?:ok|FAILED)\. (\d+) passed; (\d+) failed;/.exec(line);
    if (result) {
      sawResult = true;
      passed += Number(result[1]);
      failed += Number(result[2]);
      out.summary.add(i);
    } else if (/^error: test failed\b/.test(line)) {
      out.summary.add(i);
    }
  }
  for (const f of failing) out.failures.push(blocks.get(f.name) ?? { name: f.name, message: null, location: null, start: f.at, end: f.at + 1 });
  if (sawResult) out.counts.set('cargo', { passed, failed });
}

/** `thread 'x' panicked at src/lib.rs:20:9:` + message lines (Rust ≥ 1.73), or the older one-line form. */
function cargoBlock(lines: readonly string[], at: number, name: string): FoundFailure {
  const limit = Math.min(lines.length, at + MAX_BLOCK_LINES);
  let msg: string | null = null;
  let location: string | null = null;
  let end = at + 1;
  for (; end < limit; end++) {
    const line = lines[end] ?? '';
    if (line.startsWith('---- ') || line === 'failures:' || line.startsWith('test result:')) break;
    const p = line.indexOf(' panicked at ');
    if (p < 0 || msg !== null) continue;
    const tail = line.slice(p + ' panicked at '.length);
    const modern = /^(\S+:\d+:\d+):$/.exec(tail);
    const old = /^'(.*)', (\S+:\d+:\d+)$/.exec(tail);
    if (modern?.[1]) {
      location = modern[1];
      const parts: string[] = [];
      for (let j = end + 1; j < limit && parts.length < 6; j++) {
        const next = lines[j] ?? '';
        if (next.trim() === '' || next.startsWith('note: ') || next.startsWith('stack backtrace:')) break;
        parts.push(next.trim());
      }
      msg = parts.join(' ');
    } else if (old?.[2]) {
      msg = old[1] ?? '';
      location = old[2];
    }
  }
  return { name, message: message(msg), location, start: at, end };
}

/** Maven prints `[ERROR] ` / `[INFO] ` before each line. */
const mavenBody = (line: string): string => line.replace(/^\[(ERROR|INFO|WARNING|WARN)\] ?/, '');

export function parseSurefire(lines: readonly string[], out: Collector): void {
  let passed = 0;
  let failed = 0;
  let sawTotals = false;
  let section: 'failures' | 'errors' | null = null;
  const summary: FoundFailure[] = [];
  const perTest = new Map<string, FoundFailure>();
  for (let i = 0; i < lines.length; i++) {
    const body = mavenBody(lines[i] ?? '');
    const totals = /^Tests run: (\d+), Failures: (\d+), Errors: (\d+), Skipped: (\d+)(.*)$/.exec(body);
    if (totals) {
      section = null;
      out.summary.add(i);
      // Per-class lines carry "Time elapsed"; the totals of a module's run do not.
      if (/Time elapsed/.test(totals[5] ?? '')) continue;
      const [run, fail, err, skip] = [totals[1], totals[2], totals[3], totals[4]].map(Number) as [number, number, number, number];
      sawTotals = true;
      passed += Math.max(0, run - fail - err - skip);
      failed += fail + err;
      continue;
    }
    if (/^(Failures|Errors): ?$/.test(body.trim()) && !body.startsWith(' ')) {
      section = body.trim().startsWith('Failures') ? 'failures' : 'errors';
      out.summary.add(i);
      continue;
    }
    if (section && /^ {2}\S/.test(body)) {
      summary.push(surefireSummaryEntry(body.trim(), i));
      out.summary.add(i);
      continue;
    }
    if (section && !/^ {3,}/.test(body)) section = null; // `  Run 1: …` lines of a rerun stay in
    const header = /^(\S+) -- Time elapsed: .* <<< (FAILURE|ERROR)!$/.exec(body) ?? /^(\w+)\((\S+)\)\s+Time elapsed: .* <<< (FAILURE|ERROR)!$/.exec(body);
    if (header?.[1]) {
      // Surefire 3: `com.x.AppTest.addsNumbers -- …`; Surefire 2: `addsNumbers(com.x.AppTest)  Time elapsed…`.
      const fq = header.length === 4 ? `${header[2]}.${header[1]}` : header[1];
      perTest.set(shortName(fq), surefireBlock(lines, i, fq));
    }
  }
  const found = summary.length > 0 ? summary : [...perTest.values()];
  for (const f of found) {
    const block = perTest.get(f.name);
    if (block) {
      f.location = block.location ?? f.location;
      f.message ??= block.message;
      if (found === summary) {
        f.start = block.start;
        f.end = block.end;
      }
    }
    out.failures.push(f);
  }
  if (sawTotals) out.counts.set('surefire', { passed, failed });
}

/** `com.example.AppTest.addsNumbers` → `AppTest.addsNumbers`, as the summary names it. */
function shortName(fq: string): string {
  const parts = fq.split('.');
  return parts.slice(-2).join('.');
}

/** `AppTest.addsNumbers:14 expected: <4> but was: <5>` / `AppTest.parsesNumbers:19 » NumberFormat …`. */
function surefireSummaryEntry(text: string, at: number): FoundFailure {
  const space = text.indexOf(' ');
  const token = space < 0 ? text : text.slice(0, space);
  const rest = space < 0 ? '' : text.slice(space + 1).replace(/^» /, '');
  const m = /^(.+):(\d+)$/.exec(token);
  const name = m?.[1] ?? token;
  return { name, message: message(rest), location: m ? `${name}:${m[2]}` : null, start: at, end: at + 1 };
}

/** The exception line after a per-test header, and the frame inside the test method. */
function surefireBlock(lines: readonly string[], at: number, fq: string): FoundFailure {
  const limit = Math.min(lines.length, at + MAX_BLOCK_LINES);
  const msg = mavenBody(lines[at + 1] ?? '').trim();
  let location: string | null = null;
  let end = at + 2;
  for (; end < limit; end++) {
    const line = lines[end] ?? '';
    if (!/^\s+at /.test(line)) break;
    const frame = /^\s+at (\S+)\((\S+:\d+)\)$/.exec(line);
    if (frame?.[1] === fq && frame[2]) location = frame[2];
  }
  return { name: shortName(fq), message: message(msg), location, start: at, end };
}
