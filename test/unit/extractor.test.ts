import { describe, expect, it } from 'vitest';
import { FileExtractor, extractFiles, foldFileOps, type FileOp } from '../../electron/core/files/index.js';
import { extractorCases } from '../fixtures/extractor-cases.js';
import { mulberry32 } from '../fixtures/prng.js';


function runChunked(answer: string, sizes: () => number): FileOp[] {
  const x = new FileExtractor();
  const ops: FileOp[] = [];
  for (let i = 0; i < answer.length; ) {
    const n = sizes();
    ops.push(...x.push(answer.slice(i, i + n)));
    i += n;
  }
  ops.push(...x.end());
  return ops;
}

function runOneShot(answer: string): FileOp[] {
  const x = new FileExtractor();
  return [...x.push(answer), ...x.end()];
}

/** Ops must be well formed whatever the chunking: open → chunk* → close, refusals stand alone. */
function checkWellFormed(ops: FileOp[]): void {
  let open: string | null = null;
  for (const op of ops) {
    switch (op.kind) {
      case 'open':
        expect(open, 'open while another file is open').toBeNull();
        open = op.path;
        break;
      case 'chunk':
        expect(op.path).toBe(open);
        expect(op.text.length, 'empty chunk op').toBeGreaterThan(0);
        break;
      case 'close':
        expect(op.path).toBe(open);
        open = null;
        break;
      case 'refused':
        expect(open, 'refusal while a file is open').toBeNull();
        expect(op.reason.length).toBeGreaterThan(0);
        break;
    }
  }
  expect(open, 'a file left open after end()').toBeNull();
}

const SEEDS = [1, 2, 3, 42, 1337, 2024];

describe('FileExtractor — table of answers', () => {
  for (const c of extractorCases) {
    describe(c.name, () => {
      it('one-shot result equals the expected files and refusals', () => {
        expect(extractFiles(c.answer)).toEqual(c.files);
        const ops = runOneShot(c.answer);
        checkWellFormed(ops);
        const folded = foldFileOps(ops);
        expect(folded.files).toEqual(c.files);
        expect(folded.refused.map((r) => r.code)).toEqual(c.refused ?? []);
      });

      it('random chunkings (1..64 bytes, several seeds) and 1 byte at a time give the one-shot result', () => {
        const expected = foldFileOps(runOneShot(c.answer));
        for (const seed of SEEDS) {
          const rnd = mulberry32(seed);
          const ops = runChunked(c.answer, () => 1 + Math.floor(rnd() * 64));
          checkWellFormed(ops);
          expect(foldFileOps(ops), `seed ${seed}`).toEqual(expected);
        }
        const ops1 = runChunked(c.answer, () => 1);
        checkWellFormed(ops1);
        expect(foldFileOps(ops1), '1-byte chunks').toEqual(expected);
        for (const size of [2, 3, 7, 16]) {
          expect(foldFileOps(runChunked(c.answer, () => size)), `${size}-byte chunks`).toEqual(expected);
        }
      });
    });
  }

  it('all cases chained in one answer give all files in order', () => {
    const complete = extractorCases.filter((c) => !c.name.startsWith('cut off') && !c.files.some((f) => f.truncated));
    const answer = complete.map((c) => c.answer).join('\n\nNext part.\n\n');
    const files = extractFiles(answer);
    const expected = complete.flatMap((c) => c.files);
    expect(files).toEqual(expected);
    const rnd = mulberry32(7);
    expect(foldFileOps(runChunked(answer, () => 1 + Math.floor(rnd() * 64))).files).toEqual(expected);
  });
});

/** Consecutive chunk ops merged: the op sequence independent of where chunk boundaries fell. */
function canonical(ops: FileOp[]): FileOp[] {
  const out: FileOp[] = [];
  for (const op of ops) {
    const last = out[out.length - 1];
    if (op.kind === 'chunk' && last?.kind === 'chunk' && last.path === op.path) out[out.length - 1] = { ...last, text: last.text + op.text };
    else out.push(op);
  }
  return out;
}

