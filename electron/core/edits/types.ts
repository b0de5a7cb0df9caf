// Types of search/replace editing. Expected failures (a block that does not match,
// matches twice, or names a missing file) are values, not exceptions: the pipeline
// turns them into a retry prompt, and the user sees them in the task log.

/** One SEARCH/REPLACE block from a model answer. */
export interface EditBlock {
  /** Normalised relative POSIX path. */
  path: string;
  /** The lines to find, joined with "\n", no trailing newline; "" = create the file or append to it. */
  search: string;
  /** The lines to put in their place, same convention. */
  replace: string;
  /** 0-based position of the block in the answer. */
  index: number;
  /** 1-based line of the SEARCH marker in the answer. */
  line: number;
}

export interface ParseProblem {
  /** 1-based line in the answer. */
  line: number;
  message: string;
}

export interface ParsedEdits {
  blocks: EditBlock[];
  problems: ParseProblem[];
}

/** How a block found its place. Anything but "exact" is worth a line in the task log. */
export type MatchKind = 'exact' | 'trailing-whitespace' | 'indentation' | 'blank-lines-trimmed';

export interface AppliedBlock {
  path: string;
  index: number;
  how: MatchKind | 'created' | 'appended';
  /** 1-based first line of the matched text in the file before this block applied. */
  startLine?: number;
}

export interface ClosestLines {
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  text: string;
  /** 0..1, line-by-line character-bigram similarity with the SEARCH text. */
  similarity: number;
}

interface FailureBase {
  path: string;
  /** The failing block's 0-based position in the answer. */
  index: number;
  search: string;
  replace: string;
}

export type EditFailure =
  | (FailureBase & { kind: 'no-match'; closest: ClosestLines | null })
  | (FailureBase & { kind: 'ambiguous'; /** 1-based first lines of each occurrence. */ lines: number[] })
  | (FailureBase & { kind: 'file-missing' });

export interface ApplyResult {
  /** New content of every file that changes, in the file's own line endings. */
  changed: Map<string, string>;
  failures: EditFailure[];
  applied: AppliedBlock[];
  /** Files left untouched because one of their blocks failed (all-or-nothing per file). */
  failedFiles: string[];
}

/** Current content of a workspace file, or null/undefined when there is none. */
export type ReadFile = (path: string) => string | null | undefined;
