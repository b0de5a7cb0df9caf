import { describe, expect, it } from 'vitest';
import { filterCandidates, RetrievalIndex, selectContext, type SourceFile } from '../../electron/core/retrieval/index.js';
import { mulberry32 } from '../fixtures/prng.js';
import { approxTokens } from './retrieval-helpers.js';

// A sanity check, not a benchmark: 5,000 generated files must go through filter → index →
// rank → select in one go. The time is printed, never asserted (CI machines vary).
const WORDS = ['user', 'order', 'invoice', 'payment', 'cart', 'session', 'token', 'cache', 'queue', 'report', 'email', 'search', 'profile', 'upload', 'metric', 'audit'];
const VERBS = ['load', 'save', 'render', 'validate', 'parse', 'format', 'send', 'fetch', 'update', 'delete'];

function generate(count: number): SourceFile[] {
  const rand = mulberry32(6);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const cap = (s: string) => s[0].toUpperCase() + s.slice(1);
  return Array.from({ length: count }, (_, i) => {
    const noun = pick(WORDS);
    const lines: string[] = [`// ${noun} module ${i}`, `import { db } from '../db.js';`, ''];
    const functions = 3 + Math.floor(rand() * 6);
    for (let f = 0; f < functions; f++) {
      const name = `${pick(VERBS)}${cap(pick(WORDS))}${f}`;
      lines.push(`export async function ${name}(input) {`);
      for (let l = 0; l < 5 + Math.floor(rand() * 15); l++) lines.push(`  const ${pick(WORDS)}${l} = await db.${pick(VERBS)}(input.${pick(WORDS)}Id, ${l});`);
      lines.push('}', '');
    }
    return { path: `src/${noun}/${noun}-${i}.js`, content: lines.join('\n') };
  });
}

describe('retrieval speed', () => {
  it('filters, indexes, ranks and selects over 5,000 files', () => {
    const files = generate(5000);
    files.push({ path: 'src/payment/refund-window.js', content: 'export function refundWindowDays(order) {\n  return order.premium ? 60 : 30;\n}\n' });
    const started = performance.now();
    const kept = new Set(filterCandidates(files.map((f) => f.path), { gitignore: 'src/audit/\n' }));
    const candidates = files.filter((f) => kept.has(f.path));
    const filtered = performance.now();
    const index = new RetrievalIndex();
    for (const f of candidates) index.upsert(f);
    const indexed = performance.now();
    const sel = selectContext(candidates, 'refundWindowDays is wrong for premium orders', 8000, approxTokens, { index });
    const done = performance.now();

    console.log(
      `retrieval over ${candidates.length} files: filter ${(filtered - started).toFixed(0)} ms, index ${(indexed - filtered).toFixed(0)} ms, ` +
        `rank+select ${(done - indexed).toFixed(0)} ms, total ${(done - started).toFixed(0)} ms`,
    );
    expect(candidates.some((f) => f.path.startsWith('src/audit/'))).toBe(false);
    expect(sel.files[0].path).toBe('src/payment/refund-window.js');
    expect(sel.totalTokens).toBeLessThanOrEqual(8000);
  }, 60_000);
});
