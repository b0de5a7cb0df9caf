// Cost stays linear with every new marker: a 5 MB answer mixing all of them, fed in 4 KB chunks
// and one byte at a time, and half of it, for the scaling. Figures are printed for the notes.

import { describe, expect, it } from 'vitest';
import { FileExtractor } from '../../electron/core/files/index.js';
import { sampleFileBody } from '../fixtures/extractor-cases.js';

function mixedAnswer(bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const body = sampleFileBody(i);
    const p = `src/m${i}.ts`;
    let part: string;
    switch (i % 8) {
      case 0: part = `${p}\n\`\`\`ts\n${body}\`\`\`\n`; break; // Aider
      case 1: part = `Here's the updated \`${p}\`:\n\n\`\`\`ts\n${body}\`\`\`\n`; break; // prose
      case 2: part = `{"name": "write", "arguments": {"filePath": "${p}", "content": ${JSON.stringify(body)}}}\n`; break; // tool call
      case 3: part = `<boltAction type="file" filePath="${p}">\n${body}</boltAction>\n`; break; // bolt
      case 4: part = `<write_to_file>\n<path>${p}</path>\n<content>\n${body}</content>\n</write_to_file>\n`; break; // Cline
      case 5: part = `\`\`\`plaintext\n${p}\n\`\`\`\n\`\`\`ts\n${body}\`\`\`\n`; break; // name fence
      case 6: part = `README.md\n\`\`\`\n# M${i}\n\n## Usage\n\n\`\`\`\nnpm start\n\`\`\`\n${body}\`\`\`\n`; break; // README, inner bare fence
      default: part = `Some prose about the design, with \`inline\` code and {braces} in it.\n\n`; break;
    }
    parts.push(part);
    size += part.length;
  }
  return parts.join('');
}

function timeIt(answer: string, chunk: number): { ms: number; files: number } {
  const x = new FileExtractor();
  let files = 0;
  const t0 = performance.now();
  for (let i = 0; i < answer.length; i += chunk) for (const op of x.push(answer.slice(i, i + chunk))) if (op.kind === 'close') files++;
  for (const op of x.end()) if (op.kind === 'close') files++;
  return { ms: performance.now() - t0, files };
}

describe('FileExtractor — linear cost with every marker', () => {
  it('a 5 MB answer: 4 KB chunks vs 1-byte chunks, and half the answer for scale', () => {
    const big = mixedAnswer(5 << 20);
    const half = big.slice(0, big.length >> 1);
    const k4 = timeIt(big, 4096);
    const b1 = timeIt(big, 1);
    const b1half = timeIt(half, 1);
    console.log(
      `5 MB mixed answer: 4 KB chunks ${k4.ms.toFixed(0)} ms, 1-byte chunks ${b1.ms.toFixed(0)} ms (2.5 MB: ${b1half.ms.toFixed(0)} ms); ${k4.files} files`,
    );
    expect(b1.files).toBe(k4.files);
    expect(k4.files).toBeGreaterThan(5000);
    // Linear: twice the answer costs about twice the time (not four times); generous for a loaded machine.
    expect(b1.ms / Math.max(b1half.ms, 1)).toBeLessThan(3.5);
    expect(b1.ms).toBeLessThan(60_000);
  });
});

// Hostile answers: each shape at n and 2n bytes (4 KB chunks) and in 1-byte chunks; the time must
// scale like the size (no re-scan of a held line, no deep recursion) and the result must not depend
// on the chunking.
describe('FileExtractor — hostile shapes stay linear', () => {
  const MB = 1 << 20;
  const shapes: Array<[string, (n: number) => string]> = [
    ['one prose line', (n) => `${'a'.repeat(n)}\n`],
    ['one line inside a file', (n) => `File: a.txt\n\`\`\`\n${'a'.repeat(n)}\n\`\`\`\n`],
    ['a line of `{"a":`', (n) => `{${'"a":'.repeat(n >> 2)}\n`],
    ['a line of `[`', (n) => `${'['.repeat(n)}{\n`],
    ['a printed tool call nested deep', (n) => `{"name":"write","arguments":{"path":"a.txt","content":"x\\n","z":${'{"a":'.repeat(n / 5)}1${'}'.repeat(n / 5)}}}\n`],
    ['tiny files', (n) => 'File: f.txt\n```\nx\n```\n'.repeat(n / 22)],
    ['a 1000-backtick fence', (n) => `File: a.md\n${'`'.repeat(1000)}\n${'```\nx\n```\n'.repeat(n / 12)}${'`'.repeat(1000)}\n`],
    ['a bolt action never closed', (n) => `<boltAction type="file" filePath="a.txt">\n${'line of code\n'.repeat(n / 13)}`],
    ['CRLF and LF alternating', (n) => `File: a.txt\r\n\`\`\`\r\n${'x\r\ny\n'.repeat(n / 5)}\`\`\`\r\n`],
    ['almost-closing tags', (n) => `<file path="a.txt">\n${'</fil\n'.repeat(n / 6)}</file>\n`],
  ];

  function feed(text: string, chunk: number): { ms: number; ops: string } {
    const x = new FileExtractor();
    let files = 0;
    let bytes = 0;
    const t0 = performance.now();
    const count = (ops: ReturnType<FileExtractor['push']>) => {
      for (const op of ops) {
        if (op.kind === 'close') files++;
        else if (op.kind === 'chunk') bytes += op.text.length;
      }
    };
    for (let i = 0; i < text.length; i += chunk) count(x.push(text.slice(i, i + chunk)));
    count(x.end());
    return { ms: performance.now() - t0, ops: `${files} files, ${bytes} bytes` };
  }

  it.each(shapes)('%s', (name, make) => {
    const small = make(2 * MB);
    const big = make(4 * MB);
    const a = feed(small, 4096);
    const b = feed(big, 4096);
    const one = feed(small, 1);
    console.log(`${name}: 2 MB ${a.ms.toFixed(0)} ms, 4 MB ${b.ms.toFixed(0)} ms, 2 MB in 1-byte chunks ${one.ms.toFixed(0)} ms (${a.ops})`);
    expect(one.ops).toBe(a.ops);
    expect(b.ms).toBeLessThan(Math.max(a.ms, 20) * 4);
    expect(one.ms).toBeLessThan(15_000);
  });
});
