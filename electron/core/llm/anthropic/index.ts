export { AnthropicProvider, ANTHROPIC_DEFAULT_BASE_URL, RATE_LIMIT_RETRIES } from './anthropic-provider.js';
export { mapAnthropicError, scrubKey, retryAfterMs, MAX_RETRY_AFTER_MS, type AnthropicErrorContext } from './errors.js';
export { buildRequest, toAnthropicMessages, doneReasonOf, defaultMaxTokens, thinkingBudget, claudeVersion, usesAdaptiveThinking, supportsStructuredOutputs, ANSWER_TOOL_NAME, MIN_THINKING_BUDGET } from './messages.js';
