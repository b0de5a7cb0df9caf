import type { ModelInfo, OllamaStatus } from '../../../shared/index.js';
import type { ThinkValue } from './thinking.js';

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
  /** Structured output: a JSON schema (Ollama ≥ 0.5 constrains the answer to it) or 'json'. */
  format?: Record<string, unknown> | 'json';
  /** Cap on answer tokens (Ollama num_predict); the answer then ends with done_reason "length". */
  numPredict?: number;
  temperature?: number;
  /**
   * Ollama's `think`: set only for models whose capabilities have "thinking" (see thinkValueFor).
   * Left out, reasoning that leaks into content is still split off, and for a model whose
   * name says it reasons the text before a lone `</think>` is held back as reasoning.
   */
  think?: ThinkValue;
  /**
   * Ollama's keep_alive: how long the model stays loaded after this request ("30m", or seconds
   * as a number; docs/api.md). Left out, Ollama's default (5m) applies.
   */
  keepAlive?: string | number;
}

export type ChatChunk =
  | { type: 'token'; text: string }
  /** Reasoning: shown to the user, stored with the task, never given to the file extractor. */
  | { type: 'thinking'; text: string }
  | {
      type: 'done';
      doneReason: string | null;
      promptTokens: number;
      evalTokens: number;
      evalDurationMs: number;
      totalDurationMs: number;
      /** Ollama's load_duration: seconds when the model was loaded for this request, a few ms otherwise. */
      loadDurationMs?: number;
      /** Ollama's prompt_eval_duration (the cached prefix costs nothing here). */
      promptEvalDurationMs?: number;
      /** This piece was cut off at num_ctx and a continuation follows (llm/continue-stream.ts). */
      continued?: boolean;
    };

/** A model host. Ollama is the default; an OpenAI-compatible endpoint can implement the same face. */
export interface ModelProvider {
  readonly host: string;
  status(): Promise<OllamaStatus>;
  listModels(): Promise<ModelInfo[]>;
  chatStream(request: ChatRequest): AsyncIterable<ChatChunk>;
  /** Architecture metadata; verbose also returns per-layer arrays Ollama otherwise blanks. */
  show(name: string, opts?: { verbose?: boolean }): Promise<ShowResponse>;
  /** Models loaded in memory now. */
  ps(): Promise<LoadedModelInfo[]>;
  /** Download a model; progress lines until "success". Aborting the signal stops the download. */
  pull(name: string, signal: AbortSignal): AsyncIterable<PullEvent>;
  delete(name: string): Promise<void>;
}

/**
 * /api/show as Ollama sends it (the fields the app reads). model_info is GGUF metadata:
 * "general.architecture", "<arch>.block_count", "<arch>.attention.head_count_kv" (a number
 * or, for some models, a per-layer array) ...
 */
export interface ShowResponse {
  model_info: Record<string, unknown>;
  details: {
    family?: string;
    families?: string[] | null;
    parameter_size?: string;
    quantization_level?: string;
    format?: string;
  };
  /** Modelfile PARAMETER lines, e.g. "num_ctx 8192\nstop ...". */
  parameters?: string;
  capabilities?: string[];
  modified_at?: string;
}

/** One entry of /api/ps: a model loaded in memory right now. */
export interface LoadedModelInfo {
  name: string;
  digest: string;
  sizeBytes: number;
  /** Bytes of it in GPU memory (sizeBytes − sizeVramBytes sits in system RAM). */
  sizeVramBytes: number;
  /** The num_ctx it was loaded with (Ollama ≥ 0.9 reports it; null before). */
  contextLength: number | null;
  expiresAt: string | null;
}

/** A line of /api/pull: per layer, digest + total + completed; status alone for the other steps. */
export interface PullEvent {
  status: string;
  digest?: string;
  total?: number;
  completed?: number;
}
