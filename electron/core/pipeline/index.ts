export { StepStore, type StepFinish, type ReplayRequest } from './step-store.js';
export { ArtifactStore } from './artifacts.js';
export { ResponseCache, cacheKey, type CachedAnswer } from './response-cache.js';
export { PromptLibrary, findPromptsDir, PROMPT_NAMES, type PromptName } from './prompts.js';
export { TokenCounter, chooseNumCtx, contextCeiling, fitContext, type ContextItem, type ContextLimits } from './context-budget.js';
