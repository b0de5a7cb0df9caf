export { TaskQueue, WAITING_FOR_OLLAMA, type QueueChange, type ClaimLimits, type FinishOutcome } from './task-queue.js';
export { QueueWorker, type QueueWorkerOptions, type WorkerLimits } from './queue-worker.js';
export { newWorkerId, ownerIsDeadHere } from './owner.js';
export { backoffMs, isTransient } from './retry-policy.js';
