/**
 * Did an answer outgrow its context window? Ollama does not say so directly:
 *
 * - By default the runner shifts the context when it is full (drops tokens after num_keep and
 *   goes on), so the model silently loses the start of its prompt: llm/llama_server.go
 *   (--context-shift, ≥ 0.30), runner/ollamarunner/runner.go ShiftCacheSlot (0.12.6 – 0.29).
 *   Seen from outside: prompt_eval_count + eval_count > num_ctx.
 * - A prompt longer than num_ctx is cut in the middle before it is evaluated; the Go runners
 *   report exactly num_ctx evaluated (runner.go NewSequence, numPromptInputs).
 * - With "shift": false (a request field since 0.12.6, api/types.go) the answer ends with
 *   done_reason "length" when the window is full; a num_predict cap ends the same way, and
 *   is the caller's own limit, not an overflow.
 */
export type ContextOverflowKind = 'cut-off' | 'shifted' | 'prompt-truncated';

export interface DoneCounts {
  doneReason: string | null;
  promptTokens: number;
  evalTokens: number;
}

export function contextOverflow(done: DoneCounts, numCtx: number, numPredict?: number): ContextOverflowKind | null {
  const cappedByCaller = numPredict !== undefined && numPredict > 0 && done.evalTokens >= numPredict;
  if (done.doneReason === 'length' && !cappedByCaller) return 'cut-off';
  if (done.promptTokens >= numCtx) return 'prompt-truncated';
  if (done.promptTokens + done.evalTokens > numCtx) return 'shifted';
  return null;
}

/** One sentence for the task's log. */
export function describeContextOverflow(kind: ContextOverflowKind, numCtx: number, done: DoneCounts): string {
  const counts = `${done.promptTokens} prompt + ${done.evalTokens} answer tokens`;
  switch (kind) {
    case 'cut-off':
      return `The answer hit the context limit (num_ctx ${numCtx}, ${counts}) and was cut off.`;
    case 'prompt-truncated':
      return `The prompt did not fit the context window (num_ctx ${numCtx}): Ollama dropped part of it, so the model did not see all of its instructions. Raise the context length in Settings.`;
    case 'shifted':
      return `The answer ran past the context window (num_ctx ${numCtx}, ${counts}): Ollama dropped the start of the conversation to go on, so the end of the answer was written without its instructions. Raise the context length in Settings.`;
  }
}

/** A prompt of at least this many estimated tokens is judged; below it our estimate is too rough. */
const TRUNCATION_MIN_TOKENS = 1000;

/**
 * Did a server other than Ollama read much less of the prompt than was sent? LM Studio's
 * context-overflow policy and llama-server's context shift cut silently, and their windows are
 * theirs to choose. Our count is an estimate, so only a large gap on a large prompt counts;
 * a server that reports no usage (0) says nothing.
 */
export function remoteTruncation(sentEstimate: number, reported: number): { sent: number } | null {
  if (reported <= 0 || sentEstimate < TRUNCATION_MIN_TOKENS) return null;
  return reported < sentEstimate * 0.6 ? { sent: sentEstimate } : null;
}

/** One sentence for the task's log when remoteTruncation says the server cut the prompt. */
export function describeRemoteTruncation(provider: string, reported: number, sent: number): string {
  return `${provider} reports reading ${reported} prompt tokens of about ${sent} sent: the server cut the prompt to fit its context window, so the model did not see all of it. Load the model with a larger context on the server, or set the provider's context length in Settings → Providers.`;
}
