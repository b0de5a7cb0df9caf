import { z } from 'zod';
import type { Plan } from '../../../../shared/index.js';
import { MacsError, PlanSchema } from '../../../../shared/index.js';
import { normalizeWorkspacePath } from '../../files/index.js';
import type { ChatMessage } from '../../llm/index.js';
import { fixedText, layoutCall } from './call-layout.js';
import { fitFiles } from './context-files.js';
import { parseJsonAnswer } from './json-answer.js';
import type { PipelineEnv, StepRecorder } from './step-env.js';

/** The schema Ollama holds the model to (structured outputs); the same zod schema validates the answer. */
export const PLAN_JSON_SCHEMA = z.toJSONSchema(PlanSchema) as Record<string, unknown>;
const PLAN_ANSWER_TOKENS = 1500;

export interface PlanInput {
  goal: string;
}

export interface PlanResult {
  plan: Plan;
  summary: string;
}

/** Paths the model proposed that must not be written are dropped here, visibly, rather than at write time. */
function cleanPlan(plan: Plan, expected: readonly string[], env: PipelineEnv): Plan {
  const files: Plan['files'] = [];
  const seen = new Set<string>();
  for (const f of plan.files) {
    const norm = normalizeWorkspacePath(f.path);
    if (!norm.ok) {
      env.emit({ type: 'file.refused', data: { path: f.path, code: norm.code, reason: `in the plan: ${norm.reason}` } });
      continue;
    }
    if (seen.has(norm.path)) continue;
    seen.add(norm.path);
    files.push({ path: norm.path, purpose: f.purpose });
  }
  // The task's contract wins over the model's plan.
  for (const path of expected) {
    const norm = normalizeWorkspacePath(path);
    if (norm.ok && !seen.has(norm.path)) {
      seen.add(norm.path);
      files.push({ path: norm.path, purpose: 'required by the task (output_contract.expected_files)' });
    }
  }
  if (files.length === 0) throw new MacsError('PLAN_INVALID', 'The plan lists no file that can be written inside the workspace.');
  return { ...plan, files };
}

export function planSummary(plan: Plan): string {
  const cmd = plan.test_command ? `, tests: ${plan.test_command}` : '';
  return `${plan.files.length} file${plan.files.length === 1 ? '' : 's'} in ${plan.language}${cmd}`;
}

/**
 * plan: the model answers with the plan as JSON. Ollama's `format` holds it to the
 * schema; an answer that still does not validate gets one repair round with the
 * problem spelled out, then the step fails with PLAN_INVALID.
 */
export async function runPlanStep(env: PipelineEnv, rec: StepRecorder, input: PlanInput): Promise<PlanResult> {
  // The goal comes from the task (input.goal is kept for replays): the same words start every later call.
  void input;
  const instruction = env.prompts.render('plan');
  // A later turn of a project plans a change to what is there: it sees the files as they are now.
  const files = env.conversation
    ? fitFiles(env, 'plan', env.startFiles, () => 3, fixedText(env, null, instruction), PLAN_ANSWER_TOKENS).text
    : '';
  const messages: ChatMessage[] = layoutCall(env, { plan: null, files, instruction });
  const common = { role: 'plan' as const, step: 'plan' as const, answerTokens: PLAN_ANSWER_TOKENS, format: PLAN_JSON_SCHEMA, temperature: 0.2 };
  const first = await rec.call({ ...common, messages });
  let parsed = parseJsonAnswer(first.output, PlanSchema);
  if (!parsed.ok) {
    env.emit({ type: 'log', data: { level: 'warn', message: `plan: the answer was not a valid plan (${parsed.problem}); asking once more.` } });
    const repair: ChatMessage[] = [...messages, { role: 'assistant', content: first.output }, { role: 'user', content: env.prompts.render('repair-json', { problem: parsed.problem }) }];
    const second = await rec.call({ ...common, messages: repair, model: first.model });
    parsed = parseJsonAnswer(second.output, PlanSchema);
    if (!parsed.ok) {
      throw new MacsError('PLAN_INVALID', `The model did not produce a valid plan, even after a repair round: ${parsed.problem}.`, {
        problem: parsed.problem,
        answer: second.output.slice(0, 2000),
      });
    }
  }
  const plan = cleanPlan(parsed.value, env.spec?.output_contract?.expected_files ?? [], env);
  return { plan, summary: planSummary(plan) };
}
