// The text that goes back to the model when blocks failed: which block, why, and
// for a miss the lines it probably meant, copied from the file, so the next answer
// can quote them exactly.
import type { EditFailure } from './types.js';

/** A fence longer than any backtick run in the text, so quoted code cannot close it. */
function fenceFor(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(longest + 1);
}

function renderBlock(f: EditFailure): string {
  return [`File: ${f.path}`, '<<<<<<< SEARCH', ...(f.search ? [f.search] : []), '=======', ...(f.replace ? [f.replace] : []), '>>>>>>> REPLACE'].join('\n');
}

function explain(f: EditFailure): string {
  const head = `## Block ${f.index + 1} (${f.path})`;
  switch (f.kind) {
    case 'file-missing':
      return `${head}: ${f.path} does not exist.\nTo create a new file, leave the SEARCH section empty. Otherwise check the path.\n\n${renderBlock(f)}`;
    case 'ambiguous':
      return (
        `${head}: the SEARCH text occurs ${f.lines.length} times (at lines ${f.lines.join(', ')}), so it is not clear which to change.\n` +
        `Include more lines around the place you mean, so the SEARCH text occurs exactly once.\n\n${renderBlock(f)}`
      );
    case 'no-match': {
      const text = `${head}: the SEARCH text does not match any lines of ${f.path}.\n\n${renderBlock(f)}`;
      if (!f.closest) return text;
      const fence = fenceFor(f.closest.text);
      return (
        `${text}\n\nThe most similar lines in ${f.path} are lines ${f.closest.startLine}–${f.closest.endLine} ` +
        `(${Math.round(f.closest.similarity * 100)}% similar):\n${fence}\n${f.closest.text}\n${fence}\n` +
        'If these are the lines you meant, copy them exactly into the SEARCH section.'
      );
    }
  }
}

/** "" when nothing failed. */
export function formatEditFailuresForRetry(failures: readonly EditFailure[]): string {
  if (failures.length === 0) return '';
  const files = [...new Set(failures.map((f) => f.path))];
  return [
    `${failures.length} SEARCH/REPLACE block${failures.length === 1 ? '' : 's'} could not be applied. ` +
      `Nothing was changed in ${files.join(', ')}: send again every block for ${files.length === 1 ? 'that file' : 'those files'}, corrected, ` +
      'including the blocks that looked fine. Blocks for files not named here were applied; do not repeat them.',
    'Each SEARCH section must copy the current lines of the file exactly (whitespace, comments and all) and occur exactly once.',
    ...failures.map(explain),
  ].join('\n\n');
}
