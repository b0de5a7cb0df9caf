// The name-only helpers of the workspace tree: natural name order, binary sniffing, file kinds.
import { describe, expect, it } from 'vitest';
import { compareNames, fileKind, isProbablyBinary } from '../../electron/core/project-folder/tree/index.js';

describe('compareNames', () => {
  it('orders numbers by value, ignores case, and stays total', () => {
    const names = ['file10.ts', 'file2.ts', 'File1.ts', 'b', 'B', 'a', 'file02.ts', 'v1.10', 'v1.9', 'z', '_x', '.env', 'Ä'];
    expect([...names].sort(compareNames)).toEqual([
      '.env',
      '_x',
      'a',
      'B',
      'b',
      'File1.ts',
      'file02.ts', // equal to file2 by value; the code-point tie-break puts the zero first
      'file2.ts',
      'file10.ts',
      'v1.9',
      'v1.10',
      'z',
      'Ä',
    ]);
  });

  it('compares digit runs of any length without overflow', () => {
    expect(compareNames('x12345678901234567890', 'x12345678901234567891')).toBeLessThan(0);
    expect(compareNames('x99', 'x100000000000000000000')).toBeLessThan(0);
    expect(compareNames('same', 'same')).toBe(0);
  });
});

describe('isProbablyBinary', () => {
  const utf8 = (text: string) => new TextEncoder().encode(text);

  it('calls plain and multi-byte UTF-8 text text', () => {
    expect(isProbablyBinary(utf8('export const x = 1;\n'))).toBe(false);
    expect(isProbablyBinary(utf8('// 日本語のコメント — émoji 🎉\n'.repeat(200)))).toBe(false);
    expect(isProbablyBinary(utf8('\u001b[31mred\u001b[0m\r\n\tindented\f'))).toBe(false);
    expect(isProbablyBinary(new Uint8Array(0))).toBe(false);
  });

  it('calls anything with a NUL byte in the first 8 KB binary, and ignores what comes after', () => {
    expect(isProbablyBinary(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]))).toBe(true);
    expect(isProbablyBinary(utf8('text\u0000more'))).toBe(true);
    const late = new Uint8Array(10_000).fill(0x61);
    late[9_000] = 0;
    expect(isProbablyBinary(late)).toBe(false);
  });

  it('tolerates a few invalid bytes (Latin-1 comments) but not mostly-invalid data', () => {
    const latin1 = Buffer.from('/* Ã©tÃ© */ const caf\xe9 = "na\xefve";\n'.repeat(50), 'latin1');
    expect(isProbablyBinary(latin1)).toBe(false);
    // Pseudo-random bytes with no NUL: compressed or encrypted data.
    const noise = new Uint8Array(4096);
    let seed = 42;
    for (let i = 0; i < noise.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      noise[i] = (seed >>> 16) % 255 + 1;
    }
    expect(isProbablyBinary(noise)).toBe(true);
  });

  it('does not count a character cut by the 8 KB window, but does count overlong and surrogate forms', () => {
    const cut = new Uint8Array(8 * 1024 + 10).fill(0x61);
    cut.set([0xe6, 0x97, 0xa5], 8 * 1024 - 1); // 日 straddling the boundary
    expect(isProbablyBinary(cut)).toBe(false);
    const overlong = new Uint8Array(300);
    for (let i = 0; i < 300; i += 2) overlong.set([0xc0, 0xaf], i); // overlong '/'
    expect(isProbablyBinary(overlong)).toBe(true);
    const surrogates = new Uint8Array(300);
    for (let i = 0; i < 300; i += 3) surrogates.set([0xed, 0xa0, 0x80], i);
    expect(isProbablyBinary(surrogates)).toBe(true);
  });

  it('counts control characters as suspicious', () => {
    expect(isProbablyBinary(Uint8Array.from({ length: 100 }, (_, i) => (i % 2 ? 0x01 : 0x41)))).toBe(true);
  });
});

describe('fileKind', () => {
  it.each([
    ['src/index.ts', 'code'],
    ['lib/main.py', 'code'],
    ['cmd/server/main.go', 'code'],
    ['src/App.vue', 'code'],
    ['src/index.test.ts', 'test'],
    ['src/util.spec.js', 'test'],
    ['pkg/handler_test.go', 'test'],
    ['tests/test_api.py', 'test'],
    ['src/test/java/AppTest.java', 'test'],
    ['__tests__/helpers.js', 'test'],
    ['tests/fixtures/logo.png', 'image'],
    ['tests/fixtures/data.json', 'data'],
    ['public/index.html', 'markup'],
    ['src/styles/main.scss', 'style'],
    ['data/users.csv', 'data'],
    ['config.yaml', 'data'],
    ['README.md', 'doc'],
    ['LICENSE', 'doc'],
    ['docs/guide.rst', 'doc'],
    ['assets/logo.svg', 'image'],
    ['photo.JPG', 'image'],
    ['release.tar.gz', 'archive'],
    ['bin/tool.exe', 'binary'],
    ['fonts/Inter.woff2', 'binary'],
    ['package.json', 'config'],
    ['tsconfig.json', 'config'],
    ['Dockerfile', 'config'],
    ['Makefile', 'config'],
    ['.gitignore', 'config'],
    ['.eslintrc.json', 'config'],
    ['.env.local', 'config'],
    ['vite.config.ts', 'config'],
    ['Cargo.lock', 'config'],
    ['notes', 'other'],
    ['weird.xyz', 'other'],
    ['latest.ts', 'code'],
  ])('%s → %s', (file, kind) => {
    expect(fileKind(file)).toBe(kind);
  });
});
