// Public face of project folders: everything MACS does with a project's folder on disk,
// for generated projects and folders the user opened alike.
//   guard/      the guarded workspace: paths kept inside the root, atomic writes, regular-file reads
//   checks/     may this folder be opened (exists, a folder, not a system folder)
//   tree/       the file tree listing (.gitignore-aware, sized, in tree order)
//   watch/      debounced batches of changes made by anyone
//   snapshots/  a file's state before a turn wrote it (private git refs or copies): diff, revert, undo
//   folders/    opened folders: open, recent, tree, watch, context retrieval
//   versions/   a project's versions: git commits per turn (generated), turn snapshots (folders); restore
export * from './guard/index.js';
export * from './checks/index.js';
export * from './tree/index.js';
export * from './watch/index.js';
export * from './snapshots/index.js';
export * from './folders/index.js';
export * from './versions/index.js';
export { clearStaleGitLocks } from './versions/stale-locks.js';
export { stageTurnWrites } from './versions/turn-writes.js';
