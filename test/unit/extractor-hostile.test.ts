// Adversarial paths in every marker shape the extractor reads: each is refused with a visible
// `refused` op (normalizeWorkspacePath's code), or opened under a name that stays inside the
// workspace on Linux, macOS and Windows alike. Fed whole, in 1-byte chunks and in random chunks.

import { describe, expect, it } from 'vitest';
import { FileExtractor, type FileOp } from '../../electron/core/files/index.js';

const shapes: Array<[string, (p: string) => string]> = [
  ['File: label', (p) => `File: ${p}\n\`\`\`\nX\n\`\`\`\n`],
  ['bold', (p) => `**${p}**\n\`\`\`\nX\n\`\`\`\n`],
  ['backticks', (p) => `\`${p}\`\n\`\`\`\nX\n\`\`\`\n`],
  ['heading', (p) => `### ${p}\n\`\`\`\nX\n\`\`\`\n`],
  ['bare path line', (p) => `${p}\n\`\`\`\nX\n\`\`\`\n`],
  ['[path]', (p) => `[${p}]\n\`\`\`\nX\n\`\`\`\n`],
  ['prose', (p) => `Here is the updated \`${p}\`:\n\`\`\`\nX\n\`\`\`\n`],
  ['fence info', (p) => `\`\`\`python ${p}\nX\n\`\`\`\n`],
  ['first-line comment', (p) => `\`\`\`python\n# ${p}\nX\n\`\`\`\n`],
  ['<file>', (p) => `<file path="${p}">\nX\n</file>\n`],
  ['bolt', (p) => `<boltArtifact id="a" title="t">\n<boltAction type="file" filePath="${p}">\nX\n</boltAction>\n</boltArtifact>\n`],
  ['dyad', (p) => `<dyad-write path="${p}">\nX\n</dyad-write>\n`],
  ['lovable', (p) => `<lov-write file_path="${p}">\nX\n</lov-write>\n`],
  ['cline', (p) => `<write_to_file>\n<path>${p}</path>\n<content>\nX\n</content>\n</write_to_file>\n`],
  ['JSON tool call', (p) => `${JSON.stringify({ name: 'write_file', arguments: { path: p, content: 'X\n' } })}\n`],
  ['flat JSON', (p) => `${JSON.stringify({ file_path: p, content: 'X\n' })}\n`],
  ['base64 asset', (p) => `File: ${p}\n\`\`\`base64\nWAo=\n\`\`\`\n`],
];

function run(text: string, chunk: number | 'random'): FileOp[] {
  const x = new FileExtractor();
  const ops: FileOp[] = [];
  let seed = 7;
  for (let i = 0; i < text.length; ) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const n = chunk === 'random' ? 1 + (seed % 13) : chunk;
    ops.push(...x.push(text.slice(i, i + n)));
    i += n;
  }
  ops.push(...x.end());
  return ops;
}

