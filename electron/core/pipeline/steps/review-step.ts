import { z } from 'zod';
import type { Plan } from '../../../../shared/index.js';
import { nonNegotiableRules } from '../../../../shared/index.js';
import type { ChatMessage } from '../../llm/index.js';
import { fixedText, layoutCall } from './call-layout.js';
import { fitFiles } from './context-files.js';
import { parseJsonAnswer } from './json-answer.js';
import { checkNonNegotiables, type RuleCheck } from './non-negotiables.js';
import { isTestPath, readProjectFiles } from './project-files.js';
import type { PipelineEnv, StepRecorder } from './step-env.js';

const ReviewSchema = z.object({
  verdict: z.enum(['approve', 'revise']),
  problems: z.array(z.string().trim().min(1).max(2000)).max(20),
  missing_files: z.array(z.string().trim().min(1).max(500)).max(50),
});
const REVIEW_JSON_SCHEMA = z.toJSONSchema(ReviewSchema) as Record<string, unknown>;
const REVIEW_ANSWER_TOKENS = 800;

export interface ReviewInput {
  plan: Plan | null;
  tests: string;
}

export interface ReviewResult {
  verdict: 'approve' | 'revise';
  problems: string[];
  /** Required files that really are absent (the contract's, and the reviewer's claims that hold). */
  missingFiles: string[];
  checks: RuleCheck[];
  /** The model's answer could not be read: the verdict rests on the tests and the checks. */
  modelUnreadable: boolean;
  summary: string;
}

/**
 * review: first what a program can check (output_contract.expected_files exist, the
 * checkable non-negotiables), then the model judges the rest against the goal. Its claims
 * about missing files are verified; an unreadable verdict does not fail a build whose
 * tests pass.
 */
export async function runReviewStep(env: PipelineEnv, rec: StepRecorder, input: ReviewInput): Promise<ReviewResult> {
  const project = await readProjectFiles(env.workspace, env.spec?.input.repo);
  const listed = new Set((await env.workspace.listFiles().catch(() => [])).map((f) => f.path));
  const expected = env.spec?.output_contract?.expected_files ?? [];
  const rules = nonNegotiableRules(env.spec);
  const contents = new Map(project.map((f) => [f.path, f.content]));
  const checks = checkNonNegotiables(rules, { paths: [...listed], read: (p) => contents.get(p) ?? null });
  const missingExpected = expected.filter((p) => !listed.has(p.replace(/^\.\//, '')));

  const requirements = [
    expected.length ? `Required files:\n${expected.map((p) => `- ${p}`).join('\n')}` : '',
    rules.length ? `Non-negotiable requirements:\n${rules.map((r) => `- ${r}`).join('\n')}` : '',
    input.plan?.acceptance.length ? `Acceptance checks:\n${input.plan.acceptance.map((a) => `- ${a}`).join('\n')}` : '',
  ].filter(Boolean);
  const requirementsText = requirements.length ? `\n${requirements.join('\n\n')}\n` : '';
  const instruction = env.prompts.render('review', { requirements: requirementsText, tests: input.tests });
  // After the last fix round on this model: only the review's instruction is read.
  const cont = await env.thread.continueWith('review', instruction, REVIEW_ANSWER_TOKENS);
  let messages: ChatMessage[];
  if (cont) {
    messages = cont.messages;
  } else {
    const context = fitFiles(env, 'review', project, (p) => (isTestPath(p) ? 3 : 5), fixedText(env, input.plan, instruction), REVIEW_ANSWER_TOKENS);
    messages = layoutCall(env, { plan: input.plan, files: context.text || '(no files)', instruction });
  }
  const common = { role: 'review' as const, step: 'review' as const, answerTokens: REVIEW_ANSWER_TOKENS, format: REVIEW_JSON_SCHEMA, temperature: 0.1 };
  const first = await rec.call({ ...common, messages, model: cont?.model });
  let parsed = parseJsonAnswer(first.output, ReviewSchema);
  if (!parsed.ok) {
    const repair: ChatMessage[] = [...messages, { role: 'assistant', content: first.output }, { role: 'user', content: env.prompts.render('repair-json', { problem: parsed.problem }) }];
    parsed = parseJsonAnswer((await rec.call({ ...common, messages: repair, model: first.model })).output, ReviewSchema);
  }
  const modelUnreadable = !parsed.ok;
  if (!parsed.ok) env.emit({ type: 'log', data: { level: 'warn', message: `review: the reviewer's answer could not be read (${parsed.problem}); the result rests on the tests and the checks.` } });

  const review = parsed.ok ? parsed.value : { verdict: 'approve' as const, problems: [], missing_files: [] };
  const claimedMissing = review.missing_files.filter((p) => !listed.has(p.replace(/^\.\//, '')));
  const missingFiles = [...new Set([...missingExpected, ...claimedMissing])];
  const failedChecks = checks.filter((c) => !c.ok);
  const problems = [
    ...failedChecks.map((c) => `Non-negotiable "${c.rule}" does not hold: ${c.detail}.`),
    ...missingFiles.map((p) => `Required file ${p} does not exist.`),
    ...(review.verdict === 'revise' ? review.problems : []),
  ];
  const verdict = problems.length ? 'revise' : 'approve';
  const summary = verdict === 'approve' ? `approved${checks.length ? ` (${checks.length} checks hold)` : ''}` : `asks for changes: ${problems[0]}${problems.length > 1 ? ` (+${problems.length - 1})` : ''}`;
  return { verdict, problems, missingFiles, checks, modelUnreadable, summary };
}
