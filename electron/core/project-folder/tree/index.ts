// Public face of the workspace tree: list a project folder for the file tree
// (gitignore-aware, sized, in tree order), and name-based helpers the renderer
// and the file-read path share.
export { listWorkspace, DEFAULT_MAX_ENTRIES } from './list-workspace.js';
export type { TreeEntry, TreeEntryKind, ListWorkspaceOptions, WorkspaceListing } from './types.js';
export { compareNames } from './tree-order.js';
export { ALWAYS_HIDDEN_NAMES } from './ignore-rules.js';
export { isProbablyBinary } from './binary.js';
export { fileKind, type FileKind } from './file-kind.js';
