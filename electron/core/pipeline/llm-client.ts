import type { ModelLoad, PipelineRole, RoutingRole, StepName, TaskEventDraft } from '../../../shared/index.js';
import { MacsError } from '../../../shared/index.js';
import type { ChatChunk, ChatMessage, ChatProvider, ChatRequest, ThinkValue } from '../llm/index.js';
import type { RouteCandidate } from '../providers/types.js';
import { shouldFallBack } from '../providers/routing.js';
import { ContinuationJoiner, contextOverflow, describeContextOverflow, describeRemoteTruncation, remoteTruncation } from '../llm/index.js';
import { buildNumCtx, contextCeiling, NUM_CTX_SIZES, type ContextLimits, type TokenCounter } from './context-budget.js';
import type { ModelCandidate, ModelDirectory } from './model-directory.js';
import { ModelResidency } from './model-residency.js';
import { cacheKey, type ResponseCache } from './response-cache.js';

/** Continuations after a cut-off (done_reason "length") answer, per call. */
const MAX_CONTINUATIONS = 2;

/**
 * Room a build needs beyond the project it starts from: the files it writes, the plan and the
 * longest answer (a fix round's). num_ctx is sized once from this, so it need not grow later.
 */
export const BUILD_HEADROOM_TOKENS = 12_288;

export interface LlmRequest {
  role: PipelineRole;
  step: StepName;
  messages: ChatMessage[];
  /** Tokens kept free for the answer when sizing num_ctx. */
  answerTokens: number;
  format?: Record<string, unknown> | 'json';
  temperature?: number;
  /** Cap on the answer (TaskV1.1 constraints.max_tokens). */
  numPredict?: number;
  /** Ask for a continuation when the answer is cut off by the context (files must not end mid-way). */
  continueOnLength?: boolean;
  /** Each piece of answer text, as it arrives (continuations already joined). */
  onText?: (text: string) => Promise<void> | void;
  /** A model to use instead of resolving the role (replaying a stored call). */
  model?: string;
  /** A fixed num_ctx (replaying a stored call: same options, same cache key, same answer). */
  numCtx?: number;
}

/** One call as stored in the step's artifact. */
export interface CallRecord {
  /** The model reference: "qwen2.5-coder:7b" (Ollama) or "@lmstudio/qwen2.5-coder-7b-instruct". */
  model: string;
  /** The provider that answered ("ollama", "lmstudio"), and whether the prompt left this machine. */
  provider?: string;
  leftMachine?: boolean;
  modelReason: string;
  messages: ChatMessage[];
  options: Record<string, unknown>;
  output: string;
  /** The model's reasoning (thinking models), kept apart from the output the step parses. */
  thinking?: string;
  doneReason: string | null;
  promptTokens: number;
  /** Of promptTokens, the estimated share the model read from its cache (the prefix shared with its previous call). */
  cachedTokens?: number;
  evalTokens: number;
  durationMs: number;
  /** Ollama's load_duration, prompt_eval_duration and eval_duration (summed over continuations). */
  loadMs?: number;
  promptEvalMs?: number;
  evalMs?: number;
  /** Ollama loaded the model for this call (why, how long). */
  load?: ModelLoad | null;
  cached: boolean;
  continuations: number;
}

export interface LlmClientOptions {
  /** The provider and its own model name for a model reference (ProviderRegistry.chat, for the task's host). */
  chat: (ref: string) => { provider: ChatProvider; model: string };
  directory: ModelDirectory;
  counter: TokenCounter;
  cache: ResponseCache | null;
  /** The models a role tries, in order (ProviderRegistry.candidates: its route, then the task's model). */
  route: (role: RoutingRole) => RouteCandidate[];
  taskModel: string;
  /** The user's num_ctx: the least any call uses. */
  floorCtx: number;
  signal: AbortSignal;
  emit: (draft: TaskEventDraft) => void;
  /** resources/prompts/continue.md */
  continuePrompt: string;
  /** Ollama's `think` for a model (undefined: not a thinking model, or unknown). */
  thinkFor?: (model: string) => Promise<ThinkValue | undefined>;
  /** Ollama's keep_alive for every call (Settings → keepAliveMinutes), so the model stays loaded between steps and turns. */
  keepAlive?: string | number;
}

/**
 * Every model call of a build task goes through here: it picks the role's model (with
 * fallbacks), sizes num_ctx to the prompt, answers from the cache when it can, streams
 * the answer as step-tagged deltas, continues cut-off answers, and records the call.
 */
