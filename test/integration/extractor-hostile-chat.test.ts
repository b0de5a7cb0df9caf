// A hostile answer through the whole engine (Ollama stand-in → splitter → extractor → file sink →
// guarded workspace): every hostile path is a visible file.refused event, nothing lands outside
// the task's folder or in .git, and a path that clashes with a file or folder the same answer
// wrote is refused visibly instead of failing the whole task.

import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodResult, TaskEvent } from '../../shared/index.js';
import type { Engine } from '../../electron/core/engine/index.js';
import { startOllamaStandin, type OllamaStandin } from '../fixtures/ollama-standin/index.js';
import { openEngine, recordFrames, tempDataDir } from './helpers.js';

let standin: OllamaStandin;
let dataDir: string;
let engine: Engine | null = null;

beforeEach(async () => {
  standin = await startOllamaStandin();
  dataDir = tempDataDir();
});
afterEach(async () => {
  await engine?.close().catch(() => undefined);
  engine = null;
  await standin.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

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
    standin.enqueueChat({ text: answer, tokensPerSecond: 5000 });
    engine = openEngine(dataDir, standin.url);
    const rec = recordFrames(engine);
    const created = (await engine.invoke('tasks.create', { prompt: 'write it', model: 'qwen2.5-coder:7b' })) as MethodResult<'tasks.create'>;
    const final = await engine.waitForTask(created.task.id);
    const events: TaskEvent[] = rec.events(created.task.id);
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
    const files = fs.readdirSync(final.workspacePath, { recursive: true }).map(String).sort();
    expect(files).toEqual(['conf.d', path.join('conf.d', 'mod.py'), 'lib.py', 'main.py']);
    expect(fs.existsSync(path.join(path.dirname(final.workspacePath), 'escape.py'))).toBe(false);
  });
});
