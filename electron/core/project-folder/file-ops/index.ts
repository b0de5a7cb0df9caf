// Public face of file-ops: what the file tree does to a project folder (new file or folder,
// rename/move, delete to MACS's trash and restore) and the Open folder path completion.
export { createFile, createFolder, moveEntry, requireEntry, resolveEntry } from './entries.js';
export { ProjectTrash, TRASH_KEEP_MS } from './trash.js';
export type { TrashNote, TrashedEntry } from './trash.js';
export { completeFolder, MAX_SUGGESTIONS } from './complete.js';
export type { FolderCompletion, FolderSuggestion } from './complete.js';
