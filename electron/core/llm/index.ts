export { OllamaProvider } from './ollama-provider.js';
export { mapOllamaError, isAbortError } from './ollama-errors.js';
export type { ChatChunk, ChatMessage, ChatRequest, LoadedModelInfo, ModelProvider, PullEvent, ShowResponse } from './types.js';
export { buildChatMessages, CHAT_SYSTEM_PROMPT } from './prompts.js';
