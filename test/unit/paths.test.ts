import { describe, expect, it } from 'vitest';
import { normalizeWorkspacePath } from '../../electron/core/files/index.js';

const accepted: [raw: string, normalised: string][] = [
  ['src/app.py', 'src/app.py'],
  ['./a//b/', 'a/b'],
  ['a/./b', 'a/b'],
  ['a/../b', 'b'],
  ['a/b/../../c.txt', 'c.txt'],
  ['a\\b\\c.txt', 'a/b/c.txt'],
  ['  padded.txt  ', 'padded.txt'],
  ['.gitignore', '.gitignore'],
  ['.github/workflows/ci.yml', '.github/workflows/ci.yml'],
  ['src/.gitkeep', 'src/.gitkeep'],
  ['git/notes.md', 'git/notes.md'],
  ['app/[id]/page.tsx', 'app/[id]/page.tsx'],
  ['src/routes/+page.svelte', 'src/routes/+page.svelte'],
  ['my file.txt', 'my file.txt'],
  ['console.log', 'console.log'],
  ['com10.txt', 'com10.txt'],
  ['données/é.txt', 'données/é.txt'],
];

const refused: [raw: string, code: string][] = [
  ['', 'EMPTY'],
  ['   ', 'EMPTY'],
  ['.', 'EMPTY'],
  ['./', 'EMPTY'],
  ['a/..', 'EMPTY'],
  ['../x', 'PARENT_ESCAPE'],
  ['../../etc/passwd', 'PARENT_ESCAPE'],
  ['a/../../x', 'PARENT_ESCAPE'],
  ['..\\x', 'PARENT_ESCAPE'],
  ['/etc/passwd', 'ABSOLUTE'],
  ['\\etc\\passwd', 'ABSOLUTE'],
  ['~/.ssh/id_rsa', 'ABSOLUTE'],
  ['C:\\x', 'DRIVE_LETTER'],
  ['c:x.txt', 'DRIVE_LETTER'],
  ['D:/data/x', 'DRIVE_LETTER'],
  ['\\\\srv\\share\\x', 'UNC'],
  ['//srv/share/x', 'UNC'],
  ['a\u0000b.txt', 'NUL_BYTE'],
  ['a\nb.txt', 'CONTROL_CHARACTER'],
  ['a\tb.txt', 'CONTROL_CHARACTER'],
  ['a\u001bb.txt', 'CONTROL_CHARACTER'],
  ['x'.repeat(1025), 'TOO_LONG'],
  [`a/${'x'.repeat(256)}`, 'TOO_LONG'],
  ['con', 'RESERVED_NAME'],
  ['CON.txt', 'RESERVED_NAME'],
  ['src/nul.js', 'RESERVED_NAME'],
  ['lpt1', 'RESERVED_NAME'],
  ['aux.h', 'RESERVED_NAME'],
  ['.git', 'GIT_INTERNALS'],
  ['.git/hooks/pre-commit', 'GIT_INTERNALS'],
  ['./.git/config', 'GIT_INTERNALS'],
  ['a/../.git/config', 'GIT_INTERNALS'],
  ['.GIT/hooks/pre-commit', 'GIT_INTERNALS'],
  ['.git./hooks/pre-commit', 'GIT_INTERNALS'],
  ['GIT~1/config', 'GIT_INTERNALS'],
  ['vendor/lib/.git/hooks/post-checkout', 'GIT_INTERNALS'],
];

describe('normalizeWorkspacePath', () => {
  it.each(accepted)('accepts %j as %j', (raw, normalised) => {
    expect(normalizeWorkspacePath(raw)).toEqual({ ok: true, path: normalised });
  });

  it.each(refused)('refuses %j with %s', (raw, code) => {
    const r = normalizeWorkspacePath(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe(code);
      expect(r.reason.length).toBeGreaterThan(0);
    }
  });

  it('is idempotent on accepted paths', () => {
    for (const [, normalised] of accepted) {
      expect(normalizeWorkspacePath(normalised)).toEqual({ ok: true, path: normalised });
    }
  });
});
