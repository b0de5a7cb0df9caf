import type { PipelineRole, StepName } from '../../../../shared/index.js';
import { MacsError } from '../../../../shared/index.js';
import { FileExtractor } from '../../files/index.js';
import type { ChatMessage } from '../../llm/index.js';
import { FileSink, type WrittenFile } from '../../tasks/index.js';
import { fenceLanguage } from './project-files.js';
import type { PipelineEnv, StepRecorder } from './step-env.js';

export interface WriteFilesRequest {
  role: PipelineRole;
  step: StepName;
  messages: ChatMessage[];
  answerTokens: number;
  /** The path used in the format-repair example (the first file the step was asked for). */
  examplePath: string;
}

/**
 * One model call whose answer is files: streamed through the extractor into the guarded
 * workspace as it arrives. An answer with no files at all gets one repair round showing
 * the expected format (small models sometimes answer in prose or with bare code blocks);
 * if that also has none, the step fails with NO_FILES.
 */
export async function writeFilesFromModel(env: PipelineEnv, rec: StepRecorder, req: WriteFilesRequest): Promise<WrittenFile[]> {
  const attempt = async (messages: ChatMessage[], model?: string) => {
    const sink = new FileSink(env.task, env.store, env.workspace, env.emit, { beforeWrite: env.beforeWrite });
    const extractor = new FileExtractor();
    let record;
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
    return { sink, record };
  };

  const first = await attempt(req.messages);
  if (first.sink.written.size > 0) return [...first.sink.written.values()];

  env.emit({ type: 'log', data: { level: 'warn', message: `${req.step}: the answer contained no files; asking once more with the expected format.` } });
  const repair = env.prompts.render('repair-format', { example_path: req.examplePath, example_lang: fenceLanguage(req.examplePath) });
  const second = await attempt([...req.messages, { role: 'assistant', content: first.record.output }, { role: 'user', content: repair }], first.record.model);
  if (second.sink.written.size > 0) return [...second.sink.written.values()];
  throw new MacsError('NO_FILES', `The model's ${req.step} answer contained no files, even after a reminder of the format.`, {
    step: req.step,
    answer: second.record.output.slice(0, 2000),
  });
}
