// Public face of the workspace watcher: debounced, coalesced batches of changes under
// a workspace folder, for the file tree and open editors.
export { watchWorkspace, DEFAULT_DEBOUNCE_MS } from './watch-workspace.js';
export type { WatchBatch, WatchWorkspaceOptions, WorkspaceWatcher } from './types.js';
export { toWatchError, type WatchErrorReason } from './watch-errors.js';