export class LlmClient {
  /** num_ctx per model for this build: chosen at its first call, kept (each change makes Ollama reload the model). */
  private readonly buildCtx = new Map<string, number>();
  /** Characters of the project the build starts from (folder tasks, later turns). */
  private projectChars = 0;
  private readonly residency = new ModelResidency();

  constructor(private readonly o: LlmClientOptions) {}

  /** The project the build starts from, before the first call: num_ctx is sized to hold it and what the build adds. */
  expectProject(chars: number): void {
    this.projectChars = chars;
  }

  /** The num_ctx this build uses for `model`, or would use if it called it now. */
  numCtxFor(model: string, needTokens = 0): number {
    // Another provider's server fixed its window when it loaded the model: it is read (ProviderRegistry), never chosen.
    if (this.o.directory.isRemote(model)) return this.o.directory.facts(model)?.contextLength ?? this.o.floorCtx;
    const limits = this.o.directory.limits(model, this.o.floorCtx);
    const fixed = this.buildCtx.get(model);
    if (fixed !== undefined) return needTokens <= fixed ? fixed : Math.max(fixed, buildNumCtx(needTokens, limits));
    const expected = Math.ceil(this.projectChars * this.o.counter.tokensPerChar(model)) + BUILD_HEADROOM_TOKENS;
    return buildNumCtx(Math.max(needTokens, expected), limits);
  }

  private fixCtx(model: string, numCtx: number): void {
    const before = this.buildCtx.get(model);
    if (before !== undefined && before !== numCtx) {
      this.o.emit({ type: 'log', data: { level: 'warn', message: `${model}: num_ctx changes from ${before} to ${numCtx} for a prompt that does not fit; Ollama reloads the model.` } });
    }
    this.buildCtx.set(model, numCtx);
  }

  /**
   * The models a role's next call tries. Kept until that call is made: steps peek at the first
   * (to size their context) before calling, and a round-robin route must not turn in between.
   */
  candidates(role: PipelineRole, step?: StepName): ModelCandidate[] {
    const routeRole: RoutingRole = step === 'docs' ? 'docs' : role;
    let list = this.routed.get(routeRole);
    if (!list) {
      list = this.o.directory.candidates(this.o.route(routeRole).map((c) => ({ model: c.ref, reason: c.reason })));
      this.routed.set(routeRole, list);
    }
    return list;
  }
  private readonly routed = new Map<RoutingRole, ModelCandidate[]>();

  /** The most prompt tokens a call to this model can carry, leaving room for the answer. */
  promptBudget(model: string, answerTokens: number): number {
    return this.numCtxFor(model) - answerTokens;
  }

  countTokens(model: string, text: string): number {
    return this.o.counter.count(model, text);
  }

  /**
   * The request's stream; when Ollama refuses the prompt as longer than the window (with
   * "shift": false, Ollama ≥ 0.30 answers 400 instead of cutting the prompt's middle out: the
   * token estimate was low), it is asked once more with a larger num_ctx, if the model allows one.
   */
  private async *streamFitting(provider: ChatProvider, request: ChatRequest, limits: ContextLimits, step: string): AsyncIterable<ChatChunk> {
    let started = false;
    try {
      for await (const chunk of provider.chatStream(request)) {
        started = true;
        yield chunk;
      }
    } catch (err) {
      const ceiling = contextCeiling(limits);
      if (provider.kind !== 'ollama' || started || !(err instanceof MacsError) || err.code !== 'PROMPT_TOO_LONG' || request.numCtx >= ceiling) throw err;
      const from = request.numCtx;
      // The next of the fixed sizes: the build keeps it from here on (one reload, not one per call).
      request.numCtx = Math.min(ceiling, NUM_CTX_SIZES.find((size) => size > from) ?? from * 2);
      this.fixCtx(request.model, request.numCtx);
      this.o.emit({ type: 'log', data: { level: 'warn', message: `${step}: the prompt did not fit num_ctx ${from}; asking again with num_ctx ${request.numCtx}.` } });
      yield* provider.chatStream(request);
    }
  }

