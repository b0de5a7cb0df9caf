// Public face of edits: changing existing files with SEARCH/REPLACE blocks (for large
// files; small ones are still rewritten whole). parseEditBlocks → applyEdits (pure,
// all-or-nothing per file) → formatEditFailuresForRetry for what did not apply.
export { parseEditBlocks, hasEditBlocks } from './parse.js';
export { applyEdits, editedPaths } from './apply.js';
export { formatEditFailuresForRetry } from './retry.js';
export type { EditBlock, ParsedEdits, ParseProblem, ApplyResult, AppliedBlock, EditFailure, ClosestLines, MatchKind, ReadFile } from './types.js';
