import type { ExecResult, ModelUsage, Task, TaskEventDraft, TaskSpecV1 } from '../../../../shared/index.js';
import type { OutputCounter, OutputLimits, TaskStore } from '../../tasks/index.js';
import type { Workspace } from '../../project-folder/index.js';
import type { CallRecord, LlmClient, LlmRequest } from '../llm-client.js';
import type { PromptLibrary } from '../prompts.js';
import type { BuildThread } from './thread.js';
import type { ProjectFile } from './project-files.js';

export interface CommandRun extends ExecResult {
  /** The whole output as the log kept it (capped), for parsing test results. */
  output: string;
}

/** What every step gets: the task, its workspace, the model client, prompts, and the sandbox. */
export interface PipelineEnv {
  task: Task;
  /** The TaskV1.1 body the task came from, if any. */
  spec: TaskSpecV1 | null;
  store: TaskStore;
  workspace: Workspace;
  llm: LlmClient;
  prompts: PromptLibrary;
  signal: AbortSignal;
  emit(draft: TaskEventDraft): void;
  /** Run a command in the task's workspace, in the sandbox, shown in the task's Runs terminal. */
  runCommand(argv: string[], timeoutMs: number): Promise<CommandRun>;
  /** TaskV1.1 constraints.max_tokens: a cap per model call. */
  maxTokensPerCall: number | undefined;
  /** Before each file is first written (the undo snapshot of a folder workspace). */
  beforeWrite?: (path: string) => Promise<void>;
  /** The build as one conversation with the model, where that is safe (thread.ts). */
  thread: BuildThread;
  /** Caps on model output (Settings), and the build's running total across every step's files. */
  outputLimits: OutputLimits;
  outputCounter: OutputCounter;
  /** The project's earlier turns as one block ('' for a first turn): after the files, before each step's instruction. */
  conversation: string;
  /** The project's files when this attempt began (read once: num_ctx is sized from them, a later turn's plan shows them). */
  startFiles: readonly ProjectFile[];
}

/** Counts what a step spent, so the step record can split model time, command time and overhead. */
export class StepRecorder {
  readonly calls: CallRecord[] = [];
  llmMs = 0;
  commandMs = 0;
  model: string | null = null;
  modelReason: string | null = null;
  /** Files on disk differ from what the step's answers say (a refused or cut file, an edit block that did not apply). */
  diverged = false;

  /**
   * @param tape the calls of the step attempt being replayed: the n-th call of this attempt
   * sends exactly the n-th stored call's messages, model and num_ctx (the stored context),
   * so with the cache on a replay is instant and gives the same answer.
   */
  constructor(
    private readonly env: PipelineEnv,
    private readonly tape: readonly CallRecord[] = [],
  ) {}

  async call(req: LlmRequest): Promise<CallRecord> {
    const t0 = performance.now();
    const stored = this.tape[this.calls.length];
    const replayed: LlmRequest = stored
      ? { ...req, messages: stored.messages, model: stored.model, numCtx: typeof stored.options.num_ctx === 'number' ? stored.options.num_ctx : undefined }
      : req;
    try {
      const record = await this.env.llm.call({ ...replayed, numPredict: replayed.numPredict ?? this.env.maxTokensPerCall });
      this.calls.push(record);
      this.model = record.model;
      this.modelReason = record.modelReason;
      return record;
    } finally {
      this.llmMs += performance.now() - t0;
    }
  }

  async command(argv: string[], timeoutMs: number): Promise<CommandRun> {
    const t0 = performance.now();
    try {
      const run = await this.env.runCommand(argv, timeoutMs);
      // Stop killed the process: that is the step being cancelled, not a test result.
      this.env.signal.throwIfAborted();
      return run;
    } finally {
      this.commandMs += performance.now() - t0;
    }
  }

  /** Model time in detail, for the step row and its end event (null: the step called no model). */
  usage(): ModelUsage | null {
    if (this.calls.length === 0) return null;
    const sum = (f: (c: CallRecord) => number | undefined) => this.calls.reduce((s, c) => s + (f(c) ?? 0), 0);
    const last = this.calls[this.calls.length - 1].options.num_ctx;
    return {
      promptTokens: sum((c) => c.promptTokens),
      cachedTokens: sum((c) => c.cachedTokens),
      evalTokens: sum((c) => c.evalTokens),
      loadMs: sum((c) => c.loadMs),
      promptEvalMs: sum((c) => c.promptEvalMs),
      evalMs: sum((c) => c.evalMs),
      loads: this.calls.flatMap((c) => (c.load ? [c.load] : [])),
      numCtx: typeof last === 'number' ? last : null,
      providers: [...new Set(this.calls.map((c) => c.provider ?? 'ollama'))],
      leftMachine: this.calls.some((c) => c.leftMachine === true),
    };
  }

  totals(): { promptTokens: number; evalTokens: number; llmCalls: number; cachedCalls: number } {
    return {
      promptTokens: this.calls.reduce((s, c) => s + c.promptTokens, 0),
      evalTokens: this.calls.reduce((s, c) => s + c.evalTokens, 0),
      llmCalls: this.calls.length,
      cachedCalls: this.calls.filter((c) => c.cached).length,
    };
  }
}
