import type { Plan, TestReport } from '../../../../shared/index.js';
import type { WrittenFile } from '../../tasks/index.js';
import { formatTestReportForPrompt } from '../testing/index.js';
import { fixedText, layoutCall } from './call-layout.js';
import { fitFiles } from './context-files.js';
import { isTestPath, readProjectFiles, type ProjectFile } from './project-files.js';
import type { PipelineEnv, StepRecorder } from './step-env.js';
import { writeFilesFromModel } from './write-files.js';

/** Room for a fix answer: edit blocks and files of up to 60 lines (a longer answer is continued, see llm-client). */
const FIX_ANSWER_TOKENS = 2560;
/**
 * Files longer than this are changed with SEARCH/REPLACE blocks in fix rounds: a fix touches a
 * few lines, and generating is the slowest part of a call (tens of tokens a second), so a
 * 200-line file rewritten for a one-line fix costs minutes on a small GPU.
 */
export const FIX_WHOLE_FILE_MAX_LINES = 60;

export interface FixInput {
  /** 1, 2, 3 … within the current implementation round. */
  round: number;
  report: TestReport;
  plan: Plan | null;
}

export interface FixResult {
  files: WrittenFile[];
  implicated: string[];
  /** Of files, those changed with SEARCH/REPLACE blocks. */
  edited?: string[];
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

export function lineCount(content: string): number {
  if (content === '') return 0;
  return content.split('\n').length - (content.endsWith('\n') ? 1 : 0);
}

/** The shown files a fix must change with edit blocks, named in the instruction (models do not count lines well). */
function longFilesLine(shown: readonly ProjectFile[]): string {
  const long = shown.filter((f) => lineCount(f.content) > FIX_WHOLE_FILE_MAX_LINES).map((f) => `${f.path} (${lineCount(f.content)} lines)`);
  return long.length ? `\nFiles to change with SEARCH/REPLACE blocks: ${long.join(', ')}.` : '';
}

/**
 * fix: the model sees the project's files (the implicated ones kept first when the context
 * is short) and, last, the test report; it rewrites small files and sends SEARCH/REPLACE
 * blocks for long ones, applied all-or-nothing per file with one retry for blocks that missed.
 */
export async function runFixStep(env: PipelineEnv, rec: StepRecorder, input: FixInput): Promise<FixResult> {
  const project = await readProjectFiles(env.workspace, env.spec?.input.repo);
  const implicated = implicatedFiles(input.report, project);
  const planned = new Set(input.plan?.files.map((f) => f.path) ?? []);
  const relevance = (p: string) => (implicated.includes(p) ? 10 : isTestPath(p) ? 6 : planned.has(p) ? 4 : 2);
  const report = formatTestReportForPrompt(input.report);
  const render = (longFiles: string) => env.prompts.render('fix', { max_whole_lines: String(FIX_WHOLE_FILE_MAX_LINES), long_files: longFiles, report });
  // Sized with the longest possible list of long files, so the list cannot push the prompt over.
  // After the last round (or implement, docs) on this model: only the new report is read.
  const cont = await env.thread.continueWith('fix', render(longFilesLine(project)), FIX_ANSWER_TOKENS, implicated);
  let messages = cont?.messages;
  if (!messages) {
    const context = fitFiles(env, 'fix', project, relevance, fixedText(env, input.plan, render(longFilesLine(project))), FIX_ANSWER_TOKENS);
    const shown = project.filter((f) => context.kept.includes(f.path));
    messages = layoutCall(env, { plan: input.plan, files: context.text || '(the project has no readable files)', instruction: render(longFilesLine(shown)) });
  }
  const { files, edited } = await writeFilesFromModel(env, rec, {
    role: 'fix',
    step: 'fix',
    messages,
    answerTokens: FIX_ANSWER_TOKENS,
    examplePath: implicated[0] ?? project[0]?.path ?? 'src/main.js',
    editBlocks: true,
    model: cont?.model,
  });
  const names = files.map((f) => f.path);
  const verb = edited.length === 0 ? 'rewrote' : edited.length === names.length ? 'edited' : 'changed';
  return { files, implicated, edited, summary: `round ${input.round}: ${verb} ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}` };
}
