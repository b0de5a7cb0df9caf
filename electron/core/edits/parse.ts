// Parses aider-style SEARCH/REPLACE blocks out of a model answer:
//
//   File: src/app.js            (or a bare path line, **bold**, `ticks`, a heading,
//   ```js                        or the path in the fence's info string)
//   <<<<<<< SEARCH
//   old lines
//   =======
//   new lines
//   >>>>>>> REPLACE
//   ```
//
// A block without a path of its own belongs to the file of the block before it,
// as aider does. Fences around blocks are decoration and are skipped.
import { normalizeWorkspacePath } from '../files/index.js';
import type { EditBlock, ParsedEdits, ParseProblem } from './types.js';

const SEARCH_MARKER = /^\s*<{5,9} ?SEARCH\b/;
const DIVIDER = /^\s*={5,9}\s*$/;
const REPLACE_MARKER = /^\s*>{5,9} ?REPLACE\b/;
const FENCE = /^\s*(`{3,}|~{3,})(.*)$/;
const LABELLED_PATH = /^(?:file(?:name)?|path)\s*:\s*(.+)$/i;
const PATH_LIKE = /^[^\s`'"<>|*?]+$/;

/** Strip what models wrap paths in: `` `x` ``, `### x`, `- x` (bold `**` is removed by the caller). */
function undecorate(line: string): string {
  return line
    .trim()
    .replace(/^#{1,6}\s+/, '')
    .replace(/^[-*]\s+/, '')
    .replace(/^`(.*)`$/, '$1')
    .trim();
}

/** The path a line names, or null when it is prose, code or a marker. */
function pathOnLine(line: string): string | null {
  const bare = undecorate(line.replace(/\*\*/g, ''));
  const labelled = LABELLED_PATH.exec(bare);
  if (labelled) return undecorate(labelled[1]) || null;
  const candidate = bare.replace(/:$/, '');
  if (!PATH_LIKE.test(candidate) || !/[./]/.test(candidate) || !/[\p{L}\p{N}]/u.test(candidate)) return null;
  return candidate;
}

/** A path in a fence's info string: ```js src/app.js or ```src/app.js */
function pathInFenceInfo(info: string): string | null {
  for (const word of info.trim().split(/\s+/)) {
    if (word.includes('/') || /\.[A-Za-z0-9]+$/.test(word)) return pathOnLine(word);
  }
  return null;
}

/** Look back from a SEARCH marker, over blank lines and fence openers, for the line naming the file. */
function pathBefore(lines: string[], markerIndex: number): string | null {
  for (let i = markerIndex - 1; i >= 0 && i >= markerIndex - 4; i--) {
    const line = lines[i];
    if (line.trim() === '') continue;
    const fence = FENCE.exec(line);
    if (fence) {
      const inInfo = pathInFenceInfo(fence[2]);
      if (inInfo) return inInfo;
      continue;
    }
    return pathOnLine(line);
  }
  return null;
}

export function parseEditBlocks(answer: string): ParsedEdits {
  const lines = answer.split(/\r?\n/);
  const blocks: EditBlock[] = [];
  const problems: ParseProblem[] = [];
  let currentPath: string | null = null;
  let rawIndex = 0;

  for (let i = 0; i < lines.length; i++) {
    if (!SEARCH_MARKER.test(lines[i])) continue;
    const markerLine = i + 1;
    const index = rawIndex++;
    const named = pathBefore(lines, i);
    let path: string | null = currentPath;
    let refused: string | null = null;
    if (named !== null) {
      const normalized = normalizeWorkspacePath(named);
      if (normalized.ok) path = currentPath = normalized.path;
      else refused = `"${named}": ${normalized.reason}`;
    }

    const search: string[] = [];
    const replace: string[] = [];
    let j = i + 1;
    while (j < lines.length && !DIVIDER.test(lines[j])) search.push(lines[j++]);
    if (j >= lines.length) {
      problems.push({ line: markerLine, message: `Block ${index + 1} is cut off: no ======= line after <<<<<<< SEARCH.` });
      break;
    }
    j++;
    while (j < lines.length && !REPLACE_MARKER.test(lines[j])) replace.push(lines[j++]);
    if (j >= lines.length) {
      problems.push({ line: markerLine, message: `Block ${index + 1} is cut off: no >>>>>>> REPLACE line.` });
      break;
    }
    i = j;

    if (refused) {
      problems.push({ line: markerLine, message: `Block ${index + 1} was not applied: refused path ${refused}` });
      continue;
    }
    if (path === null) {
      problems.push({ line: markerLine, message: `Block ${index + 1} does not say which file it edits (put "File: path" on the line before it).` });
      continue;
    }
    const searchText = search.join('\n');
    blocks.push({ path, search: searchText.trim() === '' ? '' : searchText, replace: replace.join('\n'), index, line: markerLine });
  }
  return { blocks, problems };
}

/** Whether an answer uses the search/replace format at all (then whole-file parsing should not run on it). */
export function hasEditBlocks(answer: string): boolean {
  return answer.split(/\r?\n/).some((line) => SEARCH_MARKER.test(line));
}
