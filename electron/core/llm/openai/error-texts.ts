/**
 * What OpenAI-compatible servers say when a prompt does not fit, and where each says the window size.
 * Each pattern is copied from the server's own wording:
 *  - OpenAI: 400, error.code "context_length_exceeded", "This model's maximum context length is
 *    8192 tokens. However, your messages resulted in 9000 tokens…" (platform.openai.com error codes).
 *  - vLLM: the same sentence (vllm/entrypoints/openai/serving_engine.py _validate_input: "This
 *    model's maximum context length is {max_model_len} tokens. However, you requested …"), newer
 *    "'max_tokens' or 'max_completion_tokens' is too large: N. This model's maximum context length
 *    is M tokens and your request has K input tokens", and "The decoder prompt (length N) is longer
 *    than the maximum model length of M".
 *  - llama-server: error.type "exceed_context_size_error" with n_prompt_tokens and n_ctx fields,
 *    "request (4476 tokens) exceeds the available context size (4096 tokens), try increasing it"
 *    (older builds: "the request exceeds the available context size, try increasing it";
 *    tools/server/server-common / utils.hpp format_error_response ERROR_TYPE_EXCEED_CONTEXT_SIZE).
 *  - LM Studio: "Trying to keep the first 111490 tokens when context the overflows. However, the
 *    model is loaded with context length of only 32768 tokens, which is not enough. Try to load the
 *    model with a larger context length, or provide a shorter input" (lmstudio-bug-tracker #546,
 *    #237), "Cannot truncate prompt with n_keep (15028) >= n_ctx (7424)" (opencode #11141),
 *    "Reached context length of 4096 tokens with model … that does not currently support
 *    mid-generation context overflow" (lmstudio-bug-tracker #1251), MLX "Context size has been
 *    exceeded" (#2339).
 */
const CONTEXT_TOO_LONG =
  /context_length_exceeded|exceed_context_size|maximum context length|maximum model length|exceeds the available context size|context length of (?:only )?\d+ tokens|when context the overflows|n_keep \(\d+\) >= n_ctx|context size has been exceeded|reached context length/i;

/** Where the window size is said, most specific first. */
const CONTEXT_LENGTH_IN_TEXT = [
  /maximum context length is (\d+) tokens/i,
  /maximum model length of (\d+)/i,
  /available context size \((\d+) tokens\)/i,
  /context length of (?:only )?(\d+) tokens/i,
  />= n_ctx \((\d+)\)/i,
];

export function saysContextTooLong(text: string, code?: unknown, type?: unknown): boolean {
  return code === 'context_length_exceeded' || type === 'exceed_context_size_error' || CONTEXT_TOO_LONG.test(text);
}

/** The window size the error names, or null when it names none. */
export function contextLengthInText(text: string): number | null {
  for (const re of CONTEXT_LENGTH_IN_TEXT) {
    const m = re.exec(text);
    if (m) return Number(m[1]);
  }
  return null;
}

/**
 * A model the server does not have: OpenAI 404 code "model_not_found" ("The model `x` does not
 * exist or you do not have access to it."), vLLM 404 "The model `x` does not exist.", LM Studio
 * "Model x not found" / "No models loaded", llama-server router "model not found".
 */
export function saysModelNotFound(text: string, code?: unknown): boolean {
  return code === 'model_not_found' || /model[^.]{0,200}?(?:does not exist|not found)|no models? (?:is |are )?loaded|unknown model/i.test(text);
}

/**
 * A server that does not do structured output: LM Studio refuses json_object ("'response_format.type'
 * must be 'json_schema' or 'text'"), older servers refuse json_schema; the error names response_format.
 */
export function saysResponseFormatUnsupported(text: string, param?: unknown): boolean {
  return param === 'response_format' || /response_format|json_schema|json_object/i.test(text);
}
