import Anthropic from '@anthropic-ai/sdk';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { ModelInfo } from '../../../../shared/index.js';
import { MacsError, toErrorPayload } from '../../../../shared/index.js';
import type { RemoteProviderOptions } from '../../providers/types.js';
import type { ChatChunk, ChatProvider, ChatRequest, ContextWindow, EndpointStatus } from '../types.js';
import { isAbortLike, mapAnthropicError, MAX_RETRY_AFTER_MS, scrubKey } from './errors.js';
import { buildRequest, doneReasonOf } from './messages.js';
import { noRedirectFetch } from '../no-redirect-fetch.js';

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';
const STATUS_TIMEOUT_MS = 3000;
/** Retries of a 429 before any token arrived; then RATE_LIMITED goes to the caller (and its route's fallback). */
export const RATE_LIMIT_RETRIES = 2;
/** When a 429 says nothing about when to come back: 1 s, then 2 s. */
const RATE_LIMIT_FALLBACK_WAIT_MS = 1000;

/**
 * Anthropic's Messages API through the official client. A client per call, built with the key of
 * that moment (a key changed in Settings applies at once; none is kept on this object), SDK
 * retries off (ours honour Retry-After and stop before any token), and the caller's signal on
 * every request.
 */
export class AnthropicProvider implements ChatProvider {
  readonly id: string;
  readonly kind = 'anthropic' as const;
  readonly host: string;
  readonly leavesMachine: boolean;
  private readonly opts: RemoteProviderOptions;
  /** max_tokens per model as the Models API reported it (read by contextWindow), for requests without numPredict. */
  private readonly modelMaxTokens = new Map<string, number>();

