import type { Plan, StepName } from '../../../../shared/index.js';
import type { WrittenFile } from '../../tasks/index.js';
import { fixedText, layoutCall } from './call-layout.js';
import { fitFiles } from './context-files.js';
import { readProjectFiles } from './project-files.js';
import type { PipelineEnv, StepRecorder } from './step-env.js';
import { writeFilesFromModel } from './write-files.js';

/** Above this many files a plan is written in groups, one call each, so every answer stays short enough for small models. */
const SPLIT_ABOVE = 6;
const FILES_PER_CALL = 4;
const ANSWER_TOKENS_PER_FILE = 900;

export interface ImplementInput {
  plan: Plan;
  /** 1 for the first implementation; 2 when the review asked for another round. */
  round: number;
  /** What the review asked for (round 2). */
  notes: string[];
  /** The plan's files this step writes (docs go to the docs step when it runs beside). */
  targets: string[];
}

export interface ImplementResult {
  files: WrittenFile[];
  /** Targets the model did not write. */
  missing: string[];
  summary: string;
}


function groups<T>(items: readonly T[]): T[][] {
  if (items.length <= SPLIT_ABOVE) return [items.slice()];
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += FILES_PER_CALL) out.push(items.slice(i, i + FILES_PER_CALL));
  return out;
}

/**
 * implement (and docs, beside it): write the plan's files. A large plan goes in groups,
 * each call seeing the plan and the files written so far, so later files can use the
 * earlier ones' real names and signatures.
 */
export async function runImplementStep(env: PipelineEnv, rec: StepRecorder, input: ImplementInput, step: StepName = 'implement'): Promise<ImplementResult> {
  const purposes = new Map(input.plan.files.map((f) => [f.path, f.purpose]));
  const written = new Map<string, WrittenFile>();
  const batches = groups(input.targets);
  const notes = input.notes.length ? `The reviewer asked for these changes:\n${input.notes.map((n) => `- ${n}`).join('\n')}\n\n` : '';

  for (const [index, batch] of batches.entries()) {
    const targets = batch.map((p) => `- ${p}${purposes.get(p) ? `: ${purposes.get(p)}` : ''}`).join('\n');
    const answerTokens = Math.min(8192, ANSWER_TOKENS_PER_FILE * batch.length + 200);
    const instruction = env.prompts.render('implement', { notes, targets });
    // Docs after the code, a second batch after the first: the model's cache holds the call before.
    const cont = await env.thread.continueWith('implement', instruction, answerTokens);
    if (cont) {
      const { files } = await writeFilesFromModel(env, rec, { role: 'implement', step, messages: cont.messages, answerTokens, examplePath: batch[0], model: cont.model });
      for (const f of files) written.set(f.path, f);
      await env.thread.record(rec.calls.at(-1), !rec.diverged);
      continue;
    }
    // The project as it is now (files the earlier batches, steps or turns wrote; a folder's own files), oldest change first.
    const project = await readProjectFiles(env.workspace, env.spec?.input.repo);
    const existing = fitFiles(env, 'implement', project.filter((f) => !batch.includes(f.path)), (p) => (written.has(p) ? 5 : 3), fixedText(env, input.plan, instruction), answerTokens);
    const messages = layoutCall(env, { plan: input.plan, files: existing.text, instruction });
    if (batches.length > 1) env.emit({ type: 'log', data: { level: 'info', message: `${step}: files ${index + 1}–${index + batch.length} of ${input.targets.length} (call ${index + 1} of ${batches.length}).` } });
    const { files } = await writeFilesFromModel(env, rec, { role: 'implement', step, messages, answerTokens, examplePath: batch[0] });
    for (const f of files) written.set(f.path, f);
    await env.thread.record(rec.calls.at(-1), !rec.diverged);
  }

  const missing = input.targets.filter((p) => !written.has(p));
  if (missing.length) env.emit({ type: 'log', data: { level: 'warn', message: `${step}: the model did not write ${missing.join(', ')}.` } });
  const files = [...written.values()];
  const summary = `${files.length} file${files.length === 1 ? '' : 's'} written${missing.length ? `, ${missing.length} missing` : ''}`;
  return { files, missing, summary };
}
