// Public face of zip export.
export { exportWorkspaceZip } from './export-zip.js';
export type { ExportOptions, ExportProgress, ExportResult } from './export-zip.js';
export { collectExportFiles, type SkippedExportFile } from './collect.js';
export type { ExportFile } from './collect.js';
export type { ManifestEntry, ExportManifest } from './manifest.js';
export { MANIFEST_NAME, FALLBACK_MANIFEST_NAME } from './manifest.js';
export { mediaTypeOf } from './media-type.js';
