export { OllamaProvider } from './ollama-provider.js';
export { mapOllamaError, isAbortError } from './ollama-errors.js';
export { contextOverflow, describeContextOverflow, type ContextOverflowKind } from './context-overflow.js';
export { continuationRemainder, ContinuationJoiner } from './continuation.js';
export { continueCutOffAnswer, CONTINUE_PROMPT, type ContinueOptions } from './continue-stream.js';
export type { ChatChunk, ChatMessage, ChatRequest, LoadedModelInfo, ModelProvider, PullEvent, ShowResponse } from './types.js';
export { buildChatMessages, buildFolderChatMessages, CHAT_SYSTEM_PROMPT, FOLDER_SYSTEM_PROMPT, EDIT_BLOCKS_ABOVE_LINES } from './prompts.js';
export { ReasoningSplitter, type ReasoningPiece } from './reasoning-splitter.js';
export { looksLikeReasoner, thinkValueFor, thinkingEnabled, type ThinkValue, type ThinkingFacts } from './thinking.js';
