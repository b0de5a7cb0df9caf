// A chat answer's code must not be left in the chat: blocks without a path are named, binary assets
// sent as base64 are written as bytes, tool calls printed as text become files, and an answer with
// no code (or only commands) writes nothing. Through the engine, against the Ollama stand-in.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TaskEvent } from '../../shared/index.js';
import { runChatAnswer, useStandinEngine } from './helpers.js';

/** A generated project's folder is a git repository (one commit per turn): what the model wrote is the rest. */
const notGit = (p: string) => p !== '.git' && !p.startsWith(`.git${path.sep}`);

const t = useStandinEngine();

async function runChat(answer: string, status = 'succeeded'): Promise<{ dir: string; files: string[]; events: TaskEvent[] }> {
  const { final, events } = await runChatAnswer(t, answer);
  expect(final.status).toBe(status);
  const files = fs.existsSync(final.workspacePath) ? fs.readdirSync(final.workspacePath, { recursive: true }).map(String).filter(notGit).sort() : [];
  return { dir: final.workspacePath, files, events };
}

const logs = (events: TaskEvent[]) => events.flatMap((e) => (e.type === 'log' ? [e.data.message] : []));

describe('chat answers whose code names no file', () => {
  it('names code blocks from their language and content, and says so', async () => {
    const answer = [
      'Sure! Here is a small script:',
      '',
      '```python',
      'def main():',
      '    print("hi")',
      '',
      'if __name__ == "__main__":',
      '    main()',
      '```',
      '',
      'And a page for it:',
      '```html',
      '<!DOCTYPE html>',
      '<link rel="stylesheet" href="site.css">',
      '```',
      '```css',
      'body { margin: 0; }',
      '```',
      'Run it with:',
      '```bash',
      'python main.py',
      '```',
    ].join('\n');
    const { dir, files, events } = await runChat(answer);
    expect(files).toEqual(['index.html', 'main.py', 'site.css']);
    expect(fs.readFileSync(path.join(dir, 'main.py'), 'utf8')).toContain('def main():');
    expect(fs.readFileSync(path.join(dir, 'site.css'), 'utf8')).toBe('body { margin: 0; }\n');
    const note = logs(events).find((m) => m.includes('main.py'));
    expect(note).toMatch(/named no file/i);
    expect(note).toContain('index.html');
  });

  it('a plain answer to a question, or one with only shell commands and output, writes nothing', async () => {
    const answer = [
      'A list comprehension builds a list in one expression. Install the tools first:',
      '```bash',
      'pip install pytest',
      '```',
      'You will see:',
      '```',
      'Successfully installed pytest-8.0.0',
      '```',
    ].join('\n');
    const { files, events } = await runChat(answer);
    expect(files).toEqual([]);
    expect(logs(events).some((m) => /named no file/i.test(m))).toBe(false);
  });
});

describe('files in the shapes local models print', () => {
  it('writes a base64 asset as bytes and a tool call printed as JSON as a file', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 255]);
    const answer = [
      'File: assets/logo.png',
      '```base64',
      png.toString('base64'),
      '```',
      '{"name": "write", "arguments": {"filePath": "notes.md", "content": "# Notes\\n"}}',
    ].join('\n');
    const { dir, files } = await runChat(answer);
    expect(files).toEqual(['assets', 'assets/logo.png', 'notes.md']);
    expect(fs.readFileSync(path.join(dir, 'assets/logo.png'))).toEqual(png);
    expect(fs.readFileSync(path.join(dir, 'notes.md'), 'utf8')).toBe('# Notes\n');
  });

  it('refuses a base64 block that is not base64, visibly', async () => {
    // Its only file refused, the answer gave the user nothing: the task fails (FILES_REFUSED) and says why.
    const { files, events } = await runChat(['File: logo.png', '```base64', 'this is not base64!', '```'].join('\n'), 'failed');
    expect(files).toEqual([]);
    const refused = events.filter((e) => e.type === 'file.refused');
    expect(refused.map((e) => (e.type === 'file.refused' ? e.data.code : ''))).toEqual(['INVALID_BASE64']);
  });
});
