/**
 * Anthropic's failures in the engine's stable codes. The error types and statuses are the ones
 * https://docs.claude.com/en/api/errors lists (400 invalid_request_error, 401 authentication_error,
 * 403 permission_error, 404 not_found_error, 413 request_too_large, 429 rate_limit_error,
 * 500 api_error, 529 overloaded_error); the SDK throws them as APIError (status, headers, `error`
 * = the body {"type":"error","error":{"type","message"},"request_id"}), and an `event: error` inside
 * a started stream as an APIError without a status (sdk core/streaming.js).
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { MacsError } from '../../../../shared/index.js';
import { scrubSecret } from '../secret-text.js';
import { macsErrorIn } from '../no-redirect-fetch.js';
import { readableErrorText } from '../openai/error-bodies.js';

export interface AnthropicErrorContext {
  /** The configured provider id ("claude"). */
  provider: string;
  host: string;
  model?: string;
  /** Something of the answer arrived already: a lost connection is then a dropped stream. */
  streamStarted?: boolean;
  /** The key of this request: never in a message or detail we hand on. */
  apiKey?: string | null;
}

/**
 * The status a mid-stream `event: error` would have had as an HTTP answer: the streaming docs say
 * an overloaded_error there "would normally correspond to an HTTP 529 in a non-streaming context".
 */
const STATUS_OF_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  overloaded_error: 529,
};

/** "prompt is too long: 210345 tokens > 200000 maximum" (the API's own words for an oversized prompt). */
const PROMPT_TOO_LONG = /prompt is too long:\s*(\d+)\s*tokens?\s*>\s*(\d+)\s*maximum/i;
/**
 * The prompt fits but prompt + max_tokens does not (models before 4.5 refuse instead of stopping
 * with model_context_window_exceeded): "input length and `max_tokens` exceed context limit:
 * 188240 + 21333 > 200000, decrease input length or `max_tokens` and try again" (reported verbatim
 * in strands-agents/sdk-python#152 and others).
 */
const INPUT_PLUS_MAX = /exceed context limit:\s*(\d+)\s*\+\s*(\d+)\s*>\s*(\d+)/i;

/** Longest wait we honour from Retry-After before giving up (a minute-long wait is better reported than sat through). */
export const MAX_RETRY_AFTER_MS = 30_000;

/** The key out of text that leaves this module: the one scrubber every provider uses (raw, URL- and JSON-escaped forms). */
export function scrubKey(text: string, apiKey: string | null | undefined): string {
  return scrubSecret(text, apiKey, '[key removed]');
}

