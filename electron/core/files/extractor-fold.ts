// Folding file ops back into whole files: used by extractFiles() and by tests.

import type { ExtractedFile, FileOp } from './extractor-lines.js';

/** Fold a sequence of ops into files (in close order; a path written twice appears twice) and refusals. */
export function foldFileOps(ops: FileOp[]): { files: ExtractedFile[]; refused: { path: string; code: string }[] } {
  const files: ExtractedFile[] = [];
  const refused: { path: string; code: string }[] = [];
  let current: string | null = null;
  let parts: string[] = [];
  for (const op of ops) {
    switch (op.kind) {
      case 'open':
        current = op.path;
        parts = [];
        break;
      case 'chunk':
        if (op.path === current) parts.push(op.text);
        break;
      case 'close':
        if (op.path === current) files.push({ path: op.path, content: parts.join(''), truncated: op.truncated });
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
