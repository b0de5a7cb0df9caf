import { MacsError } from '../../../shared/index.js';
import { classifyOllamaText } from './ollama-error-texts.js';
import { macsErrorIn } from './no-redirect-fetch.js';

/** Why a request to Ollama failed, in the engine's stable codes. */
export function mapOllamaError(err: unknown, ctx: { host: string; model?: string; streamStarted?: boolean }): MacsError {
  // Ours, maybe wrapped by the client library (a refused redirect): passed on as it is.
  const own = macsErrorIn(err);
  if (own) return own;
  const e = err as { name?: string; message?: string; status_code?: number; cause?: { code?: string; message?: string } };
  const message = e?.message ?? String(err);
  const status = typeof e?.status_code === 'number' ? e.status_code : undefined;

  if (status === 404) return modelNotFound(ctx, message);
  // A mid-stream {"error"} line has no status: its text is all there is (see ollama-error-texts.ts).
  const { kind, deterministic } = classifyOllamaText(message);
  const said = message.trim().replace(/[.\s]+$/, ''); // for quoting inside a sentence
  if (kind === 'out-of-memory') {
    return new MacsError('MODEL_OUT_OF_MEMORY', `Ollama could not load "${ctx.model}": ${said}. Pick a smaller model or a smaller context.`, {
      model: ctx.model,
      host: ctx.host,
      ollamaMessage: message,
    });
  }
  if (kind === 'crash') {
    return new MacsError(
      'MODEL_CRASHED',
      deterministic
        ? `The model "${ctx.model}" crashed in Ollama at ${ctx.host}: ${said}. The same request would crash it again; try another model, a smaller context, or a newer Ollama.`
        : `The model "${ctx.model}" stopped unexpectedly in Ollama at ${ctx.host}: ${said}.`,
      { model: ctx.model, host: ctx.host, ollamaMessage: message, deterministic, ...(status === undefined ? {} : { status }) },
    );
  }
  if (kind === 'prompt-too-long') {
    return new MacsError('PROMPT_TOO_LONG', `The prompt is longer than the context window (num_ctx) of "${ctx.model}": ${said}.`, {
      model: ctx.model,
      host: ctx.host,
      ollamaMessage: message,
    });
  }
  if (/model .* not found|not found, try pulling/i.test(message)) return modelNotFound(ctx, message);
  if (status !== undefined) {
    return new MacsError('OLLAMA_ERROR', `Ollama answered ${status}: ${message}`, { status, host: ctx.host });
  }
  const causeCode = e?.cause?.code;
  // undici says just "terminated" when the socket closes mid-body; crash texts that contain the word were classified above.
  const networkish =
    causeCode !== undefined ||
    /fetch failed|^terminated$|ECONNREFUSED|ECONNRESET|socket hang up|other side closed|Did not receive done/i.test(message);
  if (networkish && ctx.streamStarted) {
    return new MacsError('STREAM_DROPPED', `The connection to Ollama at ${ctx.host} dropped mid-answer (${causeCode ?? message}). What arrived is kept.`, {
      host: ctx.host,
      cause: causeCode ?? message,
    });
  }
  if (networkish) {
    return new MacsError('OLLAMA_UNREACHABLE', `Ollama is not reachable at ${ctx.host} (${causeCode ?? message}). Start Ollama, or set its address in Settings or with OLLAMA_HOST.`, {
      host: ctx.host,
      cause: causeCode ?? message,
    });
  }
  // An {"error"} line mid-stream we cannot place: keep the text; without a status it may be retried.
  return new MacsError('OLLAMA_ERROR', `Ollama request failed: ${message}`, { host: ctx.host, ollamaMessage: message, ...(ctx.streamStarted ? { midStream: true } : {}) });
}

function modelNotFound(ctx: { host: string; model?: string }, message: string): MacsError {
  const model = ctx.model ?? 'the model';
  return new MacsError('MODEL_NOT_FOUND', `Model "${model}" is not installed on ${ctx.host}. Run: ollama pull ${model}`, {
    model,
    host: ctx.host,
    ollamaMessage: message,
  });
}

export function isAbortError(err: unknown): boolean {
  const e = err as { name?: string } | null;
  return e?.name === 'AbortError';
}
