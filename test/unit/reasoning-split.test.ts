// The streaming reasoning splitter: reasoning never reaches the answer (and so never the
// file extractor), whatever the chunking, for every shape real local models produce.
import { describe, expect, it } from 'vitest';
import { FileExtractor, type FileOp } from '../../electron/core/files/index.js';
import { parseHarmonyHeader } from '../../electron/core/llm/harmony-header.js';
import { ReasoningSplitter, type ReasoningPiece, type SplitEnd } from '../../electron/core/llm/reasoning-splitter.js';
import { looksLikeReasoner, thinkValueFor } from '../../electron/core/llm/thinking.js';
import { mulberry32 } from '../fixtures/prng.js';

interface Run {
  answer: string;
  thinking: string;
  /** The answer as it stood after each push (to check what was released when). */
  answerSoFar: string[];
  /** File ops the extractor produced from the answer, in order. */
  ops: FileOp[];
}

function run(text: string, sizes: () => number, opts: { assumeOpenThink?: boolean; end?: SplitEnd } = {}): Run {
  const s = new ReasoningSplitter({ assumeOpenThink: opts.assumeOpenThink });
  const x = new FileExtractor();
  const r: Run = { answer: '', thinking: '', answerSoFar: [], ops: [] };
  const take = (pieces: ReasoningPiece[]) => {
    for (const p of pieces) {
      if (p.kind === 'answer') {
        r.answer += p.text;
        r.ops.push(...x.push(p.text));
      } else r.thinking += p.text;
    }
  };
  for (let i = 0; i < text.length; ) {
    const n = Math.max(1, sizes());
    take(s.push(text.slice(i, i + n)));
    r.answerSoFar.push(r.answer);
    i += n;
  }
  take(s.end(opts.end ?? { complete: true, doneReason: 'stop' }));
  r.ops.push(...x.end());
  return r;
}

/** The same input, whole, in 1-byte chunks and in 40 random chunkings: all must agree. */
function allChunkings(text: string, opts: { assumeOpenThink?: boolean; end?: SplitEnd } = {}): Run[] {
  const runs = [run(text, () => text.length, opts), run(text, () => 1, opts)];
  const rand = mulberry32(text.length * 7 + 13);
  for (let k = 0; k < 40; k++) runs.push(run(text, () => 1 + Math.floor(rand() * 17), opts));
  return runs;
}

function expectAll(text: string, want: { answer: string; thinking: string }, opts: { assumeOpenThink?: boolean; end?: SplitEnd } = {}): Run[] {
  const runs = allChunkings(text, opts);
  for (const r of runs) {
    expect(r.answer).toBe(want.answer);
    expect(r.thinking).toBe(want.thinking);
  }
  return runs;
}

const DANGEROUS_DRAFT = [
  'The user wants a cleanup script. Let me draft it first:',
  '',
  'File: x.py',
  '```python',
  'import os',
  'os.system("rm -rf ~")',
  '```',
  '',
  'No, that deletes the home folder. The real script must only remove build/.',
].join('\n');

const SAFE_ANSWER = ['File: clean.py', '```python', 'import shutil', 'shutil.rmtree("build", ignore_errors=True)', '```', ''].join('\n');

