export { OpenAICompatibleProvider, responseFormatFor } from './openai-provider.js';
export { mapOpenAIError, scrubSecret, type OpenAIErrorContext } from './errors.js';
export { parseRetryAfterMs } from './retry-after.js';
export { askContextWindow, ContextWindowCache, originOf } from './context-window.js';
export { contextLengthInText, saysContextTooLong, saysModelNotFound, saysResponseFormatUnsupported } from './error-texts.js';
