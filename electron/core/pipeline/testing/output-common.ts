// What the per-runner output parsers share: the collector they fill and small helpers.
// Every parser walks the lines once with anchored, non-nested patterns, so any input,
// however long or hostile, costs linear time.

/** A failure as a parser found it, with the lines that explain it. */
export interface FoundFailure {
  name: string;
  message: string | null;
  location: string | null;
  /** The failure's header line and the end (exclusive) of its detail block. */
  start: number;
  end: number;
}

export interface Counts {
  passed: number;
  failed: number;
}

export interface Collector {
  failures: FoundFailure[];
  /** Per runner family; families that printed a summary are added up. */
  counts: Map<string, Counts>;
  /** Line indexes of runner summary lines ("ℹ fail 2", "Ran 4 tests", "test result: …"). */
  summary: Set<number>;
}

export type OutputParser = (lines: readonly string[], out: Collector) => void;

/** Lines longer than this are only matched on their start: test runners' own lines are short. */
export const MAX_LINE = 2000;
export const MESSAGE_CHARS = 300;
/** How far a failure's detail block may reach: bounds the work per header line. */
export const MAX_BLOCK_LINES = 400;

/** Collapse whitespace and cap a message; empty → null. */
export function message(text: string | null | undefined): string | null {
  if (!text) return null;
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '') return null;
  return flat.length > MESSAGE_CHARS ? `${flat.slice(0, MESSAGE_CHARS - 1)}…` : flat;
}

export function indentOf(line: string): number {
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  return i;
}

/**
 * Stack frames and lines that point into a runtime, a test framework or installed
 * packages rather than into the project: no help to a model fixing the project.
 */
const FOREIGN =
  /node:internal|node:async_hooks|\(node:|\(<anonymous>\)|node_modules[\\/]|site-packages|dist-packages|[\\/]lib[\\/]python\d|<frozen |[\\/]rustc[\\/]|\.cargo[\\/]registry|\.rustup[\\/]|java\.base\/|\bat (org\.junit|org\.opentest4j|org\.apache\.maven|sun\.reflect|jdk\.internal)\.|[\\/]go[\\/]src[\\/](runtime|testing)[\\/]|[\\/]go[\\/]pkg[\\/]mod[\\/]/;

export function isForeign(line: string): boolean {
  return FOREIGN.test(line);
}

/** `file:///a/b.js:3:4` → `/a/b.js:3:4`; leaves plain paths alone. */
export function cleanLocation(loc: string): string {
  return loc.startsWith('file://') ? loc.slice('file://'.length) : loc;
}

/** The `path:line[:col]` inside a JS stack frame line (`at f (file:///x.js:1:2)` or `at /x.js:1:2`). */
export function jsFrameLocation(line: string): string | null {
  const trimmed = line.trim().replace(/^at /, '');
  const open = trimmed.lastIndexOf('(');
  const inner = open >= 0 && trimmed.endsWith(')') ? trimmed.slice(open + 1, -1) : trimmed;
  const m = /^(\S+?:\d+(?::\d+)?)$/.exec(inner);
  return m?.[1] ? cleanLocation(m[1]) : null;
}

/** First frame in lines[from, to) that points into the project. */
export function firstProjectJsFrame(lines: readonly string[], from: number, to: number): string | null {
  for (let i = from; i < to; i++) {
    const line = lines[i] ?? '';
    if (!/^\s*at /.test(line) || isForeign(line)) continue;
    const loc = jsFrameLocation(line);
    if (loc) return loc;
  }
  return null;
}
