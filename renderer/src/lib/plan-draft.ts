// The plan a waiting build shows (Settings → review plans first), edited as JSON in the Steps
// tab: checked as typed with the engine's own schema, so Approve is only offered for a plan
// the engine will take, and a problem names its field ("files.0.path: …").
import type { Plan, StepRecord } from '../../../shared/index.js';
import { PlanSchema } from '../../../shared/index.js';

export type PlanDraftCheck = { ok: true; plan: Plan } | { ok: false; problem: string };

export function planDraftText(plan: Plan): string {
  return JSON.stringify(plan, null, 2);
}

export function checkPlanDraft(text: string): PlanDraftCheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, problem: `Not valid JSON: ${(err as Error).message}` };
  }
  const parsed = PlanSchema.safeParse(value);
  if (parsed.success) {
    const bad = parsed.data.files.findIndex((f) => f.path.startsWith('/') || f.path.split(/[\\/]/).includes('..'));
    if (bad >= 0) return { ok: false, problem: `files.${bad}.path: "${parsed.data.files[bad].path}" must be a path inside the project (no leading / or ..).` };
    return { ok: true, plan: parsed.data };
  }
  const issue = parsed.error.issues[0];
  const field = issue.path.length ? issue.path.join('.') : 'the plan';
  return { ok: false, problem: `${field}: ${issue.message}` };
}

/** An unchanged draft approves the plan as it is (no edit is sent). */
export function isUnchanged(text: string, plan: Plan): boolean {
  const check = checkPlanDraft(text);
  return check.ok && JSON.stringify(check.plan) === JSON.stringify(PlanSchema.parse(plan));
}

/**
 * A running build made with "review plans first" whose latest step is its model-made plan (not
 * yet approved: the engine stores an approval as a plan row "approved by you: …") and nothing built on it.
 */
export function planAwaitsApproval(task: { status: string; metadata?: Record<string, unknown> | null }, steps: readonly Pick<StepRecord, 'step' | 'status' | 'summary'>[]): boolean {
  if (task.status !== 'running' || task.metadata?.reviewPlansFirst !== true) return false;
  const last = steps.at(-1);
  return last?.step === 'plan' && last.status === 'succeeded' && !/approved by you/.test(last.summary ?? '');
}
