// "@name" in the composer: which word is being typed after an @, the project's files that
// fit it, and the prompt once one is picked (the file is also pinned to the context).

export interface Mention {
  /** Index of the "@". */
  start: number;
  /** End of the typed word (the caret). */
  end: number;
  query: string;
}

/** The "@word" the caret is in, or null. An @ inside a word ("me@example.com") is not a mention. */
export function activeMention(text: string, caret: number): Mention | null {
  let i = caret;
  while (i > 0 && /[\w./\-]/.test(text[i - 1])) i--;
  if (i === 0 || text[i - 1] !== '@') return null;
  const at = i - 1;
  if (at > 0 && !/\s/.test(text[at - 1])) return null;
  return { start: at, end: caret, query: text.slice(i, caret) };
}

/**
 * Files for a query, best first: the name starts with it, then the name contains it, then
 * the path does; shorter paths first within each. Case-insensitive. Linear in the files.
 */
export function mentionSuggestions(paths: Iterable<string>, query: string, limit = 8): string[] {
  const q = query.toLowerCase();
  const scored: { path: string; rank: number }[] = [];
  for (const path of paths) {
    const lower = path.toLowerCase();
    const name = lower.slice(lower.lastIndexOf('/') + 1);
    const rank = name.startsWith(q) ? 0 : name.includes(q) ? 1 : lower.includes(q) ? 2 : -1;
    if (rank >= 0) scored.push({ path, rank });
  }
  scored.sort((a, b) => a.rank - b.rank || a.path.length - b.path.length || (a.path < b.path ? -1 : 1));
  return scored.slice(0, limit).map((s) => s.path);
}

/** The prompt with the mention replaced by "@path ", and where the caret goes. */
export function applyMention(text: string, mention: Mention, path: string): { text: string; caret: number } {
  const insert = `@${path} `;
  const rest = text.slice(mention.end).replace(/^ /, '');
  return { text: text.slice(0, mention.start) + insert + rest, caret: mention.start + insert.length };
}
