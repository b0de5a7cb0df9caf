// Error fingerprints: the same error, however often it happens and whichever port, pid or
// temp folder it names this time, counts once. An id is a hash of the source, the message
// with its changing parts normalised, and the top stack frame (file and function, not the
// line, so an edit above it keeps the id). Also: finding the errors in a server's output.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ErrorFingerprint } from '../../../shared/index.js';
import type { RunErrorReport } from './types.js';

/** The project the stack's files are looked up in: its root folder, or its files (relative paths) and root. */
export type ProjectFiles = string | { root: string; has: (relativePath: string) => boolean };

export const FINGERPRINTS_KEPT = 50;
/** Fix attempts remembered for fingerprints no longer kept (small: an id and a count each). */
const EVICTED_TRIES_KEPT = 5_000;
const MAX_MESSAGE = 2000;
const MAX_STACK = 8000;
const MAX_FILES = 10;

// Not after a host or `<local>`: URL paths (/api/items/3) are the app's, and stay.
const ABSOLUTE_PATH = /(?<![\w>.:/-])(?:file:\/\/)?(?:[A-Za-z]:\\|\/)(?:[^\s:'"()<>[\]/\\]+[/\\])*[^\s:'"()<>[\]/\\]+/g;

/** The message with what changes from run to run replaced by placeholders. */
export function normaliseMessage(message: string): string {
  return message
    .replace(/\u001b\[[0-9;]*m/g, '')
    .replace(/\bhttps?:\/\/(?:127\.0\.0\.1|localhost|\[::1\]|0\.0\.0\.0)(?::\d+)?/gi, '<local>')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>')
    .replace(/\b0x[0-9a-f]+\b/gi, '<hex>')
    .replace(/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,}\b/gi, '<hex>')
    .replace(ABSOLUTE_PATH, (whole: string) => {
      // A temp or home folder differs per machine and run; the last two names say which file.
      const parts = whole.replace(/^file:\/\//, '').split(/[/\\]/).filter((x) => x.length > 0);
      return parts.length <= 2 ? whole : `<path>/${parts.slice(-2).join('/')}`;
    })
    .replace(/\d+/g, 'N')
    .replace(/\s+/g, ' ')
    .trim();
}

const V8_FRAME = /^\s*at\s+(?:(.*?)\s+\()?(.+?)(?::(\d+))?(?::(\d+))?\)?\s*$/;
const GECKO_FRAME = /^\s*([^@\s]*)@(.+?)(?::(\d+))?(?::(\d+))?\s*$/;
const PY_FRAME = /^\s*File "(.+?)", line (\d+)(?:, in (.+))?\s*$/;

interface Frame {
  fn: string;
  file: string;
}

/** Every frame of a V8 / Firefox / Python stack, innermost first. */
export function framesOf(stack: string | null | undefined): Frame[] {
  if (!stack) return [];
  const lines = stack.split('\n');
  const python: Frame[] = [];
  const others: Frame[] = [];
  for (const line of lines) {
    const py = PY_FRAME.exec(line);
    if (py) {
      python.push({ fn: py[3] ?? '', file: py[1]! });
      continue;
    }
    if (/^\s*at\s/.test(line)) {
      const m = V8_FRAME.exec(line);
      if (m) others.push({ fn: m[1] ?? '', file: m[2]! });
      continue;
    }
    const gecko = GECKO_FRAME.exec(line);
    if (gecko && /[/:]/.test(gecko[2]!)) others.push({ fn: gecko[1] ?? '', file: gecko[2]! });
  }
  // Python prints the most recent call last.
  return [...python.reverse(), ...others];
}

/** A file reference (URL, file:// URL, absolute or relative path) → candidate relative paths. */
function candidatesOf(ref: string, root: string): string[] {
  let p = ref.trim();
  const url = /^(?:https?|file):\/\/[^/]*(\/[^?#]*)/i.exec(p);
  if (url) p = decodeURIComponentSafe(url[1]!);
  p = p.replace(/\\/g, '/').replace(/:\d+(?::\d+)?$/, '');
  const normalisedRoot = root.replace(/\\/g, '/').replace(/\/+$/, '');
  if (normalisedRoot && p.startsWith(`${normalisedRoot}/`)) return [p.slice(normalisedRoot.length + 1)];
  const parts = p.split('/').filter((s) => s.length > 0 && s !== '.');
  if (parts.includes('..') || parts.includes('node_modules')) return [];
  // A path from inside the sandbox or a URL path: try it whole, then without leading folders.
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) out.push(parts.slice(i).join('/'));
  return out;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function fileCheck(rootFiles: ProjectFiles): { root: string; has: (rel: string) => boolean } {
  if (typeof rootFiles !== 'string') return rootFiles;
  const root = rootFiles;
  return {
    root,
    has: (rel) => {
      if (rel.split('/').some((s) => s.startsWith('.'))) return false;
      try {
        return fs.statSync(path.join(root, rel)).isFile();
      } catch {
        return false;
      }
    },
  };
}

/** Paths in free text that may name a file (stack lines, `where`, Python tracebacks). */
const FILE_REFERENCE = /(?:(?:https?|file):\/\/[^\s)'"]+|(?:[A-Za-z]:\\|\/|\.{0,2}\/)?(?:[\w@.-]+[/\\])*[\w@.-]+\.[A-Za-z]{1,5}(?::\d+(?::\d+)?)?)/g;

/** The project files a report names (relative, existing), innermost frame first. */
export function filesNamed(report: RunErrorReport, rootFiles: ProjectFiles): string[] {
  const check = fileCheck(rootFiles);
  const refs = [...framesOf(report.stack).map((f) => f.file)];
  for (const text of [report.where, report.stack, report.message]) {
    if (text) refs.push(...(text.match(FILE_REFERENCE) ?? []));
  }
  const found: string[] = [];
  for (const ref of refs) {
    for (const rel of candidatesOf(ref, check.root)) {
      if (found.includes(rel)) break;
      if (check.has(rel)) {
        found.push(rel);
        break;
      }
    }
    if (found.length >= MAX_FILES) break;
  }
  return found;
}

/** The stable id of a report and the project files it names. */
export function fingerprintOf(report: RunErrorReport, rootFiles: ProjectFiles): { id: string; files: string[] } {
  const files = filesNamed(report, rootFiles);
  const top = framesOf(report.stack)[0];
  const topKey = top ? `${top.fn} ${candidatesOf(top.file, fileCheck(rootFiles).root).at(-1) ?? normaliseMessage(top.file)}` : '';
  const id = createHash('sha256').update(`${report.source}\n${normaliseMessage(report.message)}\n${topKey}`).digest('hex').slice(0, 16);
  return { id, files };
}

/** A run's errors, deduplicated: count, first and last time, fix attempts; the most recent 50 kept. */
export class FingerprintBook {
  private readonly entries = new Map<string, ErrorFingerprint>();
  /**
   * Fix attempts of fingerprints pushed out by newer ones. Without it an app that prints 50
   * other errors resets an error's count, and "Fix this error" (capped per error) never ends.
   */
  private readonly evictedTries = new Map<string, number>();

  constructor(
    private readonly rootFiles: ProjectFiles,
    earlier: readonly ErrorFingerprint[] = [],
    private readonly max = FINGERPRINTS_KEPT,
  ) {
    for (const entry of earlier) this.entries.set(entry.id, { ...entry });
    this.trim();
  }

  /** Record one report; the fingerprint it counts toward (new or updated). */
  add(report: RunErrorReport): ErrorFingerprint {
    const { id, files } = fingerprintOf(report, this.rootFiles);
    const known = this.entries.get(id);
    if (known) {
      known.count += 1;
      known.lastAt = Math.max(known.lastAt, report.at);
      // The newest wording (real numbers, this run's paths) is the most useful to a fixer.
      known.message = report.message.slice(0, MAX_MESSAGE);
      if (report.stack) known.stack = report.stack.slice(0, MAX_STACK);
      for (const f of files) if (!known.files.includes(f)) known.files.push(f);
      // Most recently seen last in insertion order: the map doubles as the eviction queue.
      this.entries.delete(id);
      this.entries.set(id, known);
      return { ...known, files: [...known.files] };
    }
    const entry: ErrorFingerprint = {
      id,
      source: report.source,
      message: report.message.slice(0, MAX_MESSAGE),
      stack: report.stack ? report.stack.slice(0, MAX_STACK) : null,
      files,
      count: 1,
      firstAt: report.at,
      lastAt: report.at,
      fixAttempts: this.evictedTries.get(id) ?? 0,
    };
    this.entries.set(id, entry);
    this.trim();
    return { ...entry, files: [...files] };
  }

  get(id: string): ErrorFingerprint | null {
    const entry = this.entries.get(id);
    return entry ? { ...entry, files: [...entry.files] } : null;
  }

  /** One more "Fix this error" turn for it; null when it is not (or no longer) kept. */
  noteFixAttempt(id: string): ErrorFingerprint | null {
    const entry = this.entries.get(id);
    if (!entry) return null;
    entry.fixAttempts += 1;
    return { ...entry, files: [...entry.files] };
  }

  /** Most recently seen first. */
  list(): ErrorFingerprint[] {
    return [...this.entries.values()].reverse().map((e) => ({ ...e, files: [...e.files] }));
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }

  private trim(): void {
    while (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value as string;
      const tries = this.entries.get(oldest)?.fixAttempts ?? 0;
      this.entries.delete(oldest);
      if (tries > 0) {
        this.evictedTries.delete(oldest);
        this.evictedTries.set(oldest, tries);
        if (this.evictedTries.size > EVICTED_TRIES_KEPT) this.evictedTries.delete(this.evictedTries.keys().next().value as string);
      }
    }
  }
}

const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;
const NODE_ERROR_LINE = /^\s*(?:Uncaught\s+)?(?:[A-Z][\w$]*)?(?:Error|Exception)(?:\s*\[[A-Z0-9_]+\])?:\s.+/;
const STACK_FRAME = /^\s+at\s/;
/** Lines Node may print between an error and its frames ("Require stack:", "- /app/server.js"). */
const NODE_GAP_LINES = 6;
const PY_TRACEBACK = /^\s*Traceback \(most recent call last\):\s*$/;
const PY_FILE_LINE = /^\s*File "[^"]+", line \d+/;
const PY_EXCEPTION = /^[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning)(?::\s.*)?$/;
const NPM_ERROR = /^npm (?:ERR!|error)\b/;
const ERROR_LINE = /\b[Ee]rror:|\bERROR\b/;
/** An error line's details that follow it indented (Vite: "  Plugin: …", "  File: /app/src/App.jsx:3:20"). */
const ERROR_DETAIL_LINES = 20;

/** A report found at line `start`, and the first line after it. */
type Found = { message: string; stack: string | null; next: number };

/** "Traceback (most recent call last):" (or a bare `File "…", line N` a SyntaxError prints), indented frames, then the exception line. */
function pythonTraceback(lines: readonly string[], start: number): Found | null {
  const first = lines[start]!;
  const bare = !PY_TRACEBACK.test(first);
  if (bare && !PY_FILE_LINE.test(first)) return null;
  let i = start + 1;
  while (i < lines.length && (/^\s/.test(lines[i]!) || lines[i]!.trim() === '')) i += 1;
  const last = lines[i];
  if (last !== undefined && PY_EXCEPTION.test(last.trim())) {
    return { message: last, stack: lines.slice(start, i + 1).join('\n'), next: i + 1 };
  }
  // A bare File line not ending in an exception is somebody's log line, not a traceback.
  if (bare) return null;
  return { message: lines[i - 1]!.trim() || first, stack: lines.slice(start, i).join('\n'), next: i };
}

/** "TypeError: …" followed (after at most a few lines) by "    at …" frames. */
function nodeStack(lines: readonly string[], start: number): Found | null {
  if (!NODE_ERROR_LINE.test(lines[start]!)) return null;
  let i = start + 1;
  while (i < lines.length && i <= start + NODE_GAP_LINES && !STACK_FRAME.test(lines[i]!)) i += 1;
  if (i >= lines.length || !STACK_FRAME.test(lines[i]!)) return null;
  while (i < lines.length && STACK_FRAME.test(lines[i]!)) i += 1;
  return { message: lines[start]!, stack: lines.slice(start, i).join('\n'), next: i };
}

/** Consecutive npm error lines: one report, told by its most telling line. */
function npmErrors(lines: readonly string[], start: number): Found | null {
  if (!NPM_ERROR.test(lines[start]!)) return null;
  let i = start + 1;
  while (i < lines.length && NPM_ERROR.test(lines[i]!)) i += 1;
  const block = lines.slice(start, i);
  const telling = block.find((l) => !/^npm (?:ERR!|error)\s*$/.test(l) && !/\bcode\s+E/.test(l)) ?? block[0]!;
  return { message: telling, stack: block.length > 1 ? block.join('\n') : null, next: i };
}

/**
 * The errors in a server's output (stdout and stderr lines, in order): Node stacks
 * ("TypeError: … / at …"), Python tracebacks (the whole block, the last line as message),
 * and single "Error:" / "ERROR" lines. Consecutive npm error lines make one report.
 */
export function errorsFromServerOutput(lines: readonly string[], now = Date.now()): RunErrorReport[] {
  const clean = lines.map((l) => l.replace(ANSI, '').replace(/\r$/, ''));
  const out: RunErrorReport[] = [];
  let i = 0;
  while (i < clean.length) {
    const found = pythonTraceback(clean, i) ?? nodeStack(clean, i) ?? npmErrors(clean, i);
    if (found) {
      const top = framesOf(found.stack)[0];
      out.push({ source: 'server', message: found.message.trim().slice(0, MAX_MESSAGE), stack: found.stack?.slice(0, MAX_STACK) ?? null, where: top?.file ?? null, at: now });
      i = found.next;
      continue;
    }
    const line = clean[i]!;
    // An "ERROR in app" line that introduces a traceback is told by the traceback itself.
    const introducesTraceback = i + 1 < clean.length && PY_TRACEBACK.test(clean[i + 1]!);
    if (!ERROR_LINE.test(line) || introducesTraceback) {
      i += 1;
      continue;
    }
    let end = i + 1;
    while (end < clean.length && end <= i + ERROR_DETAIL_LINES && /^\s+\S/.test(clean[end]!) && !STACK_FRAME.test(clean[end]!)) end += 1;
    const stack = end > i + 1 ? clean.slice(i, end).join('\n') : null;
    out.push({ source: 'server', message: line.trim().slice(0, MAX_MESSAGE), stack, where: null, at: now });
    i = end;
  }
  return out;
}
