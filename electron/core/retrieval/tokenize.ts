// Code-aware tokenising for retrieval. Prompts are English ("fix the login token
// expiry") while code spells the same ideas as identifiers (`tokenExpiresAt`,
// `TOKEN_TTL`, `expires-in`), so both sides are split at case changes, `_`, `-` and
// punctuation, lower-cased and lightly stemmed: then "expiry" meets `expiresAt`.

// Words that carry no signal in a prompt or that every source file is full of.
// Kept small on purpose: BM25's idf already discounts what is everywhere.
const STOP_WORDS = new Set([
  // English glue
  'a', 'an', 'and', 'any', 'are', 'as', 'at', 'be', 'but', 'by', 'can', 'do', 'does', 'for', 'from', 'has', 'have',
  'how', 'if', 'in', 'into', 'is', 'it', 'its', 'me', 'my', 'no', 'not', 'of', 'on', 'or', 'our', 'please', 'so',
  'some', 'that', 'the', 'their', 'then', 'there', 'these', 'this', 'to', 'too', 'up', 'us', 'was', 'we', 'what',
  'when', 'where', 'which', 'while', 'who', 'why', 'will', 'with', 'would', 'you', 'your',
  // Keywords common to most languages
  'async', 'await', 'const', 'def', 'else', 'export', 'import', 'let', 'null', 'return', 'self', 'var', 'void',
  'true', 'false', 'none', 'undefined', 'function', 'func', 'fn', 'pub', 'public', 'private', 'static', 'elif',
]);

// Longest first, so "connections" loses "ions" rather than only "s".
const SUFFIXES = ['ations', 'ation', 'ings', 'ing', 'ions', 'ion', 'ies', 'ied', 'ers', 'er', 'ed', 'es', 's', 'y', 'e'];
const MIN_STEM = 3;
const MIN_TOKEN = 2;

/**
 * A deliberately crude one-pass suffix stripper. It only has to map the forms of
 * a word that appear in prompts and code to the same key (connect/connection/
 * connected, expiry/expires/expired, todo/todos); it never has to be a real word.
 */
export function stemToken(token: string): string {
  if (token.length <= MIN_STEM || /\d/.test(token)) return token;
  for (const suffix of SUFFIXES) {
    if (token.endsWith(suffix) && token.length - suffix.length >= MIN_STEM) {
      if (suffix === 's' && token.endsWith('ss')) return token; // "class", "access"
      return token.slice(0, -suffix.length);
    }
  }
  return token;
}

/** `parseHTTPResponse2` → ["parse", "http", "response", "2"]; `max_retry-count` → ["max", "retry", "count"]. */
export function splitIdentifier(word: string): string[] {
  return word
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_\-$]+/)
    .filter((part) => part.length > 0);
}

/** Raw words of a text: runs of letters, digits, `_`, `-` and `$` (Unicode letters included). */
export function rawWords(text: string): string[] {
  return text.match(/[\p{L}\p{N}_$][\p{L}\p{N}_$-]*/gu) ?? [];
}

function keep(token: string): boolean {
  return token.length >= MIN_TOKEN && !STOP_WORDS.has(token) && !/^\d+$/.test(token);
}

// Source code repeats its identifiers endlessly, so terms are memoised per raw word:
// indexing a repository tokenises each distinct word once. Bounded by a reset.
const wordCache = new Map<string, readonly string[]>();
const WORD_CACHE_LIMIT = 200_000;

function wordTerms(word: string): readonly string[] {
  let terms = wordCache.get(word);
  if (terms) return terms;
  const parts = splitIdentifier(word).map((p) => p.toLowerCase());
  const out: string[] = [];
  for (const part of parts) if (keep(part)) out.push(stemToken(part));
  if (parts.length > 1) {
    const whole = parts.join('');
    if (keep(whole)) out.push(whole);
  }
  terms = out;
  if (wordCache.size >= WORD_CACHE_LIMIT) wordCache.clear();
  wordCache.set(word, terms);
  return terms;
}

/**
 * Terms for indexing and querying. A compound identifier yields its parts and, when
 * it has several, the whole (lower-cased, joined), so a prompt that names
 * `verifyToken` exactly scores higher than one that only says "verify" and "token".
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const word of rawWords(text)) for (const term of wordTerms(word)) out.push(term);
  return out;
}

/** Distinct query terms of a prompt, in first-seen order. */
export function queryTerms(prompt: string): string[] {
  return [...new Set(tokenize(prompt))];
}

/** A prompt word and its terms: `requireAuth` → parts ["requir", "auth"], whole "requireauth". */
export interface QueryWord {
  word: string;
  parts: string[];
  whole: string | null;
}

export function queryWords(prompt: string): QueryWord[] {
  const out: QueryWord[] = [];
  const seen = new Set<string>();
  for (const word of rawWords(prompt)) {
    const split = splitIdentifier(word).map((p) => p.toLowerCase());
    const parts = [...new Set(split.filter(keep).map(stemToken))];
    if (parts.length === 0) continue;
    const whole = split.length > 1 && keep(split.join('')) ? split.join('') : null;
    const key = whole ?? parts.join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ word, parts, whole });
  }
  return out;
}

// What people ask the model to do, not what the code is about: "add a due date",
// "fix the login". Kept in the query (a function may well be called `add`) but weighed down.
const INSTRUCTION_WORDS = new Set(
  ['add', 'fix', 'make', 'change', 'implement', 'support', 'allow', 'want', 'need', 'should', 'must', 'bug', 'broken', 'fail', 'fails', 'failing', 'wrong', 'work', 'works', 'issue', 'problem', 'new', 'use', 'instead', 'also', 'correct', 'properly', 'doesn', 'isn', 'don', 'can', 'cannot', 'get', 'gets'].map(stemToken),
);

export function isInstructionTerm(term: string): boolean {
  return INSTRUCTION_WORDS.has(term);
}

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word.toLowerCase());
}
