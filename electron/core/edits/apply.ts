// Applying parsed blocks. Pure: the caller reads the files (readFile) and writes
// `changed` through the guarded workspace. A file changes all at once or not at all:
// half an edit (the new call site without the new function) breaks a project worse
// than no edit, and the retry prompt can then ask for that file's blocks again.
import { closestLines } from './closest.js';
import { joinFile, splitFile, textLines, type FileLine, type SplitFile } from './lines.js';
import { findSearch } from './match.js';
import type { AppliedBlock, ApplyResult, EditBlock, EditFailure, ReadFile } from './types.js';

interface FileState {
  original: string | null;
  file: SplitFile | null;
  applied: AppliedBlock[];
  failed: boolean;
}

function toLines(texts: readonly string[], eol: string, lastEol: string): FileLine[] {
  return texts.map((text, i) => ({ text, eol: i === texts.length - 1 ? lastEol : eol }));
}

function applyBlock(state: FileState, block: EditBlock): AppliedBlock | EditFailure {
  const base = { path: block.path, index: block.index, search: block.search, replace: block.replace };
  const replace = textLines(block.replace);

  if (state.file === null) {
    if (block.search !== '') return { ...base, kind: 'file-missing' };
    state.file = { lines: toLines(replace, '\n', '\n'), eol: '\n', bom: false };
    return { path: block.path, index: block.index, how: 'created' };
  }

  const { lines, eol } = state.file;
  if (block.search === '') {
    // An empty SEARCH on an existing file appends (aider's convention).
    const last = lines[lines.length - 1];
    if (last && last.eol === '') last.eol = eol;
    const startLine = lines.length + 1;
    lines.push(...toLines(replace, eol, eol));
    return { path: block.path, index: block.index, how: 'appended', startLine };
  }

  const search = textLines(block.search);
  const found = findSearch(lines, search, replace);
  if (found.kind === 'ambiguous') return { ...base, kind: 'ambiguous', lines: found.starts.map((s) => s + 1) };
  if (found.kind === 'none') return { ...base, kind: 'no-match', closest: closestLines(lines, search) };

  // The last new line keeps the ending of the last replaced one (no final newline stays so).
  const lastEol = lines[found.start + found.search.length - 1]?.eol ?? eol;
  lines.splice(found.start, found.search.length, ...toLines(found.replace, eol, lastEol));
  return { path: block.path, index: block.index, how: found.how, startLine: found.start + 1 };
}

/** Paths the blocks touch, so a caller can read them before calling applyEdits. */
export function editedPaths(blocks: readonly EditBlock[]): string[] {
  return [...new Set(blocks.map((b) => b.path))];
}

export function applyEdits(readFile: ReadFile, blocks: readonly EditBlock[]): ApplyResult {
  const states = new Map<string, FileState>();
  const failures: EditFailure[] = [];

  for (const block of blocks) {
    let state = states.get(block.path);
    if (!state) {
      const original = readFile(block.path) ?? null;
      state = { original, file: original === null ? null : splitFile(original), applied: [], failed: false };
      states.set(block.path, state);
    }
    // Later blocks still run after a failure, on the text as it would have been, so one
    // retry prompt can name every block that needs fixing.
    const outcome = applyBlock(state, block);
    if ('kind' in outcome) {
      failures.push(outcome);
      state.failed = true;
    } else {
      state.applied.push(outcome);
    }
  }

  const changed = new Map<string, string>();
  const applied: AppliedBlock[] = [];
  const failedFiles: string[] = [];
  for (const [path, state] of states) {
    if (state.failed) {
      failedFiles.push(path);
      continue;
    }
    if (state.file === null) continue;
    const content = joinFile(state.file);
    if (content !== state.original) changed.set(path, content);
    applied.push(...state.applied);
  }
  return { changed, failures, applied, failedFiles };
}
