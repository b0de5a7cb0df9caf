import { contextOverflow } from './context-overflow.js';
import { ContinuationJoiner } from './continuation.js';
import type { ChatChunk, ChatRequest, ChatProvider } from './types.js';

/** The same words as resources/prompts/continue.md (the build pipeline's copy). */
export const CONTINUE_PROMPT = 'Your answer was cut off. Continue exactly where it stopped: do not repeat anything, do not start the file again, no introduction.';

export interface ContinueOptions {
  /** Continuations after the first cut (default 2, as the build pipeline). */
  maxContinuations?: number;
  /** Told before each continuation request (for the task's log). */
  onContinue?: (info: { continuation: number; of: number; keptChars: number; answerChars: number }) => void;
}

/** Tokens the continuation instruction and the chat template's turn markers take. */
const CONTINUE_OVERHEAD_TOKENS = 64;
/** Without counts from the server: a conservative guess for code. */
const FALLBACK_TOKENS_PER_CHAR = 0.35;
const MIN_TAIL_TOKENS = 128;

/**
 * A chat answer that stops at the context limit (done_reason "length", which "shift": false
 * asks for) is continued like the build pipeline does, but within the same num_ctx: the next
 * request carries the original messages, then only the tail of the answer so far (as much as
 * leaves a quarter of the window for the continuation), then the instruction to go on. The
 * continuation is joined onto the answer (ContinuationJoiner drops a re-opened fence or a
 * repeated line), so a file cut mid-way is finished rather than left truncated.
 *
 * Yields the chunks of every piece; the done chunk of a piece that is continued says
 * `continued: true`. A prompt that leaves no room for a tail is not continued.
 */
export async function* continueCutOffAnswer(provider: Pick<ChatProvider, 'chatStream'>, request: ChatRequest, opts: ContinueOptions = {}): AsyncIterable<ChatChunk> {
  const max = opts.maxContinuations ?? 2;
  let answer = '';
  let messages = request.messages;
  /** The first piece's prompt count: the prompt without any answer (later pieces carry a tail too). */
  let basePromptTokens = 0;
  let evalTokens = 0;
  for (let piece = 0; ; piece++) {
    const joiner = piece > 0 ? new ContinuationJoiner(answer) : null;
    let done: Extract<ChatChunk, { type: 'done' }> | null = null;
    for await (const chunk of provider.chatStream({ ...request, messages })) {
      if (chunk.type === 'token') {
        const text = joiner ? joiner.push(chunk.text) : chunk.text;
        answer += text;
        if (text) yield { type: 'token', text };
      } else if (chunk.type === 'done') {
        done = chunk;
      } else {
        yield chunk;
      }
    }
    if (joiner) {
      const rest = joiner.end();
      answer += rest;
      if (rest) yield { type: 'token', text: rest };
    }
    if (!done) return;
    if (piece === 0) basePromptTokens = done.promptTokens;
    evalTokens += done.evalTokens;
    const tail = piece < max && contextOverflow(done, request.numCtx, request.numPredict) === 'cut-off' ? answerTail(answer, { promptTokens: basePromptTokens, evalTokens }, request) : null;
    if (tail === null) {
      yield done;
      return;
    }
    yield { ...done, continued: true };
    opts.onContinue?.({ continuation: piece + 1, of: max, keptChars: tail.length, answerChars: answer.length });
    messages = [...request.messages, { role: 'assistant', content: tail }, { role: 'user', content: CONTINUE_PROMPT }];
  }
}

/** The end of the answer that fits beside the prompt with a quarter of the window left to answer in; null: no room. */
function answerTail(answer: string, done: { promptTokens: number; evalTokens: number }, request: ChatRequest): string | null {
  const promptTokens = Math.min(done.promptTokens, request.numCtx);
  const tokensPerChar = answer.length > 0 && done.evalTokens > 0 ? Math.min(1, done.evalTokens / answer.length) : FALLBACK_TOKENS_PER_CHAR;
  const roomTokens = request.numCtx - promptTokens - CONTINUE_OVERHEAD_TOKENS - Math.max(256, Math.floor(request.numCtx / 4));
  if (roomTokens < MIN_TAIL_TOKENS || answer.length === 0) return null;
  const chars = Math.floor(roomTokens / tokensPerChar);
  if (chars >= answer.length) return answer;
  // Start the tail at a line: a model continues a whole line it can see more reliably than half of one.
  const from = answer.length - chars;
  const lineStart = answer.indexOf('\n', from);
  return lineStart >= 0 && lineStart < answer.length - 1 ? answer.slice(lineStart + 1) : answer.slice(from);
}
