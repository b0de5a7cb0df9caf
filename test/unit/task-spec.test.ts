import { describe, expect, it } from 'vitest';
import {
  FeedbackBodySchema,
  TaskActionBodySchema,
  feedbackScore,
  fieldErrors,
  isNewProjectRepoPath,
  nonNegotiableRules,
  parseStepRef,
  parseTaskBody,
  taskSpecToPrompt,
  type TaskSpecV1,
} from '../../shared/index.js';

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
  it('takes -1 or 1, and 1–5 mapped: 2 or less bad, 3 neutral, 4 or more good', () => {
    const read = (body: object) => {
      const parsed = FeedbackBodySchema.safeParse({ task_id: 't', ...body });
      return parsed.success ? feedbackScore(parsed.data) : null;
    };
    expect(read({ rating: 1 })).toEqual({ score: 1, given: 1, scale: 2 });
    expect(read({ rating: -1 })).toEqual({ score: -1, given: -1, scale: 2 });
    expect([2, 3, 4, 5].map((rating) => read({ rating })?.score)).toEqual([-1, 0, 1, 1]);
    expect(read({ rating: 3 })).toEqual({ score: 0, given: 3, scale: 5 });
    // A bare 1 is ours (good); "scale": 5 reads it as 1 of 5.
    expect(read({ rating: 1, scale: 5 })).toEqual({ score: -1, given: 1, scale: 5 });
  });

  it('names the field and what is accepted for a rating it cannot read', () => {
    for (const rating of [0, 6, 2.5, '4', -2]) {
      const bad = FeedbackBodySchema.safeParse({ task_id: 't', rating });
      expect(bad.success, String(rating)).toBe(false);
      if (!bad.success) expect(bad.error.issues[0]).toMatchObject({ path: ['rating'], message: expect.stringContaining('1 to 5') });
    }
    const wrongScale = FeedbackBodySchema.safeParse({ task_id: 't', rating: 4, scale: 2 });
    expect(wrongScale.success).toBe(false);
  });
});

describe('the Phase-1 README forms of TaskV1.1', () => {
  const README_SPEC = {
    type: 'CODE',
    input: { goal: 'A Spring Boot service with a /health endpoint.', language: 'java', repo: { path: './workspace' } },
    non_negotiables: { build_tool: 'gradle', jdk: 21 },
    oracle: { smoke: true, full: false },
  };

  it('accepts named non-negotiables, oracle booleans and ./workspace, and keeps them as written', () => {
    const r = parseTaskBody(README_SPEC);
    expect(r).toEqual({ ok: true, value: { shape: 'spec', spec: README_SPEC } });
    if (!r.ok || r.value.shape !== 'spec') return;
    expect(nonNegotiableRules(r.value.spec)).toEqual(['build_tool: gradle', 'jdk: 21']);
    const prompt = taskSpecToPrompt(r.value.spec);
    expect(prompt).toContain('- build_tool: gradle\n- jdk: 21');
    expect(prompt).toContain("smoke test: the project's own test command");
    expect(prompt).not.toContain('full test');
    // ./workspace is a new project, not a repository to look for.
    expect(prompt).not.toContain('Existing repository');
    expect(isNewProjectRepoPath('./workspace')).toBe(true);
    expect(isNewProjectRepoPath('./workspace/app')).toBe(false);
  });

  it('refuses what it still cannot honour, naming the field and the accepted forms', () => {
    const r = parseTaskBody({ ...README_SPEC, non_negotiables: { jdk: { min: 17 } }, oracle: { smoke: 'yes' } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.fields.find((f) => f.path === 'non_negotiables')?.message).toContain('{"build_tool": "gradle", "jdk": 21}');
    expect(r.fields.find((f) => f.path === 'oracle.smoke')?.message).toContain('true/false');
  });

  it('takes a client task id (a UUID) on either shape, lower-cased', () => {
    const r = parseTaskBody({ task_id: '9B2F6C1E-3A4D-4E8B-9C7F-1D2E3F4A5B6C', prompt: 'hi' });
    expect(r.ok && r.value.shape === 'simple' && r.value.body.task_id).toBe('9b2f6c1e-3a4d-4e8b-9c7f-1d2e3f4a5b6c');
    const bad = parseTaskBody({ task_id: 'job-1', prompt: 'hi' });
    expect(!bad.ok && bad.fields[0]).toMatchObject({ path: 'task_id', message: expect.stringContaining('UUID') });
  });
});

describe('parseStepRef and the replay_step action', () => {
  it('reads Agent-MVP step names and step@vN', () => {
    expect(parseStepRef('design@v1')).toEqual({ step: 'plan', version: 1 });
    expect(parseStepRef('plan@v1')).toEqual({ step: 'plan', version: 1 });
    expect(parseStepRef('implement@v2')).toEqual({ step: 'implement', version: 2 });
    expect(parseStepRef('review')).toEqual({ step: 'review' });
    expect(parseStepRef('test@3')).toEqual({ step: 'test', version: 3 });
    expect(parseStepRef('deploy')).toBeNull();
    expect(parseStepRef('implement@v0')).toBeNull();
  });

  it('parses the replay_step body and names bad fields', () => {
    const ok = TaskActionBodySchema.safeParse({ action: 'replay_step', task_id: 't', step_id: 'implement@v1', reason: 'flaky' });
    expect(ok.success && ok.data.step_id).toEqual({ step: 'implement', version: 1 });
    const bad = TaskActionBodySchema.safeParse({ action: 'delete', task_id: 't', step_id: 'deploy@v1' });
    expect(bad.success).toBe(false);
    if (!bad.success) expect(fieldErrors(bad.error.issues).map((f) => f.path).sort()).toEqual(['action', 'step_id']);
  });
});
