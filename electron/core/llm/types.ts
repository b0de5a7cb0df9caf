import type { ModelInfo, OllamaStatus } from '../../../shared/index.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  /** Always sent: Ollama's own default context is small and silently truncates prompts. */
  numCtx: number;
  signal: AbortSignal;
}

export type ChatChunk =
  | { type: 'token'; text: string }
  | {
      type: 'done';
      doneReason: string | null;
      promptTokens: number;
      evalTokens: number;
      evalDurationMs: number;
      totalDurationMs: number;
    };

/** A model host. Ollama is the default; an OpenAI-compatible endpoint can implement the same face. */
export interface ModelProvider {
  readonly host: string;
  status(): Promise<OllamaStatus>;
  listModels(): Promise<ModelInfo[]>;
  chatStream(request: ChatRequest): AsyncIterable<ChatChunk>;
}
