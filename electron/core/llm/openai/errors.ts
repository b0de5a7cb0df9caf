import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { MacsError } from '../../../../shared/index.js';
import { contextLengthInText, saysContextTooLong, saysModelNotFound } from './error-texts.js';
import { parseRetryAfterMs } from './retry-after.js';
import { scrubSecret } from '../secret-text.js';
import { macsErrorIn } from '../no-redirect-fetch.js';

export interface OpenAIErrorContext {
  /** The configured provider id ("lmstudio"). */
  id: string;
  baseUrl: string;
  model?: string;
  /** Tokens had arrived before the failure. */
  streamStarted?: boolean;
  /** The key sent with the request: scrubbed from every text passed on. */
  secret?: string | null;
}

// Servers echo a wrong key back: every text passed on goes through the one scrubber (raw, URL- and JSON-escaped forms).
export { scrubSecret };

/** The server's own words: error.message when it sent one, without the SDK's "401 " prefix. */
function serverMessage(err: APIError): string {
  const body = err.error as { message?: unknown } | string | undefined;
  if (typeof body === 'string') return body;
  if (body && typeof body.message === 'string') return body.message;
  return err.message.replace(/^\d{3}\s+/, '');
}

function networkCause(err: unknown): string | null {
  let e = err as { cause?: unknown; code?: unknown } | undefined;
  for (let depth = 0; e && depth < 4; depth++) {
    if (typeof e.code === 'string') return e.code;
    e = e.cause as typeof e;
  }
  return null;
}

const NETWORKISH = /fetch failed|^terminated$|ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|socket hang up|other side closed|premature close|Connection error/i;

/**
 * Why a request to an OpenAI-compatible server failed, in the engine's stable codes. Every
 * sentence names the provider and its base URL, and never the key (scrubbed from server text).
 */
export function mapOpenAIError(err: unknown, ctx: OpenAIErrorContext): MacsError {
  // Ours, maybe wrapped by the client library (a refused redirect): passed on as it is.
  const own = macsErrorIn(err);
  if (own) return own;
  const where = `"${ctx.id}" at ${ctx.baseUrl}`;
  const scrub = (s: string) => scrubSecret(s, ctx.secret);
  const base = { provider: ctx.id, baseUrl: ctx.baseUrl, ...(ctx.model ? { model: ctx.model } : {}) };

  if (err instanceof APIConnectionTimeoutError) {
    return new MacsError('PROVIDER_UNREACHABLE', `Provider ${where} did not answer in time: is its server running?`, { ...base, cause: 'timeout' });
  }
  if (err instanceof APIConnectionError) {
    const cause = networkCause(err) ?? scrub(err.message);
    if (ctx.streamStarted) return dropped(where, base, cause);
    return new MacsError('PROVIDER_UNREACHABLE', `Provider ${where} is not reachable (${cause}): is its server running?`, { ...base, cause });
  }
  if (err instanceof APIError) {
    const status = err.status;
    const said = scrub(serverMessage(err));
    const body = (typeof err.error === 'object' && err.error ? err.error : {}) as Record<string, unknown>;
    const providerMessage = said;
    if (status === 401 || status === 403) {
      return new MacsError(
        'PROVIDER_AUTH',
        `Provider ${where} refused the key (${status}: ${said}). Set its key in Settings → Providers, or in the environment variable the provider names (api_key_env).`,
        { ...base, status, providerMessage },
      );
    }
    if (status === 429) {
      const retryAfterMs = parseRetryAfterMs(err.headers);
      // OpenAI says "insufficient_quota" with a 429 too: waiting does not help there.
      const quota = err.code === 'insufficient_quota' || body.type === 'insufficient_quota';
      return new MacsError(
        'RATE_LIMITED',
        quota
          ? `Provider ${where} says the account's quota is used up (${said}). Check the plan and billing of that account.`
          : `Provider ${where} is rate limiting requests (${said})${retryAfterMs === null ? '' : `; it asks to wait ${Math.ceil(retryAfterMs / 1000)} s`}.`,
        { ...base, status, providerMessage, ...(retryAfterMs === null ? {} : { retryAfterMs }), ...(quota ? { quota: true } : {}) },
      );
    }
    if (saysContextTooLong(said, err.code, err.type ?? body.type)) return contextTooLong(where, base, said, body, status);
    if (status === 404 || saysModelNotFound(said, err.code)) {
      if (ctx.model || saysModelNotFound(said, err.code)) {
        const model = ctx.model ?? 'the model';
        return new MacsError('MODEL_NOT_FOUND', `Provider ${where} has no model "${model}" (${said}). Pick one it lists, or load it on that server.`, {
          ...base,
          model,
          ...(status === undefined ? {} : { status }),
          providerMessage,
        });
      }
    }
    if (status === undefined) {
      // An {"error": …} event inside the stream (the SDK throws it without a status).
      return new MacsError('PROVIDER_ERROR', `Provider ${where} reported an error mid-answer: ${said}`, {
        ...base,
        providerMessage,
        ...(ctx.streamStarted ? { midStream: true } : {}),
      });
    }
    return new MacsError('PROVIDER_ERROR', `Provider ${where} answered ${status}: ${said}`, { ...base, status, providerMessage });
  }
  const message = scrub((err as { message?: string })?.message ?? String(err));
  const cause = networkCause(err);
  if (cause !== null || NETWORKISH.test(message)) {
    if (ctx.streamStarted) return dropped(where, base, cause ?? message);
    return new MacsError('PROVIDER_UNREACHABLE', `Provider ${where} is not reachable (${cause ?? message}): is its server running?`, { ...base, cause: cause ?? message });
  }
  return new MacsError('PROVIDER_ERROR', `Request to provider ${where} failed: ${message}`, { ...base, providerMessage: message });
}

function dropped(where: string, base: Record<string, unknown>, cause: string): MacsError {
  return new MacsError('STREAM_DROPPED', `The connection to provider ${where} dropped mid-answer (${cause}). What arrived is kept.`, { ...base, cause });
}

function contextTooLong(where: string, base: Record<string, unknown>, said: string, body: Record<string, unknown>, status: number | undefined): MacsError {
  // llama-server sends n_ctx beside the message; the others say it in the text.
  const contextLength = typeof body.n_ctx === 'number' && body.n_ctx > 0 ? body.n_ctx : contextLengthInText(said);
  return new MacsError(
    'CONTEXT_TOO_LONG',
    `The prompt does not fit the context window of ${base.model ? `"${String(base.model)}" on ` : ''}provider ${where}${contextLength === null ? '' : ` (${contextLength} tokens)`}: ${said}`,
    {
      ...base,
      ...(status === undefined ? {} : { status }),
      providerMessage: said,
      ...(contextLength === null ? {} : { contextLength }),
      ...(typeof body.n_prompt_tokens === 'number' ? { promptTokens: body.n_prompt_tokens } : {}),
    },
  );
}
