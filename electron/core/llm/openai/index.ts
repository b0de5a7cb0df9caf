export { OpenAICompatibleProvider } from './openai-provider.js';
export { adaptAfterRefusal, initialShape, requestBody, responseFormatFor, type RequestShape } from './request-shape.js';
export { mapOpenAIError, scrubSecret, type OpenAIErrorContext } from './errors.js';
export { parseRetryAfterMs } from './retry-after.js';
export { askContextWindow, ContextWindowCache, originOf } from './context-window.js';
export { contextLengthInText, saysContextTooLong, saysModelNotFound, saysResponseFormatUnsupported } from './error-texts.js';
