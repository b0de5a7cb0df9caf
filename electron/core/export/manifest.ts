// manifest.json: what the zip holds, with a sha256 per file, so a recipient can
// check the archive against what MACS generated.
export interface ManifestEntry { path: string; size: number; sha256: string }

export interface ExportManifest {
  generatedBy: 'MACS Desktop';
  createdAt: string;
  files: ManifestEntry[];
}

export const MANIFEST_NAME = 'manifest.json';
/** Used instead when the project has its own root manifest.json (a browser extension, a PWA): theirs wins. */
export const FALLBACK_MANIFEST_NAME = 'macs-manifest.json';

export function buildManifest(entries: ManifestEntry[], createdAt: Date): ExportManifest {
  const files = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { generatedBy: 'MACS Desktop', createdAt: createdAt.toISOString(), files };
}
