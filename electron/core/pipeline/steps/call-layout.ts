import type { Plan } from '../../../../shared/index.js';
import type { ChatMessage } from '../../llm/index.js';
import type { PipelineEnv } from './step-env.js';

/** Between the project's context and the step's instruction. */
const INSTRUCTION_RULE = '\n\n---\n\n';

export function describePlan(plan: Plan): string {
  const files = plan.files.map((f) => `- ${f.path}: ${f.purpose}`).join('\n');
  const tests = plan.test_command ? `\nTests run with: ${plan.test_command}` : '';
  const acceptance = plan.acceptance.length ? `\nAcceptance checks:\n${plan.acceptance.map((a) => `- ${a}`).join('\n')}` : '';
  return `${plan.summary}\nLanguage: ${plan.language}\nFiles:\n${files}${tests}${acceptance}`;
}

export interface CallParts {
  plan: Plan | null;
  /** The project's files, rendered in path order (fitFiles keeps that order). */
  files: string;
  /** The step's instruction, its volatile parts (test report, review notes) at the end. */
  instruction: string;
}

/**
 * The part of the user message that stays the same from step to step of a build: goal, plan,
 * files. A later turn of a project puts what its turns share first (the files, then the
 * conversation so far, which only grows at its end) and this turn's goal and plan after them,
 * so the next turn's calls share the prefix up to the files it changed.
 */
export function contextText(env: PipelineEnv, plan: Plan | null, files: string): string {
  const shownFiles = files ? `\n\nThe project's files:\n\n${files}` : '';
  const planText = plan ? `\n\nThe plan:\n${describePlan(plan)}` : '';
  if (!env.conversation) return env.prompts.render('context', { goal: env.task.prompt, plan: planText, files: shownFiles });
  const goal = env.prompts.render('context', { goal: env.task.prompt, plan: planText, files: '' });
  return `${shownFiles.trimStart()}${shownFiles ? '\n\n' : ''}${env.conversation}\n\n${goal}`;
}

/**
 * Every model call of a build is laid out the same way, what stays the same first: the one
 * system prompt all steps share, then the goal, the plan and the project's files in path
 * order, then the step's instruction with its volatile parts last. Ollama (llama.cpp) reuses
 * its KV cache for the prefix a request shares with the previous one on the same model, so
 * a fix round re-reads only the changed files and the new report, not the whole prompt.
 * Repair rounds append to this (assistant answer, then the repair request): the whole first
 * call stays a prefix.
 */
export function layoutCall(env: PipelineEnv, parts: CallParts): ChatMessage[] {
  return [
    { role: 'system', content: env.prompts.render('build-system') },
    { role: 'user', content: `${contextText(env, parts.plan, parts.files)}${INSTRUCTION_RULE}${parts.instruction}` },
  ];
}

/** The fixed part of a call (everything but the files), for sizing the files' budget. */
export function fixedText(env: PipelineEnv, plan: Plan | null, instruction: string): string {
  return [env.prompts.render('build-system'), contextText(env, plan, ''), instruction].join(INSTRUCTION_RULE);
}
