// Review plans first (Settings → reviewPlansFirst) over REST: the plan a build waits with, and
// approving it as is or edited. Until now the UI's only (issue 18 left it there).
import { z } from 'zod';
import { PlanSchema, fieldErrors } from '../../../shared/index.js';
import { call, type RestEngine } from './engine-api.js';
import { invalidInput, readOptionalJsonBody, sendJson } from './http.js';
import type { Route } from './router.js';
import { taskSnapshot } from './task-view.js';

/** An empty body approves the plan as shown; `plan` approves an edited one (checked like the model's). */
export const ApprovePlanBody = z.object({ plan: PlanSchema.optional() }).strict();

export function planRoutes(engine: RestEngine): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/v1/tasks/:id/plan',
      access: 'read',
      async handle({ res, params }) {
        const { waiting, planVersion, plan } = await call(engine, 'tasks.pendingPlan', { taskId: params.id });
        sendJson(res, 200, { task_id: params.id, waiting, plan_version: planVersion, plan });
      },
    },
    {
      method: 'POST',
      pattern: '/v1/tasks/:id/plan/approve',
      access: 'write',
      async handle({ req, res, params }) {
        const parsed = ApprovePlanBody.safeParse((await readOptionalJsonBody(req)) ?? {});
        if (!parsed.success) throw invalidInput('Send no body to approve the plan as shown, or {"plan": {…}} with the edited plan.', fieldErrors(parsed.error.issues));
        const { task } = await call(engine, 'tasks.approvePlan', { taskId: params.id, ...(parsed.data.plan ? { plan: parsed.data.plan } : {}) });
        sendJson(res, 200, taskSnapshot(task));
      },
    },
  ];
}
