export { TaskStore, toTask, TASK_COLUMNS, type NewTask, type TaskRow } from './task-store.js';
export { runChatTask, type ChatRunContext, type RunOutcome } from './chat-runner.js';
export { FileSink, type WrittenFile } from './file-sink.js';
export { DEFAULT_OUTPUT_LIMITS, OutputCounter, type OutputLimits } from './output-limits.js';
