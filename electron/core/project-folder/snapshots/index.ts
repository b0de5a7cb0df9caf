// Public face of the undo snapshots: before a task writes a file in a workspace folder,
// the file's previous state is kept (a private git ref in a repository, content-addressed
// copies in the data dir otherwise), so the task's changes can be reviewed and undone.
export { openTaskSnapshot, type OpenTaskSnapshotOptions } from './open.js';
export { TaskSnapshot } from './task-snapshot.js';
export type { ChangeStatus, FileChange, FileVersion, RevertOutcome, UndoSummary } from './task-snapshot.js';
export { SnapshotRegistry, type SnapshotListing, type SnapshotSummary } from './registry.js';
export { pruneBlobs, type PruneOptions, type PruneResult } from './prune.js';
export type { SnapshotBackend } from './manifest.js';
export type { UndoPaths, UndoFailure } from './undo.js';
export { snapshotRef } from './locations.js';
