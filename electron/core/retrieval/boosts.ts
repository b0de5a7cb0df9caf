// The two signals BM25 does not see. Path words: a prompt about "the login route"
// is usually about routes/login.js even when the words inside differ. Symbols: a
// prompt that names `verifyToken` wants the file that defines it, not the ten that
// call it (BM25 cannot tell a definition from a use).
import { isStopWord, rawWords, tokenize, type QueryWord } from './tokenize.js';
import { symbolKey } from './symbols.js';

export interface PathTerms {
  /** Stemmed terms of the file name (without extension). */
  base: Set<string>;
  /** Stemmed terms of the folders. */
  dirs: Set<string>;
}

export function pathTerms(path: string): PathTerms {
  const segments = path.split('/');
  const file = segments.pop() ?? '';
  const stem = file.replace(/\.[^.]+$/, '').replace(/\.(test|spec|d)$/, '');
  return { base: new Set(tokenize(stem)), dirs: new Set(tokenize(segments.join(' '))) };
}

export interface PathMatch {
  points: number;
  matched: string[];
}

/**
 * Up to one point per prompt word found in the file name, half in a folder name.
 * A compound word (`requireAuth`) scores whole when the path spells all of it
 * (require-auth.js) and in proportion to its parts otherwise (auth.js: half).
 */
export function matchPath(terms: PathTerms, words: readonly QueryWord[]): PathMatch {
  let points = 0;
  const matched: string[] = [];
  for (const { word, parts, whole } of words) {
    const score = (set: Set<string>) => (whole && set.has(whole) ? 1 : parts.filter((p) => set.has(p)).length / parts.length);
    const best = Math.max(score(terms.base), 0.5 * score(terms.dirs));
    if (best <= 0) continue;
    points += best;
    matched.push(word);
  }
  return { points, matched };
}

export interface SymbolQuery {
  key: string;
  /** How much a definition of this key says about relevance. */
  weight: number;
  /** As written in the prompt, for the reason text. */
  spelled: string;
}

const looksLikeCode = (word: string) => /[a-z][A-Z]|_|\$/.test(word) || /^[A-Z][a-z]+[A-Z]/.test(word);

/**
 * Identifier candidates in a prompt. A word spelled like code (`verifyToken`,
 * `db_pool`) weighs most; a plain word ("login") is often also a function name but
 * weighs less; adjacent plain words ("verify token", "due date") are tried joined,
 * since prompts spell identifiers as phrases.
 */
export function symbolQueries(prompt: string): SymbolQuery[] {
  const out = new Map<string, SymbolQuery>();
  const add = (key: string, weight: number, spelled: string) => {
    if (key.length < 3) return;
    const previous = out.get(key);
    if (!previous || previous.weight < weight) out.set(key, { key, weight, spelled });
  };
  const words = rawWords(prompt).filter((w) => !isStopWord(w));
  words.forEach((word, i) => {
    add(symbolKey(word), looksLikeCode(word) ? 1 : 0.35, word);
    const next = words[i + 1];
    if (!next) return;
    add(symbolKey(word) + symbolKey(next), 0.8, `${word} ${next}`);
    const third = words[i + 2];
    if (third) add(symbolKey(word) + symbolKey(next) + symbolKey(third), 0.8, `${word} ${next} ${third}`);
  });
  return [...out.values()];
}
