import type { ContractHandlers } from '../../../shared/index.js';
import { MacsError, PlanSchema, TERMINAL_STATUSES } from '../../../shared/index.js';
import { approvalFile, checkEditedPlan, planAwaitingApproval, reviewsPlansFirst, type PlanApproval } from '../pipeline/index.js';
import type { EngineContext } from './engine-context.js';

type PlanApprovalHandlers = Pick<ContractHandlers, 'tasks.approvePlan' | 'tasks.pendingPlan'>;

/** Settings → review plans first: what a waiting build shows, and the user's go-ahead (build-runner awaitApproval). */
export function createPlanApprovalHandlers(ctx: EngineContext): PlanApprovalHandlers {
  const waitingPlan = (taskId: string) => {
    const task = ctx.store.requireTask(taskId);
    if (!reviewsPlansFirst(task) || TERMINAL_STATUSES.includes(task.status)) return { task, waiting: null };
    return { task, waiting: planAwaitingApproval(ctx.steps.listWithOutput(taskId)) };
  };
  return {
    'tasks.pendingPlan': async ({ taskId }) => {
      const { waiting } = waitingPlan(taskId);
      return { waiting: waiting !== null, planVersion: waiting?.version ?? null, plan: waiting ? PlanSchema.parse(waiting.plan) : null };
    },
    'tasks.approvePlan': async ({ taskId, plan }) => {
      const { task, waiting } = waitingPlan(taskId);
      if (!reviewsPlansFirst(task)) {
        throw new MacsError('NOT_SUPPORTED', `Task ${taskId} does not wait for a plan approval: it was made with "review plans first" off (or is not a build).`, { taskId });
      }
      if (!waiting) {
        throw new MacsError('PLAN_NOT_WAITING', `Task ${taskId} is not waiting for its plan to be approved (it is ${task.status}${TERMINAL_STATUSES.includes(task.status) ? '' : ', past or before its plan'}).`, { taskId, status: task.status });
      }
      const approval: PlanApproval = plan ? { planVersion: waiting.version, plan: checkEditedPlan(plan), edited: true } : { planVersion: waiting.version, plan: waiting.plan, edited: false };
      ctx.artifacts.writeJson(approvalFile(taskId), approval);
      return { task: ctx.store.requireTask(taskId) };
    },
  };
}
