import type { ModelInfo, OllamaStatus, ProviderKind } from '../../../shared/index.js';
import type { ThinkValue } from './thinking.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  /** The provider's own model name (a task's "@lmstudio/x" reference arrives here as "x"). */
  model: string;
  messages: ChatMessage[];
  /**
   * Always sent to Ollama: its own default context is small and silently truncates prompts.
   * Other servers fix the window when they load the model: there it is what the prompt was sized to.
   */
  numCtx: number;
  signal: AbortSignal;
  /**
   * Structured output: a JSON schema (Ollama ≥ 0.5 constrains the answer to it) or 'json'.
   * OpenAI-compatible: response_format json_schema / json_object; Anthropic: a forced tool whose input is the answer.
   */
  format?: Record<string, unknown> | 'json';
  /** Cap on answer tokens (Ollama num_predict, OpenAI max_tokens, Anthropic max_tokens); the answer then ends with doneReason "length". */
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

/** A provider's reachability: the host it answers at, its version when it says, the error when it is down. */
export type EndpointStatus = OllamaStatus;

/** The context window a server reports for a model (never assumed): null fields when it does not say. */
export interface ContextWindow {
  /** The most the model can take (Ollama `<arch>.context_length`, LM Studio max_context_length, vLLM max_model_len). */
  contextLength: number | null;
  /** What it is loaded with now (llama-server /props n_ctx, LM Studio loaded_context_length). */
  loadedContextLength: number | null;
  /** Where the numbers came from, for the UI and logs: "/props n_ctx", "/api/v0/models", "/v1/models max_model_len". */
  source: string;
}

/**
 * The chat face every provider has: Ollama, any OpenAI-compatible server, Anthropic. The build
 * pipeline and chat turns use only this. Chunks are the same for all: answer tokens, reasoning
 * (never the extractor's), and a final 'done' whose doneReason is "length" for every kind of
 * cut-off (Ollama done_reason, OpenAI finish_reason, Anthropic stop_reason max_tokens).
 */
export interface ChatProvider {
  /** "ollama" for the built-in one; the configured id for the others ("lmstudio", "claude"). */
  readonly id: string;
  readonly kind: ProviderKind;
  /** Base URL (Ollama: the host). */
  readonly host: string;
  /** Prompts sent here leave this machine and its local network. */
  readonly leavesMachine: boolean;
  status(): Promise<EndpointStatus>;
  listModels(): Promise<ModelInfo[]>;
  chatStream(request: ChatRequest): AsyncIterable<ChatChunk>;
  /** The context window the server reports for `model`; null when it reports nothing. */
  contextWindow(model: string): Promise<ContextWindow | null>;
}

/** Model management: Ollama only (other servers load and unload models their own way). */
export interface ModelManager {
  /** Architecture metadata; verbose also returns per-layer arrays Ollama otherwise blanks. */
  show(name: string, opts?: { verbose?: boolean }): Promise<ShowResponse>;
  /** Models loaded in memory now. */
  ps(): Promise<LoadedModelInfo[]>;
  /** Download a model; progress lines until "success". Aborting the signal stops the download. */
  pull(name: string, signal: AbortSignal): AsyncIterable<PullEvent>;
  delete(name: string): Promise<void>;
}

/** An Ollama host: chat and model management. */
export type ModelProvider = ChatProvider & ModelManager;

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
