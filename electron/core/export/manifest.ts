// manifest.json: what the zip holds, with a sha256 per file, so a recipient can
// check the archive against what MACS generated.
import { Readable } from 'node:stream';

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

/**
 * The manifest entry's content, produced only when JSZip reaches it. It is added
 * last, and JSZip writes entries strictly in order, so by then every file has been
 * streamed and hashed.
 */
export function lateManifestStream(render: () => string): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (sent) return;
      sent = true;
      try {
        this.push(Buffer.from(render(), 'utf8'));
        this.push(null);
      } catch (err) {
        this.destroy(err instanceof Error ? err : new Error(String(err)));
      }
    },
  });
}
