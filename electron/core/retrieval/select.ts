// Choosing what goes into the prompt: the user's pins first (they know best), never
// what they removed, then the best-ranked files while they fit. Greedy by score, but
// a file too big for what is left is passed over for a smaller one further down,
// rather than ending the selection with budget unused.
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

  const offer = (path: string, reason: string): void => {
    const file = byPath.get(path);
    if (!file) {
      skipped.push({ path, reason: 'not among the candidate files (missing, ignored or filtered out)' });
      return;
    }
    const tokens = countTokens(file.content) + overhead;
    if (chosen.length >= maxFiles) {
      skipped.push({ path, tokens, reason: `${reason}; over the limit of ${maxFiles} files` });
    } else if (total + tokens > budget) {
      skipped.push({ path, tokens, reason: `${reason}; needs ${tokens} tokens, ${budget - total} left` });
    } else {
      chosen.push({ path, tokens, reason });
      total += tokens;
    }
    taken.add(path);
  };

  for (const path of opts.pinned ?? []) {
    if (excluded.has(path) || taken.has(path)) continue;
    offer(path, 'pinned');
  }

  const ranked: RankedFile[] = opts.index ? opts.index.rank(prompt) : rankFiles(files, prompt, opts);
  for (const r of ranked) {
    if (r.score <= minScore) break; // ranked best first
    if (excluded.has(r.path) || taken.has(r.path) || !byPath.has(r.path)) continue;
    if (chosen.length >= maxFiles) break;
    offer(r.path, `score ${r.score.toFixed(2)}: ${r.reasons.join('; ')}`);
  }
  return { files: chosen, totalTokens: total, skipped, budgetTokens: budget };
}
