// The plan editor of a waiting build (Settings → review plans first): checked as typed.
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../shared/index.js';
import { checkPlanDraft, isUnchanged, planAwaitsApproval, planDraftText } from '../../renderer/src/lib/plan-draft.js';

const plan: Plan = {
  summary: 'A small library with tests.',
  language: 'JavaScript',
  files: [
    { path: 'src/math.js', purpose: 'add' },
    { path: 'test/math.test.js', purpose: 'tests' },
  ],
  test_command: 'node --test',
  acceptance: ['the tests pass'],
  run_command: '',
  scenarios: [],
};

describe('checkPlanDraft', () => {
  it('takes the plan as shown, and says it is unchanged', () => {
    const text = planDraftText(plan);
    expect(checkPlanDraft(text)).toEqual({ ok: true, plan });
    expect(isUnchanged(text, plan)).toBe(true);
  });

  it('takes an edited plan (a file renamed) and sees the change', () => {
    const text = planDraftText(plan).replace('src/math.js', 'src/sum.js');
    const check = checkPlanDraft(text);
    expect(check.ok && check.plan.files[0].path).toBe('src/sum.js');
    expect(isUnchanged(text, plan)).toBe(false);
  });

  it('refuses text that is not JSON, saying so', () => {
    const check = checkPlanDraft(planDraftText(plan).slice(0, -2));
    expect(check.ok).toBe(false);
    expect(!check.ok && check.problem).toMatch(/^Not valid JSON/);
  });

  it('names the field that is wrong', () => {
    expect(checkPlanDraft(JSON.stringify({ ...plan, files: [] }))).toMatchObject({ ok: false, problem: expect.stringMatching(/^files: /) });
    expect(checkPlanDraft(JSON.stringify({ ...plan, language: 7 }))).toMatchObject({ ok: false, problem: expect.stringMatching(/^language: /) });
    const { summary: _drop, ...noSummary } = plan;
    expect(checkPlanDraft(JSON.stringify(noSummary))).toMatchObject({ ok: false, problem: expect.stringMatching(/^summary: /) });
  });

  it('refuses a path outside the project', () => {
    const text = planDraftText({ ...plan, files: [{ path: '../escape.js', purpose: 'x' }] });
    expect(checkPlanDraft(text)).toMatchObject({ ok: false, problem: expect.stringMatching(/^files\.0\.path: /) });
  });
});

describe('planAwaitsApproval', () => {
  const task = { status: 'running', metadata: { reviewPlansFirst: true } };
  const plan1 = { step: 'plan' as const, status: 'succeeded' as const, summary: '2 files in JavaScript' };
  it('is true after the model-made plan of a build made with the setting on', () => {
    expect(planAwaitsApproval(task, [plan1])).toBe(true);
  });
  it('is false once approved, once built on, with the setting off, or when the task is not running', () => {
    expect(planAwaitsApproval(task, [plan1, { ...plan1, summary: 'edited and approved by you: 2 files' }])).toBe(false);
    expect(planAwaitsApproval(task, [plan1, { step: 'implement', status: 'running', summary: '' }])).toBe(false);
    expect(planAwaitsApproval({ status: 'running', metadata: null }, [plan1])).toBe(false);
    expect(planAwaitsApproval({ ...task, status: 'cancelled' }, [plan1])).toBe(false);
  });
});