describe('ReasoningSplitter', () => {
  it('passes a plain answer through unchanged, and at once (not held until the end)', () => {
    const text = 'Here you go.\n\nFile: a.py\n```python\nprint("<think>")\n```\n';
    const runs = expectAll(text, { answer: text, thinking: '' });
    const oneByte = runs[1];
    expect(oneByte.answerSoFar[20].length).toBeGreaterThan(10);
  });

  it('splits inline <think>…</think> at the start and drops the whitespace after it', () => {
    expectAll('<think>\nPlan: one file.\n</think>\n\nDone.', { answer: 'Done.', thinking: '\nPlan: one file.\n' });
    expectAll('\n  <think>a</think>b', { answer: '\n  b', thinking: 'a' });
  });

  it('reads the other reasoning tags the same way: <thinking>, Magistral [THINK], Gemma 4 <|channel>', () => {
    expectAll('<thinking>\nplan\n</thinking>\nDone.', { answer: 'Done.', thinking: '\nplan\n' });
    expectAll('[THINK]plan[/THINK]Done.', { answer: 'Done.', thinking: 'plan' });
    expectAll('<|channel>thought\nplan<channel|>Done.', { answer: 'Done.', thinking: 'thought\nplan' });
    expectAll('draft[/THINK]\nDone.', { answer: 'Done.', thinking: 'draft' }, { assumeOpenThink: true });
    expectAll('x = a[THINK]', { answer: 'x = a[THINK]', thinking: '' });
  });

  it('keeps <think> that is part of the answer text (mid-line)', () => {
    expectAll('Use the tag `<think>` to start.', { answer: 'Use the tag `<think>` to start.', thinking: '' });
  });

  it('treats an unclosed <think> at the end as reasoning: no answer, no files', () => {
    const runs = expectAll(`<think>\n${DANGEROUS_DRAFT}`, { answer: '', thinking: `\n${DANGEROUS_DRAFT}` });
    for (const r of runs) expect(r.ops).toEqual([]);
  });

  it('never lets a reasoning draft with a file block reach the extractor (inline tags)', () => {
    const text = `<think>\n${DANGEROUS_DRAFT}\n</think>\n\n${SAFE_ANSWER}`;
    for (const r of allChunkings(text)) {
      expect(r.ops.filter((o) => o.kind === 'open').map((o) => (o as { path: string }).path)).toEqual(['clean.py']);
      expect(JSON.stringify(r.ops)).not.toContain('rm -rf');
      expect(r.answer).toBe(SAFE_ANSWER);
    }
  });

  it("DeepSeek-R1's shape: only a closing </think>; everything before it is reasoning, at every moment", () => {
    const text = `${DANGEROUS_DRAFT}\n</think>\n\n${SAFE_ANSWER}`;
    for (const r of allChunkings(text, { assumeOpenThink: true })) {
      expect(r.thinking).toBe(`${DANGEROUS_DRAFT}\n`);
      expect(r.answer).toBe(SAFE_ANSWER);
      for (const so of r.answerSoFar) expect(SAFE_ANSWER.startsWith(so)).toBe(true);
      expect(r.ops.filter((o) => o.kind === 'open')).toEqual([{ kind: 'open', path: 'clean.py' }]);
    }
  });

  it('a known reasoner cut off before </think> wrote nothing; one that ended normally without it gave its answer', () => {
    for (const r of allChunkings(DANGEROUS_DRAFT, { assumeOpenThink: true, end: { complete: true, doneReason: 'length' } })) {
      expect(r.answer).toBe('');
      expect(r.ops).toEqual([]);
    }
    for (const r of allChunkings(DANGEROUS_DRAFT, { assumeOpenThink: true, end: { complete: false } })) expect(r.ops).toEqual([]);
    for (const r of allChunkings(SAFE_ANSWER, { assumeOpenThink: true })) {
      expect(r.answer).toBe(SAFE_ANSWER);
      expect(r.answerSoFar.slice(0, -1).every((a) => a === '')).toBe(true);
    }
  });

  it('an explicit <think> left open by a known reasoner stays reasoning even when the stream ends normally', () => {
    expectAll('<think>still going', { answer: '', thinking: 'still going' }, { assumeOpenThink: true });
  });

  it('drops a second, stray </think> later in the answer', () => {
    expectAll('draft</think>\n\nAnswer one.</think> Answer two.', { answer: 'Answer one. Answer two.', thinking: 'draft' }, { assumeOpenThink: true });
    expectAll('<think>x</think>A</think>B', { answer: 'AB', thinking: 'x' });
  });

  it('releases held text as the answer once the server splits reasoning itself', () => {
    const s = new ReasoningSplitter({ assumeOpenThink: true });
    expect(s.push('Hel')).toEqual([{ kind: 'thinking', text: 'Hel' }]);
    expect(s.serverSplits()).toEqual([{ kind: 'answer', text: 'Hel' }]);
    expect(s.push('lo')).toEqual([{ kind: 'answer', text: 'lo' }]);
  });

  it('gpt-oss harmony markers: analysis is reasoning, final is the answer', () => {
    const text =
      '<|channel|>analysis<|message|>Need a file. Draft:\nFile: x.py\n```python\nos.system("rm -rf ~")\n```<|end|>' +
      `<|start|>assistant<|channel|>final<|message|>${SAFE_ANSWER}<|return|>`;
    for (const r of allChunkings(text)) {
      expect(r.thinking).toBe('Need a file. Draft:\nFile: x.py\n```python\nos.system("rm -rf ~")\n```');
      expect(r.answer).toBe(`${SAFE_ANSWER}\n`);
      expect(r.ops.filter((o) => o.kind === 'open')).toEqual([{ kind: 'open', path: 'clean.py' }]);
    }
  });

  it('a harmony tool message to a non-file tool makes no file and no answer; a file tool keeps its arguments', () => {
    const shell = '<|start|>assistant<|channel|>commentary to=functions.run_shell <|constrain|>json<|message|>{"cmd":"rm -rf ~"}<|call|>';
    for (const r of allChunkings(shell)) {
      expect(r.answer).toBe('');
      expect(r.thinking).toContain('functions.run_shell');
      expect(r.ops).toEqual([]);
    }
    const write = '<|channel|>commentary to=functions.write_file json<|message|>{"path":"a.py","content":"x=1"}<|call|>';
    for (const r of allChunkings(write)) expect(r.answer).toBe('\n{"path":"a.py","content":"x=1"}\n');
  });

  it('keeps harmony-looking tokens that are only text in an answer (a tokenizer in code)', () => {
    const code = 'File: tok.py\n```python\nSPECIAL = ["<|start|>", "<|end|>", "<|message|>"]\n```\n';
    expectAll(code, { answer: code, thinking: '' });
  });

  it('reads harmony headers as harmonyparser.go does', () => {
    expect(parseHarmonyHeader('assistant<|channel|>analysis')).toEqual({ role: 'assistant', channel: 'analysis', recipient: '' });
    expect(parseHarmonyHeader('assistant<|channel|>commentary to=functions.get_weather <|constrain|>json')).toEqual({
      role: 'assistant',
      channel: 'commentary',
      recipient: 'functions.get_weather',
    });
    expect(parseHarmonyHeader('assistant to=functions.x<|channel|>commentary<|constrain|>json')).toMatchObject({ recipient: 'functions.x', channel: 'commentary' });
  });

  it('is linear: 2 MB of answer in 1-byte chunks and 200k markers in one chunk are quick', () => {
    const big = 'x = 1  # a < b <| c\n'.repeat(100_000);
    let t = performance.now();
    const s = new ReasoningSplitter();
    let n = 0;
    for (let i = 0; i < big.length; i++) for (const p of s.push(big[i])) n += p.text.length;
    for (const p of s.end({ complete: true })) n += p.text.length;
    expect(n).toBe(big.length);
    expect(performance.now() - t).toBeLessThan(4000);
    const marked = '<think>a</think>b\n'.repeat(100_000);
    t = performance.now();
    const s2 = new ReasoningSplitter();
    const pieces = [...s2.push(marked), ...s2.end({ complete: true })];
    expect(pieces.filter((p) => p.kind === 'answer').map((p) => p.text).join('')).toBe('b\n'.repeat(100_000));
    expect(performance.now() - t).toBeLessThan(2000);
  });
});

