// The chat's answer rendering: blocks, code blocks (highlighted while streaming, side-scroll,
// Copy on each), file cards ("File: path" + fence), and the rough edges of issue 18: a path
// is never emphasis, only a really unterminated fence is "cut off", no "Was this useful?"
// under an error, readable context reasons, @-mentions, a live tok/s.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Markdown } from '../../renderer/src/components/Markdown.js';
import { fileCardState } from '../../renderer/src/components/CodeBlock.js';
import { feedbackWanted } from '../../renderer/src/components/FeedbackControl.js';
import { answerItems, fileLinePath, lineCount, parseFence, splitMarkdownBlocks } from '../../renderer/src/lib/markdown-blocks.js';
import { readableReason } from '../../renderer/src/lib/context-text.js';
import { activeMention, applyMention, mentionSuggestions } from '../../renderer/src/lib/mention.js';
import { liveSpeedText, liveTokensPerSecond } from '../../renderer/src/lib/speed.js';

const ANSWER = [
  'Here is the package.',
  '',
  'File: csv2json/__init__.py',
  '```python',
  'def convert(path):',
  '    return [line.split(",") for line in open(path)]',
  '```',
  '',
  'Run it with:',
  '',
  '```bash',
  'echo "converting" && python -m csv2json data.csv --output out.json --pretty --and-a-very-long-option-that-needs-to-scroll-sideways',
  '```',
  '',
].join('\n');

const render = (text: string, streaming: boolean) => renderToStaticMarkup(createElement(Markdown, { text, streaming }));

describe('answer blocks', () => {
  it('a File: line is its own block and pairs with the fence after it', () => {
    const { blocks } = splitMarkdownBlocks(ANSWER);
    expect(blocks[1]).toBe('File: csv2json/__init__.py\n');
    const { items } = answerItems(ANSWER, false);
    expect(items.map((i) => i.kind)).toEqual(['markdown', 'file', 'markdown', 'code']);
    const file = items[1];
    expect(file.kind === 'file' && file.path).toBe('csv2json/__init__.py');
    expect(file.kind === 'file' && file.fence?.lang).toBe('python');
    expect(file.kind === 'file' && lineCount(file.fence?.body ?? '')).toBe(2);
  });

  it('reads a path in backticks or bold, and not a sentence', () => {
    expect(fileLinePath('File: `src/a_b_.py`')).toBe('src/a_b_.py');
    expect(fileLinePath('**File:** ./src/__main__.py')).toBe('src/__main__.py');
    expect(fileLinePath('File: this is a sentence')).toBeNull();
    expect(fileLinePath('Profile: x.py')).toBeNull();
  });

  it('a fence without its closing line is open; with it, closed', () => {
    expect(parseFence('```js\nlet a = 1\n```\n\n')).toEqual({ lang: 'js', body: 'let a = 1', closed: true });
    expect(parseFence('```js\nlet a = 1\n')).toEqual({ lang: 'js', body: 'let a = 1', closed: false });
    expect(parseFence('````\n```\ninner\n```\n````')?.body).toBe('```\ninner\n```');
  });

  it('text right after a closing fence starts a new block', () => {
    const { blocks } = splitMarkdownBlocks('```\na\n```\nAfter.');
    expect(blocks).toEqual(['```\na\n```\n', 'After.']);
  });
});