/** Would this opened path, as Windows/macOS would read it, leave the folder or touch git internals? */
function unsafeAnywhere(p: string): boolean {
  const segs = p.split('/');
  return (
    p.startsWith('/') ||
    /^[a-z]:/i.test(p) ||
    segs.some((s) => {
      const win = s.replace(/[. ]+$/, ''); // Windows drops trailing dots and spaces
      const hfs = s.replace(/[\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/g, ''); // HFS+ ignores these
      return win === '' || win === '..' || /^\.git$/i.test(win) || /^\.git$/i.test(hfs) || s.includes(':') || s.includes('\\');
    }) ||
    segs.some((s) => Buffer.byteLength(s) > 255)
  );
}

// Refused outright: every shape that reads the path must say so with a refusal.
const refused: Array<[string, string]> = [
  ['../x.py', 'PARENT_ESCAPE'],
  ['a/../../x.py', 'PARENT_ESCAPE'],
  ['/etc/passwd', 'ABSOLUTE'],
  ['C:\\x.py', 'DRIVE_LETTER'],
  ['/C:/x.py', 'ABSOLUTE'],
  ['\\\\server\\share\\x.py', 'UNC'],
  ['~/.ssh/authorized_keys', 'ABSOLUTE'],
  ['.git/config', 'GIT_INTERNALS'],
  ['.git/hooks/pre-commit', 'GIT_INTERNALS'],
  ['sub/.git/config', 'GIT_INTERNALS'],
  ['.GIT/config', 'GIT_INTERNALS'],
  ['aux.txt', 'RESERVED_NAME'],
  // NTFS: `.git::$INDEX_ALLOCATION` is the .git folder itself; `a.py:x` an alternate data stream.
  ['.git::$INDEX_ALLOCATION/hooks/pre-commit', 'INVALID_CHARACTER'],
  ['src/a.py:stream', 'INVALID_CHARACTER'],
  // HFS+ ignores zero-width joiners: `.g\u200cit` is `.git` there (CVE-2014-9390).
  ['.g\u200cit/config', 'CONTROL_CHARACTER'],
  ['src/\u202egnp.py', 'CONTROL_CHARACTER'], // right-to-left override: a name that reads differently
  ['src/a\u0085b.py', 'CONTROL_CHARACTER'], // C1 control (NEL, a newline to some tools)
  ['src/a\u2028b.py', 'CONTROL_CHARACTER'],
  ['COM\u00b9.txt', 'RESERVED_NAME'], // Windows reserves COM¹²³ and LPT¹²³ too
  ['CON .txt', 'RESERVED_NAME'],
  ['src/CONIN$.py', 'RESERVED_NAME'],
  // Windows drops a trailing dot or space: `.. ` is `..` there, `x.py.` is `x.py`.
  ['.. /x.py', 'TRAILING_DOT_OR_SPACE'],
  ['a/... /x.py', 'TRAILING_DOT_OR_SPACE'],
  ['src./x.py', 'TRAILING_DOT_OR_SPACE'],
  // ext4/APFS/NTFS allow 255 bytes a name: 200 × 'é' is 400 bytes.
  [`a/${'é'.repeat(200)}.py`, 'TOO_LONG'],
  [`src/${'a/'.repeat(600)}x.py`, 'TOO_LONG'],
  // Never listed, exported or shown in a diff (usually git-ignored): a planted
  // node_modules/.bin/jest would run on the user's next `npm test` unseen.
  ['node_modules/.bin/jest.js', 'DEPENDENCY_FOLDER'],
  ['web/NODE_MODULES/left-pad/index.js', 'DEPENDENCY_FOLDER'],
];

describe('hostile paths in every marker shape', () => {
  for (const [shape, make] of shapes) {
    it.each(refused)(`${shape}: %j is refused (%s) and nothing opens`, (raw, code) => {
      for (const chunk of [1 << 20, 1, 'random'] as const) {
        const ops = run(make(raw), chunk);
        const opened = ops.filter((o) => o.kind === 'open');
        const refusals = ops.filter((o): o is Extract<FileOp, { kind: 'refused' }> => o.kind === 'refused');
        expect(opened, `${shape} chunk=${chunk}`).toEqual([]);
        // Shapes that only take file-looking names may ignore a name like `aux.txt` without a
        // slash; what they must never do is open it. Where they read it, the code is the rule's.
        for (const r of refusals) expect(r.code).toBe(code);
      }
    });
  }

  // Names that are odd but harmless: written inside the workspace under a name that is the same
  // file on every OS (percent signs and lookalike dots are just characters to a file system).
  const harmless = ['%2e%2e/x.py', '\u2024\u2024/x.py', '\uff0e\uff0e/x.py', `a/${'é'.repeat(120)}.py`];
  for (const [shape, make] of shapes) {
    it.each(harmless)(`${shape}: %j opens only inside the workspace`, (raw) => {
      for (const op of run(make(raw), 'random')) {
        if (op.kind === 'open') expect(unsafeAnywhere(op.path), op.path).toBe(false);
      }
    });
  }

  it('a name with a newline or NUL in it never opens a file, in any shape', () => {
    for (const raw of ['a\nb.py', 'a\u0000b.py', 'a\rb.py']) {
      for (const [, make] of shapes) {
        for (const op of run(make(raw), 'random')) if (op.kind === 'open') expect(op.path).not.toMatch(/[\n\r\0]/);
      }
    }
  });
});

describe('refusals stay small, one-line bolt artifacts', () => {
  it('a refused 5 MB path is reported shortened (the event, the task log and the DB row stay small)', () => {
    for (const text of [`{"file_path":"${'a'.repeat(5_000_000)}","content":"x"}\n`, `<dyad-write path="${'a/'.repeat(1500)}x.py">\nx\n</dyad-write>\n`]) {
      const ops = run(text, 1 << 16);
      const r = ops.filter((o) => o.kind === 'refused');
      expect(r).toHaveLength(1);
      expect(r[0].path.length).toBeLessThanOrEqual(301);
      expect(r[0].path.endsWith('…')).toBe(true);
    }
  });

  it('bolt: <boltArtifact> and the first <boltAction> on one line, closing tags together on one line', () => {
    const text = '<boltArtifact id="a" title="t"><boltAction type="file" filePath="ok.txt">\nX\n</boltAction></boltArtifact>\n';
    for (const chunk of [1 << 20, 1, 'random'] as const) {
      const ops = run(text, chunk);
      expect(ops.filter((o) => o.kind !== 'chunk')).toEqual([{ kind: 'open', path: 'ok.txt' }, { kind: 'close', path: 'ok.txt', truncated: false }]);
      expect(ops.filter((o) => o.kind === 'chunk').map((o) => (o.kind === 'chunk' ? o.text : '')).join('')).toBe('X\n');
    }
  });
});
