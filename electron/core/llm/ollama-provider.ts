import { Ollama } from 'ollama';
import type { ModelInfo, OllamaStatus } from '../../../shared/index.js';
import { MacsError, OLLAMA_PROVIDER_ID, toErrorPayload, urlLeavesMachine } from '../../../shared/index.js';
import { noRedirectFetch } from './no-redirect-fetch.js';
import { isAbortError, mapOllamaError } from './ollama-errors.js';
import { ReasoningSplitter, type ReasoningPiece } from './reasoning-splitter.js';
import { looksLikeReasoner } from './thinking.js';
import type { ChatChunk, ChatRequest, ContextWindow, LoadedModelInfo, ModelProvider, PullEvent, ShowResponse } from './types.js';

const NS_PER_MS = 1e6;
const STATUS_TIMEOUT_MS = 3000;

/** Ollama through the official client, native API. */
export class OllamaProvider implements ModelProvider {
  readonly id = OLLAMA_PROVIDER_ID;
  readonly kind = 'ollama' as const;
  readonly host: string;
  /** Ollama on this machine or a LAN box stays local; one at a public address does not. */
  readonly leavesMachine: boolean;

  constructor(host: string) {
    this.host = host.replace(/\/+$/, '');
    this.leavesMachine = urlLeavesMachine(this.host);
  }

  /** The trained window from /api/show (`<arch>.context_length`), and what /api/ps says it is loaded with. */
  async contextWindow(model: string): Promise<ContextWindow | null> {
    const show = await this.show(model);
    const arch = show.model_info['general.architecture'];
    const trained = typeof arch === 'string' ? show.model_info[`${arch}.context_length`] : undefined;
    const loaded = (await this.ps().catch(() => [])).find((m) => m.name === model)?.contextLength ?? null;
    return { contextLength: typeof trained === 'number' && trained > 0 ? trained : null, loadedContextLength: loaded, source: '/api/show' };
  }

  /** A client per call: `abort()` on a client aborts all its streams, so sharing one would cross-cancel tasks. */
  private client(fetchImpl?: typeof fetch): Ollama {
    // Never a redirect: the prompt goes to the configured host only (llm/no-redirect-fetch.ts).
    return new Ollama({ host: this.host, fetch: noRedirectFetch(fetchImpl) });
  }

