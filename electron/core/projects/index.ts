// Public face of projects: what a user works on, turn after turn (a task is a turn).
export { ProjectStore } from './project-store.js';
export { ProjectService, type ProjectServiceOptions, type TurnScope } from './project-service.js';
export * from './context/index.js';
export { applyModelOptions, hasModelOptions, withModelOptions, PROJECT_PROMPT_HEADING } from './model-options.js';
