import { fitContext, type ContextItem } from '../context-budget.js';
import type { PipelineRole } from '../../../../shared/index.js';
import { renderFile, type ProjectFile } from './project-files.js';
import type { PipelineEnv } from './step-env.js';

export interface FileContextItem extends ContextItem {
  path: string;
}

/**
 * Project files for a prompt, within what the role's model can take next to the fixed
 * part of the prompt and its answer. The least relevant, oldest files go first; what was
 * left out is said in the task's log ("context: left out 3 files to fit num_ctx 8192").
 */
export function fitFiles(
  env: PipelineEnv,
  role: PipelineRole,
  files: readonly ProjectFile[],
  relevance: (path: string) => number,
  fixedText: string,
  answerTokens: number,
): { text: string; kept: string[]; dropped: string[] } {
  const model = env.llm.candidates(role)[0]?.model ?? env.task.model;
  const count = (text: string) => env.llm.countTokens(model, text);
  const budget = env.llm.promptBudget(model, answerTokens) - count(fixedText);
  const items: FileContextItem[] = files.map((f, order) => ({ label: f.path, path: f.path, text: renderFile(f), priority: relevance(f.path), order }));
  const fitted = fitContext(items, Math.max(0, budget), count);
  if (fitted.dropped.length) {
    const names = fitted.dropped.map((d) => d.path);
    env.emit({
      type: 'log',
      data: { level: 'info', message: `context: left out ${names.length} file${names.length === 1 ? '' : 's'} to fit ${model}'s context (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}).` },
    });
  }
  return { text: fitted.kept.map((k) => k.text).join('\n\n'), kept: fitted.kept.map((k) => k.path), dropped: fitted.dropped.map((d) => d.path) };
}
