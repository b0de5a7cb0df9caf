import type { PipelineRole, StepName } from '../../../../shared/index.js';
import { MacsError } from '../../../../shared/index.js';
import { formatEditFailuresForRetry } from '../../edits/index.js';
import { FileExtractor } from '../../files/index.js';
import type { ChatMessage } from '../../llm/index.js';
import { FileSink, type WrittenFile } from '../../tasks/index.js';
import type { CallRecord } from '../llm-client.js';
import { fenceLanguage } from './project-files.js';
import type { PipelineEnv, StepRecorder } from './step-env.js';

export interface WriteFilesRequest {
  role: PipelineRole;
  step: StepName;
  messages: ChatMessage[];
  answerTokens: number;
  /** The path used in the format-repair example (the first file the step was asked for). */
  examplePath: string;
  /** Existing files may be changed with SEARCH/REPLACE blocks (fix rounds). */
  editBlocks?: boolean;
  /** The model to ask (a continuation of a call to it); default: the role's. */
  model?: string;
}

export interface WrittenFiles {
  files: WrittenFile[];
  /** Of files, those changed through SEARCH/REPLACE blocks. */
  edited: string[];
}

/**
 * One model call whose answer is files: streamed through the extractor into the guarded
 * workspace as it arrives. An answer with no files at all gets one repair round showing
 * the expected format (small models sometimes answer in prose or with bare code blocks);
 * if that also has none, the step fails with NO_FILES. With editBlocks, SEARCH/REPLACE
 * blocks apply all-or-nothing per file (electron/core/edits), and blocks that did not match
 * get one retry with the closest lines shown; files whose blocks still miss stay unchanged.
 */
export async function writeFilesFromModel(env: PipelineEnv, rec: StepRecorder, req: WriteFilesRequest): Promise<WrittenFiles> {
  const sink = new FileSink(env.task, env.store, env.workspace, env.emit, {
    beforeWrite: env.beforeWrite,
    editBlocks: req.editBlocks === true,
    limits: env.outputLimits,
    taskOutput: env.outputCounter,
  });
  const attempt = async (messages: ChatMessage[], model?: string): Promise<CallRecord> => {
    const extractor = new FileExtractor();
    let record: CallRecord | undefined;
    try {
      record = await rec.call({
        role: req.role,
        step: req.step,
        messages,
        answerTokens: req.answerTokens,
        continueOnLength: true,
        temperature: 0.2,
        model,
        onText: (text) => sink.apply(extractor.push(text)),
      });
    } finally {
      // Whatever ended the answer, keep the files that arrived (a cut one is marked truncated).
      await sink.apply(extractor.end());
    }
    await sink.applyLooseEdits(record.output);
    return record;
  };
  const result = (): WrittenFiles => ({ files: [...sink.written.values()], edited: [...sink.edited] });

  let messages = req.messages;
  let record = await attempt(messages, req.model);
  if (sink.editFailures.length) {
    const failures = sink.editFailures.splice(0);
    env.emit({ type: 'log', data: { level: 'info', message: `${req.step}: asking the model once more for ${failures.length} edit block${failures.length === 1 ? '' : 's'} that did not apply.` } });
    messages = [...messages, { role: 'assistant', content: record.output }, { role: 'user', content: formatEditFailuresForRetry(failures) }];
    record = await attempt(messages, record.model);
    if (sink.editFailures.length) {
      const paths = [...new Set(sink.editFailures.map((f) => f.path))];
      env.emit({ type: 'log', data: { level: 'warn', message: `${req.step}: ${sink.editFailures.length} edit block${sink.editFailures.length === 1 ? '' : 's'} still did not apply; ${paths.join(', ')} ${paths.length === 1 ? 'was' : 'were'} left unchanged.` } });
    }
  }
  if (sink.editFailures.length || sink.refused.length || [...sink.written.values()].some((f) => f.truncated)) rec.diverged = true;
  if (sink.written.size > 0) return result();

  env.emit({ type: 'log', data: { level: 'warn', message: `${req.step}: the answer contained no files; asking once more with the expected format.` } });
  const repair = env.prompts.render('repair-format', { example_path: req.examplePath, example_lang: fenceLanguage(req.examplePath) });
  const second = await attempt([...messages, { role: 'assistant', content: record.output }, { role: 'user', content: repair }], record.model);
  if (sink.refused.length || [...sink.written.values()].some((f) => f.truncated)) rec.diverged = true;
  if (sink.written.size > 0) return result();
  throw new MacsError('NO_FILES', `The model's ${req.step} answer contained no files, even after a reminder of the format.`, {
    step: req.step,
    answer: second.output.slice(0, 2000),
  });
}
