// Public face of workspace-folder: may this folder be opened as a workspace?
export { checkWorkspaceFolder, workspaceFolderError, nodeWorkspaceFolderFs } from './check.js';
export type { WorkspaceFolderCheck, FolderRefusalCode, WorkspaceFolderFs, CheckWorkspaceFolderOptions } from './check.js';
export { systemFolderRefusal } from './system-folders.js';
export type { FolderContext, SystemFolderRefusal, Platform } from './system-folders.js';