describe('rendering', () => {
  it('a path never goes through emphasis: __init__ stays, no bold "init" (finished or stopped)', () => {
    for (const streaming of [false, true]) {
      const html = render(ANSWER, streaming);
      expect(html).toContain('__init__.py');
      expect(html).not.toMatch(/<strong>init<\/strong>/);
      expect(html).toContain('data-testid="file-card"');
    }
  });

  it('every code block gets a Copy button, side-scrolls and is highlighted', () => {
    const html = render(ANSWER, false);
    // The file card and the bash block.
    expect(html.match(/data-testid="code-copy"/g)?.length).toBe(2);
    expect(html).toContain('class="code-scroll"');
    expect(html).toContain('<span class="hljs-string">&quot;converting&quot;</span>');
  });

  it('highlights the growing fence while it streams, only its last lines', () => {
    const long = Array.from({ length: 200 }, (_, i) => `const v${i} = ${i};`).join('\n');
    const html = render(`Code:\n\n\`\`\`js\n${long}\n`, true);
    expect(html).toContain('hljs-keyword');
    expect(html).toContain('v199');
    expect(html).not.toContain('v100 ');
    expect(html).toContain('code-block streaming');
    // The line being written stays plain until its newline: highlighting runs once per line, not per token.
    const partial = render('```js\nconst a = 1;\nconst b', true);
    expect(partial).toMatch(/<span class="hljs-keyword">const<\/span> a = <span class="hljs-number">1<\/span>;\n<\/span>const b<\/code>/);
  });

  it('only a really unterminated fence is flagged "cut off"', () => {
    const complete = render('File: a.py\n```python\nprint(1)\n```', false);
    expect(complete).toContain('data-state="written"');
    expect(complete).not.toContain('cut off');
    const stopped = render('File: a.py\n```python\nprint(1)\n', false);
    expect(stopped).toContain('data-state="cut-off"');
    // Still streaming: writing, not cut off.
    expect(render('File: a.py\n```python\nprint(1)\n', true)).toContain('data-state="writing"');
    const fence = parseFence('```python\nprint(1)\n```');
    expect(fileCardState(null, 'a.py', fence, false)).toBe('written');
  });
});

describe('rough edges', () => {
  it('"Was this useful?" only under an answer that finished without an error', () => {
    expect(feedbackWanted('succeeded')).toBe(true);
    expect(feedbackWanted('failed')).toBe(false);
    expect(feedbackWanted('cancelled')).toBe(false);
    expect(feedbackWanted('queued')).toBe(false);
  });

  it('the context list gives a readable reason, not the ranking’s debugging text', () => {
    expect(readableReason('score 1.20: text: Add, calc (lines 3–9)')).toBe("matches 'Add', 'calc'");
    expect(readableReason('score 0.80: path: calc; defines add; test file')).toBe("name matches 'calc' · defines add · a test file");
    expect(readableReason('changed since the last turn (by hand or a restore)')).toBe('edited since last turn');
    expect(readableReason('pinned')).toBe('pinned');
    expect(readableReason('changed by turn 2')).toBe('changed by turn 2');
  });

  it('@-mention: the word after an @, suggestions from the project, the prompt after a pick', () => {
    expect(activeMention('fix @cal', 8)).toEqual({ start: 4, end: 8, query: 'cal' });
    expect(activeMention('mail me@example.com', 19)).toBeNull();
    expect(activeMention('no mention', 10)).toBeNull();
    const files = ['src/calc.py', 'test/test_calc.py', 'docs/calculator-notes.md', 'README.md', 'src/app.py'];
    expect(mentionSuggestions(files, 'calc')).toEqual(['src/calc.py', 'docs/calculator-notes.md', 'test/test_calc.py']);
    expect(mentionSuggestions(files, 'SRC/')).toEqual(['src/app.py', 'src/calc.py']);
    const m = activeMention('fix @cal please', 8)!;
    expect(applyMention('fix @cal please', m, 'src/calc.py')).toEqual({ text: 'fix @src/calc.py please', caret: 17 });
  });

  it('a live tok/s from the text that arrived, after a second of it', () => {
    const first = { chars: 400, at: 10_000 };
    expect(liveTokensPerSecond(first, { chars: 600, at: 10_500 })).toBeNull();
    expect(liveTokensPerSecond(first, { chars: 1_600, at: 12_000 })).toBe(150);
    expect(liveSpeedText(150, 1_600)).toBe('≈ 150 tok/s · ≈ 400 tokens');
    expect(liveSpeedText(null, 40)).toBe('≈ 10 tokens');
  });
});
