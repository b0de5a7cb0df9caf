import { describe, expect, it } from 'vitest';
import { applyEdits, editedPaths, type EditBlock } from '../../electron/core/edits/index.js';

let nextIndex = 0;
const edit = (path: string, search: string, replace: string): EditBlock => ({ path, search, replace, index: nextIndex++, line: 1 });
const files = (entries: Record<string, string>) => (path: string) => entries[path];

describe('applyEdits: matching', () => {
  it('applies an exact block and later blocks on the result of earlier ones', () => {
    const read = files({ 'a.js': 'const a = 1;\nrun(a);\nexport {};\n' });
    const r = applyEdits(read, [edit('a.js', 'const a = 1;', 'const a = 2;\nconst b = 3;'), edit('a.js', 'const b = 3;\nrun(a);', 'run(a, b);')]);
    expect(r.failures).toEqual([]);
    expect(r.changed.get('a.js')).toBe('const a = 2;\nrun(a, b);\nexport {};\n');
    expect(r.applied.map((a) => [a.how, a.startLine])).toEqual([
      ['exact', 1],
      ['exact', 2],
    ]);
  });

  it('keeps CRLF: replaced lines get CRLF, untouched lines keep theirs', () => {
    const read = files({ 'w.txt': 'one\r\ntwo\r\nthree\r\n', 'mixed.txt': 'a\r\nb\nc\r\nd\r\n' });
    const r = applyEdits(read, [edit('w.txt', 'two', 'TWO\n2'), edit('mixed.txt', 'c', 'C')]);
    expect(r.changed.get('w.txt')).toBe('one\r\nTWO\r\n2\r\nthree\r\n');
    expect(r.changed.get('mixed.txt')).toBe('a\r\nb\nC\r\nd\r\n');
  });

  it('keeps a missing final newline and a byte-order mark', () => {
    const read = files({ 'a.txt': 'x\ny', 'bom.txt': '\uFEFFhello\nworld\n' });
    const r = applyEdits(read, [edit('a.txt', 'y', 'Y\nZ'), edit('bom.txt', 'world', 'there')]);
    expect(r.changed.get('a.txt')).toBe('x\nY\nZ');
    expect(r.changed.get('bom.txt')).toBe('\uFEFFhello\nthere\n');
  });

  it('tolerates trailing whitespace the model dropped', () => {
    const read = files({ 'a.py': 'def f():   \n    return 1  \n' });
    const r = applyEdits(read, [edit('a.py', 'def f():\n    return 1', 'def f():\n    return 2')]);
    expect(r.failures).toEqual([]);
    expect(r.applied[0].how).toBe('trailing-whitespace');
    expect(r.changed.get('a.py')).toBe('def f():\n    return 2\n');
  });

  it('indentation drift: a method quoted without its class gets its indentation back', () => {
    const content = 'class A {\n  save(x) {\n    if (x) {\n      write(x);\n    }\n  }\n}\n';
    const r = applyEdits(files({ 'a.js': content }), [edit('a.js', 'save(x) {\n  if (x) {\n    write(x);\n  }\n}', 'save(x) {\n  if (!x) return;\n  write(x);\n}')]);
    expect(r.failures).toEqual([]);
    expect(r.applied[0].how).toBe('indentation');
    expect(r.changed.get('a.js')).toBe('class A {\n  save(x) {\n    if (!x) return;\n    write(x);\n  }\n}\n');
  });

  it('indentation drift the other way: the model indented too much', () => {
    const r = applyEdits(files({ 'a.py': 'x = 1\nif x:\n    y = 2\n' }), [edit('a.py', '        if x:\n            y = 2', '        if x:\n            y = 3\n            z = 4')]);
    expect(r.changed.get('a.py')).toBe('x = 1\nif x:\n    y = 3\n    z = 4\n');
  });

  it('tabs in the file, spaces in the answer: the replacement uses tabs', () => {
    const r = applyEdits(files({ 'main.go': 'func main() {\n\tif ok {\n\t\trun()\n\t}\n}\n' }), [
      edit('main.go', '    if ok {\n        run()\n    }', '    if ok {\n        run()\n        log()\n    }'),
    ]);
    expect(r.changed.get('main.go')).toBe('func main() {\n\tif ok {\n\t\trun()\n\t\tlog()\n\t}\n}\n');
  });

  it('ignores blank lines the model added around the SEARCH text', () => {
    const r = applyEdits(files({ 'a.txt': 'a\nb\nc\n' }), [edit('a.txt', '\nb\n', '\nB\n')]);
    expect(r.failures).toEqual([]);
    expect(r.applied[0].how).toBe('blank-lines-trimmed');
    expect(r.changed.get('a.txt')).toBe('a\nB\nc\n');
  });

  it('unicode: exact for emoji and CJK, tolerant of NFC/NFD spellings', () => {
    const read = files({ 'i18n.txt': 'greeting = "こんにちは 👋"\nname = "Jos\u00e9"\n' });
    const r = applyEdits(read, [edit('i18n.txt', 'greeting = "こんにちは 👋"', 'greeting = "你好 👋"'), edit('i18n.txt', 'name = "Jose\u0301"', 'name = "Zoë"')]);
    expect(r.failures).toEqual([]);
    expect(r.changed.get('i18n.txt')).toBe('greeting = "你好 👋"\nname = "Zoë"\n');
  });
});