  constructor(opts: RemoteProviderOptions) {
    this.opts = opts;
    this.id = opts.id;
    this.host = (opts.baseUrl.trim() || ANTHROPIC_DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.leavesMachine = opts.leavesMachine;
  }

  /**
   * The key passed in code is the client's only credential: the SDK then reads no environment
   * variable or profile of its own (client.js: "A credential passed in code is the client's only one").
   */
  private client(apiKey: string): Anthropic {
    return new Anthropic({ baseURL: this.host, apiKey, maxRetries: 0, fetch: noRedirectFetch(this.opts.fetch) });
  }

  /** The key of this request; Anthropic answers nothing without one, so none is refused here, before any request. */
  private key(): string {
    const key = this.opts.apiKey();
    if (key) return key;
    throw new MacsError('PROVIDER_AUTH', `No API key is set for ${this.id} (${this.host}). Add one in Settings → Providers, or name an environment variable that holds it.`, {
      provider: this.id,
      host: this.host,
      missingKey: true,
    });
  }

  async status(): Promise<EndpointStatus> {
    const checkedAt = Date.now();
    let apiKey: string | null = null;
    try {
      apiKey = this.key();
      await this.client(apiKey).models.list({ limit: 1 }, { timeout: STATUS_TIMEOUT_MS, signal: AbortSignal.timeout(STATUS_TIMEOUT_MS + 500) });
      return { host: this.host, reachable: true, version: null, error: null, checkedAt };
    } catch (err) {
      const mapped = isAbortLike(err)
        ? new MacsError('PROVIDER_UNREACHABLE', `${this.id} (${this.host}) did not answer within ${STATUS_TIMEOUT_MS / 1000} s.`, { provider: this.id, host: this.host })
        : mapAnthropicError(err, { provider: this.id, host: this.host, apiKey });
      return { host: this.host, reachable: false, version: null, error: toErrorPayload(mapped), checkedAt };
    }
  }

  async listModels(): Promise<ModelInfo[]> {
    const apiKey = this.key();
    try {
      const models: ModelInfo[] = [];
      // The SDK's page iterator follows has_more / last_id (GET /v1/models?after_id=…).
      for await (const m of this.client(apiKey).models.list()) {
        this.remember(m);
        models.push({ name: m.id, size: 0, digest: '', modifiedAt: null, family: null, parameterSize: null, quantizationLevel: null });
      }
      return models;
    } catch (err) {
      throw mapAnthropicError(err, { provider: this.id, host: this.host, apiKey });
    }
  }

  /** The user's override, else the Models API's max_input_tokens (GET /v1/models/{id}), else null: never guessed. */
  async contextWindow(model: string): Promise<ContextWindow | null> {
    if (this.opts.contextOverride !== null) {
      return { contextLength: this.opts.contextOverride, loadedContextLength: null, source: 'your setting for this provider' };
    }
    const apiKey = this.key();
    try {
      const info = await this.client(apiKey).models.retrieve(model);
      this.remember(info);
      const max = (info as { max_input_tokens?: unknown }).max_input_tokens;
      return typeof max === 'number' && max > 0 ? { contextLength: max, loadedContextLength: null, source: '/v1/models max_input_tokens' } : null;
    } catch (err) {
      throw mapAnthropicError(err, { provider: this.id, host: this.host, model, apiKey });
    }
  }

  private remember(info: { id: string; max_tokens?: number | null }): void {
    if (typeof info.max_tokens === 'number' && info.max_tokens > 0) this.modelMaxTokens.set(info.id, info.max_tokens);
  }

  async *chatStream(request: ChatRequest): AsyncIterable<ChatChunk> {
    const { model, signal } = request;
    const apiKey = this.key();
    const ctx = { provider: this.id, host: this.host, model, apiKey };
    const { body, shape } = buildRequest(request, this.modelMaxTokens.get(model));
    const startedAt = performance.now();
    const stream = await this.open(body, signal, apiKey, ctx);

    let firstDeltaAt: number | null = null;
    let promptTokens = 0;
    let evalTokens = 0;
    let stopReason: string | null = null;
    let stopped = false;
    let refusalWhy: string | null = null;
    try {
      for await (const event of stream as AsyncIterable<RawMessageStreamEvent>) {
        switch (event.type) {
          case 'message_start': {
            const u = event.message.usage;
            promptTokens = (u.input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0);
            evalTokens = u.output_tokens ?? 0;
            break;
          }
          case 'content_block_delta': {
            const d = event.delta;
            let chunk: ChatChunk | null = null;
            // With the forced tool the answer is its input; text beside it (the docs say none comes, a
            // proxy or a newer model may differ) would break the JSON: it is shown as reasoning.
            if (d.type === 'text_delta' && d.text) chunk = shape === 'tool' ? { type: 'thinking', text: d.text } : { type: 'token', text: d.text };
            else if (d.type === 'thinking_delta' && d.thinking) chunk = { type: 'thinking', text: d.thinking };
            // The forced tool's input is the answer; any other tool's (none is offered) is not.
            else if (d.type === 'input_json_delta' && shape === 'tool' && d.partial_json) chunk = { type: 'token', text: d.partial_json };
            // signature_delta (thinking integrity), citations_delta: nothing to show.
            if (chunk) {
              firstDeltaAt ??= performance.now();
              yield chunk;
            }
            break;
          }
          case 'message_delta': {
            // The usage here is cumulative (streaming docs): the last one is the answer's.
            stopReason = event.delta.stop_reason ?? stopReason;
            // Streaming refusals: stop_details {type:"refusal", category, explanation} comes beside stop_reason here
            // (docs: test-and-evaluate/strengthen-guardrails/handle-streaming-refusals).
            const details = (event.delta as { stop_details?: { explanation?: unknown } | null }).stop_details;
            if (typeof details?.explanation === 'string') refusalWhy = details.explanation;
            if (typeof event.usage?.output_tokens === 'number') evalTokens = event.usage.output_tokens;
            const u = event.usage as { input_tokens?: number | null; cache_read_input_tokens?: number | null; cache_creation_input_tokens?: number | null };
            if (typeof u.input_tokens === 'number') {
              promptTokens = u.input_tokens + (u.cache_read_input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0);
            }
            break;
          }
          case 'message_stop':
            stopped = true;
            break;
          default:
            break; // content_block_start/stop carry nothing we show; ping never reaches here (the SDK drops it)
        }
      }
    } catch (err) {
      if (signal.aborted || isAbortLike(err)) throw abortError(signal);
      throw mapAnthropicError(err, { ...ctx, streamStarted: true });
    }
    // The SDK ends the iteration quietly when its controller aborts: our signal says whether that was Stop.
    if (signal.aborted) throw abortError(signal);
    if (!stopped) {
      throw new MacsError('STREAM_DROPPED', `The connection to ${this.id} (${this.host}) ended before the answer did (no message_stop). What arrived is kept.`, {
        provider: this.id,
        host: this.host,
        model,
      });
    }
    if (stopReason === 'refusal') {
      // "No additional refusal message is included. You must … provide appropriate user-facing
      // messaging" (streaming-refusals docs): the text so far is not an answer, and must not be
      // cached or built from as one.
      const why = refusalWhy === null ? '' : `: ${scrubKey(refusalWhy, apiKey)}`;
      throw new MacsError(
        'PROVIDER_ERROR',
        `${this.id} (${this.host}) declined to answer with "${model}" (stop_reason "refusal")${why}. Rephrase the request or pick another model; what arrived is not a complete answer.`,
        { provider: this.id, host: this.host, model, refusal: true, ...(refusalWhy === null ? {} : { providerMessage: scrubKey(refusalWhy, apiKey) }) },
      );
    }
    const endedAt = performance.now();
    const first = firstDeltaAt ?? endedAt;
    yield {
      type: 'done',
      doneReason: doneReasonOf(stopReason),
      promptTokens,
      evalTokens,
      promptEvalDurationMs: first - startedAt,
      evalDurationMs: endedAt - first,
      totalDurationMs: endedAt - startedAt,
    };
  }

  /** POST /v1/messages; a 429 before any token waits as Retry-After asks (≤ 30 s, abortable) and tries again, twice at most. */
  private async open(sent: ReturnType<typeof buildRequest>['body'], signal: AbortSignal, apiKey: string, ctx: Parameters<typeof mapAnthropicError>[1]) {
    let body = sent;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.client(apiKey).messages.create(body, { signal });
      } catch (err) {
        if (signal.aborted || isAbortLike(err)) throw abortError(signal);
        const mapped = mapAnthropicError(err, ctx);
        const smaller = mapped.code === 'CONTEXT_TOO_LONG' ? fitMaxTokens(body, mapped.details) : null;
        if (smaller) {
          // The prompt fits; only the answer's room did not: ask once more with the room that is left.
          body = smaller;
          continue;
        }
        if (mapped.code !== 'RATE_LIMITED' || attempt >= RATE_LIMIT_RETRIES) throw mapped;
        const asked = mapped.details?.retryAfterMs;
        const wait = typeof asked === 'number' ? asked : RATE_LIMIT_FALLBACK_WAIT_MS * 2 ** attempt;
        if (wait > MAX_RETRY_AFTER_MS) throw mapped;
        await sleep(wait, signal);
      }
    }
  }
}

