// Ranking = BM25 over chunks (MiniSearch's BM25+) + path and symbol boosts. The
// index is kept per workspace and updated per file, so a watcher event costs one
// file's worth of work rather than a rebuild of the whole repository.
import MiniSearch from 'minisearch';
import { chunkFile, type ChunkOptions } from './chunk.js';
import { matchPath, pathTerms, symbolQueries, type PathTerms } from './boosts.js';
import { extractSymbols, symbolKey } from './symbols.js';
import { isInstructionTerm, queryTerms, queryWords, rawWords, tokenize } from './tokenize.js';

export interface SourceFile {
  /** Relative POSIX path inside the workspace. */
  path: string;
  content: string;
}

export interface RankedFile {
  path: string;
  score: number;
  /** Human-readable, for the task view ("defines verifyToken", "path: auth, token"). */
  reasons: string[];
}

export interface RankWeights {
  /** Best file's BM25 maps to this; others proportionally. */
  text: number;
  /** Per path point (a prompt term in the file name = 1, in a folder name = 0.5), at most 2 points. */
  path: number;
  /** Per symbol point (a code-spelled name = 1, a phrase = 0.8, a plain word = 0.35), at most 2 points. */
  symbol: number;
  /** Multiplier for test files when the prompt does not talk about tests: they repeat every keyword. */
  testFile: number;
}

export const DEFAULT_WEIGHTS: RankWeights = { text: 1, path: 0.5, symbol: 0.8, testFile: 0.8 };

export interface RankOptions {
  chunk?: ChunkOptions;
  weights?: Partial<RankWeights>;
  /** Only the first this-many characters of a file are indexed (minified bundles, data dumps). */
  maxIndexedChars?: number;
}

interface FileEntry {
  chunkIds: string[];
  path: PathTerms;
  symbols: string[];
  isTest: boolean;
}

interface ChunkDoc {
  id: string;
  path: string;
  text: string;
  startLine: number;
  endLine: number;
}

const MAX_BOOST_POINTS = 2;
// Instruction words ("add", "fix") still count, a little: a function may be called `add`.
const INSTRUCTION_BOOST = 0.2;
// Other chunks of the same file add a little: one strong chunk should beat many weak mentions.
const OTHER_CHUNKS_SHARE = 0.1;
const TEST_PATH = /(^|\/)(tests?|__tests__|spec)\/|\.(test|spec)\.[^/]+$|(^|\/)test_[^/]+\.py$|_test\.(go|py|rb)$/i;
const TESTS_WORDS = new Set(['test', 'spec', 'testcas', 'coverag']);

/** Stemmed term → the prompt word it came from, so reasons read "expiry", not "expir". */
function promptSpellings(prompt: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const word of rawWords(prompt)) for (const term of tokenize(word)) if (!out.has(term)) out.set(term, word);
  return out;
}

export class RetrievalIndex {
  private readonly search = new MiniSearch<ChunkDoc>({
    fields: ['text'],
    storeFields: ['path', 'startLine', 'endLine'],
    tokenize: (text) => tokenize(text),
    processTerm: (term) => term,
  });
  private readonly files = new Map<string, FileEntry>();
  /** symbolKey → paths defining it. */
  private readonly definitions = new Map<string, Set<string>>();
  private readonly weights: RankWeights;

  constructor(private readonly opts: RankOptions = {}) {
    this.weights = { ...DEFAULT_WEIGHTS, ...opts.weights };
  }

  get size(): number {
    return this.files.size;
  }

  has(path: string): boolean {
    return this.files.has(path);
  }

  /** Add or replace one file. */
  upsert(file: SourceFile): void {
    this.remove(file.path);
    const content = file.content.slice(0, this.opts.maxIndexedChars ?? 400_000);
    const chunks = chunkFile(file.path, content, this.opts.chunk).map((c, i) => ({ ...c, id: `${file.path}#${i}` }));
    this.search.addAll(chunks);
    const symbols = extractSymbols(content);
    for (const name of symbols) {
      const key = symbolKey(name);
      let paths = this.definitions.get(key);
      if (!paths) this.definitions.set(key, (paths = new Set()));
      paths.add(file.path);
    }
    this.files.set(file.path, { chunkIds: chunks.map((c) => c.id), path: pathTerms(file.path), symbols, isTest: TEST_PATH.test(file.path) });
  }

