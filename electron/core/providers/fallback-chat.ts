import type { EndpointStatus, ChatChunk, ChatProvider, ChatRequest, ContextWindow } from '../llm/index.js';
import type { ModelInfo } from '../../../shared/index.js';
import { shouldFallBack } from './routing.js';
import type { RouteCandidate } from './types.js';

/** Resolves a model reference to its provider (ProviderRegistry.chat); throws PROVIDER_NOT_FOUND / LOCAL_ONLY. */
type Resolve = (ref: string) => { provider: ChatProvider; model: string };

/**
 * A chat turn's provider with its fallbacks: the task's model first, then the chat route's
 * targets. A target that fails before any of its answer arrives (down, rate-limited, its key
 * refused, the model missing) hands the turn to the next, as a build step's call does
 * (routing.ts shouldFallBack). Once one answers, the turn stays with it (a continuation of a
 * cut-off answer goes to the same model), and id / kind / leavesMachine are that one's, so the
 * usage event says who really answered.
 */
export class FallbackChat implements ChatProvider {
  private chosen: { candidate: RouteCandidate; provider: ChatProvider; model: string } | null = null;

  constructor(
    private readonly candidates: readonly RouteCandidate[],
    private readonly resolve: Resolve,
    private readonly onFallback: (from: RouteCandidate, to: RouteCandidate, err: Error) => void,
  ) {}

  /** The target answering (or the first, before any has). */
  private get current(): { provider: ChatProvider; model: string } {
    return this.chosen ?? this.resolve(this.candidates[0].ref);
  }

  get id(): string {
    return this.current.provider.id;
  }
  get kind(): ChatProvider['kind'] {
    return this.current.provider.kind;
  }
  get host(): string {
    return this.current.provider.host;
  }
  get leavesMachine(): boolean {
    return this.current.provider.leavesMachine;
  }
  /** The model answering, as the provider names it. */
  get model(): string {
    return this.current.model;
  }

  status(): Promise<EndpointStatus> {
    return this.current.provider.status();
  }
  listModels(): Promise<ModelInfo[]> {
    return this.current.provider.listModels();
  }
  contextWindow(model: string): Promise<ContextWindow | null> {
    return this.current.provider.contextWindow(model);
  }

  async *chatStream(request: ChatRequest): AsyncIterable<ChatChunk> {
    if (this.chosen) {
      yield* this.chosen.provider.chatStream({ ...request, model: this.chosen.model });
      return;
    }
    for (const [i, candidate] of this.candidates.entries()) {
      const next = this.candidates[i + 1];
      let started = false;
      try {
        const { provider, model } = this.resolve(candidate.ref);
        for await (const chunk of provider.chatStream({ ...request, model })) {
          if (!started) {
            started = true;
            this.chosen = { candidate, provider, model };
          }
          yield chunk;
        }
        if (!started) this.chosen = { candidate, provider, model }; // an empty answer is still this one's
        return;
      } catch (err) {
        if (started || request.signal.aborted || !shouldFallBack(err, candidate.ref, next?.ref)) throw err;
        this.onFallback(candidate, next, err);
      }
    }
  }
}
