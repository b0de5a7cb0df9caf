import fs from 'node:fs';
import path from 'node:path';
import type { MethodResult, Task, TaskEvent, TopicPayload } from '../../shared/index.js';
import { MacsError, toErrorPayload } from '../../shared/index.js';
import { createEngine } from '../core/engine/index.js';
import { receiptView, versionEventView } from '../server/rest/project-view.js';
import { stepEventView } from '../server/rest/step-view.js';
import type { CliContext } from './context.js';
import { receiptLine, versionEventLine } from './project-output.js';
import { checkProviderOverride } from './run-spec.js';
import { stepEventLine } from './step-output.js';
import { ThinkingLines } from './thinking-lines.js';

export interface RunOptions {
  prompt: string;
  model?: string;
  out?: string;
  numCtx?: number;
  /** A build task (plan → implement → test → fix → review) instead of a chat answer. */
  build?: boolean;
  /** The next turn of this project (its folder, its conversation) instead of a new project. */
  projectId?: string;
  /** A project's id or name (a tiny spec's `project`): its next turn; a name no project has: a new project so named. */
  project?: string;
  /** PROVIDER= (or a tiny spec's provider): this run's provider, by id or kind; checked against the configuration. */
  provider?: string;
}

/** The project a tiny spec names: by id, else by name (case-insensitive), else a new one with that name. */
async function projectNamed(engine: ReturnType<typeof createEngine>, ref: string): Promise<string> {
  const { projects } = (await engine.invoke('projects.list', { limit: 5000 })) as MethodResult<'projects.list'>;
  const found = projects.find((p) => p.id === ref) ?? projects.find((p) => p.name.toLowerCase() === ref.toLowerCase());
  if (found) return found.id;
  const { project } = (await engine.invoke('projects.create', { name: ref })) as MethodResult<'projects.create'>;
  return project.id;
}

const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
const EXIT_CANCELLED = 130;

/** `macs run "prompt"`: one task (chat, or build with --build), headless; the answer streams to stdout, progress to stderr. */
export async function runCommand(ctx: CliContext, opts: RunOptions): Promise<number> {
  // runsQueue: false — the CLI runs its own task now, and leaves the shared queue to the app or server.
  const engine = createEngine({ dataDir: ctx.dataDir, host: 'cli', version: ctx.version, ollamaHost: ctx.env.OLLAMA_HOST, runsQueue: false });
  try {
    let taskId = '';
    const early: TopicPayload<'task.frame'>[] = [];
    // Whether the answer on stdout stopped mid-line: a step line then starts on a line of its own.
    let midLine = false;
    const progress = (event: TaskEvent): string | null => {
      switch (event.type) {
        case 'step':
          return `${midLine ? '\n' : ''}${stepEventLine(stepEventView(event.data))}`;
        case 'file.open':
          return `\n→ writing ${event.data.path}`;
        case 'file.close':
          return `✓ ${event.data.path} (${event.data.size} B)${event.data.truncated ? ' — cut off, kept as it arrived' : ''}`;
        case 'file.refused':
          return `✗ refused ${event.data.path}: ${event.data.reason}`;
        case 'log':
          return `${event.data.level}: ${event.data.message}`;
        case 'receipt':
          return `${midLine ? '\n' : ''}${receiptLine(receiptView(event.data))}`;
        case 'version':
          return `${midLine ? '\n' : ''}${versionEventLine(versionEventView(event.data))}`;
        case 'usage':
          return event.data.evalDurationMs > 0 ? `\n${event.data.evalTokens} tokens, ${(event.data.evalTokens / (event.data.evalDurationMs / 1000)).toFixed(1)} tok/s` : null;
        default:
          return null;
      }
    };
    // Reasoning stays off stdout (the answer) and off the terminal: one line says it is
    // happening and one how long it took; the text is kept with the task's events.
    const thinking = new ThinkingLines((line) => ctx.stderr(line));
    const print = (frame: TopicPayload<'task.frame'>) => {
      for (const event of frame.events) {
        if (event.type === 'thinking') {
          thinking.onThinking(event.ts);
          continue;
        }
        if (event.type === 'delta') {
          thinking.onAnswer(event.ts);
          ctx.write(event.data.text);
          midLine = !event.data.text.endsWith('\n');
          continue;
        }
        const line = progress(event);
        if (line === null) continue;
        ctx.stderr(line);
        midLine = false;
      }
    };
    engine.onTopic((topic, payload) => {
      if (topic !== 'task.frame') return;
      const frame = payload as TopicPayload<'task.frame'>;
      if (!taskId) early.push(frame);
      else if (frame.taskId === taskId) print(frame);
    });

    // Checked before anything is created: a PROVIDER= typo must not leave a project or a task behind.
    const providerOverride = opts.provider ? checkProviderOverride(opts.provider, (await engine.invoke('providers.get', {})) as MethodResult<'providers.get'>) : undefined;
    const projectId = opts.projectId ?? (opts.project ? await projectNamed(engine, opts.project) : undefined);
    // The registry reads providerOverride: that provider's model answers every role of this task.
    const metadata = { ...(opts.build ? { mode_hint: 'build' } : {}), ...(providerOverride ? { providerOverride } : {}) };
    // Without --model the engine picks, as the app does: the best coding model that fits this machine.
    const { task } = (await engine.invoke('tasks.create', {
      prompt: opts.prompt,
      model: opts.model,
      numCtx: opts.numCtx,
      ...(projectId ? { projectId } : {}),
      ...(opts.build ? { kind: 'build' } : {}),
      ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
    })) as MethodResult<'tasks.create'>;
    taskId = task.id;
    early.filter((f) => f.taskId === taskId).forEach(print);
    ctx.stderr(`task ${task.id} · model ${task.model}${opts.model ? '' : ' (recommended for this machine; pick another with --model)'}${providerOverride ? ` · PROVIDER=${providerOverride}` : ''} · workspace ${task.workspacePath}`);

    const onSigint = () => {
      ctx.stderr('\nStopping…');
      void engine.invoke('tasks.cancel', { taskId });
    };
    process.once('SIGINT', onSigint);
    const final: Task = await engine.waitForTask(taskId);
    process.removeListener('SIGINT', onSigint);

    if (opts.out && final.fileCount > 0) {
      const outDir = path.resolve(opts.out);
      fs.mkdirSync(outDir, { recursive: true });
      fs.cpSync(final.workspacePath, outDir, { recursive: true, force: true });
      ctx.stderr(`files copied to ${outDir}`);
    }
    return report(ctx, final);
  } catch (err) {
    ctx.stderr(`error: ${toErrorPayload(err).message}`);
    return err instanceof MacsError && err.code === 'PROVIDER_NOT_FOUND' ? EXIT_USAGE : EXIT_FAILED;
  } finally {
    await engine.close();
  }
}

function report(ctx: CliContext, task: Task): number {
  if (task.status === 'succeeded') {
    ctx.stderr(`\nsucceeded: ${task.fileCount} file(s) in ${task.workspacePath}`);
    return 0;
  }
  if (task.status === 'cancelled') {
    ctx.stderr(`\ncancelled; ${task.fileCount} file(s) kept in ${task.workspacePath}`);
    return EXIT_CANCELLED;
  }
  ctx.stderr(`\nfailed: ${task.error?.message ?? 'unknown error'}${task.error ? ` [${task.error.code}]` : ''}`);
  return EXIT_FAILED;
}
