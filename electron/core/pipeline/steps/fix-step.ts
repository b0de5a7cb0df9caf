import type { Plan, TestReport } from '../../../../shared/index.js';
import type { ChatMessage } from '../../llm/index.js';
import type { WrittenFile } from '../../tasks/index.js';
import { formatTestReportForPrompt } from '../testing/index.js';
import { fitFiles } from './context-files.js';
import { isTestPath, readProjectFiles, type ProjectFile } from './project-files.js';
import type { PipelineEnv, StepRecorder } from './step-env.js';
import { writeFilesFromModel } from './write-files.js';

const FIX_ANSWER_TOKENS = 4096;

export interface FixInput {
  /** 1, 2, 3 … within the current implementation round. */
  round: number;
  report: TestReport;
  plan: Plan | null;
}

export interface FixResult {
  files: WrittenFile[];
  implicated: string[];
  summary: string;
}

/** Project files the report names (a stack frame, a failure location, an import error), matched by path or file name. */
export function implicatedFiles(report: TestReport, files: readonly ProjectFile[]): string[] {
  const text = [report.tail, ...report.failures.map((f) => `${f.name} ${f.message ?? ''} ${f.location ?? ''}`)].join('\n');
  const hits: string[] = [];
  const named = (name: string) => new RegExp(`(^|[^A-Za-z0-9_.-])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_])`, 'm').test(text);
  for (const f of files) {
    const base = f.path.slice(f.path.lastIndexOf('/') + 1);
    // Bounded on both sides: main.go is not named by "./domain.go:12".
    if (named(f.path) || named(base)) hits.push(f.path);
  }
  return hits;
}

/**
 * fix: the model sees the test report and the files it implicates (then the tests, then
 * the rest of the project as the context allows) and rewrites what must change.
 */
export async function runFixStep(env: PipelineEnv, rec: StepRecorder, input: FixInput): Promise<FixResult> {
  const project = await readProjectFiles(env.workspace, env.spec?.input.repo);
  const implicated = implicatedFiles(input.report, project);
  const planned = new Set(input.plan?.files.map((f) => f.path) ?? []);
  const relevance = (p: string) => (implicated.includes(p) ? 10 : isTestPath(p) ? 6 : planned.has(p) ? 4 : 2);
  const report = formatTestReportForPrompt(input.report);
  const goal = env.task.prompt;
  const fixed = [env.prompts.template('build-system'), env.prompts.template('fix'), goal, report].join('\n');
  const context = fitFiles(env, 'fix', project, relevance, fixed, FIX_ANSWER_TOKENS);
  const messages: ChatMessage[] = [
    { role: 'system', content: env.prompts.render('build-system') },
    { role: 'user', content: env.prompts.render('fix', { goal, report, files: context.text || '(the project has no readable files)' }) },
  ];
  const files = await writeFilesFromModel(env, rec, {
    role: 'fix',
    step: 'fix',
    messages,
    answerTokens: FIX_ANSWER_TOKENS,
    examplePath: implicated[0] ?? project[0]?.path ?? 'src/main.js',
  });
  const names = files.map((f) => f.path);
  return { files, implicated, summary: `round ${input.round}: rewrote ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}` };
}
