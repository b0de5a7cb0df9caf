// Public face of retrieval: which workspace files the model sees for a prompt.
// filterCandidates (globs, .gitignore, defaults) → RetrievalIndex / rankFiles
// (BM25 over chunks + path and symbol boosts) → selectContext (pins, removals, budget).
export { filterCandidates, createCandidateFilter, DEFAULT_EXCLUDES } from './filter.js';
export type { CandidateFilter, CandidateFilterOptions, CandidateVerdict, CandidateDropReason } from './filter.js';
export { RetrievalIndex, rankFiles, DEFAULT_WEIGHTS } from './rank.js';
export type { SourceFile, RankedFile, RankOptions, RankWeights } from './rank.js';
export { selectContext } from './select.js';
export type { SelectOptions, SelectedFile, SkippedFile, ContextSelection } from './select.js';
export { chunkFile, type Chunk, type ChunkOptions } from './chunk.js';
export { extractSymbols } from './symbols.js';
export { tokenize } from './tokenize.js';
