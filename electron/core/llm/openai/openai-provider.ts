import OpenAI, { APIError } from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { ModelInfo } from '../../../../shared/index.js';
import { MacsError, toErrorPayload } from '../../../../shared/index.js';
import type { RemoteProviderOptions } from '../../providers/types.js';
import { isAbortError } from '../ollama-errors.js';
import { ReasoningSplitter, type ReasoningPiece } from '../reasoning-splitter.js';
import { looksLikeReasoner } from '../thinking.js';
import type { ChatChunk, ChatProvider, ChatRequest, ContextWindow, EndpointStatus } from '../types.js';
import { askContextWindow, ContextWindowCache } from './context-window.js';
import { mapOpenAIError, scrubSecret, type OpenAIErrorContext } from './errors.js';
import { normalizeErrorBodies } from './error-bodies.js';
import { adaptAfterRefusal, initialShape, requestBody } from './request-shape.js';
import { noRedirectFetch } from '../no-redirect-fetch.js';
import { observeSse, type SseObservation } from './sse-observer.js';

const STATUS_TIMEOUT_MS = 3000;
const LIST_TIMEOUT_MS = 10_000;
/** Until response headers: a local server may process a long prompt first (the SDK's own default). */
const CHAT_TIMEOUT_MS = 600_000;
/** Retries after a 429 that came before any token. */
const RATE_LIMIT_RETRIES = 2;
const MAX_RETRY_WAIT_MS = 30_000;

type StreamDelta = ChatCompletionChunk.Choice.Delta & { reasoning_content?: string | null; reasoning?: string | null; refusal?: string | null };

/**
 * Any OpenAI-compatible chat server (LM Studio, llama-server, vLLM, LocalAI, OpenRouter, OpenAI)
 * through the official `openai` client. The key is read at each request and never kept here.
 */
export class OpenAICompatibleProvider implements ChatProvider {
  readonly id: string;
  readonly kind = 'openai' as const;
  readonly host: string;
  readonly leavesMachine: boolean;
  private readonly options: RemoteProviderOptions;
  private readonly contextCache = new ContextWindowCache();

  constructor(options: RemoteProviderOptions) {
    this.options = options;
    this.id = options.id;
    this.host = options.baseUrl.replace(/\/+$/, '');
    this.leavesMachine = options.leavesMachine;
  }

  /** A client per call: the key may have changed since the last one, and it is not kept anywhere. */
  private client(secret: string | null, timeout: number, sse: SseObservation = { sawDone: false }): OpenAI {
    return new OpenAI({
      baseURL: this.host,
      // Local servers ignore it; without a key no Authorization header is sent at all (null removes it).
      apiKey: secret ?? 'none',
      ...(secret ? {} : { defaultHeaders: { authorization: null } }),
      // The client would read OPENAI_ORG_ID / OPENAI_PROJECT_ID from the environment and send
      // them to whatever server this is: a provider sends only what its own configuration says.
      organization: null,
      project: null,
      maxRetries: 0,
      timeout,
      fetch: normalizeErrorBodies(observeSse(noRedirectFetch(this.options.fetch ?? globalThis.fetch), sse)),
    });
  }

  private errorContext(secret: string | null, model?: string, streamStarted?: boolean): OpenAIErrorContext {
    return { id: this.id, baseUrl: this.host, secret, ...(model === undefined ? {} : { model }), ...(streamStarted ? { streamStarted } : {}) };
  }

  async status(): Promise<EndpointStatus> {
    const checkedAt = Date.now();
    const secret = this.options.apiKey();
    try {
      await this.client(secret, STATUS_TIMEOUT_MS).models.list();
      return { host: this.host, reachable: true, version: null, error: null, checkedAt };
    } catch (err) {
      const mapped = mapOpenAIError(err, this.errorContext(secret));
      // A server that answers (with 401, say) is reachable; the error says what is wrong.
      return { host: this.host, reachable: mapped.code !== 'PROVIDER_UNREACHABLE', version: null, error: toErrorPayload(mapped), checkedAt };
    }
  }