describe('looksLikeReasoner / thinkValueFor', () => {
  it('knows the reasoners whose templates open <think>, not the coders', () => {
    expect(looksLikeReasoner('deepseek-r1:7b')).toBe(true);
    expect(looksLikeReasoner('qwq:32b')).toBe(true);
    expect(looksLikeReasoner('qwen3:8b')).toBe(true);
    expect(looksLikeReasoner('qwen3-coder:30b')).toBe(false);
    expect(looksLikeReasoner('qwen2.5-coder:7b')).toBe(false);
  });

  it('sends think only to models with the capability; gpt-oss gets a level', () => {
    expect(thinkValueFor('qwen2.5-coder:7b', { capabilities: ['completion', 'tools'] }, true)).toBeUndefined();
    expect(thinkValueFor('qwen3:8b', { capabilities: ['completion', 'thinking'] }, true)).toBe(true);
    expect(thinkValueFor('qwen3:8b', { capabilities: ['completion', 'thinking'] }, false)).toBe(false);
    expect(thinkValueFor('gpt-oss:20b', { capabilities: ['completion', 'thinking'] }, true)).toBe('medium');
    expect(thinkValueFor('gpt-oss:20b', { capabilities: ['completion', 'thinking'] }, false)).toBe('low');
    expect(thinkValueFor('x', null, true)).toBeUndefined();
  });
});

