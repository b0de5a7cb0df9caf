// When a SEARCH text is nowhere in the file, the retry prompt shows the model the
// lines it most likely meant: the window of the same height whose lines are, on
// average, most alike (Dice coefficient of character bigrams, whitespace ignored).
import type { FileLine } from './lines.js';
import type { ClosestLines } from './types.js';

interface Grams {
  text: string;
  counts: Map<string, number>;
  size: number;
}

function bigrams(line: string): Grams {
  const text = line.replace(/\s+/g, ' ').trim();
  const counts = new Map<string, number>();
  for (let i = 0; i < text.length - 1; i++) {
    const g = text.slice(i, i + 2);
    counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  return { text, counts, size: Math.max(0, text.length - 1) };
}

function dice(a: Grams, b: Grams): number {
  if (a.text === b.text) return 1;
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const [g, n] of a.counts) shared += Math.min(n, b.counts.get(g) ?? 0);
  return (2 * shared) / (a.size + b.size);
}

/** The best window, or null for an empty file or search. Cost: lines × search lines. */
export function closestLines(file: readonly FileLine[], search: readonly string[]): ClosestLines | null {
  if (file.length === 0 || search.length === 0) return null;
  const height = Math.min(search.length, file.length);
  const fileGrams = file.map((l) => bigrams(l.text));
  const searchGrams = search.map(bigrams);
  let best = -1;
  let bestStart = 0;
  for (let i = 0; i + height <= file.length; i++) {
    let sum = 0;
    for (let k = 0; k < height; k++) sum += dice(fileGrams[i + k], searchGrams[k]);
    if (sum > best) {
      best = sum;
      bestStart = i;
    }
  }
  return {
    startLine: bestStart + 1,
    endLine: bestStart + height,
    text: file
      .slice(bestStart, bestStart + height)
      .map((l) => l.text)
      .join('\n'),
    similarity: Math.round((best / search.length) * 100) / 100,
  };
}