/** Retry-After in ms: `retry-after-ms` (the SDK reads it first), else `retry-after` as seconds or an HTTP date. */
export function retryAfterMs(headers: Headers | undefined | null, now = Date.now()): number | null {
  if (!headers) return null;
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return Math.round(ms);
  const raw = headers.get('retry-after');
  if (raw === null || raw.trim() === '') return null;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

export function isAbortLike(err: unknown): boolean {
  if (err instanceof APIUserAbortError) return true;
  const name = (err as { name?: string } | null)?.name;
  return name === 'AbortError';
}

/** Why a request to Anthropic failed, as a MacsError whose text and details never carry the key. */
export function mapAnthropicError(err: unknown, ctx: AnthropicErrorContext): MacsError {
  // Ours, maybe wrapped by the client library (a refused redirect): passed on as it is.
  const own = macsErrorIn(err);
  if (own) return own;
  const clean = (s: string) => scrubKey(s, ctx.apiKey);
  const where = `${ctx.provider} (${ctx.host})`;
  const base = { provider: ctx.provider, host: ctx.host, ...(ctx.model === undefined ? {} : { model: ctx.model }) };

  if (err instanceof APIConnectionTimeoutError || (err instanceof APIConnectionError && !(err instanceof APIUserAbortError))) {
    return lostConnection(err, ctx, where, base, clean);
  }
  if (err instanceof APIError) {
    const body = err.error as { error?: { type?: unknown; message?: unknown }; request_id?: unknown } | undefined;
    const type = typeof err.type === 'string' ? err.type : typeof body?.error?.type === 'string' ? body.error.type : null;
    // A proxy's HTML page arrives as the message text: its words only (error-bodies.ts readableErrorText).
    const providerMessage = clean(typeof body?.error?.message === 'string' ? body.error.message : readableErrorText(err.message.replace(/^\d{3}\s+/, '')));
    const midStream = err.status === undefined;
    const status = err.status ?? (type ? STATUS_OF_TYPE[type] : undefined);
    const requestId = err.requestID ?? (typeof body?.request_id === 'string' ? body.request_id : null);
    const details = {
      ...base,
      ...(status === undefined ? {} : { status }),
      ...(type ? { type } : {}),
      providerMessage,
      ...(requestId ? { requestId } : {}),
      ...(midStream ? { midStream: true } : {}),
    };
    const said = providerMessage.trim().replace(/[.\s]+$/, '');
    if (status === 401 || status === 403 || type === 'authentication_error' || type === 'permission_error') {
      return new MacsError(
        'PROVIDER_AUTH',
        status === 403 || type === 'permission_error'
          ? `${where} refused the API key for this request (${said}): the key has no access to ${ctx.model ? `"${ctx.model}"` : 'this resource'}.`
          : `${where} did not accept the API key (${said}). Set a valid key for "${ctx.provider}" in Settings → Providers.`,
        details,
      );
    }
    if (status === 404 || type === 'not_found_error') {
      return new MacsError('MODEL_NOT_FOUND', `${where} has no model "${ctx.model ?? '?'}" (${said}). Pick one from its model list.`, details);
    }
    if (status === 429 || type === 'rate_limit_error') {
      const wait = retryAfterMs(err.headers);
      return new MacsError(
        'RATE_LIMITED',
        `${where} is rate-limiting this key (${said})${wait === null ? '' : `; it asks to wait ${Math.ceil(wait / 1000)} s`}.`,
        { ...details, ...(wait === null ? {} : { retryAfterMs: wait }) },
      );
    }
    const both = INPUT_PLUS_MAX.exec(providerMessage);
    if (both) {
      const [promptTokens, answerTokens, contextLength] = [Number(both[1]), Number(both[2]), Number(both[3])];
      return new MacsError(
        'CONTEXT_TOO_LONG',
        `The prompt (${promptTokens} tokens) and the room asked for the answer (${answerTokens}) do not fit "${ctx.model ?? 'the model'}" at ${where} (${contextLength} tokens).`,
        { ...details, promptTokens, answerTokens, contextLength },
      );
    }
    const tooLong = PROMPT_TOO_LONG.exec(providerMessage);
    if (tooLong) {
      const promptTokens = Number(tooLong[1]);
      const maxTokens = Number(tooLong[2]);
      return new MacsError(
        'CONTEXT_TOO_LONG',
        `The prompt (${promptTokens} tokens) is longer than "${ctx.model ?? 'the model'}" takes at ${where} (${maxTokens} tokens).`,
        { ...details, promptTokens, maxTokens },
      );
    }
    // 529 overloaded_error, 500 api_error and any other 5xx clear by themselves: worth another try later.
    const transient = status !== undefined && status >= 500;
    return new MacsError(
      'PROVIDER_ERROR',
      transient
        ? `${where} is ${status === 529 ? 'overloaded' : 'failing'} (${status}${type ? ` ${type}` : ''}: ${said})${midStream ? ' mid-answer' : ''}. Try again in a moment.`
        : `${where} answered ${status ?? 'an error'}${type ? ` ${type}` : ''}: ${said}.`,
      { ...details, transient },
    );
  }
  // Not the SDK's: undici's "terminated" when the socket closes mid-body, a TypeError "fetch failed" …
  return lostConnection(err, ctx, where, base, clean);
}

function lostConnection(
  err: unknown,
  ctx: AnthropicErrorContext,
  where: string,
  base: Record<string, unknown>,
  clean: (s: string) => string,
): MacsError {
  const e = err as { message?: string; cause?: { code?: string; message?: string; cause?: { code?: string } } };
  const cause = clean(e?.cause?.code ?? e?.cause?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err));
  if (ctx.streamStarted) {
    return new MacsError('STREAM_DROPPED', `The connection to ${where} dropped mid-answer (${cause}). What arrived is kept.`, { ...base, cause });
  }
  const timedOut = err instanceof APIConnectionTimeoutError || (err as { name?: string })?.name === 'TimeoutError';
  return new MacsError(
    'PROVIDER_UNREACHABLE',
    timedOut ? `${where} did not answer in time (${cause}).` : `${where} is not reachable (${cause}). Check the network and the provider's base URL.`,
    { ...base, cause },
  );
}
