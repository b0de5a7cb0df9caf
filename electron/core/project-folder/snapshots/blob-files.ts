// The copy backend's content-addressed blobs: <dataDir>/snapshots/blobs/<2 hex>/<sha256>.
// The same bytes are stored once, whichever tasks and paths they came from.
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { MacsError } from '../../../../shared/errors.js';
import { errnoCode, mapWriteError, writeDurably } from './durable-write.js';
import { blobPath } from './locations.js';

export function sha256Of(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function putBlobFile(dataDir: string, sha256: string, data: Uint8Array): Promise<void> {
  const file = blobPath(dataDir, sha256);
  const existing = await stat(file).catch(() => null);
  if (existing?.isFile() && existing.size === data.byteLength) {
    // Freshen: pruneBlobs spares recently touched blobs, so a blob that is about to be
    // referenced by a manifest save in flight cannot be collected in between.
    const now = new Date();
    await utimes(file, now, now);
    return;
  }
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeDurably(file, data, 0o644);
  } catch (err) {
    throw mapWriteError(err, `the undo copy ${sha256.slice(0, 12)}`, data.byteLength);
  }
}

export async function readBlobFile(dataDir: string, sha256: string): Promise<Buffer> {
  try {
    return await readFile(blobPath(dataDir, sha256));
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') {
      throw new MacsError('FILE_NOT_FOUND', `The saved copy ${sha256.slice(0, 12)} of the undo snapshot is missing.`, { sha256 });
    }
    throw err;
  }
}
