export { TaskStore, type NewTask } from './task-store.js';
export { runChatTask, type ChatRunContext } from './chat-runner.js';
