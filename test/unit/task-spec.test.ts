import { describe, expect, it } from 'vitest';
import { FeedbackBodySchema, parseTaskBody, taskSpecToPrompt, type TaskSpecV1 } from '../../shared/index.js';

const FULL_SPEC: TaskSpecV1 = {
  type: 'CODE',
  input: {
    language: 'Python',
    frameworks: ['FastAPI', 'pytest'],
    repo: { path: '/srv/app', include: ['src/**'], exclude: ['node_modules/**'] },
    constraints: { max_tokens: 4000, latency_ms: 30000, style: 'PEP 8, type hints' },
    goal: 'A REST service that converts CSV uploads to JSON.',
  },
  output_contract: { expected_files: ['app/main.py', 'tests/test_main.py'] },
  non_negotiables: ['No network calls at import time'],
  oracle: { smoke: ['pytest -q tests/test_main.py'], full: ['pytest -q'] },
};

describe('parseTaskBody', () => {
  it('accepts a full TaskV1.1 spec and the simple form', () => {
    expect(parseTaskBody(FULL_SPEC)).toEqual({ ok: true, value: { shape: 'spec', spec: FULL_SPEC } });
    const simple = parseTaskBody({ prompt: 'hello', metadata: { mode_hint: 'build', source: 'ci' } });
    expect(simple).toEqual({ ok: true, value: { shape: 'simple', body: { prompt: 'hello', metadata: { mode_hint: 'build', source: 'ci' } } } });
  });

  it('accepts a minimal spec: type and input.goal only', () => {
    const r = parseTaskBody({ type: 'CODE', input: { goal: 'x' } });
    expect(r.ok).toBe(true);
  });

  it('lists every field error of a bad spec at once, with dotted paths', () => {
    const r = parseTaskBody({
      type: 'PROSE',
      input: { language: 42, frameworks: 'react', constraints: { max_tokens: -5, latency_ms: 1.5 }, extra: true },
      oracle: { smoke: [''] },
      surprise: 1,
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.fields.map((f) => f.path).sort();
    expect(paths).toEqual(
      [
        'type',
        'input.goal',
        'input.language',
        'input.frameworks',
        'input.constraints.max_tokens',
        'input.constraints.latency_ms',
        'input',
        'oracle.smoke.0',
        '',
      ]
        .map((p) => p || '(body)')
        .sort(),
    );
    // Unknown keys are named so a typo is easy to find.
    expect(r.fields.find((f) => f.path === 'input')?.message).toContain('extra');
    expect(r.fields.find((f) => f.path === '(body)')?.message).toContain('surprise');
  });

  it('reports the simple form’s errors when the body is not a spec', () => {
    const r = parseTaskBody({ prompt: '   ', model: '', metadata: { mode_hint: 'deploy' } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.fields.map((f) => f.path).sort()).toEqual(['metadata.mode_hint', 'model', 'prompt']);
    expect(r.fields.find((f) => f.path === 'prompt')?.message).toBe('Type a prompt first.');
  });

  it('refuses non-objects with one clear message', () => {
    for (const raw of [null, 'prompt', 42, [1]]) {
      const r = parseTaskBody(raw);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.fields).toEqual([{ path: '(body)', message: expect.stringContaining('"prompt"') }]);
    }
  });
});

describe('taskSpecToPrompt', () => {
  it('puts every part of the spec into the prompt, in a stable order', () => {
    const prompt = taskSpecToPrompt(FULL_SPEC);
    // First line = the goal, because the task's title is the prompt's first line.
    expect(prompt.split('\n')[0]).toBe('A REST service that converts CSV uploads to JSON.');
    const order = [
      'A REST service that converts CSV uploads to JSON.\n\n',
      'Language: Python',
      'Frameworks and libraries: FastAPI, pytest',
      'Existing repository: /srv/app (only src/**; not node_modules/**)',
      'under about 4000 tokens',
      'Time budget: 30000 ms',
      'Style: PEP 8, type hints',
      '- app/main.py\n- tests/test_main.py',
      '- No network calls at import time',
      'smoke test: `pytest -q tests/test_main.py`',
      'full test: `pytest -q`',
    ];
    let at = -1;
    for (const part of order) {
      const next = prompt.indexOf(part);
      expect(next, part).toBeGreaterThan(at);
      at = next;
    }
  });

  it('leaves out the sections a minimal spec does not have', () => {
    const prompt = taskSpecToPrompt({ type: 'CODE', input: { goal: '  a todo app  ' } });
    expect(prompt).toBe('a todo app');
  });
});

describe('FeedbackBodySchema', () => {
  it('takes -1 or 1 only', () => {
    expect(FeedbackBodySchema.safeParse({ task_id: 't', rating: 1 }).success).toBe(true);
    const bad = FeedbackBodySchema.safeParse({ task_id: 't', rating: 5 });
    expect(bad.success).toBe(false);
    if (!bad.success) expect(bad.error.issues[0].message).toBe('Expected -1 (bad) or 1 (good).');
  });
});
