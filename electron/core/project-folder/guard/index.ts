// Public face of the guarded workspace.
export { Workspace, DEFAULT_MAX_READ_BYTES } from './workspace.js';
export type { WorkspaceOptions, WrittenFile, ReadResult, ListedFile } from './workspace.js';
export type { WriteFs } from './atomic-write.js';
export { nodeWriteFs, TEMP_MARKER, isAtomicWriteTemp } from './atomic-write.js';
export { isInsideRoot } from './guard.js';
export { READ_FLAGS, openRegularFile, readRegularFile, readRegularFileSync, readOptionalRegularText } from './regular-file.js';