  async call(req: LlmRequest): Promise<CallRecord> {
    const candidates = req.model ? [{ model: req.model, reason: 'as stored in the step being replayed' }] : [...this.candidates(req.role, req.step)];
    // The next call of this role takes the route afresh (a round-robin route turns).
    if (!req.model) this.routed.delete(req.step === 'docs' ? 'docs' : req.role);
    const skippedNote = candidates[0]?.reason.includes(' skipped: ') ? candidates[0].reason : null;
    if (skippedNote) this.o.emit({ type: 'log', data: { level: 'warn', message: `${req.step}: ${candidates[0].model} (${skippedNote}).` } });
    let lastError: unknown;
    for (const [i, candidate] of candidates.entries()) {
      let streamed = false;
      try {
        return await this.callModel(candidate, req, () => (streamed = true));
      } catch (err) {
        lastError = err;
        const next = candidates[i + 1];
        if (streamed || !next || !shouldFallBack(err, candidate.model, next.model)) throw err;
        this.o.emit({ type: 'log', data: { level: 'warn', message: `${req.step}: ${err.message} Falling back to ${next.model} (${next.reason}).` } });
        candidates[i + 1] = { ...next, reason: `fallback: ${candidate.model} failed (${err.code})` };
      }
    }
    throw lastError;
  }