  /**
   * A client whose every request also carries `signal`. The client only hands out its
   * abortable stream once response headers arrive, and Ollama sends none while a model
   * loads or a pull resolves its manifest: our signal on fetch itself makes Stop work then too.
   */
  private clientWithSignal(signal: AbortSignal): Ollama {
    return this.client((input, init) => fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal }));
  }

  async status(): Promise<OllamaStatus> {
    const checkedAt = Date.now();
    const timeout = AbortSignal.timeout(STATUS_TIMEOUT_MS);
    const fetchWithTimeout: typeof fetch = (input, init) => fetch(input, { ...init, signal: timeout });
    try {
      const { version } = await this.client(fetchWithTimeout).version();
      return { host: this.host, reachable: true, version, error: null, checkedAt };
    } catch (err) {
      const mapped = isAbortError(err) || (err as Error)?.name === 'TimeoutError'
        ? new MacsError('OLLAMA_UNREACHABLE', `Ollama did not answer within ${STATUS_TIMEOUT_MS / 1000} s at ${this.host}.`, { host: this.host })
        : mapOllamaError(err, { host: this.host });
      return { host: this.host, reachable: false, version: null, error: toErrorPayload(mapped), checkedAt };
    }
  }

  async listModels(): Promise<ModelInfo[]> {
    try {
      const { models } = await this.client().list();
      return models.map((m) => ({
        name: m.name,
        size: m.size,
        digest: m.digest,
        modifiedAt: m.modified_at ? new Date(m.modified_at).toISOString() : null,
        family: m.details?.family ?? null,
        parameterSize: m.details?.parameter_size ?? null,
        quantizationLevel: m.details?.quantization_level ?? null,
      }));
    } catch (err) {
      throw mapOllamaError(err, { host: this.host });
    }
  }

  async *chatStream(request: ChatRequest): AsyncIterable<ChatChunk> {
    const { model, signal } = request;
    let started = false;
    const stream = await this.openStream(request).catch((err: unknown) => {
      if (signal.aborted || isAbortError(err)) throw err;
      throw mapOllamaError(err, { host: this.host, model });
    });
    const onAbort = () => stream.abort();
    if (signal.aborted) stream.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    // The server splits reasoning into message.thinking when it knows how; whatever leaks into
    // content (<think> tags, a lone </think>, harmony channels) is split here.
    const splitter = new ReasoningSplitter({ assumeOpenThink: request.think === undefined && looksLikeReasoner(model) });
    try {
      for await (const part of stream) {
        started = true;
        const thinking = part.message?.thinking;
        if (thinking) {
          yield* asChunks(splitter.serverSplits());
          yield { type: 'thinking', text: thinking };
        }
        if (part.message?.content) yield* asChunks(splitter.push(part.message.content));
        if (part.done) {
          yield* asChunks(splitter.end({ complete: true, doneReason: part.done_reason ?? null }));
          yield {
            type: 'done',
            doneReason: part.done_reason ?? null,
            promptTokens: part.prompt_eval_count ?? 0,
            evalTokens: part.eval_count ?? 0,
            evalDurationMs: (part.eval_duration ?? 0) / NS_PER_MS,
            totalDurationMs: (part.total_duration ?? 0) / NS_PER_MS,
            loadDurationMs: (part.load_duration ?? 0) / NS_PER_MS,
            promptEvalDurationMs: (part.prompt_eval_duration ?? 0) / NS_PER_MS,
          };
        }
      }
    } catch (err) {
      if (signal.aborted || isAbortError(err)) throw err;
      throw mapOllamaError(err, { host: this.host, model, streamStarted: started });
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  async show(name: string, opts: { verbose?: boolean } = {}): Promise<ShowResponse> {
    try {
      // The client types model_info as a Map; on the wire (and here) it is a plain object.
      // verbose is not in the client's request type; the client forwards the body as given.
      const request = opts.verbose ? ({ model: name, verbose: true } as { model: string }) : { model: name };
      const res = (await this.client().show(request)) as unknown as ShowResponse;
      return { ...res, model_info: res.model_info ?? {}, details: res.details ?? {} };
    } catch (err) {
      throw mapOllamaError(err, { host: this.host, model: name });
    }
  }

  async ps(): Promise<LoadedModelInfo[]> {
    try {
      const { models } = await this.client().ps();
      return models.map((m) => {
        // context_length is newer than the client's types.
        const ctx = (m as unknown as { context_length?: unknown }).context_length;
        return {
          name: m.name,
          digest: m.digest,
          sizeBytes: m.size,
          sizeVramBytes: m.size_vram ?? 0,
          contextLength: typeof ctx === 'number' && ctx > 0 ? ctx : null,
          expiresAt: m.expires_at ? new Date(m.expires_at).toISOString() : null,
        };
      });
    } catch (err) {
      throw mapOllamaError(err, { host: this.host });
    }
  }

  async *pull(name: string, signal: AbortSignal): AsyncIterable<PullEvent> {
    let started = false;
    const stream = await this.clientWithSignal(signal)
      .pull({ model: name, stream: true })
      .catch((err: unknown) => {
        if (signal.aborted || isAbortError(err)) throw err;
        throw mapPullError(err, this.host, name, false);
      });
    const onAbort = () => stream.abort();
    if (signal.aborted) stream.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      for await (const part of stream) {
        started = true;
        const event: PullEvent = { status: part.status };
        if (part.digest) event.digest = part.digest;
        if (typeof part.total === 'number') event.total = part.total;
        if (typeof part.completed === 'number') event.completed = part.completed;
        yield event;
      }
    } catch (err) {
      if (signal.aborted || isAbortError(err)) throw err;
      throw mapPullError(err, this.host, name, started);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  async delete(name: string): Promise<void> {
    try {
      await this.client().delete({ model: name });
    } catch (err) {
      throw mapOllamaError(err, { host: this.host, model: name });
    }
  }

  private openStream({ model, messages, numCtx, signal, format, numPredict, temperature, think, keepAlive }: ChatRequest) {
    const options: { num_ctx: number; num_predict?: number; temperature?: number } = { num_ctx: numCtx };
    if (numPredict !== undefined) options.num_predict = numPredict;
    if (temperature !== undefined) options.temperature = temperature;
    const body = {
      model,
      messages,
      stream: true as const,
      options,
      // Never let Ollama shift the context (drop the prompt's start and go on): the answer then
      // ends with done_reason "length" and is continued or flagged (llm/context-overflow.ts).
      // A top-level request field since Ollama 0.12.6 (api/types.go ChatRequest.Shift, commit
      // 6544e1473); older servers ignore unknown fields and still shift, which is detected from the
      // counts. From 0.30 it is a llama-server launch flag (server/sched.go resolveContextShift):
      // a client that sends a different value makes Ollama reload the model.
      shift: false,
      ...(format === undefined ? {} : { format }),
      ...(think === undefined ? {} : { think }),
      // How long the model stays loaded after this request (docs/api.md keep_alive: "30m" or seconds).
      ...(keepAlive === undefined ? {} : { keep_alive: keepAlive }),
    };
    // `shift` is newer than the client's request type; the client sends the body as given.
    return this.clientWithSignal(signal).chat(body);
  }
}

function* asChunks(pieces: ReasoningPiece[]): Iterable<ChatChunk> {
  for (const p of pieces) yield p.kind === 'answer' ? { type: 'token', text: p.text } : { type: 'thinking', text: p.text };
}

/** A pull's failures read differently from a chat's: an unknown name is not in the library, and a cut download resumes. */
function mapPullError(err: unknown, host: string, name: string, started: boolean): MacsError {
  const message = (err as { message?: string })?.message ?? String(err);
  if (/file does not exist|manifest unknown|not found/i.test(message)) {
    return new MacsError('MODEL_NOT_FOUND', `"${name}" is not in the Ollama library (${message}). Check the name and tag on ollama.com/library.`, {
      model: name,
      host,
      ollamaMessage: message,
    });
  }
  const mapped = mapOllamaError(err, { host, model: name, streamStarted: started });
  if (mapped.code !== 'STREAM_DROPPED') return mapped;
  return new MacsError('STREAM_DROPPED', `The connection to Ollama at ${host} dropped while pulling "${name}". Pull again: Ollama resumes where it stopped.`, {
    ...mapped.details,
    model: name,
  });
}
