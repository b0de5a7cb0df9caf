// Files are indexed as chunks, not whole: BM25 normalises by length, so one
// relevant function in a 2,000-line file would otherwise drown. Windows overlap so
// a function cut at a boundary is still whole in one of them, and a cut prefers a
// blank line or a top-level line (a new declaration) near the window's end.

export interface Chunk {
  path: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  text: string;
}

export interface ChunkOptions {
  /** Longest chunk, in lines. */
  maxLines?: number;
  /** A cut is looked for between minLines and maxLines into the window. */
  minLines?: number;
  /** Lines repeated at the start of the next chunk. */
  overlapLines?: number;
}

export const DEFAULT_CHUNK = { maxLines: 80, minLines: 40, overlapLines: 10 } as const;

function isBoundary(line: string): boolean {
  return line.trim() === '' || /^[^\s})\]]/.test(line);
}

export function chunkFile(path: string, content: string, opts: ChunkOptions = {}): Chunk[] {
  const maxLines = Math.max(2, opts.maxLines ?? DEFAULT_CHUNK.maxLines);
  const minLines = Math.min(maxLines, Math.max(1, opts.minLines ?? DEFAULT_CHUNK.minLines));
  const overlap = Math.min(minLines - 1, Math.max(0, opts.overlapLines ?? DEFAULT_CHUNK.overlapLines));
  const lines = content.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length <= maxLines) return [{ path, startLine: 1, endLine: lines.length, text: lines.join('\n') }];

  const chunks: Chunk[] = [];
  let start = 0;
  while (start < lines.length) {
    let end = Math.min(lines.length, start + maxLines); // exclusive
    if (end < lines.length) {
      // Cut before the last boundary line in [start+minLines, end]; the boundary line opens the next chunk.
      for (let i = end; i >= start + minLines; i--) {
        if (isBoundary(lines[i])) {
          end = i;
          break;
        }
      }
    }
    chunks.push({ path, startLine: start + 1, endLine: end, text: lines.slice(start, end).join('\n') });
    if (end >= lines.length) break;
    start = Math.max(start + 1, end - overlap);
  }
  return chunks;
}
