// Finding where a SEARCH text goes. Models copy code imperfectly: trailing spaces
// vanish, indentation shifts (a method quoted without its class), tabs become
// spaces, a blank line is added at the edges. Each pass is looser than the one
// before and runs only when the stricter ones found nothing; a pass that finds the
// text twice stops the search (ambiguous), since a looser one would find it as often.
import type { FileLine } from './lines.js';
import type { MatchKind } from './types.js';

export type FindResult =
  | { kind: 'found'; start: number; how: MatchKind; search: string[]; replace: string[] }
  | { kind: 'ambiguous'; starts: number[] }
  | { kind: 'none' };

type Compare = (fileLine: string, searchLine: string) => boolean;

const nfc = (s: string) => s.normalize('NFC');
const EXACT: Compare = (a, b) => a === b;
const TRAILING: Compare = (a, b) => nfc(a.trimEnd()) === nfc(b.trimEnd());
const INDENT: Compare = (a, b) => nfc(a.trim()) === nfc(b.trim());

function occurrences(file: readonly FileLine[], search: readonly string[], same: Compare): number[] {
  const starts: number[] = [];
  const last = file.length - search.length;
  for (let i = 0; i <= last; i++) {
    let k = 0;
    while (k < search.length && same(file[i + k].text, search[k])) k++;
    if (k === search.length) starts.push(i);
  }
  return starts;
}

function trimBlankEdges(lines: readonly string[]): string[] {
  let a = 0;
  let b = lines.length;
  while (a < b && lines[a].trim() === '') a++;
  while (b > a && lines[b - 1].trim() === '') b--;
  return lines.slice(a, b);
}

const PASSES: Array<{ how: MatchKind; same: Compare }> = [
  { how: 'exact', same: EXACT },
  { how: 'trailing-whitespace', same: TRAILING },
  { how: 'indentation', same: INDENT },
];

export function findSearch(file: readonly FileLine[], search: readonly string[], replace: readonly string[]): FindResult {
  const attempt = (s: readonly string[], r: readonly string[], trimmed: boolean): FindResult => {
    for (const pass of PASSES) {
      const starts = occurrences(file, s, pass.same);
      if (starts.length > 1) return { kind: 'ambiguous', starts };
      if (starts.length === 1) {
        const how = trimmed ? 'blank-lines-trimmed' : pass.how;
        const lines = pass.how === 'indentation' ? reindent(file.slice(starts[0], starts[0] + s.length), s, r) : [...r];
        return { kind: 'found', start: starts[0], how, search: [...s], replace: lines };
      }
    }
    return { kind: 'none' };
  };

  const first = attempt(search, replace, false);
  if (first.kind !== 'none') return first;
  const trimmedSearch = trimBlankEdges(search);
  if (trimmedSearch.length === 0 || trimmedSearch.length === search.length) return first;
  return attempt(trimmedSearch, trimBlankEdges(replace), true);
}

const indentOf = (line: string) => /^[ \t]*/.exec(line)![0];

/**
 * Give the replacement the indentation the file really has. The common case is a
 * constant shift (the model dropped or added one level everywhere): apply the same
 * shift. Otherwise (tabs vs spaces, 2 vs 4 spaces) map each indentation the SEARCH
 * used to the one the file has at that line, and extend it for deeper lines.
 */
export function reindent(matched: readonly FileLine[], search: readonly string[], replace: readonly string[]): string[] {
  const pairs: Array<[fileIndent: string, searchIndent: string]> = [];
  search.forEach((line, k) => {
    if (line.trim() !== '') pairs.push([indentOf(matched[k].text), indentOf(line)]);
  });
  if (pairs.length === 0) return [...replace];

  const [f0, s0] = pairs[0];
  if (f0.endsWith(s0)) {
    const added = f0.slice(0, f0.length - s0.length);
    if (pairs.every(([f, s]) => f === added + s)) return replace.map((line) => (line.trim() === '' ? line : added + line));
  }
  if (s0.endsWith(f0)) {
    const removed = s0.slice(0, s0.length - f0.length);
    if (pairs.every(([f, s]) => s === removed + f)) {
      return replace.map((line) => (line.startsWith(removed) ? line.slice(removed.length) : line.replace(/^[ \t]+/, '')));
    }
  }

  const bySearchIndent = new Map<string, string>();
  for (const [f, s] of pairs) if (!bySearchIndent.has(s)) bySearchIndent.set(s, f);
  const known = [...bySearchIndent.keys()].sort((a, b) => b.length - a.length);
  return replace.map((line) => {
    if (line.trim() === '') return line;
    const indent = indentOf(line);
    const exact = bySearchIndent.get(indent);
    if (exact !== undefined) return exact + line.slice(indent.length);
    const base = known.find((s) => indent.startsWith(s));
    return base === undefined ? line : bySearchIndent.get(base)! + line.slice(base.length);
  });
}
