// Public face of folders: workspace folders the user brings (open, recent, tree, watch, context).
export { FolderService, type FolderServiceOptions } from './folder-service.js';
export { FolderContextIndex } from './context-index.js';
