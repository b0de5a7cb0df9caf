// node:test output: the TAP reporter (the default under a pipe on Node 20) and the spec
// reporter (the default on newer Nodes, and Node 20 with --test-reporter=spec).
import {
  MAX_BLOCK_LINES,
  cleanLocation,
  firstProjectJsFrame,
  indentOf,
  isForeign,
  jsFrameLocation,
  message,
  type Collector,
  type FoundFailure,
} from './output-common.js';

/** A parent that failed only because a subtest did: the subtest is the failure worth naming. */
const SUBTESTS_FAILED = /^'?\d+ subtests? failed'?$/;
const TAP_RESULT = /^(\s*)(not ok|ok) \d+(?: - (.*))?$/;

export function parseNodeTap(lines: readonly string[], out: Collector): void {
  let sawResult = false;
  const counts = { pass: -1, fail: -1, cancelled: 0 };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const result = TAP_RESULT.exec(line);
    if (result) {
      sawResult = true;
      if (result[2] === 'not ok') {
        const found = tapFailure(lines, i, result[1]?.length ?? 0, result[3] ?? '');
        if (found) out.failures.push(found);
      }
      continue;
    }
    const count = /^# (pass|fail|cancelled)\s+(\d+)$/.exec(line);
    if (count?.[1] && count[2]) {
      counts[count[1] as keyof typeof counts] = Number(count[2]);
      out.summary.add(i);
    } else if (/^# (tests|suites|skipped|todo|duration_ms)\s/.test(line)) {
      out.summary.add(i);
    }
  }
  if (sawResult && counts.pass >= 0 && counts.fail >= 0) {
    // node counts a timed-out or cancelled test apart from `fail`; it did not pass either.
    out.counts.set('node', { passed: counts.pass, failed: counts.fail + counts.cancelled });
  }
}

/** Reads the YAML diagnostic block that follows a `not ok` line. */
function tapFailure(lines: readonly string[], at: number, indent: number, title: string): FoundFailure | null {
  const directive = / # (TODO|SKIP)\b/i.exec(title);
  if (directive) return null; // a failing TODO or a skip does not fail the run
  const name = title.replace(/\\#/g, '#').replace(/\\\\/g, '\\').trim();
  const pad = ' '.repeat(indent + 2);
  let end = at + 1;
  if ((lines[end] ?? '') !== `${pad}---`) return { name, message: null, location: null, start: at, end };

  let errorText: string | null = null;
  let errorName: string | null = null;
  let declared: string | null = null;
  let frame: string | null = null;
  let suite = false;
  const limit = Math.min(lines.length, at + MAX_BLOCK_LINES);
  for (end = at + 2; end < limit; end++) {
    const line = lines[end] ?? '';
    if (line === `${pad}...`) {
      end++;
      break;
    }
    if (TAP_RESULT.test(line)) break; // an unterminated block: the next result ends it
    if (!line.startsWith(pad) || line[pad.length] === ' ') continue; // not a key of this block
    const [key, value] = splitYamlKey(line.slice(pad.length));
    if (key === 'type' && value === "'suite'") suite = true;
    else if (key === 'failureType' && value === "'subtestsFailed'") suite = true;
    else if (key === 'location') declared = unquoteYaml(value);
    else if (key === 'name') errorName = unquoteYaml(value);
    else if (key === 'error') errorText = value === '|-' || value === '|' ? yamlBlock(lines, end + 1, pad.length) : unquoteYaml(value);
    else if (key === 'stack' && (value === '|-' || value === '|')) frame = firstTapProjectFrame(lines, end + 1, pad.length);
  }
  if (suite) return null;
  const text = errorName && errorText && !errorText.startsWith(errorName) ? `${errorName}: ${errorText}` : errorText;
  return { name, message: message(text), location: frame ?? (declared ? cleanLocation(declared) : null), start: at, end };
}

function splitYamlKey(text: string): [string, string] {
  const colon = text.indexOf(':');
  return colon < 0 ? [text, ''] : [text.slice(0, colon), text.slice(colon + 1).trim()];
}

function unquoteYaml(value: string): string {
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1).replace(/''/g, "'");
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) return value.slice(1, -1);
  return value;
}