/**
 * The body with max_tokens lowered to what the context window leaves after the prompt, when the
 * refusal was only about max_tokens ("input length and `max_tokens` exceed context limit: N + M > L")
 * and at least MIN_ANSWER_ROOM is left; the thinking budget shrinks with it (it must stay below
 * max_tokens) or goes. Null when there is nothing to lower.
 */
const MIN_ANSWER_ROOM = 1024;
function fitMaxTokens(body: ReturnType<typeof buildRequest>['body'], details: Record<string, unknown> | undefined): ReturnType<typeof buildRequest>['body'] | null {
  const prompt = details?.promptTokens;
  const limit = details?.contextLength;
  if (typeof prompt !== 'number' || typeof limit !== 'number' || typeof details?.answerTokens !== 'number') return null;
  const room = limit - prompt;
  if (room < MIN_ANSWER_ROOM || room >= body.max_tokens) return null;
  const next = { ...body, max_tokens: room };
  if (next.thinking?.type === 'enabled' && next.thinking.budget_tokens >= room) {
    const budget = room - MIN_ANSWER_ROOM;
    if (budget >= 1024) next.thinking = { type: 'enabled', budget_tokens: budget };
    else delete next.thinking;
  }
  return next;
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  return new DOMException('The request was aborted.', 'AbortError');
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortError(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
