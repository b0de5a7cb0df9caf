// Public face of projects: what a user works on, turn after turn (a task is a turn).
export { ProjectStore, newProjectId } from './project-store.js';
export { projectState, type StateInputs } from './project-state.js';
export { mainLanguage } from './language.js';
export { ProjectService, type ProjectServiceOptions, type TurnScope } from './project-service.js';
export * from './context/index.js';
