// Real answers of local models (verbatim, each with its source in the manifest), fed to the
// extractor whole, in random chunk sizes and one byte at a time: the intended files must come
// out every time. See test/fixtures/real-answers/manifest.json for where each answer is from.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileExtractor, foldFileOps, type FileOp } from '../../electron/core/files/index.js';
import { mulberry32 } from '../fixtures/prng.js';

type ExpectedFile = { path: string; firstLine?: string; lastLine?: string; truncated?: boolean };
type CorpusEntry = {
  file: string;
  model: string;
  source: string;
  expect: { files: ExpectedFile[]; refused?: string[] };
};

const DIR = join(__dirname, '../fixtures/real-answers');
const corpus = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as CorpusEntry[];

function run(answer: string, size: () => number): FileOp[] {
  const x = new FileExtractor();
  const ops: FileOp[] = [];
  for (let i = 0; i < answer.length; ) {
    const n = size();
    ops.push(...x.push(answer.slice(i, i + n)));
    i += n;
  }
  ops.push(...x.end());
  return ops;
}

/** What is wrong with the files these ops write, compared with the manifest ('' = nothing). */
function mismatch(ops: FileOp[], want: CorpusEntry['expect']): string {
  const { files, refused } = foldFileOps(ops);
  const last = new Map(files.map((f) => [f.path, f]));
  const paths = [...last.keys()].sort();
  const wanted = want.files.map((f) => f.path).sort();
  if (JSON.stringify(paths) !== JSON.stringify(wanted)) return `files ${JSON.stringify(paths)}, wanted ${JSON.stringify(wanted)}`;
  for (const w of want.files) {
    const got = last.get(w.path)!;
    if (got.truncated !== (w.truncated ?? false)) return `${w.path}: truncated ${got.truncated}`;
    const lines = got.content.replace(/\n$/, '').split('\n');
    if (w.firstLine !== undefined && lines[0] !== w.firstLine) return `${w.path}: first line ${JSON.stringify(lines[0])}`;
    if (w.lastLine !== undefined && lines[lines.length - 1] !== w.lastLine) return `${w.path}: last line ${JSON.stringify(lines[lines.length - 1])}`;
  }
  const codes = refused.map((r) => r.code);
  if (JSON.stringify(codes) !== JSON.stringify(want.refused ?? [])) return `refused ${JSON.stringify(codes)}`;
  return '';
}

describe('real answers of local models', () => {
  it('the corpus is what the manifest says (12+ answers with files, each with a source)', () => {
    expect(corpus.filter((c) => c.expect.files.length > 0).length).toBeGreaterThanOrEqual(12);
    for (const c of corpus) expect(c.source, c.file).toMatch(/^https:\/\/github\.com\//);
  });

  for (const c of corpus) {
    it(`${c.file} (${c.model}): the intended files, whole, in random chunks and 1 byte at a time`, () => {
      const answer = readFileSync(join(DIR, c.file), 'utf8');
      expect(mismatch(run(answer, () => answer.length || 1), c.expect), 'whole').toBe('');
      for (const seed of [1, 7, 42]) {
        const rnd = mulberry32(seed);
        expect(mismatch(run(answer, () => 1 + Math.floor(rnd() * 200)), c.expect), `seed ${seed}`).toBe('');
      }
      expect(mismatch(run(answer, () => 1), c.expect), '1-byte chunks').toBe('');
    });
  }

  it('reports how many answers with files come out right', () => {
    const withFiles = corpus.filter((c) => c.expect.files.length > 0);
    const ok = withFiles.filter((c) => mismatch(run(readFileSync(join(DIR, c.file), 'utf8'), () => 1 << 30), c.expect) === '');
    console.log(`intended files written for ${ok.length} of ${withFiles.length} corpus answers that contain files`);
    expect(ok.length).toBe(withFiles.length);
  });
});