describe('ReasoningSplitter — adversarial shapes', () => {
  const draft = DANGEROUS_DRAFT + '\n';
  const writes = (r: Run) => r.ops.filter((o) => o.kind === 'open').map((o) => o.path);

  it.each([
    ['uppercase', `<THINK>\n${draft}</THINK>\n${SAFE_ANSWER}`],
    ['mixed case', `<Think>\n${draft}</tHINK>\n${SAFE_ANSWER}`],
    ['a space before >', `<think >\n${draft}</think >\n${SAFE_ANSWER}`],
    ['attributes', `<think type="reasoning" effort='high'>\n${draft}</think>\n${SAFE_ANSWER}`],
    ['nested on lines', `<think>\nA\n<think>\nB\n</think>\n${draft}</think>\n${SAFE_ANSWER}`],
    ['nested inline', `<think>A<think>B</think>${draft}</think>\n${SAFE_ANSWER}`],
    ['a BOM first', `\uFEFF<think>\n${draft}</think>\n${SAFE_ANSWER}`],
  ])('%s: the draft is reasoning, only the answer writes files, in every chunking', (_name, text) => {
    for (const r of allChunkings(text)) {
      expect(writes(r)).toEqual(['clean.py']);
      expect(r.thinking).toContain('rm -rf');
      expect(r.answer).not.toContain('rm -rf');
    }
  });

  it('a </think> or <think> inside a code block of the real answer stays in the file', () => {
    const file = 'File: parse.py\n```python\nOPEN = "<think>"\n<think>\nCLOSE = "</think>"\n</think>\n[THINK]\n```\n';
    for (const r of allChunkings(`<think>plan</think>\n${file}`)) {
      expect(r.thinking).toBe('plan');
      expect(r.answer).toBe(file);
      const body = r.ops.filter((o) => o.kind === 'chunk').map((o) => (o.kind === 'chunk' ? o.text : '')).join('');
      expect(body).toBe('OPEN = "<think>"\n<think>\nCLOSE = "</think>"\n</think>\n[THINK]\n');
    }
    // A fence of four backticks is closed only by four or more: a ``` line inside does not end it.
    const long = 'File: doc.md\n````markdown\n```\n</think>\n```\n````\n';
    for (const r of allChunkings(`<think>p</think>\n${long}`)) expect(r.answer).toBe(long);
  });

  it('a harmony tool call to write_file in the analysis channel is reasoning; in commentary it is the answer', () => {
    const call = (channel: string) => `<|channel|>${channel} to=functions.write_file <|constrain|>json<|message|>{"path":"a.py","content":"x = 1\\n"}<|call|>`;
    for (const r of allChunkings(call('analysis'))) expect(writes(r)).toEqual([]);
    for (const r of allChunkings(call('commentary'))) expect(writes(r)).toEqual(['a.py']);
  });

  it('the reasoning text of a think field and inline <think> in the same stream: neither writes', () => {
    const s = new ReasoningSplitter();
    const pieces = [...s.serverSplits(), ...s.push(`<think>\n${draft}</think>\n`), ...s.push(SAFE_ANSWER), ...s.end({ complete: true })];
    const answer = pieces.filter((p) => p.kind === 'answer').map((p) => p.text).join('');
    expect(answer).toBe(SAFE_ANSWER);
  });

  it('10 MB of reasoning in 4 KB chunks costs linear time and reaches the answer as nothing', () => {
    const line = 'Let me think about <b> and `x` and </b> a < b here. File: x.py\n';
    const big = `<think>\n${line.repeat(Math.ceil((10 << 20) / line.length))}</think>\nDone.`;
    const t = performance.now();
    const s = new ReasoningSplitter();
    let answer = '';
    let thinking = 0;
    for (let i = 0; i < big.length; i += 4096) {
      for (const p of s.push(big.slice(i, i + 4096))) {
        if (p.kind === 'answer') answer += p.text;
        else thinking += p.text.length;
      }
    }
    for (const p of s.end({ complete: true })) if (p.kind === 'answer') answer += p.text;
    const ms = performance.now() - t;
    console.log(`10 MB reasoning, 4 KB chunks: ${ms.toFixed(0)} ms`);
    expect(answer).toBe('Done.');
    expect(thinking).toBeGreaterThan(10 << 20);
    expect(ms).toBeLessThan(5000);
  });

  it('partial markers carried between 1-byte chunks stay short (an attribute run that never closes)', () => {
    const unit = `<thinking ${'a'.repeat(38)}`;
    const text = unit.repeat(Math.ceil((1 << 20) / unit.length));
    const t = performance.now();
    const s = new ReasoningSplitter();
    let answer = '';
    for (let i = 0; i < text.length; i++) for (const p of s.push(text[i])) if (p.kind === 'answer') answer += p.text;
    for (const p of s.end({ complete: true })) if (p.kind === 'answer') answer += p.text;
    const ms = performance.now() - t;
    console.log(`1 MB of unclosed '<thinking aaa…' in 1-byte chunks: ${ms.toFixed(0)} ms`);
    expect(answer).toBe(text);
    expect(ms).toBeLessThan(5000);
  });
});
