// Small pure parts of the workspace UI: file icons by type, the context line, dropped
// files in the prompt, change counts.
import { describe, expect, it } from 'vitest';
import type { FileChange } from '../../shared/index.js';
import { ICON_GLYPH, iconKind, isBinaryName } from '../../renderer/src/lib/file-kind.js';
import { contextBudget, contextLine, formatTokens } from '../../renderer/src/lib/context-text.js';
import { composePrompt, fenceFor, looksBinary, relativeToRoot } from '../../renderer/src/lib/attachments.js';
import { changeCounts, changedFiles } from '../../renderer/src/store/changes.js';

describe('file icon kinds', () => {
  it.each([
    ['index.ts', 'ts'],
    ['App.tsx', 'ts'],
    ['server.mjs', 'js'],
    ['package.json', 'json'],
    ['package-lock.json', 'lock'],
    ['README.md', 'md'],
    ['main.py', 'py'],
    ['test_main.py', 'test'],
    ['login.test.js', 'test'],
    ['handler_test.go', 'test'],
    ['main.go', 'go'],
    ['lib.rs', 'rust'],
    ['styles.scss', 'css'],
    ['index.html', 'html'],
    ['Dockerfile', 'docker'],
    ['Dockerfile.dev', 'docker'],
    ['.gitignore', 'git'],
    ['config.yaml', 'yaml'],
    ['pyproject.toml', 'config'],
    ['001_users.sql', 'sql'],
    ['logo.PNG', 'image'],
    ['bundle.tar.gz', 'archive'],
    ['font.woff2', 'font'],
    ['app.exe', 'binary'],
    ['notes.txt', 'text'],
    ['LICENSE', 'text'],
    ['Makefile', 'shell'],
    ['noextension', 'text'],
  ])('%s → %s', (name, kind) => {
    expect(iconKind(name)).toBe(kind);
  });

  it('every kind has a glyph', () => {
    for (const glyph of Object.values(ICON_GLYPH)) expect(glyph.length).toBeGreaterThan(0);
  });

  it('binary by name: images, archives, fonts, media, executables; not code or text', () => {
    for (const n of ['a.png', 'b.zip', 'c.woff', 'd.mp4', 'e.so', 'f.pdf', 'g.sqlite']) expect(isBinaryName(n)).toBe(true);
    for (const n of ['a.ts', 'b.svg', 'c.json', 'd.txt', 'Makefile']) expect(isBinaryName(n)).toBe(false);
  });
});

describe('context line', () => {
  it.each([
    [0, '0'],
    [850, '850'],
    [1000, '1k'],
    [5230, '5.2k'],
    [48_400, '48k'],
    [1_250_000, '1.3M'],
  ])('formatTokens(%i) = %s', (n, text) => {
    expect(formatTokens(n)).toBe(text);
  });

  it('says how many files and tokens', () => {
    expect(contextLine({ files: Array.from({ length: 7 }, (_, i) => ({ path: `f${i}`, tokens: 1, reason: '', pinned: false })), totalTokens: 5230 })).toBe(
      'context: 7 files, 5.2k tokens',
    );
    expect(contextLine({ files: [{ path: 'a', tokens: 12, reason: 'pinned', pinned: true }], totalTokens: 12 })).toBe('context: 1 file, 12 tokens');
    expect(contextBudget({ budgetTokens: 24_000, candidates: 1234 })).toBe('of 24k · 1,234 candidates');
    expect(contextBudget({ budgetTokens: 900, candidates: 1 })).toBe('of 900 · 1 candidate');
  });
});

describe('dropped files in the prompt', () => {
  it('appends each file as File: name + a fenced block with its language', () => {
    const text = composePrompt('Fix the bug.', [{ name: 'util.py', text: 'def f():\n    return 1\n' }]);
    expect(text).toBe('Fix the bug.\n\nAttached file:\n\nFile: util.py\n```py\ndef f():\n    return 1\n```\n');
  });

  it('leaves the prompt alone without attachments', () => {
    expect(composePrompt('hi', [])).toBe('hi');
  });

  it('uses a fence longer than any backtick run inside', () => {
    expect(fenceFor('no fences')).toBe('```');
    expect(fenceFor('```js\nx\n```')).toBe('````');
    const text = composePrompt('p', [{ name: 'README.md', text: 'a\n````\nb' }, { name: 'x', text: 'y' }]);
    expect(text).toContain('File: README.md\n`````md\na\n````\nb\n`````');
    expect(text).toContain('Attached files:');
    expect(text).toContain('File: x\n```\ny\n```');
  });

  it('spots binary text and paths inside the open folder', () => {
    expect(looksBinary('abc\u0000def')).toBe(true);
    expect(looksBinary('plain')).toBe(false);
    expect(relativeToRoot('/home/me/app', '/home/me/app/src/a.ts')).toBe('src/a.ts');
    expect(relativeToRoot('/home/me/app/', '/home/me/app/src/a.ts')).toBe('src/a.ts');
    expect(relativeToRoot('C:\\code\\app', 'C:\\code\\app\\src\\a.ts')).toBe('src/a.ts');
    expect(relativeToRoot('/home/me/app', '/home/me/application/a.ts')).toBeNull();
    expect(relativeToRoot('/home/me/app', '/home/me/app')).toBeNull();
  });
});

describe('change counts', () => {
  const change = (path: string, status: FileChange['status'], accepted = false): FileChange => ({ path, status, before: null, after: null, accepted });
  it('counts added / modified / deleted, and what still waits for a verdict', () => {
    const list = [change('a', 'added'), change('b', 'modified', true), change('c', 'modified'), change('d', 'deleted'), change('e', 'unchanged')];
    expect(changeCounts(list)).toEqual({ added: 1, modified: 2, deleted: 1, total: 4, pending: 3 });
    expect(changedFiles(list).map((c) => c.path)).toEqual(['a', 'b', 'c', 'd']);
  });
});
