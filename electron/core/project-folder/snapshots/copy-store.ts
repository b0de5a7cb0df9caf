// Copy backend, for folders that are not in a git work tree: the before-bytes are
// content-addressed blobs in the data dir, the manifest is tasks/<taskId>.json, both
// written atomically, blob first (a manifest never names a blob that is not on disk).
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { MacsError } from '../../../../shared/errors.js';
import { putBlobFile, readBlobFile } from './blob-files.js';
import { errnoCode, mapWriteError, writeDurably } from './durable-write.js';
import { taskFilePath } from './locations.js';
import { parseTaskFile, serializeManifest, type SnapshotManifest } from './manifest.js';
import type { SnapshotStore } from './store.js';

export class CopySnapshotStore implements SnapshotStore {
  readonly backend = 'copy' as const;
  private readonly file: string;

  constructor(
    private readonly dataDir: string,
    taskId: string,
  ) {
    this.file = taskFilePath(dataDir, taskId);
  }

  async load(): Promise<SnapshotManifest | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return null;
      throw err;
    }
    const parsed = parseTaskFile(text, this.file);
    if (parsed.kind !== 'manifest' || parsed.manifest.backend !== 'copy') {
      throw new MacsError('INTERNAL', `${this.file} is not a copy snapshot.`, { file: this.file });
    }
    return parsed.manifest;
  }

  async putBlob(data: Uint8Array, sha256: string): Promise<string> {
    await putBlobFile(this.dataDir, sha256, data);
    return sha256;
  }

  getBlob(id: string): Promise<Buffer> {
    return readBlobFile(this.dataDir, id);
  }

  async getBlobs(ids: string[]): Promise<Map<string, Buffer>> {
    const unique = [...new Set(ids)];
    const blobs = await Promise.all(unique.map((id) => readBlobFile(this.dataDir, id)));
    return new Map(unique.map((id, i) => [id, blobs[i]!]));
  }

  async save(manifest: SnapshotManifest): Promise<void> {
    const data = Buffer.from(serializeManifest(manifest), 'utf8');
    try {
      await mkdir(path.dirname(this.file), { recursive: true });
      await writeDurably(this.file, data, 0o644);
    } catch (err) {
      throw mapWriteError(err, `the undo snapshot of task ${manifest.taskId}`, data.byteLength);
    }
  }

  async remove(): Promise<void> {
    await rm(this.file, { force: true });
  }
}
