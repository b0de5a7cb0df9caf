import { MacsError } from '../../../shared/index.js';

/** Why a request to Ollama failed, in the engine's stable codes. */
export function mapOllamaError(err: unknown, ctx: { host: string; model?: string; streamStarted?: boolean }): MacsError {
  if (err instanceof MacsError) return err;
  const e = err as { name?: string; message?: string; status_code?: number; cause?: { code?: string; message?: string } };
  const message = e?.message ?? String(err);
  const status = typeof e?.status_code === 'number' ? e.status_code : undefined;

  if (status === 404 || /model .* not found|not found, try pulling/i.test(message)) {
    const model = ctx.model ?? 'the model';
    return new MacsError('MODEL_NOT_FOUND', `Model "${model}" is not installed on ${ctx.host}. Run: ollama pull ${model}`, {
      model,
      host: ctx.host,
      ollamaMessage: message,
    });
  }
  if (/requires more system memory|out of memory|cudaMalloc failed|insufficient memory/i.test(message)) {
    return new MacsError('MODEL_OUT_OF_MEMORY', `Ollama could not load "${ctx.model}": ${message}. Pick a smaller model or a smaller context.`, {
      model: ctx.model,
      ollamaMessage: message,
    });
  }
  if (status !== undefined) {
    return new MacsError('OLLAMA_ERROR', `Ollama answered ${status}: ${message}`, { status, host: ctx.host });
  }
  const causeCode = e?.cause?.code;
  const networkish =
    causeCode !== undefined ||
    /fetch failed|terminated|ECONNREFUSED|ECONNRESET|socket hang up|other side closed|Did not receive done/i.test(message);
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
  return new MacsError('OLLAMA_ERROR', `Ollama request failed: ${message}`, { host: ctx.host });
}

export function isAbortError(err: unknown): boolean {
  const e = err as { name?: string } | null;
  return e?.name === 'AbortError';
}