/** A random answer mixing every format with tricky lines (fence-like content, CRLF, tags, cut-offs). */
function randomAnswer(rnd: () => number, id: number): string {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const eol = rnd() < 0.3 ? '\r\n' : '\n';
  const prose = ['Some prose.', 'Path: not a path', '  indented prose', '\tFile: t.txt', '- item', '1. step', '**bold**', '', '', '> quote',
    '<div>', '~~~ x `y`', '`inline`', 'F', 'P', '#', '#!', '\u00a0**nb.ts**', 'Files: x', 'FILE: up.txt', '   ', '\r'];
  const body = ['', '   ', '    four', '``', '```', '```js', '````', '~~~', '~~~~', '</file>', ' </FILE> ', '<file path="z.txt">', 'a\rb', 'text',
    '{', '}', '{"path": "j.txt", "content": "j"}', '"\\n', 'src/p.py', '[x.md]', '## Usage', 'Run:', '$ ls', 'diff --git a b',
    '  `x`', '# comment', '// src/c.ts', '\t\tcode', '   ```', '    ```', 'x'.repeat(70), '\r', '<', '</fil', 'File: inner.py', '</file>\u00a0', '\u00a0</file>'];
  const out: string[] = [];
  const n = 1 + Math.floor(rnd() * 7);
  for (let i = 0; i < n; i++) {
    for (let k = Math.floor(rnd() * 3); k > 0; k--) out.push(pick(prose));
    const p = `d${id % 3}/f${i}.${pick(['ts', 'md', 'py', 'sh'])}`;
    const head = pick(['label', 'bold', 'heading', 'tick', 'info', 'comment', 'none', 'hostile', 'tag', 'tagfence',
      'bare', 'bracket', 'prose', 'namefence', 'json', 'jsonfence', 'bolt', 'dyad', 'cline', 'qwenxml']);
    const fc = pick(['`', '~']);
    const fence = fc.repeat(3 + Math.floor(rnd() * 3));
    const indent = ' '.repeat(rnd() < 0.2 ? 1 + Math.floor(rnd() * 3) : 0);
    const lines = Array.from({ length: Math.floor(rnd() * 6) }, () => pick(body));
    const close = rnd() < 0.9;
    if (head === 'json' || head === 'jsonfence') {
      const obj = `{"name": "write", "arguments": {"filePath": "${p}", "content": ${JSON.stringify(lines.join('\n'))}}}`;
      const pretty = rnd() < 0.5 ? obj : obj.replace(/, "/g, ',\n  "');
      if (head === 'jsonfence') out.push('```json', pretty, '```');
      else out.push(pretty);
      continue;
    }
    if (head === 'bolt' || head === 'dyad' || head === 'cline' || head === 'qwenxml') {
      const [open, close] =
        head === 'bolt' ? [`<boltAction type="file" filePath="${p}">`, '</boltAction>']
        : head === 'dyad' ? [`<dyad-write path="${p}">`, '</dyad-write>']
        : head === 'cline' ? [`<write_to_file>${eol}<path>${p}</path>${eol}<content>`, '</content>']
        : [`<function=write_file>${eol}<parameter=path>${eol}${p}${eol}</parameter>${eol}<parameter=content>`, '</parameter>'];
      out.push(open, ...lines.filter((l) => !l.includes('</')));
      if (close) out.push(rnd() < 0.5 ? close : 'x' + close);
      continue;
    }
    if (head === 'tag' || head === 'tagfence') {
      out.push(`<file path="${p}">`);
      if (head === 'tagfence') out.push(fence + pick(['', 'ts']), ...lines, fence);
      else out.push(...lines.filter((l) => !/^[ \t]*<\/file[ \t]*>[ \t]*$/i.test(l)));
      if (close) out.push('</file>');
      continue;
    }
    if (head === 'label') out.push(`File: ${p}`);
    if (head === 'bold') out.push(`**${p}**`);
    if (head === 'heading') out.push(`### ${p}`);
    if (head === 'tick') out.push(`\`${p}\`:`);
    if (head === 'hostile') out.push(`File: ../${p}`);
    if (head === 'bare') out.push(p);
    if (head === 'bracket') out.push(`[${p}]`);
    if (head === 'prose') out.push(`Here is the updated \`${p}\` as asked:`);
    if (head === 'namefence') out.push('```plaintext', p, '```');
    if (rnd() < 0.2) out.push('');
    const info = head === 'info' ? `ts ${p}` : pick(['', 'ts', 'markdown', 'bash', 'python']);
    out.push(indent + fence + info);
    if (head === 'comment') out.push(`// ${p}`);
    out.push(...lines.map((l) => indent + l));
    if (close) out.push(indent + fence + pick(['', '  ']));
  }
  let answer = out.join(eol);
  if (rnd() < 0.5) answer += eol;
  if (rnd() < 0.3) answer = answer.slice(0, Math.floor(rnd() * answer.length));
  return answer;
}

describe('FileExtractor — random answers (differential: chunking never changes the result)', () => {
  it('300 random answers: same canonical ops for 1-byte, 16-byte and random chunkings', () => {
    const rnd = mulberry32(99);
    let files = 0;
    for (let id = 0; id < 300; id++) {
      const answer = randomAnswer(rnd, id);
      const expected = canonical(runOneShot(answer));
      checkWellFormed(expected);
      files += expected.filter((o) => o.kind === 'close').length;
      const sizes: (() => number)[] = [() => 1, () => 16];
      for (const seed of [id, id + 1000]) {
        const r = mulberry32(seed);
        sizes.push(() => 1 + Math.floor(r() * 64));
      }
      for (const size of sizes) {
        const ops = runChunked(answer, size);
        checkWellFormed(ops);
        expect(canonical(ops), JSON.stringify(answer)).toEqual(expected);
      }
    }
    expect(files).toBeGreaterThan(200); // the generator really produces files
  });
});

describe('FileExtractor — streaming', () => {
  it('emits chunk ops for complete lines before the file closes', () => {
    const x = new FileExtractor();
    const ops = x.push('File: src/a.py\n```python\nline1\nline2\n');
    expect(ops[0]).toEqual({ kind: 'open', path: 'src/a.py' });
    const text = ops.filter((o) => o.kind === 'chunk').map((o) => (o.kind === 'chunk' ? o.text : '')).join('');
    expect(text).toBe('line1\nline2\n');
    expect(ops.some((o) => o.kind === 'close')).toBe(false);
    const rest = [...x.push('```\n'), ...x.end()];
    expect(rest).toEqual([{ kind: 'close', path: 'src/a.py', truncated: false }]);
  });

  it('streams the open file line by line when fed 1 byte at a time', () => {
    const x = new FileExtractor();
    const input = 'File: a.py\n```python\nfirst = 1\nsecond = 2\n';
    const seen: FileOp[] = [];
    for (const ch of input) seen.push(...x.push(ch));
    const text = seen.flatMap((o) => (o.kind === 'chunk' ? [o.text] : [])).join('');
    expect(text).toBe('first = 1\nsecond = 2\n');
  });

  it('emits a partial line right away when it cannot be a fence', () => {
    const x = new FileExtractor();
    const ops = x.push('File: a.py\n```python\nprint(');
    expect(ops).toContainEqual({ kind: 'chunk', path: 'a.py', text: 'print(' });
    expect(x.push('1)')).toEqual([{ kind: 'chunk', path: 'a.py', text: '1)' }]);
  });

  it('holds back a partial line that could still become the closing fence', () => {
    const x = new FileExtractor();
    const ops = x.push('File: a.py\n```\nx\n``');
    const text = ops.flatMap((o) => (o.kind === 'chunk' ? [o.text] : [])).join('');
    expect(text).toBe('x\n');
    expect(x.push('`\n')).toEqual([{ kind: 'close', path: 'a.py', truncated: false }]);
    expect(x.end()).toEqual([]);
  });

  it('holds back a CR until it knows whether LF follows', () => {
    const x = new FileExtractor();
    x.push('File: a.txt\r\n```\r\n');
    expect(x.push('ab\r')).toEqual([{ kind: 'chunk', path: 'a.txt', text: 'ab' }]);
    expect(x.push('\n')).toEqual([{ kind: 'chunk', path: 'a.txt', text: '\n' }]);
  });

  it('refusal ops carry the raw path, code and reason; content is not emitted', () => {
    const x = new FileExtractor();
    const ops = [...x.push('File: ../../etc/passwd\n```\nroot:x:0:0\n```\n'), ...x.end()];
    expect(ops).toHaveLength(1);
    expect(ops[0]).toMatchObject({ kind: 'refused', path: '../../etc/passwd', code: 'PARENT_ESCAPE' });
  });

  it('end() closes an open file as truncated, and the extractor can be reused', () => {
    const x = new FileExtractor();
    x.push('File: a.py\n```\nx = ');
    expect(x.end()).toEqual([{ kind: 'close', path: 'a.py', truncated: true }]);
    expect(foldFileOps([...x.push('File: b.py\n```\ny\n```\n'), ...x.end()]).files).toEqual([
      { path: 'b.py', content: 'y\n', truncated: false },
    ]);
  });

  it('coalesces a one-shot push into few ops (not one per line)', () => {
    const body = Array.from({ length: 500 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const ops = new FileExtractor().push('File: big.txt\n```\n' + body + '```\n');
    expect(ops).toHaveLength(3);
  });
});

describe('FileExtractor — linear cost', () => {
  it('huge lines of every kind parse in one shot without regex blow-up', () => {
    const big = 'a'.repeat(1 << 20);
    const answer = [
      `<file path=${big}!`,
      `\`\`\`.${big}!`,
      '```',
      `# .${big}!`,
      '```',
      `**File:** ${big}`,
      `File: .${big}!`,
      '```',
      'x',
      '```',
    ].join('\n');
    const t0 = performance.now();
    const x = new FileExtractor();
    const { files, refused } = foldFileOps([...x.push(answer), ...x.end()]);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(files).toEqual([]);
    expect(refused).toEqual([]);
  });

  it('a 1 MB single line fed 1 byte at a time is not quadratic', () => {
    const line = 'x'.repeat(1 << 20);
    for (const prefix of ['File: a.txt\n```\n', 'File: a.txt\n```\n`', 'Some prose ', '# ', '<file path=', '```a.', '```\n# x.', '<file path="a">\n<']) {
      const x = new FileExtractor();
      const t0 = performance.now();
      let streamed = 0;
      for (let i = 0; i < line.length; i++) {
        for (const op of x.push(i === 0 ? prefix + line[i] : line[i])) if (op.kind === 'chunk') streamed += op.text.length;
      }
      x.push('\n');
      x.end();
      expect(performance.now() - t0, JSON.stringify(prefix)).toBeLessThan(3000);
      if (prefix === 'File: a.txt\n```\n') expect(streamed).toBe(line.length);
    }
  });
});
