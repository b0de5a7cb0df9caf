// Choosing what goes into the prompt: the user's pins first (they know best), never
// what they removed, then the best-ranked files while they fit. Greedy by score, but
// a file too big for what is left is passed over for a smaller one further down,
// rather than ending the selection with budget unused.
//
// Counting is assumed to grow with a text's length (every counter here is chars × a
// ratio): once a file of some length did not fit, a longer one cannot either, so the
// thousands of ranked files below a full budget are passed over without being counted,
// and the walk stops when not even the shortest candidate would fit.
import { RetrievalIndex, rankFiles, type RankOptions, type RankedFile, type SourceFile } from './rank.js';

export interface SelectOptions extends RankOptions {
  /** Always first, in this order (if they fit). */
  pinned?: readonly string[];
  /** Never included, even when pinned. */
  excluded?: readonly string[];
  /** Files scoring at or below this are not chosen (0: only files something points at). */
  minScore?: number;
  maxFiles?: number;
  /** Tokens each file costs besides its content (the `File: path` line and fences). */
  perFileOverheadTokens?: number;
  /** Reuse a workspace's index instead of building one from `files`. */
  index?: RetrievalIndex;
}

export interface SelectedFile {
  path: string;
  tokens: number;
  reason: string;
}

/** Relevant or pinned files that were counted and left out (ranked files passed over uncounted once the budget is full are not listed). */
export interface SkippedFile {
  path: string;
  tokens?: number;
  reason: string;
}

export interface ContextSelection {
  files: SelectedFile[];
  totalTokens: number;
  /** Relevant or pinned files that were left out, and why. */
  skipped: SkippedFile[];
  budgetTokens: number;
}

export function selectContext(
  files: readonly SourceFile[],
  prompt: string,
  budgetTokens: number,
  countTokens: (text: string) => number,
  opts: SelectOptions = {},
): ContextSelection {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const excluded = new Set(opts.excluded ?? []);
  const overhead = opts.perFileOverheadTokens ?? 0;
  const maxFiles = opts.maxFiles ?? Number.POSITIVE_INFINITY;
  const minScore = opts.minScore ?? 0;
  const budget = Math.max(0, budgetTokens);
  const chosen: SelectedFile[] = [];
  const skipped: SkippedFile[] = [];
  const taken = new Set<string>();
  let total = 0;

  /** Tokens `file` costs in the prompt. */
  const cost = (file: SourceFile): number => countTokens(file.content) + overhead;
  const offer = (path: string, reason: () => string): void => {
    taken.add(path);
    const file = byPath.get(path);
    if (!file) {
      skipped.push({ path, reason: 'not among the candidate files (missing, ignored or filtered out)' });
      return;
    }
    const tokens = cost(file);
    if (chosen.length >= maxFiles) {
      skipped.push({ path, tokens, reason: `${reason()}; over the limit of ${maxFiles} files` });
    } else if (total + tokens > budget) {
      skipped.push({ path, tokens, reason: `${reason()}; needs ${tokens} tokens, ${budget - total} left` });
      refusedLength = Math.min(refusedLength, file.content.length);
    } else {
      chosen.push({ path, tokens, reason: reason() });
      total += tokens;
    }
  };
  // The shortest content that did not fit (what is left only shrinks, so nothing as long fits later).
  let refusedLength = Number.POSITIVE_INFINITY;

  for (const path of opts.pinned ?? []) {
    if (excluded.has(path) || taken.has(path)) continue;
    offer(path, () => 'pinned');
  }

  const ranked: RankedFile[] = opts.index ? opts.index.rank(prompt) : rankFiles(files, prompt, opts);
  let shortest: SourceFile | undefined;
  for (const file of files) if (!shortest || file.content.length < shortest.content.length) shortest = file;
  const cheapest = shortest ? cost(shortest) : 0;
  for (const r of ranked) {
    if (r.score <= minScore) break; // ranked best first
    if (chosen.length >= maxFiles || budget - total < cheapest) break;
    if (excluded.has(r.path) || taken.has(r.path)) continue;
    const file = byPath.get(r.path);
    if (!file || file.content.length >= refusedLength) continue;
    offer(r.path, () => `score ${r.score.toFixed(2)}: ${r.reasons.join('; ')}`);
  }
  return { files: chosen, totalTokens: total, skipped, budgetTokens: budget };
}
