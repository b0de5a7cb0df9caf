// Step names as other clients write them. Agent-MVP named its steps design, implement,
// test and review and addressed one attempt as "implement@v1"; ours are plan, implement,
// test, review (and more). Everywhere a step name comes from outside (REST, CLI) it is read
// through parseStepRef, so `design@v1` and `plan@v1` are the same step attempt.
import { z } from 'zod';
import { STEP_NAMES, StepNameSchema, type StepName } from './pipeline.js';

/** The other names a step is known by (Agent-MVP's), to ours. */
export const STEP_ALIASES: Readonly<Record<string, StepName>> = { design: 'plan' };

export interface StepRef {
  step: StepName;
  /** From "step@vN" (or "step@N"); omitted: the caller's default (usually the latest). */
  version?: number;
}

export const STEP_REF_ACCEPTED = `Expected a step (${STEP_NAMES.join(', ')}, or design = plan), optionally with a version: "implement@v1".`;

/** "implement", "design@v1", "plan@2" → {step, version}; null when it names no step of ours. */
export function parseStepRef(raw: string): StepRef | null {
  const m = /^([a-z]+)(?:@v?([1-9]\d{0,8}))?$/i.exec(raw.trim());
  if (!m) return null;
  const name = m[1].toLowerCase();
  const step = StepNameSchema.safeParse(STEP_ALIASES[name] ?? name);
  if (!step.success) return null;
  return m[2] ? { step: step.data, version: Number(m[2]) } : { step: step.data };
}

const StepRefSchema = z.string().transform((raw, ctx) => {
  const ref = parseStepRef(raw);
  if (!ref) {
    ctx.addIssue({ code: 'custom', message: `There is no step "${raw}". ${STEP_REF_ACCEPTED}` });
    return z.NEVER;
  }
  return ref;
});

/**
 * Agent-MVP's second request on its enqueue endpoint: re-run one step of a task, sent to
 * POST /v1/tasks as `{"action": "replay_step", "task_id", "step_id": "implement@v1", "reason"}`.
 */
export const TaskActionBodySchema = z
  .object({
    action: z.literal('replay_step', { error: 'The one action this endpoint takes is "replay_step"; to queue a task, send {"prompt": ...} without "action".' }),
    task_id: z.string().min(1).max(64),
    step_id: StepRefSchema,
    /** Why the step is re-run: kept with the task's status change ("replay implement@v1: …"). */
    reason: z.string().trim().max(2000).optional(),
    cascade: z.boolean().optional(),
    use_cache: z.boolean().optional(),
  })
  .strict();
export type TaskActionBody = z.output<typeof TaskActionBodySchema>;
