// manifest.json: what the zip holds, with a sha256 per file, so a recipient can
// check the archive against what MACS generated.
import { mediaTypeOf } from './media-type.js';

export interface ManifestEntry { path: string; size: number; sha256: string }

export interface ExportManifest {
  generatedBy: 'MACS Desktop';
  createdAt: string;
  /** size_bytes and media_type repeat size and mediaType under the Unified Orchestrator's names. */
  files: Array<ManifestEntry & { mediaType: string; size_bytes: number; media_type: string }>;
  /** The task (build tasks: steps with models, timings, attempts; the final status), when the export is of a task. */
  [extra: string]: unknown;
}

export const MANIFEST_NAME = 'manifest.json';
/** Used instead when the project has its own root manifest.json (a browser extension, a PWA): theirs wins. */
export const FALLBACK_MANIFEST_NAME = 'macs-manifest.json';

export function buildManifest(entries: ManifestEntry[], createdAt: Date, extra: Record<string, unknown> = {}): ExportManifest {
  const files = [...entries]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((e) => {
      const mediaType = mediaTypeOf(e.path);
      return { ...e, mediaType, size_bytes: e.size, media_type: mediaType };
    });
  // The hashes of what is really in the zip win over anything in `extra`.
  return { generatedBy: 'MACS Desktop', createdAt: createdAt.toISOString(), ...extra, files };
}
