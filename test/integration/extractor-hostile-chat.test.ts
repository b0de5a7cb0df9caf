// A hostile answer through the whole engine (Ollama stand-in → splitter → extractor → file sink →
// guarded workspace): every hostile path is a visible file.refused event, nothing lands outside
// the task's folder or in .git, and a path that clashes with a file or folder the same answer
// wrote is refused visibly instead of failing the whole task.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChatAnswer, useStandinEngine } from './helpers.js';

/** A generated project's folder is a git repository (one commit per turn): what the model wrote is the rest. */
const notGit = (p: string) => p !== '.git' && !p.startsWith(`.git${path.sep}`);

const t = useStandinEngine();

const block = (label: string, body = 'x = 1') => `${label}\n\`\`\`\n${body}\n\`\`\`\n`;

describe('a hostile answer, end to end', () => {
  it('refuses each hostile path visibly, writes the rest inside, and a file/folder clash does not fail the task', async () => {
    const answer = [
      '<think>\n' + block('File: draft.py', 'import os; os.system("rm -rf ~")') + '</think>',
      block('File: ../escape.py'),
      block('File: .git/hooks/pre-commit', '#!/bin/sh\necho pwned'),
      block('**/etc/cron.d/x**'),
      `<dyad-write path="C:\\Windows\\x.py">\nx\n</dyad-write>`,
      JSON.stringify({ name: 'write_file', arguments: { path: '.git::$INDEX_ALLOCATION/hooks/post-checkout', content: 'x' } }),
      block('File: lib.py'),
      block('File: lib.py/inner.py'), // lib.py is a file already: cannot be a folder too
      block('File: conf.d/mod.py'),
      block('File: conf.d'), // conf.d is a folder already
      block('File: main.py', 'print("ok")'),
      '',
    ].join('\n');
    const { final, events } = await runChatAnswer(t, answer);
    const refused = events.flatMap((e) => (e.type === 'file.refused' ? [`${e.data.path} ${e.data.code}`] : []));

    expect(final.status).toBe('succeeded');
    expect(refused).toEqual([
      '../escape.py PARENT_ESCAPE',
      '.git/hooks/pre-commit GIT_INTERNALS',
      '/etc/cron.d/x ABSOLUTE',
      'C:\\Windows\\x.py DRIVE_LETTER',
      '.git::$INDEX_ALLOCATION/hooks/post-checkout INVALID_CHARACTER',
      'lib.py/inner.py PATH_CONFLICT',
      'conf.d PATH_CONFLICT',
    ]);
    const files = fs.readdirSync(final.workspacePath, { recursive: true }).map(String).filter(notGit).sort();
    expect(files).toEqual(['conf.d', path.join('conf.d', 'mod.py'), 'lib.py', 'main.py']);
    expect(fs.existsSync(path.join(path.dirname(final.workspacePath), 'escape.py'))).toBe(false);
  });
});