  remove(path: string): void {
    const entry = this.files.get(path);
    if (!entry) return;
    for (const id of entry.chunkIds) this.search.discard(id);
    for (const name of entry.symbols) this.definitions.get(symbolKey(name))?.delete(path);
    this.files.delete(path);
  }

  /** Every indexed file, best first; files nothing points at come last with score 0, by path. */
  rank(prompt: string): RankedFile[] {
    const terms = queryTerms(prompt);
    const words = queryWords(prompt);
    const text = this.textScores(prompt);
    let maxText = 0;
    for (const t of text.values()) maxText = Math.max(maxText, t.score);
    const spelled = promptSpellings(prompt);
    const symbolHits = this.symbolHits(prompt);
    const aboutTests = terms.some((t) => TESTS_WORDS.has(t));

    const ranked: RankedFile[] = [];
    for (const [path, entry] of this.files) {
      const reasons: string[] = [];
      let score = 0;
      const t = text.get(path);
      if (t && maxText > 0) {
        score += (this.weights.text * t.score) / maxText;
        const shown = [...new Set(t.terms.map((term) => spelled.get(term) ?? term))];
        reasons.push(`text: ${shown.join(', ')} (lines ${t.startLine}–${t.endLine})`);
      }
      const p = matchPath(entry.path, words);
      if (p.points > 0) {
        score += this.weights.path * Math.min(MAX_BOOST_POINTS, p.points);
        reasons.push(`path: ${p.matched.join(', ')}`);
      }
      const s = symbolHits.get(path);
      if (s) {
        score += this.weights.symbol * Math.min(MAX_BOOST_POINTS, s.points);
        reasons.push(`defines ${s.names.join(', ')}`);
      }
      if (score > 0 && entry.isTest && !aboutTests) {
        score *= this.weights.testFile;
        reasons.push('test file');
      }
      ranked.push({ path, score, reasons });
    }
    return ranked.sort((a, b) => b.score - a.score || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  private textScores(prompt: string) {
    const perFile = new Map<string, { score: number; terms: string[]; startLine: number; endLine: number }>();
    if (this.files.size === 0) return perFile;
    for (const hit of this.search.search(prompt, { combineWith: 'OR', boostTerm: (term) => (isInstructionTerm(term) ? INSTRUCTION_BOOST : 1) })) {
      const path = hit.path as string;
      const current = perFile.get(path);
      if (!current) {
        perFile.set(path, { score: hit.score, terms: [...hit.terms], startLine: hit.startLine, endLine: hit.endLine });
        continue;
      }
      // Hits arrive best first, so the first one per file is its best chunk.
      current.score += OTHER_CHUNKS_SHARE * hit.score;
      for (const term of hit.terms) if (!current.terms.includes(term)) current.terms.push(term);
    }
    return perFile;
  }

  private symbolHits(prompt: string) {
    const hits = new Map<string, { points: number; names: string[] }>();
    for (const q of symbolQueries(prompt)) {
      const paths = this.definitions.get(q.key);
      if (!paths || paths.size === 0) continue;
      // A name many files define ("handler", "main") says little about any one of them.
      const points = q.weight / Math.sqrt(paths.size);
      for (const path of paths) {
        const hit = hits.get(path) ?? { points: 0, names: [] };
        const name = this.files.get(path)?.symbols.find((n) => symbolKey(n) === q.key) ?? q.spelled;
        hit.points += points;
        if (!hit.names.includes(name)) hit.names.push(name);
        hits.set(path, hit);
      }
    }
    return hits;
  }
}

/** One-shot ranking; for repeated prompts over one workspace keep a RetrievalIndex. */
export function rankFiles(files: readonly SourceFile[], prompt: string, opts: RankOptions = {}): RankedFile[] {
  const index = new RetrievalIndex(opts);
  for (const file of files) index.upsert(file);
  return index.rank(prompt);
}
