import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FileExtractor, foldFileOps } from '../../electron/core/files/index.js';
import { PROMPT_NAMES, PromptLibrary, findPromptsDir, type PromptName } from '../../electron/core/pipeline/prompts.js';

const repoPrompts = fileURLToPath(new URL('../../resources/prompts', import.meta.url));

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

const lib = new PromptLibrary(repoPrompts);

/** The values each template needs, as the steps fill them. */
const VALUES: Record<PromptName, Record<string, string>> = {
  'build-system': {},
  context: { goal: 'a CLI that adds numbers', plan: '', files: '' },
  plan: {},
  implement: { notes: '', targets: '- src/a.js' },
  fix: { max_whole_lines: '60', long_files: '', report: 'R' },
  review: { requirements: '', tests: 'the tests pass' },
  'repair-json': { problem: 'files: Required' },
  'repair-format': { example_path: 'src/main.py', example_lang: 'python' },
  continue: {},
};

const SYSTEM_PROMPTS: PromptName[] = ['build-system'];

describe('prompt templates', () => {
  it('has a file for every prompt name, and a name for every file', () => {
    for (const name of PROMPT_NAMES) expect(fs.existsSync(path.join(repoPrompts, `${name}.md`)), name).toBe(true);
    const files = fs.readdirSync(repoPrompts).filter((f) => f.endsWith('.md') && f !== 'README.md');
    expect(files.map((f) => f.replace(/\.md$/, '')).sort()).toEqual([...PROMPT_NAMES].sort());
  });

  it('finds resources/prompts from the source tree, or under MACS_RESOURCES_DIR', () => {
    expect(findPromptsDir({})).toBe(repoPrompts);
    expect(findPromptsDir({ MACS_RESOURCES_DIR: '/opt/macs/resources' })).toBe(path.join('/opt/macs/resources', 'prompts'));
  });

  it('renders every template with exactly the values its step gives, leaving no placeholder', () => {
    for (const name of PROMPT_NAMES) {
      const out = lib.render(name, VALUES[name]);
      expect(out, name).not.toMatch(/\{\{[a-z_]+\}\}/);
      expect(out.length, name).toBeGreaterThan(10);
      for (const v of Object.values(VALUES[name])) if (v) expect(out, `${name} shows ${v}`).toContain(v);
    }
  });

  it('fills placeholders literally (no re-substitution, no $ patterns)', () => {
    const out = lib.render('context', { goal: 'cost is $& and $1 and {{goal}}', plan: '', files: '' });
    expect(out).toBe('Goal:\ncost is $& and $1 and {{goal}}');
  });

  it('throws for a missing value and for a value with no placeholder', () => {
    expect(() => lib.render('context', { plan: '', files: '' })).toThrow(/needs a value for \{\{goal\}\}/);
    expect(() => lib.render('fix', { max_whole_lines: '60', report: 'r' })).toThrow(/\{\{long_files\}\}/);
    expect(() => lib.render('plan', { goal: 'g' })).toThrow(/no placeholder for goal/);
    expect(() => lib.render('continue', { goal: 'g' })).toThrow(/no placeholder for goal/);
    expect(thrown(() => lib.render('context', {}))).toMatchObject({ name: 'MacsError', code: 'INTERNAL' });
  });

  it('normalises CRLF and trailing whitespace, and reads each template once', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'macs-prompts-'));
    try {
      fs.writeFileSync(path.join(tmp, 'plan.md'), 'Plan:\r\n{{goal}}\r\n\r\n');
      const own = new PromptLibrary(tmp);
      expect(own.render('plan', { goal: 'x' })).toBe('Plan:\nx');
      fs.writeFileSync(path.join(tmp, 'plan.md'), 'changed {{goal}}');
      expect(own.render('plan', { goal: 'x' })).toBe('Plan:\nx');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('keeps every system prompt under 1,500 tokens (counted as characters / 3)', () => {
    for (const name of SYSTEM_PROMPTS) {
      const tokens = Math.ceil(lib.render(name).length / 3);
      expect(tokens, name).toBeLessThan(1500);
    }
  });

  it("the build-system prompt's worked example extracts to exactly its two files", () => {
    const text = lib.render('build-system');
    const x = new FileExtractor();
    const ops = [...x.push(text), ...x.end()];
    expect(ops.filter((o) => o.kind === 'refused')).toEqual([]);
    const { files } = foldFileOps(ops);
    expect(files).toEqual([
      { path: 'src/math.js', content: 'export function add(a, b) {\n  return a + b;\n}\n', truncated: false },
      {
        path: 'test/math.test.js',
        content:
          "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { add } from '../src/math.js';\n\ntest('adds two numbers', () => {\n  assert.equal(add(2, 3), 5);\n});\n",
        truncated: false,
      },
    ]);
  });

  it('the repair-format example is itself in the format the extractor reads', () => {
    const text = lib.render('repair-format', { example_path: 'src/main.py', example_lang: 'python' });
    const x = new FileExtractor();
    const { files } = foldFileOps([...x.push(text), ...x.end()]);
    expect(files.map((f) => f.path)).toEqual(['src/main.py']);
  });
});
