import { describe, expect, it } from 'vitest';
import { hasEditBlocks, parseEditBlocks } from '../../electron/core/edits/index.js';

const block = (search: string, replace: string) => `<<<<<<< SEARCH\n${search}\n=======\n${replace}\n>>>>>>> REPLACE`;

describe('parseEditBlocks', () => {
  it('reads the File: form with several blocks per file and several files', () => {
    const answer = [
      'I will rename the helper and update its caller.',
      '',
      'File: src/app.js',
      block('const a = 1;', 'const a = 2;'),
      block('run(a);', 'start(a);'),
      '',
      'File: src/lib/util.js',
      block('export const x = 1;', 'export const x = 3;'),
      'Done.',
    ].join('\n');
    const { blocks, problems } = parseEditBlocks(answer);
    expect(problems).toEqual([]);
    expect(blocks.map((b) => [b.path, b.search, b.replace, b.index])).toEqual([
      ['src/app.js', 'const a = 1;', 'const a = 2;', 0],
      ['src/app.js', 'run(a);', 'start(a);', 1],
      ['src/lib/util.js', 'export const x = 1;', 'export const x = 3;', 2],
    ]);
    expect(blocks[0].line).toBe(4);
  });

  it('reads the fix prompt’s own form: File: line, a plain fence (no language), the markers', () => {
    const answer = ['File: src/cart.js', '```', block('  return total;', '  return total + tax;'), '```', ''].join('\n');
    const { blocks, problems } = parseEditBlocks(answer);
    expect(problems).toEqual([]);
    expect(blocks.map((b) => [b.path, b.search, b.replace])).toEqual([['src/cart.js', '  return total;', '  return total + tax;']]);
  });

  it('reads aider style: a bare path line, then a fenced block holding the markers', () => {
    const answer = ['src/server.py', '```python', block('def a():\n    return 1', 'def a():\n    return 2'), '```', '', 'src/other.py', '```python', block('x = 1', 'x = 2'), '```'].join('\n');
    const { blocks, problems } = parseEditBlocks(answer);
    expect(problems).toEqual([]);
    expect(blocks.map((b) => b.path)).toEqual(['src/server.py', 'src/other.py']);
    expect(blocks[0].search).toBe('def a():\n    return 1');
  });

  it.each([
    ['bold', '**src/a.ts**'],
    ['backticks', '`src/a.ts`'],
    ['heading', '### src/a.ts'],
    ['trailing colon', 'src/a.ts:'],
    ['labelled and decorated', '**File:** `src/a.ts`'],
    ['path in the fence info string', '```ts src/a.ts'],
  ])('finds the path written as %s', (_name, pathLine) => {
    const fenceAfter = pathLine.startsWith('```') ? [] : ['```ts'];
    const { blocks } = parseEditBlocks([pathLine, ...fenceAfter, block('a', 'b'), '```'].join('\n'));
    expect(blocks.map((b) => b.path)).toEqual(['src/a.ts']);
  });

  it('keeps the lines inside a block verbatim: fences, markdown, indentation, blank lines', () => {
    const search = '# Title\n\n```sh\n  npm test\n```';
    const { blocks } = parseEditBlocks(`File: README.md\n${block(search, '# Title\n\nRun `npm test`.')}`);
    expect(blocks[0].search).toBe(search);
    expect(blocks[0].replace).toBe('# Title\n\nRun `npm test`.');
  });

  it('reads CRLF answers and an empty SEARCH (new file)', () => {
    const { blocks } = parseEditBlocks('File: new/file.txt\r\n<<<<<<< SEARCH\r\n=======\r\nhello\r\nworld\r\n>>>>>>> REPLACE\r\n');
    expect(blocks).toEqual([{ path: 'new/file.txt', search: '', replace: 'hello\nworld', index: 0, line: 2 }]);
  });

  it('normalises paths and refuses ones that leave the workspace', () => {
    const { blocks, problems } = parseEditBlocks(`File: ./src//a.js\n${block('a', 'b')}\nFile: ../../etc/passwd\n${block('root', 'evil')}`);
    expect(blocks.map((b) => b.path)).toEqual(['src/a.js']);
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(/^Block 2 was not applied: refused path "\.\.\/\.\.\/etc\/passwd"/);
  });

  it('reports a block without a file and a block cut off at the end of the answer', () => {
    const noPath = parseEditBlocks(`Change this:\n${block('a', 'b')}`);
    expect(noPath.blocks).toEqual([]);
    expect(noPath.problems[0].message).toMatch(/does not say which file/);

    const cut = parseEditBlocks(`File: a.js\n${block('a', 'b')}\nFile: b.js\n<<<<<<< SEARCH\nx\n=======\ny`);
    expect(cut.blocks.map((b) => b.path)).toEqual(['a.js']);
    expect(cut.problems).toEqual([{ line: 8, message: 'Block 2 is cut off: no >>>>>>> REPLACE line.' }]);
  });

  it('tells search/replace answers from whole-file answers', () => {
    expect(hasEditBlocks(`File: a.js\n${block('a', 'b')}`)).toBe(true);
    expect(hasEditBlocks('File: a.js\n```js\nconst a = 1;\n```')).toBe(false);
  });
});