  async listModels(): Promise<ModelInfo[]> {
    const secret = this.options.apiKey();
    try {
      const page = await this.client(secret, LIST_TIMEOUT_MS).models.list();
      return page.data.map((m) => ({
        name: m.id,
        size: 0,
        digest: '',
        modifiedAt: null,
        family: null,
        parameterSize: null,
        quantizationLevel: null,
      }));
    } catch (err) {
      throw mapOpenAIError(err, this.errorContext(secret));
    }
  }

  /** The user's override first; else what the server reports (see context-window.ts), cached a minute. */
  async contextWindow(model: string): Promise<ContextWindow | null> {
    const override = this.options.contextOverride;
    if (override !== null && override > 0) return { contextLength: override, loadedContextLength: null, source: 'your setting' };
    return this.contextCache.get(model, () =>
      askContextWindow(
        {
          baseUrl: this.host,
          fetch: noRedirectFetch(this.options.fetch ?? globalThis.fetch),
          headers: (): Record<string, string> => {
            const secret = this.options.apiKey();
            return secret ? { authorization: `Bearer ${secret}` } : {};
          },
        },
        model,
      ),
    );
  }

  async *chatStream(request: ChatRequest): AsyncIterable<ChatChunk> {
    const { model, signal } = request;
    const requestedAt = performance.now();
    let shape = initialShape(request);
    let rateRetries = 0;
    let secret: string | null = null;
    let stream: AsyncIterable<ChatCompletionChunk>;
    const sse: SseObservation = { sawDone: false };
    for (;;) {
      secret = this.options.apiKey();
      try {
        stream = await this.client(secret, CHAT_TIMEOUT_MS, sse).chat.completions.create(requestBody(request, shape), { signal });
        break;
      } catch (err) {
        if (signal.aborted || isAbortError(err)) throw abortReason(signal, err);
        const mapped = mapOpenAIError(err, this.errorContext(secret, model));
        // A 400 naming something we sent that this server does not take (structured output,
        // max_tokens on OpenAI's reasoning models …): ask again without it, once per parameter.
        // Without response_format the answer is still parsed as JSON by the caller.
        const adapted =
          err instanceof APIError && err.status === 400 && mapped.code !== 'CONTEXT_TOO_LONG'
            ? adaptAfterRefusal(request, shape, String(mapped.details?.providerMessage ?? ''), err.param)
            : null;
        if (adapted) {
          shape = adapted;
          continue;
        }
        if (mapped.code === 'RATE_LIMITED' && !mapped.details?.quota && rateRetries < RATE_LIMIT_RETRIES) {
          const asked = typeof mapped.details?.retryAfterMs === 'number' ? mapped.details.retryAfterMs : 1000 * 2 ** rateRetries;
          rateRetries++;
          await sleep(Math.min(asked, MAX_RETRY_WAIT_MS), signal);
          continue;
        }
        throw mapped;
      }
    }

    // Servers that know the model's reasoning format send it apart (reasoning_content: llama-server,
    // vLLM, DeepSeek; reasoning: OpenRouter, LM Studio); whatever leaks into content is split here.
    const splitter = new ReasoningSplitter({ assumeOpenThink: request.think === undefined && looksLikeReasoner(model) });
    let finishReason: string | null = null;
    let promptTokens = 0;
    let evalTokens = 0;
    let firstDeltaAt: number | null = null;
    let refusal = '';
    try {
      for await (const chunk of stream) {
        throwIfErrorChunk(chunk);
        if (chunk.usage) {
          promptTokens = chunk.usage.prompt_tokens ?? 0;
          evalTokens = chunk.usage.completion_tokens ?? 0;
        }
        // Only the first choice is ours (n is never sent); a chunk of another index is not part of it.
        const choice = chunk.choices?.find((c) => (c.index ?? 0) === 0);
        if (!choice) continue;
        const delta = (choice.delta ?? {}) as StreamDelta;
        const reasoning = delta.reasoning_content ?? delta.reasoning;
        if (typeof reasoning === 'string' && reasoning !== '') {
          firstDeltaAt ??= performance.now();
          yield* asChunks(splitter.serverSplits());
          yield { type: 'thinking', text: reasoning };
        }
        if (typeof delta.content === 'string' && delta.content !== '') {
          firstDeltaAt ??= performance.now();
          yield* asChunks(splitter.push(delta.content));
        }
        // OpenAI streams a structured-output refusal in delta.refusal, not content (guides/structured-outputs "Refusals").
        if (typeof delta.refusal === 'string') refusal += delta.refusal;
        if (choice.finish_reason) finishReason = choice.finish_reason;
      }
    } catch (err) {
      if (signal.aborted || isAbortError(err)) throw abortReason(signal, err);
      // Headers came, so the server was there: a failure now is a drop (or its error event).
      throw mapOpenAIError(err, this.errorContext(secret, model, true));
    }
    // The client ends its iteration quietly when the request is aborted: make Stop visible.
    if (signal.aborted) throw abortReason(signal);
    const where = `"${this.id}" at ${this.host}`;
    if (finishReason === null && !sse.sawDone) {
      // Neither finish_reason nor [DONE]: the connection was closed early (a proxy's timeout, a
      // server that died) though the HTTP body ended cleanly. Every server we copy sends one of the
      // two (ik_llama.cpp#467: without [DONE] there is still a finish_reason).
      throw new MacsError('STREAM_DROPPED', `The connection to provider ${where} ended before the answer did (no finish_reason and no [DONE]). What arrived is kept.`, {
        provider: this.id,
        baseUrl: this.host,
        model,
        cause: 'no finish_reason',
      });
    }
    if (finishReason === 'content_filter') {
      // "content_filter: content was omitted due to a flag from our content filters" (OpenAI
      // chat object docs; Azure OpenAI the same): what arrived is cut, not an answer to build from.
      throw new MacsError('PROVIDER_ERROR', `Provider ${where} stopped the answer of "${model}" with its content filter (finish_reason "content_filter"). What arrived is not a complete answer.`, {
        provider: this.id,
        baseUrl: this.host,
        model,
        refusal: true,
        finishReason,
      });
    }
    if (refusal.trim() !== '') {
      throw new MacsError('PROVIDER_ERROR', `Model "${model}" on provider ${where} declined to answer: ${scrubSecret(refusal.trim(), secret)}`, {
        provider: this.id,
        baseUrl: this.host,
        model,
        refusal: true,
        providerMessage: scrubSecret(refusal.trim(), secret),
      });
    }
    yield* asChunks(splitter.end({ complete: finishReason !== null, doneReason: finishReason }));
    const endedAt = performance.now();
    yield {
      type: 'done',
      doneReason: finishReason,
      promptTokens,
      evalTokens,
      promptEvalDurationMs: (firstDeltaAt ?? endedAt) - requestedAt,
      evalDurationMs: firstDeltaAt === null ? 0 : endedAt - firstDeltaAt,
      totalDurationMs: endedAt - requestedAt,
    };
  }
}

/**
 * An error sent as a chunk the client does not recognise as one: vLLM's ErrorResponse at the top
 * level (`{"object":"error","message":…,"type":…,"code":400}`, vllm/entrypoints/openai/protocol.py;
 * older serving_chat.py streamed it as `data:` this way) or after an `event: error` line.
 */
function throwIfErrorChunk(chunk: ChatCompletionChunk): void {
  const c = chunk as unknown as Record<string, unknown>;
  if (c.object === 'error' || (!Array.isArray(c.choices) && c.usage == null && typeof c.message === 'string')) {
    throw new APIError(undefined, { message: typeof c.message === 'string' ? c.message : 'error', ...(c.type ? { type: c.type } : {}) }, undefined, new Headers());
  }
}

function* asChunks(pieces: ReasoningPiece[]): Iterable<ChatChunk> {
  for (const p of pieces) yield p.kind === 'answer' ? { type: 'token', text: p.text } : { type: 'thinking', text: p.text };
}

/** What an aborted fetch rejects with: the signal's reason (an AbortError DOMException unless the caller gave one). */
function abortReason(signal: AbortSignal, err?: unknown): unknown {
  if (signal.aborted) return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
  return err;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortReason(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