  private async callModel(candidate: ModelCandidate, req: LlmRequest, markStreamed: () => void): Promise<CallRecord> {
    const { model } = candidate;
    const started = performance.now();
    // PROVIDER_NOT_FOUND / LOCAL_ONLY are thrown here, before anything is sent.
    const { provider, model: providerModel } = this.o.chat(model);
    const origin = { provider: provider.id, leftMachine: provider.leavesMachine };
    const limits = this.o.directory.limits(model, this.o.floorCtx);
    const need = this.o.counter.countMessages(model, req.messages) + req.answerTokens;
    const numCtx = req.numCtx ?? this.numCtxFor(model, need);
    const options: Record<string, unknown> = { num_ctx: numCtx };
    if (req.numPredict !== undefined) options.num_predict = req.numPredict;
    if (req.temperature !== undefined) options.temperature = req.temperature;
    if (req.format !== undefined) options.format = req.format;
    const think = provider.kind === 'ollama' ? await this.o.thinkFor?.(model) : undefined;
    if (think !== undefined) options.think = think;

    const key = this.o.cache ? cacheKey({ modelDigest: this.o.directory.facts(model)?.digest ?? model, messages: req.messages, options }) : null;
    const hit = key ? this.o.cache?.get(key) : null;
    if (hit) {
      markStreamed();
      this.o.emit({ type: 'delta', data: { text: hit.text, step: req.step } });
      await req.onText?.(hit.text);
      return {
        model,
        ...origin,
        modelReason: candidate.reason,
        messages: req.messages,
        options,
        output: hit.text,
        doneReason: hit.doneReason,
        promptTokens: hit.promptTokens,
        evalTokens: hit.evalTokens,
        durationMs: performance.now() - started,
        cached: true,
        continuations: 0,
      };
    }

    let text = '';
    let thinking = '';
    let promptTokens = 0;
    let evalTokens = 0;
    let cachedTokens = 0;
    let loadMs = 0;
    let promptEvalMs = 0;
    let evalMs = 0;
    let load: ModelLoad | null = null;
    let doneReason: string | null = null;
    let continuations = 0;
    let degraded = false;
    let messages = req.messages;
    for (;;) {
      const joiner = continuations > 0 ? new ContinuationJoiner(text) : null;
      const deliver = async (piece: string) => {
        if (!piece) return;
        text += piece;
        this.o.emit({ type: 'delta', data: { text: piece, step: req.step } });
        await req.onText?.(piece);
      };
      const request: ChatRequest = {
        model: providerModel,
        messages,
        numCtx: continuations > 0 && req.numCtx === undefined ? this.numCtxFor(model, this.o.counter.countMessages(model, messages) + req.answerTokens) : numCtx,
        signal: this.o.signal,
        format: req.format,
        numPredict: req.numPredict,
        temperature: req.temperature,
        think,
        keepAlive: this.o.keepAlive,
      };
      this.fixCtx(model, request.numCtx);
      const pieceStart = text.length;
      for await (const chunk of this.streamFitting(provider, request, limits, req.step)) {
        if (chunk.type === 'thinking') {
          // Shown under the step and stored with the call; the step's parser and extractor see only the answer.
          markStreamed();
          thinking += chunk.text;
          this.o.emit({ type: 'thinking', data: { text: chunk.text, step: req.step } });
        } else if (chunk.type === 'token') {
          markStreamed();
          await deliver(joiner ? joiner.push(chunk.text) : chunk.text);
        } else {
          promptTokens += chunk.promptTokens;
          evalTokens += chunk.evalTokens;
          doneReason = chunk.doneReason;
          loadMs += chunk.loadDurationMs ?? 0;
          promptEvalMs += chunk.promptEvalDurationMs ?? 0;
          evalMs += chunk.evalDurationMs;
          // Loads and the prompt cache are Ollama's to report; another server's are its own business.
          const cost =
            provider.kind === 'ollama'
              ? this.residency.record({ model, messages, output: text.slice(pieceStart), numCtx: request.numCtx, promptTokens: chunk.promptTokens, loadMs: chunk.loadDurationMs ?? 0 })
              : { cachedTokens: 0, load: null };
          cachedTokens += cost.cachedTokens;
          if (cost.load) {
            load ??= cost.load;
            this.o.emit({ type: 'log', data: { level: 'info', message: `${req.step}: Ollama loaded ${model} (${describeLoad(cost.load)}), ${(cost.load.ms / 1000).toFixed(1)} s.` } });
          }
          const { evalDurationMs, totalDurationMs } = chunk;
          this.o.emit({ type: 'usage', data: { promptTokens: chunk.promptTokens, evalTokens: chunk.evalTokens, evalDurationMs, totalDurationMs, doneReason, ...origin } });
          // An older Ollama shifted the context or cut the prompt ("shift": false is ignored before 0.12.6): say so, never cache it.
          // Another server: what it reports it read, against what was sent.
          if (provider.kind === 'ollama') {
            const overflow = contextOverflow(chunk, request.numCtx, req.numPredict);
            if (overflow === 'shifted' || overflow === 'prompt-truncated') {
              degraded = true;
              this.o.emit({ type: 'log', data: { level: 'warn', message: `${req.step}: ${describeContextOverflow(overflow, request.numCtx, chunk)}` } });
            }
          } else {
            const cut = remoteTruncation(this.o.counter.countMessages(model, messages), chunk.promptTokens);
            if (cut) {
              degraded = true;
              this.o.emit({ type: 'log', data: { level: 'warn', message: `${req.step}: ${describeRemoteTruncation(provider.id, chunk.promptTokens, cut.sent)}` } });
            }
          }
          // A cut prompt's count is a lower bound of its size: still the right direction for the counter.
          // (A server that reports no usage says 0: nothing to learn from.)
          if (continuations === 0 && chunk.promptTokens > 0) this.o.counter.observe(model, messages.reduce((n, m) => n + m.content.length, 0), chunk.promptTokens);
        }
      }
      if (joiner) await deliver(joiner.end());
      // A num_predict cap is the user's limit, not a cut to repair.
      const cutByContext = doneReason === 'length' && req.numPredict === undefined;
      if (!cutByContext || !req.continueOnLength || continuations >= MAX_CONTINUATIONS) break;
      continuations += 1;
      this.o.emit({ type: 'log', data: { level: 'info', message: `${req.step}: the answer was cut off at num_ctx ${request.numCtx}; asking ${model} to continue (${continuations} of ${MAX_CONTINUATIONS}).` } });
      messages = [...req.messages, { role: 'assistant', content: text }, { role: 'user', content: this.o.continuePrompt }];
    }
    if (doneReason === 'length') {
      this.o.emit({ type: 'log', data: { level: 'warn', message: `${req.step}: the answer from ${model} is still cut off (done_reason "length").` } });
    } else if (key && !degraded) {
      this.o.cache?.put(key, model, { text, doneReason, promptTokens, evalTokens });
    }
    return {
      model,
      ...origin,
      modelReason: candidate.reason,
      messages: req.messages,
      options,
      output: text,
      ...(thinking ? { thinking } : {}),
      doneReason,
      promptTokens,
      cachedTokens,
      evalTokens,
      durationMs: performance.now() - started,
      loadMs,
      promptEvalMs,
      evalMs,
      load,
      cached: false,
      continuations,
    };
  }
}

/** "first use", "after qwen2.5-coder:7b", "num_ctx changed to 16384", "keep_alive ran out". */
export function describeLoad(load: ModelLoad): string {
  switch (load.reason) {
    case 'first-use':
      return 'first use';
    case 'other-model':
      return `switched from ${load.previousModel ?? 'another model'}`;
    case 'num-ctx-change':
      return `num_ctx changed to ${load.numCtx}`;
    case 'expired':
      return 'it had been unloaded (keep_alive ran out, or Ollama needed the memory)';
  }
}
