import type { Plan, Task } from '../../../shared/index.js';
import { MacsError } from '../../../shared/index.js';
import { normalizeWorkspacePath } from '../files/index.js';
import type { HistoryEntry, StoredStep } from './next-action.js';

/**
 * Settings → "review plans first": a build stops after its plan until the user approves it
 * (as it is, or edited). The switch is read from the task (captured when it was made), so a
 * later change in Settings does not alter a running build. The approval is a file beside the
 * step artifacts, not an in-memory promise: it survives an engine restart and reaches a
 * worker in another process; the runner turns it into a new plan step row.
 */
export function reviewsPlansFirst(task: Pick<Task, 'kind' | 'metadata'>): boolean {
  return task.kind === 'build' && task.metadata?.reviewPlansFirst === true;
}

export function approvalFile(taskId: string): string {
  return `artifacts/${taskId}/plan-approval.json`;
}

export interface PlanApproval {
  /** The plan step version approved: an approval of an older plan (before a re-plan) is ignored. */
  planVersion: number;
  plan: Plan;
  edited: boolean;
}

/** The plan step input a user's approval is stored with. */
export interface ApprovedPlanInput {
  goal: string;
  approvedFrom: number;
  edited: boolean;
}

/** The latest plan, when it still waits for the user: it stands, was not approved, and nothing was built on it. */
export function planAwaitingApproval(history: readonly HistoryEntry[]): { version: number; plan: Plan } | null {
  const entry = [...history].reverse().find((e) => e.step === 'plan' && e.status === 'succeeded');
  if (!entry) return null;
  const stored = entry.output as StoredStep<Partial<ApprovedPlanInput>, { plan?: Plan }> | null;
  if (!stored?.result?.plan) return null;
  if (typeof stored.input?.approvedFrom === 'number') return null;
  if (history.some((e) => e.id > entry.id && e.step === 'implement')) return null;
  return { version: entry.version, plan: stored.result.plan };
}

/** A user's plan must name files the build may write: refused with the field that is wrong. */
export function checkEditedPlan(plan: Plan): Plan {
  const files = plan.files.map((f, i) => {
    const norm = normalizeWorkspacePath(f.path);
    if (!norm.ok) {
      throw new MacsError('INVALID_INPUT', `plan.files[${i}].path: "${f.path}" cannot be written: ${norm.reason}.`, { field: `plan.files.${i}.path` });
    }
    return { path: norm.path, purpose: f.purpose };
  });
  return { ...plan, files };
}
