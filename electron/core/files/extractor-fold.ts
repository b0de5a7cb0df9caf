// Folding file ops back into whole files: used by extractFiles() and by tests.

import { decodeBase64Body } from './extractor-binary.js';
import type { ExtractedFile, FileOp } from './extractor-ops.js';

/** Fold a sequence of ops into files (in close order; a path written twice appears twice) and refusals. */
export function foldFileOps(ops: FileOp[]): { files: ExtractedFile[]; refused: { path: string; code: string }[] } {
  const files: ExtractedFile[] = [];
  const refused: { path: string; code: string }[] = [];
  let current: string | null = null;
  let base64 = false;
  let parts: string[] = [];
  for (const op of ops) {
    switch (op.kind) {
      case 'open':
        current = op.path;
        base64 = op.encoding === 'base64';
        parts = [];
        break;
      case 'chunk':
        if (op.path === current) parts.push(op.text);
        break;
      case 'close':
        if (op.path === current) {
          const content = parts.join('');
          if (!base64) files.push({ path: op.path, content, truncated: op.truncated });
          else {
            const bytes = decodeBase64Body(content);
            files.push({ path: op.path, content, truncated: op.truncated, encoding: 'base64', ...(bytes ? { bytes } : {}) });
          }
        }
        current = null;
        parts = [];
        break;
      case 'refused':
        refused.push({ path: op.path, code: op.code });
        break;
    }
  }
  return { files, refused };
}