describe('applyEdits: creating and appending', () => {
  it('an empty SEARCH on a missing file creates it; later blocks edit the new file', () => {
    const r = applyEdits(files({}), [edit('src/new.ts', '', 'export const a = 1;\nexport const b = 2;'), edit('src/new.ts', 'export const b = 2;', 'export const b = 3;')]);
    expect(r.failures).toEqual([]);
    expect(r.changed.get('src/new.ts')).toBe('export const a = 1;\nexport const b = 3;\n');
    expect(r.applied.map((a) => a.how)).toEqual(['created', 'exact']);
  });

  it('an empty SEARCH on an existing file appends, adding the missing newline first', () => {
    const r = applyEdits(files({ 'log.txt': 'one\r\ntwo' }), [edit('log.txt', '', 'three')]);
    expect(r.changed.get('log.txt')).toBe('one\r\ntwo\r\nthree\r\n');
    expect(r.applied[0]).toMatchObject({ how: 'appended', startLine: 3 });
  });
});

describe('applyEdits: failures', () => {
  it('file missing: a failure, not an exception', () => {
    const r = applyEdits(files({}), [edit('gone.js', 'x', 'y')]);
    expect(r.changed.size).toBe(0);
    expect(r.failures).toEqual([{ kind: 'file-missing', path: 'gone.js', index: expect.any(Number), search: 'x', replace: 'y' }]);
    expect(r.failedFiles).toEqual(['gone.js']);
  });

  it('ambiguous: says on which lines the SEARCH text occurs, and leaves the file alone', () => {
    const content = 'function a() {\n  return 0;\n}\nfunction b() {\n  return 0;\n}\n';
    const r = applyEdits(files({ 'a.js': content, 'b.js': 'ok\n' }), [edit('a.js', '  return 0;', '  return 1;'), edit('b.js', 'ok', 'fine')]);
    expect(r.failures).toMatchObject([{ kind: 'ambiguous', path: 'a.js', lines: [2, 5] }]);
    expect(r.changed.has('a.js')).toBe(false);
    expect(r.changed.get('b.js')).toBe('fine\n'); // other files still change
  });

  it('a looser pass does not hide ambiguity: two matches up to indentation are ambiguous too', () => {
    const r = applyEdits(files({ 'a.py': 'if a:\n    go()\nif b:\n        go()\n' }), [edit('a.py', 'go()', 'stop()')]);
    expect(r.failures).toMatchObject([{ kind: 'ambiguous', lines: [2, 4] }]);
  });

  it('no match: names the block and shows the closest lines; the whole file stays unchanged', () => {
    const content = ['import x from "x";', '', 'export function total(items) {', '  let sum = 0;', '  for (const i of items) sum += i.price;', '  return sum;', '}', ''].join('\n');
    const good = edit('a.js', 'import x from "x";', 'import y from "y";');
    const bad = edit('a.js', 'export function total(items) {\n  let sum = 0;\n  for (const item of items) sum += item.price;', 'export function total(items) {\n  return items.reduce((s, i) => s + i.price, 0);');
    const r = applyEdits(files({ 'a.js': content }), [good, bad]);
    expect(r.changed.size).toBe(0); // the good block is not applied alone
    expect(r.applied).toEqual([]);
    expect(r.failedFiles).toEqual(['a.js']);
    expect(r.failures).toHaveLength(1);
    const failure = r.failures[0];
    expect(failure).toMatchObject({ kind: 'no-match', path: 'a.js', index: bad.index });
    if (failure.kind !== 'no-match') throw new Error('unreachable');
    expect(failure.closest).toMatchObject({ startLine: 3, endLine: 5, text: 'export function total(items) {\n  let sum = 0;\n  for (const i of items) sum += i.price;' });
    expect(failure.closest!.similarity).toBeGreaterThan(0.7);
    expect(failure.closest!.similarity).toBeLessThan(1);
  });

  it('keeps checking the blocks after a failure, so one retry can fix them all', () => {
    const r = applyEdits(files({ 'a.txt': 'a\nb\n' }), [edit('a.txt', 'zzz', 'y'), edit('a.txt', 'b', 'B'), edit('a.txt', 'qqq', 'y')]);
    expect(r.failures.map((f) => f.kind)).toEqual(['no-match', 'no-match']);
    expect(r.changed.size).toBe(0);
  });
});

describe('applyEdits: purity', () => {
  it('reads each file once, does not touch its input, and leaves out no-op edits', () => {
    const reads: string[] = [];
    const store: Record<string, string> = { 'a.txt': 'same\n' };
    const blocks = [edit('a.txt', 'same', 'other'), edit('a.txt', 'other', 'same')];
    const frozen = JSON.stringify(blocks);
    const r = applyEdits((p) => (reads.push(p), store[p]), blocks);
    expect(reads).toEqual(['a.txt']);
    expect(JSON.stringify(blocks)).toBe(frozen);
    expect(store['a.txt']).toBe('same\n');
    expect(r.changed.size).toBe(0);
    expect(editedPaths([...blocks, edit('b.txt', '', 'x')])).toEqual(['a.txt', 'b.txt']);
  });
});