/** The lines of a YAML `|-` scalar: everything indented deeper than its key. */
function yamlBlock(lines: readonly string[], from: number, keyIndent: number): string {
  const parts: string[] = [];
  for (let i = from; i < lines.length && i < from + MAX_BLOCK_LINES; i++) {
    const line = lines[i] ?? '';
    if (line.trim() !== '' && indentOf(line) <= keyIndent) break;
    parts.push(line.trim());
  }
  return parts.join(' ');
}

/** TAP stack lines have no `at `: `TestContext.<anonymous> (file:///x.test.js:6:10)`. */
function firstTapProjectFrame(lines: readonly string[], from: number, keyIndent: number): string | null {
  for (let i = from; i < lines.length && i < from + MAX_BLOCK_LINES; i++) {
    const line = lines[i] ?? '';
    if (line.trim() !== '' && indentOf(line) <= keyIndent) break;
    if (isForeign(line)) continue;
    const loc = jsFrameLocation(line);
    if (loc) return loc;
  }
  return null;
}

/** `✖ name (1.2ms)`, `✖ name (1.2ms) # TODO`: the name and its directive. */
function specTitle(text: string): { name: string; directive: string | null } {
  let rest = text;
  let directive: string | null = null;
  const hash = rest.lastIndexOf(' # ');
  if (hash >= 0 && /^ # (TODO|SKIP)\b/i.test(rest.slice(hash))) {
    directive = rest.slice(hash + 3);
    rest = rest.slice(0, hash);
  }
  return { name: rest.replace(/ \([\d.]+m?s\)$/, '').trim(), directive };
}

export function parseNodeSpec(lines: readonly string[], out: Collector): void {
  // `▶ name` opens a suite or a test with subtests; its own ✖ only echoes its children.
  const parents = new Set<string>();
  for (const line of lines) {
    const m = /^\s*▶ (.+)$/.exec(line);
    if (m?.[1]) parents.add(specTitle(m[1]).name);
  }
  const counts = { pass: -1, fail: -1, cancelled: 0 };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const info = /^ℹ (\w+) ([\d.]+)$/.exec(line);
    if (info?.[1]) {
      out.summary.add(i);
      if (info[1] in counts) counts[info[1] as keyof typeof counts] = Number(info[2]);
      continue;
    }
    const failed = /^(\s*)✖ (.+)$/.exec(line);
    if (!failed?.[2] || failed[2] === 'failing tests:') {
      if (failed) out.summary.add(i);
      continue;
    }
    const { name, directive } = specTitle(failed[2]);
    if (directive || parents.has(name)) continue;
    const indent = failed[1]?.length ?? 0;
    const end = specBlockEnd(lines, i, indent);
    const detail = specMessage(lines, i + 1, end);
    if (detail !== null && SUBTESTS_FAILED.test(detail)) continue;
    // The failing-tests section puts `test at file:line:col` right above the repeat.
    const declared = /^test at (.+)$/.exec(lines[i - 1] ?? '')?.[1] ?? null;
    out.failures.push({
      name,
      message: message(detail),
      location: firstProjectJsFrame(lines, i + 1, end) ?? (declared ? cleanLocation(declared) : null),
      start: declared ? i - 1 : i,
      end,
    });
  }
  if (counts.pass >= 0 && counts.fail >= 0) {
    out.counts.set('node', { passed: counts.pass, failed: counts.fail + counts.cancelled });
  }
}

/** The detail of a `✖` line: the lines indented deeper, blank lines included. */
function specBlockEnd(lines: readonly string[], at: number, indent: number): number {
  const limit = Math.min(lines.length, at + MAX_BLOCK_LINES);
  let end = at + 1;
  for (let i = at + 1; i < limit; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') continue;
    if (indentOf(line) <= indent || /^\s*(✖|✔|▶|ℹ|﹣) /.test(line)) break;
    end = i + 1;
  }
  return end;
}

/** The error lines before the stack: `AssertionError [ERR_ASSERTION]: … 5 !== 4`. */
function specMessage(lines: readonly string[], from: number, to: number): string | null {
  const parts: string[] = [];
  for (let i = from; i < to; i++) {
    const text = (lines[i] ?? '').trim();
    if (text.startsWith('at ') || text === '{') break;
    if (text !== '') parts.push(text);
  }
  if (parts.length === 0) return null;
  const joined = parts.join(' ');
  // A thrown string or a runner note is printed quoted: 'test timed out after 50ms'.
  return /^'[^']*'$/.test(joined) ? joined.slice(1, -1) : joined;
}
